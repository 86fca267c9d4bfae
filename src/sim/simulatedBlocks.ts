// What the simulator answers for OCPP 1.6's optional profiles (reservation, firmware and diagnostics,
// composite schedule; the local list is in simulatedLocalList.ts), behaving like a charger that obeys:
// it reports Reserved, really downloads the firmware and uploads a diagnostics file over HTTP, and
// reports each step's status.
import type { SimulatedCharger } from './simulatedCharger.js';

/** Runs fn after ms (at least a moment, so our answer reaches the CSMS first); failures are ignored. */
function later(fn: () => Promise<unknown>, ms = 0): void {
  setTimeout(() => { fn().catch(() => {}); }, Math.min(Math.max(ms, 50), 2 ** 31 - 1)).unref();
}

const NOMINAL_V = 230;

export function answerOptionalProfiles(sim: SimulatedCharger): void {
  const { cp } = sim;
  cp.on('ReserveNow', (p: { connectorId: number; expiryDate: string; idTag: string; reservationId: number }) => {
    const c = sim.connectors[p.connectorId];
    if (!c) return { status: 'Rejected' };
    if (c.status === 'Faulted') return { status: 'Faulted' };
    if (c.status === 'Unavailable') return { status: 'Unavailable' };
    const heldByOther = c.reservationId !== undefined && c.reservationId !== p.reservationId;
    if (c.transactionId !== undefined || heldByOther || !['Available', 'Reserved'].includes(c.status)) return { status: 'Occupied' };
    c.reservationId = p.reservationId;
    c.reservedFor = p.idTag;
    if (p.connectorId > 0) later(() => sim.setStatus(p.connectorId, 'Reserved'));
    // At its expiry the charger frees the connector by itself.
    later(async () => { if (c.reservationId === p.reservationId) await release(p.connectorId); }, Date.parse(p.expiryDate) - Date.now());
    return { status: 'Accepted' };
  });
  const release = async (connectorId: number) => {
    const c = sim.connectors[connectorId]!;
    c.reservationId = undefined;
    c.reservedFor = undefined;
    if (c.status === 'Reserved') await sim.setStatus(connectorId, 'Available');
  };
  cp.on('CancelReservation', (p: { reservationId: number }) => {
    const connectorId = sim.connectors.findIndex((c) => c.reservationId === p.reservationId);
    if (connectorId < 0) return { status: 'Rejected' };
    later(() => release(connectorId));
    return { status: 'Accepted' };
  });

  cp.on('UpdateFirmware', (p: { location: string; retrieveDate: string }) => {
    later(() => installFirmware(sim, p.location), Date.parse(p.retrieveDate) - Date.now());
    return {};
  });
  cp.on('GetDiagnostics', (p: { location: string }) => {
    const fileName = `diagnostics-${Date.now()}.log`;
    later(() => uploadDiagnostics(sim, p.location, fileName));
    return { fileName };
  });

  // The simulator's schedule is simply the limit it obeys now (or its full power) for the whole duration.
  cp.on('GetCompositeSchedule', (p: { connectorId: number; duration: number; chargingRateUnit?: 'A' | 'W' }) => {
    if (!sim.connectors[p.connectorId]) return { status: 'Rejected' };
    const targets = p.connectorId === 0 ? sim.connectors.slice(1) : [sim.connectors[p.connectorId]!];
    const watts = targets.reduce((sum, c) => sum + (c.limitW ?? sim.opts.powerW ?? 7400), 0);
    const unit = p.chargingRateUnit ?? 'W';
    const limit = unit === 'W' ? Math.round(watts) : Math.round((watts / (NOMINAL_V * 3)) * 10) / 10;
    return {
      status: 'Accepted', connectorId: p.connectorId, scheduleStart: new Date().toISOString(),
      chargingSchedule: { duration: p.duration, chargingRateUnit: unit, chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
    };
  });
}

async function installFirmware(sim: SimulatedCharger, location: string): Promise<void> {
  const report = (status: string) => sim.cp.call('FirmwareStatusNotification', { status });
  await report('Downloading');
  const ok = await fetch(location).then(async (r) => r.ok && (await r.arrayBuffer()).byteLength > 0, () => false);
  if (!ok) { await report('DownloadFailed'); return; }
  await report('Downloaded');
  await report('Installing');
  await report('Installed');
}

async function uploadDiagnostics(sim: SimulatedCharger, location: string, fileName: string): Promise<void> {
  const report = (status: string) => sim.cp.call('DiagnosticsStatusNotification', { status });
  await report('Uploading');
  const body = [`ocpp-edge simulator ${sim.id}`, ...sim.connectors.map((c, i) => `connector ${i}: ${c.status}`)].join('\n') + '\n';
  const url = location.endsWith('/') ? `${location}${encodeURIComponent(fileName)}` : location;
  const ok = /^https?:/.test(url) && await fetch(url, { method: 'PUT', body }).then((r) => r.ok, () => false);
  await report(ok ? 'Uploaded' : 'UploadFailed');
}
