// A user's wallet: balance and ledger (viewer), and the operator's money moves (admin): top-up, refund,
// adjustment. Every money move carries an idempotency key (body idempotencyKey or header Idempotency-Key):
// a retry with the same key returns the first result and changes nothing; the same key with a different
// request is a 409. The first top-up opens the wallet; POST .../wallet opens it explicitly (to pick a currency).
import type { ManualEntryType, WalletEntry } from '../../domain/wallets.js';
import { HttpError, type ApiReply, type ApiRequest, type Router } from '../http.js';
import { bodySchema, intParam } from './chargerCalls.js';
import type { RouteDeps } from './index.js';
import { cursorPaging } from './paging.js';

const MAX_AMOUNT = 100_000_000; // minor units: one million in a two-decimal currency; larger is a typo
const currency = { type: 'string', pattern: '^[A-Z]{3}$' };
const common = {
  description: { type: 'string', maxLength: 200 },
  idempotencyKey: { type: 'string', minLength: 1, maxLength: 100 },
};
interface MoveBody { amount: number; description?: string; idempotencyKey?: string; currency?: string; chargingTransactionId?: number }

const schemas: Record<ManualEntryType, (body: unknown) => MoveBody> = {
  TOP_UP: bodySchema({
    type: 'object', additionalProperties: false, required: ['amount'],
    properties: { amount: { type: 'integer', minimum: 1, maximum: MAX_AMOUNT }, currency, ...common },
  }),
  REFUND: bodySchema({
    type: 'object', additionalProperties: false, required: ['amount'],
    properties: { amount: { type: 'integer', minimum: 1, maximum: MAX_AMOUNT }, chargingTransactionId: { type: 'integer', minimum: 1 }, ...common },
  }),
  // An adjustment must say why: it is the only way to take money out by hand.
  ADJUSTMENT: bodySchema({
    type: 'object', additionalProperties: false, required: ['amount', 'description'],
    properties: { amount: { type: 'integer', minimum: -MAX_AMOUNT, maximum: MAX_AMOUNT, not: { const: 0 } }, ...common, description: { type: 'string', minLength: 1, maxLength: 200 } },
  }),
};
const openBody = bodySchema<{ currency?: string }>({ type: 'object', additionalProperties: false, properties: { currency } });

const KEY_PREFIX = /^user:\d+:/;
export const entryView = (e: WalletEntry) => ({ ...e, idempotencyKey: e.idempotencyKey?.replace(KEY_PREFIX, '') ?? null });

export function registerWalletRoutes(router: Router, deps: Pick<RouteDeps, 'domain'>): void {
  const { domain } = deps;
  const userOr404 = (raw: string | undefined) => {
    const id = intParam(raw, 'id') ?? -1;
    const user = domain.users.byId(id);
    if (!user) throw new HttpError(404, 'user_not_found', `no user ${raw}`);
    return user.id;
  };
  /** A new wallet's currency: the site's (setup, else the default tariff's), so the first session can be paid. */
  const siteCurrency = () => domain.settings.currency() ?? 'EUR';

  router.get('/api/admin/users/:id/wallet', 'viewer', (req) => {
    const userId = userOr404(req.params.id);
    const limit = intParam(req.query.get('limit'), 'limit') ?? 50;
    if (limit < 1 || limit > 500) throw new HttpError(400, 'invalid_parameter', 'limit must be 1..500');
    const beforeId = intParam(req.query.get('before'), 'before');
    const wallet = domain.wallets.forUser(userId);
    if (!wallet) return { body: { wallet: null, ledger: [], limit, nextBefore: null } };
    const ledger = domain.wallets.ledger(wallet.id, { limit, beforeId });
    return { body: { wallet, ledger: ledger.map(entryView), ...cursorPaging(ledger, limit) } };
  });

  router.post('/api/admin/users/:id/wallet', 'admin', async (req) => {
    const userId = userOr404(req.params.id);
    const body = openBody(req.body);
    const { wallet, created } = await domain.uow.run(() => domain.wallets.open(userId, body.currency ?? siteCurrency()));
    if (!created && body.currency && body.currency !== wallet.currency) {
      throw new HttpError(409, 'currency_mismatch', `user ${userId} already has a wallet in ${wallet.currency}`, { wallet });
    }
    return { status: created ? 201 : 200, body: { wallet } };
  });

  const move = (type: ManualEntryType) => async (req: ApiRequest): Promise<ApiReply> => {
    const userId = userOr404(req.params.id);
    const body = schemas[type](req.body);
    const key = idempotencyKey(req, body);
    const result = await domain.uow.run(() => domain.wallets.apply(userId, {
      type, amount: body.amount, description: body.description ?? null, idempotencyKey: key,
      chargingTransactionId: body.chargingTransactionId ?? null, createdBy: req.principal?.name ?? null, currency: body.currency,
    }, body.currency ?? siteCurrency()));
    const { id, currency: cur } = result.wallet;
    // The body is the same on a replay: the wallet as it was right after this entry.
    return {
      status: 201,
      headers: { 'Idempotent-Replayed': String(result.replayed) },
      body: { entry: entryView(result.entry), wallet: { id, userId, currency: cur, balance: result.entry.balanceAfter } },
    };
  };
  router.post('/api/admin/users/:id/wallet/top-up', 'admin', move('TOP_UP'));
  router.post('/api/admin/users/:id/wallet/refund', 'admin', move('REFUND'));
  router.post('/api/admin/users/:id/wallet/adjustment', 'admin', move('ADJUSTMENT'));
}

function idempotencyKey(req: ApiRequest, body: MoveBody): string {
  const header = req.headers['idempotency-key'];
  if (header !== undefined && body.idempotencyKey !== undefined && header !== body.idempotencyKey) {
    throw new HttpError(400, 'idempotency_key_conflict', 'the Idempotency-Key header and the body idempotencyKey differ');
  }
  const key = body.idempotencyKey ?? header;
  if (!key) throw new HttpError(400, 'idempotency_key_required', 'send an idempotencyKey (body) or Idempotency-Key header, so a retry cannot move money twice');
  if (key.length > 100) throw new HttpError(400, 'invalid_parameter', 'the idempotency key is longer than 100 characters');
  return key;
}
