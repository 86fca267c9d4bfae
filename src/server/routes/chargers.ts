// Chargers: /api/admin/chargers and /api/admin/chargers/:id (numeric id or chargePointId), with
// connectors, live status, last heartbeat, online flag and status history. Deleting a charger with
// history archives it; one with a running session is refused.
import type { Charger, ChargerEdit } from '../../domain/chargers.js';
import { HttpError, type Router } from '../http.js';
import { bodySchema, intParam } from './chargerCalls.js';
import type { RouteDeps } from './index.js';
import type { Domain } from '../../domain/index.js';
import { describeRepairCount } from '../../ocpp/compat/index.js';

// What a charger may be called in /ocpp/{id}: no whitespace or URL syntax, at most 48 characters.
const chargePointId = { type: 'string', pattern: '^[^\\s/?#%]{1,48}$' };
export const chargerPassword = { type: 'string', minLength: 8, maxLength: 40 };
const editable = {
  name: { type: ['string', 'null'], maxLength: 200 },
  stationId: { type: ['integer', 'null'], minimum: 1 },
  tariffId: { type: ['integer', 'null'], minimum: 1 },
  maxCurrentA: { type: ['number', 'null'], exclusiveMinimum: 0, maximum: 1000 },
  registrationStatus: { enum: ['Accepted', 'Pending', 'Rejected'] },
  compatMode: { enum: ['tolerant', 'strict'] },
  // What the site enforces at the upgrade; telling the charger is POST .../security-profile (raise only).
  securityProfile: { enum: [1, 2, 3] },
};
type Edit = ChargerEdit & { password?: string | null };
const createBody = bodySchema<Edit & { chargePointId: string }>({
  type: 'object', additionalProperties: false, required: ['chargePointId'],
  properties: { chargePointId, ...editable, password: { ...chargerPassword, type: ['string', 'null'] } },
});
const updateBody = bodySchema<Edit>({
  type: 'object', additionalProperties: false,
  properties: { ...editable, password: { ...chargerPassword, type: ['string', 'null'] } },
});
const passwordBody = bodySchema<{ password: string | null }>({
  type: 'object', additionalProperties: false, required: ['password'], properties: { password: { ...chargerPassword, type: ['string', 'null'] } },
});

/** The charger for :id (chargePointId first, then numeric id); archived ones only when asked for. */
export function chargerFromParam(deps: Pick<RouteDeps, 'domain'>, raw: string | undefined, opts: { archived?: boolean } = {}): Charger {
  const charger = raw === undefined ? undefined : deps.domain.chargers.find(raw);
  if (!charger || (charger.archivedAt && !opts.archived)) throw new HttpError(404, 'charger_not_found', `no charger ${raw}`);
  return charger;
}

/** A charger as the API shows it: no password hash, with its connection and connectors. */
export function chargerView(c: Charger, { domain, hub }: Pick<RouteDeps, 'domain' | 'hub'>) {
  const { passwordHash, ...rest } = c;
  const session = hub.get(c.chargePointId);
  // Any frame (or pong) counts as heard: the open session knows it to the millisecond; the stored value
  // is written only on boot, heartbeat and disconnect.
  const seen = session ? Math.max(session.lastSeenAt, c.lastSeenAt ? Date.parse(c.lastSeenAt) : 0) : null;
  return {
    ...rest, lastSeenAt: seen ? new Date(seen).toISOString() : c.lastSeenAt,
    hasPassword: passwordHash !== null, connected: !!session, online: hub.isOnline(c.chargePointId),
    connectedAt: session?.connectedAt.toISOString() ?? null, connectors: domain.chargers.connectorsOf(c.id),
  };
}
export type ChargerView = ReturnType<typeof chargerView>;
export type ChargerDetail = ChargerView & {
  statusHistory: ReturnType<Domain['chargers']['statusHistory']>; runningTransactions: ReturnType<Domain['transactions']['runningOn']>;
};

export function registerChargerRoutes(router: Router, deps: Pick<RouteDeps, 'domain' | 'hub'>): void {
  const { domain, hub } = deps;

  const view = (c: Charger) => chargerView(c, deps);
  const checkRefs = (input: Edit) => {
    if (input.stationId != null && !domain.stations.byId(input.stationId)) throw new HttpError(422, 'station_not_found', `no station ${input.stationId}`);
    if (input.tariffId != null && !domain.tariffs.byId(input.tariffId)) throw new HttpError(422, 'tariff_not_found', `no tariff ${input.tariffId}`);
  };
  const changed = (cpId: string) => domain.uow.onCommit(() => domain.events.emit('charger.updated', { chargePointId: cpId }));

  router.get('/api/admin/chargers', 'viewer', (req) => {
    const includeArchived = req.query.get('archived') === 'true';
    return { body: { chargers: domain.chargers.list({ includeArchived }).map(view) } };
  });

  router.post('/api/admin/chargers', 'admin', async (req) => {
    const { chargePointId: cpId, password, ...edit } = createBody(req.body);
    checkRefs(edit);
    const existing = domain.chargers.find(cpId);
    let charger: Charger;
    if (existing?.chargePointId === cpId && !existing.archivedAt) {
      throw new HttpError(409, 'charger_exists', `charger ${cpId} is already registered`);
    } else if (existing?.chargePointId === cpId) {
      charger = await domain.uow.run(() => domain.chargers.restore(existing.id, edit)); // archived: back with its history
      if (password !== undefined) await domain.chargers.setPassword(charger.id, password);
    } else {
      charger = await domain.chargers.create({ chargePointId: cpId, password, ...edit });
    }
    await domain.uow.run(() => changed(cpId));
    return { status: 201, body: { charger: view(domain.chargers.byId(charger.id)!) } };
  });

  router.get('/api/admin/chargers/:id', 'viewer', (req) => {
    const charger = chargerFromParam(deps, req.params.id, { archived: true });
    const historyLimit = intParam(req.query.get('historyLimit'), 'historyLimit') ?? 100;
    return { body: { charger: {
      ...view(charger),
      statusHistory: domain.chargers.statusHistory(charger.id, Math.min(Math.max(historyLimit, 1), 1000)),
      runningTransactions: domain.transactions.runningOn(charger.id),
    } } };
  });

  // What the compatibility layer tolerated for this charger, in plain language, for its installer and vendor.
  router.get('/api/admin/chargers/:id/compatibility', 'viewer', (req) => {
    const charger = chargerFromParam(deps, req.params.id, { archived: true });
    const repairs = domain.compatibility.repairCounts(charger.id).map((r) => ({ ...r, description: describeRepairCount(r) }));
    return { body: { compatMode: charger.compatMode, repairs, reviews: domain.compatibility.reviews(charger.id) } };
  });

  router.put('/api/admin/chargers/:id', 'admin', async (req) => {
    const charger = chargerFromParam(deps, req.params.id);
    const { password, ...edit } = updateBody(req.body);
    checkRefs(edit);
    await domain.uow.run(() => { domain.chargers.update(charger.id, edit); changed(charger.chargePointId); });
    if (password !== undefined) await domain.chargers.setPassword(charger.id, password);
    return { body: { charger: view(domain.chargers.byId(charger.id)!) } };
  });

  // Only what this server checks; telling the charger is ChangeConfiguration AuthorizationKey.
  router.put('/api/admin/chargers/:id/password', 'admin', async (req) => {
    const charger = chargerFromParam(deps, req.params.id);
    const { password } = passwordBody(req.body);
    await domain.chargers.setPassword(charger.id, password);
    return { body: { hasPassword: password !== null } };
  });

  router.delete('/api/admin/chargers/:id', 'admin', async (req) => {
    const charger = chargerFromParam(deps, req.params.id);
    const result = await domain.uow.run(() => {
      const r = domain.chargers.remove(charger.id); // refused (409 charger_busy) while a session runs
      changed(charger.chargePointId);
      return r;
    });
    hub.get(charger.chargePointId)?.close(1000, 'charger removed by the operator');
    return { body: { chargePointId: charger.chargePointId, result } };
  });
}
