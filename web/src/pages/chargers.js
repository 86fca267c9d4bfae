// Chargers: the list with online state, and (admins) registering a new one with its password.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, navigate, useLive } from '../store.js';
import { Badge, ErrorBox, Field, Form, Link, Loading, clean, fmt, useAsync } from '../ui.js';
import { chargerKey, connectorsOf, isOnline, loadChargers } from '../model.js';

export const stationsOptions = (stations) => [['', '(none)'], ...stations.map((s) => [String(s.id), s.name])];

export async function loadStations() {
  try { return (/** @type {import('../api-types.js').StationList} */ (await api('/api/admin/stations'))).stations; } catch { return []; }
}

/** Body for POST/PUT: numbers where the API wants numbers; a blank password means "unchanged". */
export function chargerBody(data) {
  const body = clean(data);
  if (body.stationId !== undefined) body.stationId = Number(body.stationId);
  return body;
}

export function ChargersPage() {
  const chargers = useAsync(loadChargers);
  const stations = useAsync(loadStations);
  // Every frame a charger sends arrives as a 'log' event: "Last heard" follows it without a reload.
  const [heard, setHeard] = useState(/** @type {Record<string, string>} */ ({}));
  useLive(({ type, data }) => {
    if (type === 'resync' || type.startsWith('charger.')) chargers.reload();
    if (type === 'log' && data.direction === 'IN') setHeard((h) => ({ ...h, [data.chargePointId]: data.createdAt }));
  }, []);
  const list = chargers.data || [];
  const lastHeard = (c) => [heard[c.chargePointId], c.lastSeenAt, c.lastHeartbeatAt].filter(Boolean).sort().pop();
  return html`<section>
    <h1>Chargers</h1>
    <${ErrorBox} error=${chargers.error} />
    <${Loading} when=${chargers.loading && !chargers.data} />
    <div class="table-wrap"><table class="cards">
      <thead><tr><th>Charger</th><th>State</th><th>Connectors</th><th>Model</th><th>Last heard</th></tr></thead>
      <tbody>${list.map((c) => {
        const cpId = chargerKey(c);
        return html`<tr data-charger=${cpId}>
          <td class="main" data-label=""><${Link} href=${`/chargers/${encodeURIComponent(cpId)}`}>${cpId}</${Link}>${c.name ? html`<br /><small>${c.name}</small>` : ''}</td>
          <td data-label="State" data-testid="state"><span class=${`badge ${isOnline(c) ? 'ok' : 'off'}`}>${isOnline(c) ? 'online' : 'offline'}</span></td>
          <td data-label="Connectors">${connectorsOf(c).map((k) => html`<span>#${k.connectorId} <${Badge} status=${k.status} /> </span>`)}</td>
          <td data-label="Model">${[c.vendor, c.model].filter(Boolean).join(' ') || '–'}</td>
          <td data-label="Last heard" data-testid="last-heard">${fmt.time(lastHeard(c))}</td>
        </tr>`;
      })}</tbody>
    </table></div>
    ${chargers.data && list.length === 0 && html`<p>No chargers registered.</p>`}
    ${isAdmin() && html`<h2>Register a charger</h2>
      <${Form} label="Register" submit=${(d) => api('/api/admin/chargers', { method: 'POST', body: chargerBody(d) })}
        onDone=${(_r, form) => { const id = form.chargePointId.value; chargers.reload(); navigate(`/chargers/${encodeURIComponent(id)}`); }}>
        <${Field} label="Charge point id (as in the charger's URL)" name="chargePointId" required />
        <${Field} label="Name" name="name" />
        <label>Station <select name="stationId">${stationsOptions(stations.data || []).map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select></label>
        <${Field} label="Password (AuthorizationKey, security profile 1)" name="password" type="password" autocomplete="new-password" />
      </${Form}>`}
  </section>`;
}
