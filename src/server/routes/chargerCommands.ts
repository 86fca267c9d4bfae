// Remote commands on one charger: /api/admin/chargers/:id/<command>. The reply is the charger's answer
// ({"status": "Accepted"}, …). Offline -> 409, no answer in time -> 504, CALLERROR -> 502 with the code.
import { ChargerCommands, type TriggerableMessage } from '../../ocpp/commands.js';
import type { ChargingProfile } from '../../protocol/ocpp16/index.js';
import { HttpError, type Router } from '../http.js';
import { bodySchema } from './chargerCalls.js';
import { chargerFromParam } from './chargers.js';
import { authorizationKey } from './chargerSecurity.js';
import type { RouteDeps } from './index.js';

const connectorId = { type: 'integer', minimum: 0, maximum: 100 };
const schema = <T>(required: string[], properties: Record<string, object>) =>
  bodySchema<T>({ type: 'object', additionalProperties: false, required, properties });

const remoteStartBody = schema<{ idTag: string; connectorId?: number; chargingProfile?: ChargingProfile; force?: boolean }>(['idTag'], {
  idTag: { type: 'string', minLength: 1, maxLength: 20 }, connectorId: { ...connectorId, minimum: 1 },
  chargingProfile: { type: 'object' }, // checked in full against the OCPP schema before sending
  force: { type: 'boolean' }, // start even if the idTag would not be Accepted (an operator's override)
});
const remoteStopBody = schema<{ transactionId: number }>(['transactionId'], { transactionId: { type: 'integer' } });
const availabilityBody = schema<{ connectorId: number; type: 'Operative' | 'Inoperative' }>(['type'], {
  connectorId: { ...connectorId, default: 0 }, type: { enum: ['Operative', 'Inoperative'] },
});
const resetBody = schema<{ type: 'Hard' | 'Soft' }>(['type'], { type: { enum: ['Hard', 'Soft'] } });
const unlockBody = schema<{ connectorId: number }>(['connectorId'], { connectorId: { ...connectorId, minimum: 1 } });
const changeConfigBody = bodySchema<{ key: string; value: string }>({
  type: 'object', additionalProperties: false, required: ['key', 'value'],
  properties: { key: { type: 'string', minLength: 1, maxLength: 50 }, value: { type: 'string', maxLength: 500 } },
  // The charger's password as the whitepaper has it: at least 16 characters (16-20 bytes, or 32-40 as hex).
  if: { properties: { key: { const: 'AuthorizationKey' } } }, then: { properties: { value: authorizationKey } },
});
const TRIGGERS = ['BootNotification', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'Heartbeat', 'MeterValues', 'StatusNotification'];
const triggerBody = schema<{ requestedMessage: TriggerableMessage; connectorId?: number }>(['requestedMessage'], {
  requestedMessage: { enum: TRIGGERS }, connectorId: { ...connectorId, minimum: 1 },
});
const dataTransferBody = schema<{ vendorId: string; messageId?: string; data?: string }>(['vendorId'], {
  vendorId: { type: 'string', minLength: 1, maxLength: 255 }, messageId: { type: 'string', maxLength: 50 }, data: { type: 'string', maxLength: 65536 },
});
const emptyBody = schema<Record<string, never>>([], {});

export function registerChargerCommandRoutes(router: Router, deps: Pick<RouteDeps, 'domain' | 'hub' | 'validator'>): void {
  const commands = new ChargerCommands(deps.domain, deps.hub);
  const cpIdOf = (raw: string | undefined) => chargerFromParam(deps, raw).chargePointId;
  const base = '/api/admin/chargers/:id';

  router.post(`${base}/remote-start`, 'admin', async (req) => {
    const charger = chargerFromParam(deps, req.params.id);
    const { force, ...start } = remoteStartBody(req.body);
    deps.validator.check('RemoteStartTransaction', 'request', start); // a bad profile is a 400 before anything else
    // Checked as the charger's own Authorize would be, so a remote start never begins a session the
    // site would refuse (unknown, blocked or expired tag, charging elsewhere, not enough money).
    const auth = deps.domain.authorization.authorize(start.idTag, { chargerId: charger.id, connectorId: start.connectorId });
    if (auth.idTagInfo.status !== 'Accepted' && !force) {
      throw new HttpError(409, 'id_tag_not_accepted', `idTag ${start.idTag} is ${auth.idTagInfo.status} (send "force": true to start anyway)`, { status: auth.idTagInfo.status });
    }
    // A registered tag goes out as registered (idTags are case-insensitive; one spelling everywhere).
    return { body: await commands.remoteStart(charger.chargePointId, { ...start, idTag: auth.tag?.idTag ?? start.idTag }) };
  });

  router.post(`${base}/remote-stop`, 'admin', async (req) => {
    const charger = chargerFromParam(deps, req.params.id);
    const { transactionId } = remoteStopBody(req.body);
    const tx = deps.domain.transactions.byId(transactionId);
    if (!tx || tx.chargerId !== charger.id) throw new HttpError(404, 'transaction_not_found', `charger ${charger.chargePointId} has no transaction ${transactionId}`);
    if (tx.status !== 'RUNNING' && tx.status !== 'INTERRUPTED') {
      throw new HttpError(409, 'transaction_not_running', `transaction ${transactionId} is ${tx.status}`);
    }
    return { body: await commands.remoteStop(charger.chargePointId, transactionId) };
  });

  router.post(`${base}/change-availability`, 'admin', async (req) => {
    const cpId = cpIdOf(req.params.id);
    const { connectorId: c, type } = availabilityBody(req.body);
    return { body: await commands.changeAvailability(cpId, c, type) };
  });

  router.post(`${base}/reset`, 'admin', async (req) => {
    const cpId = cpIdOf(req.params.id);
    return { body: await commands.reset(cpId, resetBody(req.body).type) };
  });

  router.post(`${base}/unlock`, 'admin', async (req) => {
    const cpId = cpIdOf(req.params.id);
    return { body: await commands.unlock(cpId, unlockBody(req.body).connectorId) };
  });

  // Asks the charger (?key=A,B for some keys) and stores what it reports; ?cached=true reads the stored copy.
  router.get(`${base}/configuration`, 'viewer', async (req) => {
    const charger = chargerFromParam(deps, req.params.id);
    if (req.query.get('cached') === 'true') {
      const rows = commands.configuration(charger.id);
      return { body: { configurationKey: rows.map((r) => ({ key: r.key, value: r.value, readonly: r.readonly, updatedAt: r.updatedAt })), cached: true } };
    }
    const keys = req.query.get('key')?.split(',').map((k) => k.trim()).filter(Boolean);
    if (keys?.some((k) => k.length > 50)) throw new HttpError(400, 'invalid_parameter', 'a configuration key is at most 50 characters');
    return { body: await commands.getConfiguration(charger.chargePointId, keys) };
  });

  router.put(`${base}/configuration`, 'admin', async (req) => {
    const cpId = cpIdOf(req.params.id);
    const { key, value } = changeConfigBody(req.body);
    return { body: await commands.changeConfiguration(cpId, key, value) };
  });

  router.post(`${base}/trigger`, 'admin', async (req) => {
    const cpId = cpIdOf(req.params.id);
    const { requestedMessage, connectorId: c } = triggerBody(req.body);
    return { body: await commands.triggerMessage(cpId, requestedMessage, c) };
  });

  router.post(`${base}/data-transfer`, 'admin', async (req) => {
    const cpId = cpIdOf(req.params.id);
    return { body: await commands.dataTransfer(cpId, dataTransferBody(req.body)) };
  });

  router.post(`${base}/clear-cache`, 'admin', async (req) => {
    const cpId = cpIdOf(req.params.id);
    emptyBody(req.body);
    return { body: await commands.clearCache(cpId) };
  });
}
