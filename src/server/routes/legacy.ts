// The seed's API, kept working: connected chargers, any CSMS->charger command by name, the message log.
import { ChargerCommands } from '../../ocpp/commands.js';
import { centralActions, type CentralAction, type CentralActions } from '../../protocol/ocpp16/index.js';
import type { LogRow } from '../../domain/messageLog.js';
import { redactLogPayload } from '../../domain/logRedaction.js';
import { HttpError, type Router } from '../http.js';
import { bodySchema, intParam } from './chargerCalls.js';
import { chargerFromParam } from './chargers.js';
import { cursorPaging, timeParam } from './paging.js';
import type { RouteDeps } from './index.js';

const OUTBOUND = new Set<string>(centralActions);
const requestBody = bodySchema<{ action: string; payload: Record<string, unknown> }>({
  type: 'object', additionalProperties: false, required: ['action'],
  properties: { action: { type: 'string' }, payload: { type: 'object', default: {} } },
});

/** Rows are masked when written (see logRedaction.ts); this covers rows written before that. */
export function redactLogRow(row: LogRow): LogRow {
  const payload = redactLogPayload(row.action, row.payload);
  return payload === row.payload ? row : { ...row, payload };
}

export function registerLegacyRoutes(router: Router, deps: Pick<RouteDeps, 'domain' | 'hub' | 'validator'>): void {
  const { hub, validator } = deps;
  const commands = new ChargerCommands(deps.domain, hub);

  router.get('/api/charge-points', 'viewer', () => ({
    body: {
      chargePoints: hub.connected().map((s) => ({
        chargePointId: s.chargePointId, chargerId: s.chargerId, connectedAt: s.connectedAt.toISOString(),
        lastSeenAt: new Date(s.lastSeenAt).toISOString(), online: hub.isOnline(s.chargePointId), queuedCalls: s.queuedCalls,
      })),
    },
  }));

  router.post('/api/charge-points/:id/request', 'admin', async (req) => {
    const cpId = chargerFromParam(deps, req.params.id).chargePointId;
    const { action, payload } = requestBody(req.body);
    if (!OUTBOUND.has(action)) {
      throw new HttpError(400, 'unknown_action', `${action} is not a command the central system sends`, { actions: centralActions });
    }
    validator.check(action, 'request', payload);
    // Commands whose answer the site remembers go through ChargerCommands; the rest go straight out.
    const a = action as CentralAction;
    const p = payload as any;
    const call: Promise<unknown> =
      a === 'ChangeAvailability' ? commands.changeAvailability(cpId, p.connectorId, p.type)
        : a === 'GetConfiguration' ? commands.getConfiguration(cpId, p.key)
          : a === 'ChangeConfiguration' ? commands.changeConfiguration(cpId, p.key, p.value)
            : (async () => hub.call(cpId, a, p as CentralActions[typeof a]['request']))();
    return { body: { action, result: await call } };
  });

  // Newest first; page backwards with ?before=<id of the last row seen> (nextBefore in the reply).
  router.get('/api/logs', 'viewer', (req) => {
    const limit = intParam(req.query.get('limit'), 'limit') ?? 100;
    if (limit < 1 || limit > 1000) throw new HttpError(400, 'invalid_parameter', 'limit must be 1..1000');
    const direction = req.query.get('direction') || undefined;
    if (direction && !/^(in|out)$/i.test(direction)) throw new HttpError(400, 'invalid_parameter', 'direction must be IN or OUT');
    const rows = deps.domain.messageLog.query({
      chargePointId: req.query.get('chargePointId') || undefined, action: req.query.get('action') || undefined, direction,
      from: timeParam(req, 'from'), to: timeParam(req, 'to'), beforeId: intParam(req.query.get('before'), 'before'), limit,
    }).map(redactLogRow);
    return { body: { logs: rows, ...cursorPaging(rows, limit) } };
  });
}
