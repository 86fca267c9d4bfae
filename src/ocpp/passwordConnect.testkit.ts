// Test helper: a charger connection with a password that is known to have settled.
// WORKAROUND (reported to the server-core owner): a socket upgraded after the async password check is
// now and then dropped (1006 on both sides, no close frame) within milliseconds of opening, on a cold
// and busy process. Tests about what the password allows retry that drop; a refusal (401) is never retried.
import { ChargePoint } from '../sim/chargePoint.js';

export async function connectWithPassword(wsUrl: string, id: string, password: string, attempts = 3): Promise<ChargePoint> {
  for (let i = 1; ; i++) {
    const cp = await ChargePoint.connect({ baseUrl: wsUrl, id, password });
    try {
      await cp.call('Heartbeat', {});
      await new Promise((r) => setTimeout(r, 50));
      if (cp.isOpen) return cp;
    } catch { /* dropped during the round trip */ }
    if (i >= attempts) throw new Error(`charger ${id}: connection dropped right after opening, ${attempts} times (close code ${cp.closeCode})`);
  }
}
