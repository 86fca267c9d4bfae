// Tariffs: list and read (viewer), create, change, delete (admin), and which tariff a charger uses
// (a station's tariff is set through the stations API). Changing a tariff never re-prices a session
// already started: each keeps the snapshot it started with.
import type { Tariff, TariffInput } from '../../domain/tariffs.js';
import { HttpError, type ApiRequest, type Router } from '../http.js';
import { bodySchema, chargerOr404, intParam } from './chargerCalls.js';
import type { RouteDeps } from './index.js';

const money = { type: 'integer', minimum: 0, maximum: 10_000_000 };
const fields = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  pricePerKwh: money, sessionFee: money, pricePerMinute: money, idleFeePerMinute: money,
  taxPercent: { type: 'number', minimum: 0, maximum: 100 },
  isDefault: { type: 'boolean' },
};
// currency may be left out: the site's currency (set at setup) is used then.
const createBody = bodySchema<Omit<TariffInput, 'currency'> & { currency?: string }>({ type: 'object', additionalProperties: false, required: ['name', 'pricePerKwh'], properties: fields });
const changeBody = bodySchema<Partial<TariffInput>>({ type: 'object', additionalProperties: false, minProperties: 1, properties: fields });
const assignBody = bodySchema<{ tariffId: number | null }>({
  type: 'object', additionalProperties: false, required: ['tariffId'], properties: { tariffId: { type: ['integer', 'null'], minimum: 1 } },
});

export function registerTariffRoutes(router: Router, deps: Pick<RouteDeps, 'domain'>): void {
  const { domain } = deps;
  const tariffOr404 = (raw: string | undefined): Tariff => {
    const tariff = domain.tariffs.byId(intParam(raw, 'id') ?? -1);
    if (!tariff) throw new HttpError(404, 'tariff_not_found', `no tariff ${raw}`);
    return tariff;
  };
  const assignable = (tariffId: number | null) => {
    if (tariffId !== null && !domain.tariffs.byId(tariffId)) throw new HttpError(422, 'tariff_not_found', `no tariff ${tariffId}`);
    return tariffId;
  };

  router.get('/api/admin/tariffs', 'viewer', () => ({ body: { tariffs: domain.tariffs.list() } }));
  router.get('/api/admin/tariffs/:id', 'viewer', (req) => ({ body: { tariff: tariffOr404(req.params.id) } }));

  router.post('/api/admin/tariffs', 'admin', async (req) => {
    const body = createBody(req.body);
    const currency = body.currency ?? domain.settings.currency();
    if (!currency) throw new HttpError(400, 'invalid_body', 'invalid request body: currency is required (this site has no currency yet)', { problems: ['/currency is required'] });
    return { status: 201, body: { tariff: await domain.uow.run(() => domain.tariffs.create({ ...body, currency })) } };
  });

  const change = async (req: ApiRequest) => {
    const tariff = tariffOr404(req.params.id);
    const input = changeBody(req.body);
    return { body: { tariff: await domain.uow.run(() => domain.tariffs.update(tariff.id, input)) } };
  };
  router.put('/api/admin/tariffs/:id', 'admin', change);
  router.patch('/api/admin/tariffs/:id', 'admin', change);

  router.delete('/api/admin/tariffs/:id', 'admin', async (req) => {
    const tariff = tariffOr404(req.params.id);
    await domain.uow.run(() => domain.tariffs.delete(tariff.id));
    return { status: 204 };
  });

  // The tariff a new session on this charger would use, and where it comes from (charger, station, default).
  router.get('/api/admin/chargers/:chargePointId/tariff', 'viewer', (req) => {
    const charger = chargerOr404(deps, req.params.chargePointId);
    const resolved = domain.tariffs.resolve(charger);
    return { body: { chargePointId: charger.chargePointId, tariffId: charger.tariffId, effective: resolved ?? null } };
  });

  router.put('/api/admin/chargers/:chargePointId/tariff', 'admin', async (req) => {
    const charger = chargerOr404(deps, req.params.chargePointId);
    const tariffId = assignable(assignBody(req.body).tariffId);
    await domain.uow.run(() => domain.tariffs.assignToCharger(charger.id, tariffId));
    return { body: { chargePointId: charger.chargePointId, tariffId, effective: domain.tariffs.resolve({ ...charger, tariffId }) ?? null } };
  });
}
