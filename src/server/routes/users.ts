// Drivers: /api/admin/users (CRUD; PUT {status: "Blocked"} blocks all their idTags). A user with sessions,
// idTags or a wallet cannot be deleted (409).
// Wallet routes (…/users/:id/wallet) live in wallets.ts.
import { USER_SORTS, type UserInput } from '../../domain/users.js';
import { HttpError, type Router } from '../http.js';
import { bodySchema } from './chargerCalls.js';
import { idParam, offsetPaging, pageOf, sortParam } from './paging.js';
import type { RouteDeps } from './index.js';

const fields = {
  fullName: { type: 'string', minLength: 1, maxLength: 200 },
  phoneNumber: { type: ['string', 'null'], pattern: '^\\+?[0-9 ()-]{3,30}$' },
  email: { type: ['string', 'null'], maxLength: 200, pattern: '^[^@\\s]+@[^@\\s]+$' },
  // Blocked refuses all the user's idTags at Authorize, StartTransaction and remote start; Active restores them.
  status: { enum: ['Active', 'Blocked'] },
};
const createBody = bodySchema<UserInput>({ type: 'object', additionalProperties: false, required: ['fullName'], properties: fields });
const updateBody = bodySchema<Partial<UserInput>>({ type: 'object', additionalProperties: false, properties: fields });

export function registerUserRoutes(router: Router, deps: Pick<RouteDeps, 'domain'>): void {
  const { domain } = deps;
  const userOr404 = (raw: string | undefined) => {
    const user = domain.users.byId(idParam(raw, 'user'));
    if (!user) throw new HttpError(404, 'user_not_found', `no user ${raw}`);
    return user;
  };

  router.get('/api/admin/users', 'viewer', (req) => {
    const page = pageOf(req, 100, 1000);
    const { items, total } = domain.users.list({ q: req.query.get('q') ?? undefined, sort: sortParam(req, USER_SORTS), ...page });
    // Each with its wallet's balance, for the list's balance column (null: no wallet yet).
    const withWallet = items.map((u) => {
      const w = domain.wallets.forUser(u.id);
      return { ...u, wallet: w ? { balance: w.balance, currency: w.currency } : null };
    });
    return { body: { users: withWallet, ...offsetPaging(total, page) } };
  });

  router.post('/api/admin/users', 'admin', async (req) => {
    const input = createBody(req.body);
    const user = await domain.uow.run(() => domain.users.create(input)); // a taken phone number: 409 phone_taken
    return { status: 201, body: { user } };
  });

  router.get('/api/admin/users/:id', 'viewer', (req) => {
    const user = userOr404(req.params.id);
    return { body: { user, idTags: domain.idTagRegistry.list({ userId: user.id, limit: 1000, offset: 0 }).items } };
  });

  router.put('/api/admin/users/:id', 'admin', async (req) => {
    const current = userOr404(req.params.id);
    const input = updateBody(req.body);
    const user = await domain.uow.run(() => {
      // Chargers' local lists carry the tags' status: they must follow a block or unblock.
      if (input.status !== undefined && input.status !== current.status) domain.idTagRegistry.announce(input.status === 'Blocked' ? current.id : undefined);
      return domain.users.update(current.id, input);
    });
    return { body: { user } };
  });

  router.delete('/api/admin/users/:id', 'admin', async (req) => {
    const user = userOr404(req.params.id);
    await domain.uow.run(() => domain.users.remove(user.id)); // refused (409 user_in_use) while anything refers to it
    return { status: 204 };
  });
}
