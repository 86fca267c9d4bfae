// Charger page panels: the charger's Local Authorization List and its reservations.
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin } from '../store.js';
import { Action, ErrorBox, Field, Form, Loading, fmt, useAsync } from '../ui.js';
import { blockPath, useActionEvents, yesNo } from '../blocks.js';

/** The charger's answer plus what was sent, e.g. "Accepted: version 3 (Full, 2 tags)". */
const sentText = (r) => ({ status: r.listVersion === undefined ? r.status
  : `${r.status}: version ${r.listVersion}${r.updateType ? ` (${r.updateType}, ${r.entries} tag${r.entries === 1 ? '' : 's'})` : ''}` });

export function LocalListPanel({ cpId }) {
  const list = useAsync(() => api(blockPath(cpId, 'local-list')), [cpId]);
  useActionEvents(cpId, ['SendLocalList', 'GetLocalListVersion', 'idTags.changed'], list.reload);
  const s = list.data && list.data.list;
  const entries = (list.data && list.data.entries) || [];
  const send = (updateType) => async () => sentText(await api(blockPath(cpId, 'local-list'), { method: 'POST', body: { updateType } }));
  const askVersion = async () => {
    const r = await api(blockPath(cpId, 'local-list/version'));
    return { status: `version ${r.listVersion}${r.expected != null && r.expected !== r.listVersion ? ` (we sent ${r.expected}: the next send is a full list)` : ''}` };
  };
  return html`<div class="card" data-testid="local-list">
    <h3>Local list</h3>
    <${ErrorBox} error=${list.error} /><${Loading} when=${list.loading && !list.data} />
    ${list.data && html`<dl class="facts">
      <dt>Version</dt><dd data-testid="list-version">${s ? s.version : 'never sent'}</dd>
      <dt>Charger's answer</dt><dd>${s ? s.status : '–'}</dd>
      <dt>In sync</dt><dd data-testid="list-in-sync">${yesNo(s && s.inSync)}</dd>
      <dt>Tags in the list</dt><dd>${entries.length}</dd>
      <dt>Last sent</dt><dd>${fmt.time(s && s.updatedAt)}</dd>
    </dl>`}
    ${isAdmin() && html`<div>
      <${Action} label="Send full list" run=${send('Full')} onDone=${list.reload} />
      <${Action} label="Send changes" run=${send('Differential')} onDone=${list.reload} />
      <${Action} label="Ask its version" run=${askVersion} onDone=${list.reload} />
    </div>`}
  </div>`;
}

// Unknown: the charger did not answer ReserveNow and may hold it (cancellable, like the others).
const OPEN = ['Requested', 'Accepted', 'Unknown'];

export function ReservationsPanel({ cpId, connectors }) {
  const q = new URLSearchParams({ chargePointId: cpId, open: 'true' });
  const rows = useAsync(async () => (/** @type {import('../api-types.js').ReservationList} */ (await api(`/api/admin/reservations?${q}`))).reservations, [cpId]);
  useActionEvents(cpId, ['ReserveNow', 'CancelReservation', 'StartTransaction', 'StatusNotification'], rows.reload);
  const open = (rows.data || []).filter((r) => OPEN.includes(r.status));
  const ids = connectors.map((k) => k.connectorId);
  const reserve = (d) => api(blockPath(cpId, 'reservations'), { method: 'POST', body: {
    connectorId: Number(d.connectorId), idTag: d.reservedFor.trim(), expiresInMinutes: Number(d.minutes),
  } });
  return html`<div class="card" data-testid="reservations">
    <h3>Reservations</h3>
    <${ErrorBox} error=${rows.error} /><${Loading} when=${rows.loading && !rows.data} />
    ${open.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>For</th><th>Until</th><th>Status</th>${isAdmin() && html`<th></th>`}</tr></thead>
      <tbody>${open.map((r) => html`<tr data-reservation=${r.id}>
        <td><strong>${r.idTag}</strong><br /><small class="muted">connector #${r.connectorId} · reservation #${r.id}</small></td>
        <td>${fmt.time(r.expiryDate)}</td><td>${r.status}</td>
        ${isAdmin() && html`<td><${Action} label=${`Cancel reservation #${r.id}`} danger
          confirm=${`Cancel the reservation of connector #${r.connectorId} for ${r.idTag}?`}
          run=${() => api(`/api/admin/reservations/${r.id}`, { method: 'DELETE' })} onDone=${rows.reload} /></td>`}
      </tr>`)}</tbody>
    </table></div>`}
    ${rows.data && open.length === 0 && html`<p class="muted">No open reservations.</p>`}
    ${isAdmin() && html`<${Form} cls="inline" label="Reserve" okText="Reserved" submit=${reserve} onDone=${(_r, form) => { form.reset(); rows.reload(); }}>
      <label>Connector <select name="connectorId">
        ${(ids.length ? ids : [1]).map((i) => html`<option value=${i}>#${i}</option>`)}<option value="0">any (#0)</option></select></label>
      <${Field} label="For idTag" name="reservedFor" required placeholder="e.g. TAG-1" />
      <${Field} label="Minutes" name="minutes" type="number" value="30" min="1" step="1" required />
    </${Form}>`}
  </div>`;
}
