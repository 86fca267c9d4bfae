// Stations: /api/admin/stations. A station that chargers still point at cannot be deleted (409).
import { HttpError, type Router } from '../http.js';
import type { StationInput } from '../../domain/stations.js';
import { bodySchema } from './chargerCalls.js';
import { idParam } from './paging.js';
import type { RouteDeps } from './index.js';

const fields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  address: { type: ['string', 'null'], maxLength: 500 },
  latitude: { type: ['number', 'null'], minimum: -90, maximum: 90 },
  longitude: { type: ['number', 'null'], minimum: -180, maximum: 180 },
  tariffId: { type: ['integer', 'null'], minimum: 1 },
};
const createBody = bodySchema<StationInput>({ type: 'object', additionalProperties: false, required: ['name'], properties: fields });
const updateBody = bodySchema<Partial<StationInput>>({ type: 'object', additionalProperties: false, properties: fields });

export function registerStationRoutes(router: Router, deps: Pick<RouteDeps, 'domain'>): void {
  const { domain } = deps;
  const stationOr404 = (raw: string | undefined) => {
    const station = domain.stations.byId(idParam(raw, 'station'));
    if (!station) throw new HttpError(404, 'station_not_found', `no station ${raw}`);
    return station;
  };
  const checkTariff = (tariffId: number | null | undefined) => {
    if (tariffId != null && !domain.tariffs.byId(tariffId)) throw new HttpError(422, 'tariff_not_found', `no tariff ${tariffId}`);
  };

  router.get('/api/admin/stations', 'viewer', () => ({ body: { stations: domain.stations.list() } }));

  router.post('/api/admin/stations', 'admin', async (req) => {
    const input = createBody(req.body);
    checkTariff(input.tariffId);
    return { status: 201, body: { station: await domain.uow.run(() => domain.stations.create(input)) } };
  });

  router.get('/api/admin/stations/:id', 'viewer', (req) => {
    const station = stationOr404(req.params.id);
    const chargers = domain.chargers.list().filter((c) => c.stationId === station.id).map((c) => ({ id: c.id, chargePointId: c.chargePointId, name: c.name }));
    return { body: { station, chargers } };
  });

  router.put('/api/admin/stations/:id', 'admin', async (req) => {
    const station = stationOr404(req.params.id);
    const input = updateBody(req.body);
    checkTariff(input.tariffId);
    return { body: { station: await domain.uow.run(() => domain.stations.update(station.id, input)) } };
  });

  router.delete('/api/admin/stations/:id', 'admin', async (req) => {
    const station = stationOr404(req.params.id);
    await domain.uow.run(() => domain.stations.remove(station.id)); // refused (409 station_in_use) while chargers belong to it
    return { status: 204 };
  });
}
