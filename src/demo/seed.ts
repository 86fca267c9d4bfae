// The demo site's data: one station, a default tariff, four drivers with wallets and RFID cards,
// three chargers with passwords, and a demo admin with a random password. Only ever run on the
// throwaway database demo mode creates.
import { randomBytes } from 'node:crypto';
import type { Domain } from '../domain/index.js';

export interface DemoCharger { chargePointId: string; password: string; connectors: number; powerW: number }
export interface DemoSeed { chargers: DemoCharger[]; idTags: string[]; admin: { username: string; password: string } }

const DRIVERS = [
  { fullName: 'Ada Lovelace', phoneNumber: '+100000001', idTag: 'DEMO-ADA', balance: 5000 },
  { fullName: 'Grace Hopper', phoneNumber: '+100000002', idTag: 'DEMO-GRACE', balance: 2500 },
  { fullName: 'Alan Turing', phoneNumber: '+100000003', idTag: 'DEMO-ALAN', balance: 10000 },
  { fullName: 'Katherine Johnson', phoneNumber: '+100000004', idTag: 'DEMO-KATE', balance: 800 },
];

const CHARGERS = [
  { chargePointId: 'DEMO-CP-1', name: 'Garage left', connectors: 2, powerW: 11_000 },
  { chargePointId: 'DEMO-CP-2', name: 'Garage right', connectors: 2, powerW: 7_400 },
  { chargePointId: 'DEMO-CP-3', name: 'Visitor bay', connectors: 1, powerW: 22_000 },
];

export async function seedDemo(domain: Domain): Promise<DemoSeed> {
  const admin = { username: 'demo', password: randomBytes(12).toString('base64url') };
  await domain.adminUsers.create({ ...admin, role: 'admin' });
  const { stationId } = await domain.uow.run(() => {
    const tariff = domain.tariffs.create({ name: 'Demo standard', currency: 'EUR', pricePerKwh: 35, sessionFee: 50, taxPercent: 20, isDefault: true });
    const station = domain.stations.create({ name: 'Demo garage', address: 'Example street 1', tariffId: tariff.id });
    for (const d of DRIVERS) {
      const user = domain.users.create({ fullName: d.fullName, phoneNumber: d.phoneNumber });
      domain.idTagRegistry.create({ idTag: d.idTag, userId: user.id, status: 'Accepted', kind: 'RFID', description: 'demo card' });
      domain.wallets.apply(user.id, { type: 'TOP_UP', amount: d.balance, description: 'demo credit', idempotencyKey: 'demo-seed', createdBy: 'demo' }, 'EUR');
    }
    return { stationId: station.id };
  });
  const chargers: DemoCharger[] = [];
  for (const c of CHARGERS) {
    const password = randomBytes(12).toString('base64url');
    await domain.chargers.create({ chargePointId: c.chargePointId, name: c.name, stationId, password });
    chargers.push({ chargePointId: c.chargePointId, password, connectors: c.connectors, powerW: c.powerW });
  }
  return { chargers, idTags: DRIVERS.map((d) => d.idTag), admin };
}
