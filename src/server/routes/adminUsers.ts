// Staff accounts (/api/admin/admin-users) and API tokens (/api/admin/tokens): admins only.
import { HttpError, type Router } from '../http.js';
import { bodySchema } from './chargerCalls.js';
import { idParam } from './paging.js';
import type { RouteDeps } from './index.js';

const role = { enum: ['admin', 'viewer'] };
const createBody = bodySchema<{ username: string; password: string; role: 'admin' | 'viewer' }>({
  type: 'object', additionalProperties: false, required: ['username', 'password', 'role'],
  properties: { username: { type: 'string', pattern: '^[A-Za-z0-9_.@-]{1,64}$' }, password: { type: 'string', maxLength: 1000 }, role },
});
const updateBody = bodySchema<{ role?: 'admin' | 'viewer'; disabled?: boolean; password?: string }>({
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: { role, disabled: { type: 'boolean' }, password: { type: 'string', maxLength: 1000 } },
});
const tokenBody = bodySchema<{ name: string; role: 'admin' | 'viewer' }>({
  type: 'object', additionalProperties: false, required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, role: { ...role, default: 'viewer' } },
});

export function registerAdminUserRoutes(router: Router, deps: Pick<RouteDeps, 'logger' | 'domain'>): void {
  const { domain, logger } = deps;

  router.get('/api/admin/admin-users', 'admin', () => ({ body: { adminUsers: domain.adminUsers.list() } }));

  router.post('/api/admin/admin-users', 'admin', async (req) => {
    const input = createBody(req.body);
    const user = await domain.adminUsers.create(input);
    logger.info({ username: user.username, role: user.role, by: req.principal?.name }, 'admin user created');
    return { status: 201, body: { adminUser: user } };
  });

  router.put('/api/admin/admin-users/:id', 'admin', async (req) => {
    const id = idParam(req.params.id, 'admin_user');
    const user = await domain.adminUsers.update(id, updateBody(req.body));
    domain.events.emit('access.changed', {}); // a disabled user's live streams end
    logger.info({ username: user.username, by: req.principal?.name }, 'admin user changed');
    return { body: { adminUser: user } };
  });

  router.delete('/api/admin/admin-users/:id', 'admin', async (req) => {
    const id = idParam(req.params.id, 'admin_user');
    await domain.adminUsers.remove(id);
    domain.events.emit('access.changed', {});
    logger.info({ adminUserId: id, by: req.principal?.name }, 'admin user deleted');
    return { status: 204 };
  });

  router.get('/api/admin/tokens', 'admin', () => ({ body: { tokens: domain.apiTokens.list() } }));

  // The token is in this reply only; the server keeps its sha256.
  router.post('/api/admin/tokens', 'admin', async (req) => {
    const { name, role: r } = tokenBody(req.body);
    const { token, apiToken } = await domain.apiTokens.create({ name, role: r, createdBy: req.principal?.userId ?? null });
    logger.info({ tokenId: apiToken.id, name, role: r, by: req.principal?.name }, 'API token created');
    return { status: 201, body: { token, apiToken } };
  });

  router.delete('/api/admin/tokens/:id', 'admin', async (req) => {
    const id = idParam(req.params.id, 'token');
    const revoked = await domain.apiTokens.revoke(id);
    if (!revoked) throw new HttpError(404, 'token_not_found', `no API token ${id}`);
    domain.events.emit('access.changed', {}); // streams opened with it end now
    logger.info({ tokenId: id, by: req.principal?.name }, 'API token revoked');
    return { body: { apiToken: revoked } };
  });
}
