// The dashboard's "Charging now": each running session with its driver, how long it has run, energy,
// cost so far (estimated from the tariff the session started with) and a Stop button that asks first.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin } from '../store.js';
import { Action, Link, fmt } from '../ui.js';
import { chargerPath, txCharger, txEnergy } from '../model.js';

/**
 * Cost so far in minor units, from the session's tariff snapshot: energy, session fee and charging time,
 * with tax. An estimate (idle time is not known here); the server prices the session when it ends.
 */
export function costSoFar(snapshotJson, energyWh, seconds) {
  let t;
  try { t = typeof snapshotJson === 'string' ? JSON.parse(snapshotJson) : snapshotJson; } catch { return null; }
  if (!t || typeof t.pricePerKwh !== 'number') return null;
  const net = (Math.max(0, energyWh || 0) / 1000) * t.pricePerKwh + (t.sessionFee || 0) + (Math.max(0, seconds) / 60) * (t.pricePerMinute || 0);
  return { amount: Math.round(net * (1 + (t.taxPercent || 0) / 100)), currency: t.currency };
}

/** Re-renders every `ms` so durations move (the page's own clock; nothing is fetched). */
function useNow(ms) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => { const id = setInterval(() => setNow(Date.now()), ms); return () => clearInterval(id); }, [ms]);
  return now;
}

export function ChargingNow({ sessions, onChange }) {
  const now = useNow(15_000);
  if (!sessions.length) return html`<p class="muted" data-testid="charging-now-empty">Nobody is charging right now.</p>`;
  return html`<div class="table-wrap"><table class="cards" data-testid="charging-now">
    <thead><tr><th>Driver</th><th>Charger</th><th>Duration</th><th class="num">Energy</th><th class="num">Cost so far</th><th></th></tr></thead>
    <tbody>${sessions.map((t) => {
      const cpId = txCharger(t);
      const energy = t.liveEnergyWh ?? txEnergy(t);
      const seconds = (now - Date.parse(t.startedAt)) / 1000;
      const cost = costSoFar(t.tariffSnapshot, energy, seconds);
      const who = t.userName || t.idTag;
      return html`<tr key=${t.id} data-running=${t.id}>
        <td class="main" data-label="" data-testid="driver">${t.userId ? html`<${Link} href=${`/users/${t.userId}`}>${who}</${Link}>` : who}</td>
        <td data-label="Charger"><${Link} href=${`/chargers/${encodeURIComponent(cpId)}`}>${cpId}</${Link}> #${t.connectorId}</td>
        <td data-label="Duration" data-testid="duration">${fmt.duration(seconds * 1000)}</td>
        <td class="num" data-label="Energy" data-testid="energy">${fmt.kwh(energy)}</td>
        <td class="num" data-label="Cost so far" data-testid="cost">${cost ? `≈ ${fmt.money(cost.amount, cost.currency)}` : 'no tariff'}</td>
        <td class="actions" data-label="">
          <${Link} href=${`/transactions/${t.id}`}>Details</${Link}>
          ${isAdmin() && html`<${Action} label="Stop" danger confirm=${`Stop ${who}'s session on ${cpId} #${t.connectorId}?`}
            run=${() => api(`${chargerPath(cpId)}/remote-stop`, { method: 'POST', body: { transactionId: t.id } })} onDone=${onChange} />`}</td>
      </tr>`;
    })}</tbody>
  </table></div>`;
}
