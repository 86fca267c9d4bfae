// Charger page panel: the charging profiles it was sent (by an operator or the load balancer), a form
// for a simple one-period limit, clearing, and the charger's composite schedule.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin } from '../store.js';
import { Action, ErrorBox, Field, Form, Loading, Select, fmt, prettyJson, useAsync } from '../ui.js';
import { blockPath, useActionEvents } from '../blocks.js';
import { PURPOSES, buildProfile, limitText } from '../profiles.js';

function ProfileForm({ cpId, ids, running, stored, onDone }) {
  const [purpose, setPurpose] = useState('TxDefaultProfile');
  const send = (d) => {
    const tx = running.find((t) => String(t.id) === d.transactionId); // a session's profile goes to its connector
    return api(blockPath(cpId, 'charging-profiles'), { method: 'POST', body: buildProfile({ ...d, purpose, ...(tx ? { connectorId: tx.connectorId } : {}) }, stored) });
  };
  // A limit reaches the sessions charging on its connector (all of them for #0 or the whole charger): asked
  // first when it does, and always for 0, which pauses charging.
  const ask = (d) => {
    const reached = purpose === 'TxProfile' ? running.filter((t) => String(t.id) === d.transactionId)
      : purpose === 'ChargePointMaxProfile' || d.connectorId === '0' ? running : running.filter((t) => String(t.connectorId) === d.connectorId);
    const who = reached.length === 1 ? `session #${reached[0].id}` : `${reached.length} running sessions`;
    if (Number(d.limit) === 0) return `A limit of 0 ${d.unit} pauses charging${reached.length ? ` (${who} stops drawing power)` : ''} until the profile is cleared. Set it?`;
    return reached.length ? `Limit ${who} to ${d.limit} ${d.unit}? It charges slower if it draws more now.` : null;
  };
  return html`<${Form} cls="inline" label="Set profile" okText="Accepted" submit=${send} onDone=${onDone} confirm=${ask}>
    <${Select} label="Purpose" name="purpose" value=${purpose} options=${PURPOSES} onChange=${(e) => setPurpose(e.currentTarget.value)} />
    ${purpose === 'TxDefaultProfile' && html`<label>Connector <select name="connectorId">
      <option value="0">all (#0)</option>${ids.map((i) => html`<option value=${i}>#${i}</option>`)}</select></label>`}
    ${purpose === 'TxProfile' && html`<label>Session <select name="transactionId" required>
      ${running.map((t) => html`<option value=${t.id}>#${t.id} on connector #${t.connectorId}</option>`)}</select></label>`}
    <${Field} label="Limit" name="limit" type="number" min="0" step="0.1" required placeholder="e.g. 16" />
    <${Select} label="Unit" name="unit" options=${[['A', 'A (per phase)'], ['W', 'W']]} />
    <${Field} label="Stack level (optional)" name="stackLevel" type="number" min="0" step="1" placeholder="0" />
  </${Form}>`;
}

function CompositeSchedule({ cpId, ids }) {
  const [result, setResult] = useState(/** @type {import('../api-types.js').CompositeSchedule | undefined} */ (undefined));
  const look = (d) => api(blockPath(cpId, `composite-schedule?${new URLSearchParams({ connectorId: d.connectorId, duration: d.duration, chargingRateUnit: d.unit })}`));
  const s = result && result.chargingSchedule;
  return html`<h4>Composite schedule</h4>
    <${Form} cls="inline" label="Look up" okText="" submit=${look} onDone=${setResult}>
      <label>Connector <select name="connectorId"><option value="0">charger (#0)</option>${ids.map((i) => html`<option value=${i}>#${i}</option>`)}</select></label>
      <${Field} label="Seconds ahead" name="duration" type="number" min="1" step="1" value="3600" required />
      <${Select} label="Unit" name="unit" options=${['A', 'W']} />
    </${Form}>
    ${result && html`<div data-testid="composite"><p>Charger answered <strong>${result.status}</strong>${result.scheduleStart ? ` · from ${fmt.time(result.scheduleStart)}` : ''}</p>
      ${s && html`<div class="table-wrap"><table><thead><tr><th>From (s)</th><th class="num">Limit</th></tr></thead>
        <tbody>${(s.chargingSchedulePeriod || []).map((p) => html`<tr><td>${p.startPeriod}</td><td class="num">${p.limit} ${s.chargingRateUnit}</td></tr>`)}</tbody></table></div>`}
    </div>`}`;
}

export function ProfilesPanel({ cpId, connectors, running }) {
  const profiles = useAsync(async () => (/** @type {import('../api-types.js').ProfileList} */ (await api(blockPath(cpId, 'charging-profiles')))).profiles, [cpId]);
  useActionEvents(cpId, ['SetChargingProfile', 'ClearChargingProfile'], profiles.reload);
  const rows = profiles.data || [];
  const ids = connectors.map((k) => k.connectorId);
  const clear = (criteria) => () => api(blockPath(cpId, 'charging-profiles/clear'), { method: 'POST', body: criteria });
  return html`<div class="card" data-testid="profiles">
    <h3>Charging profiles</h3>
    <${ErrorBox} error=${profiles.error} /><${Loading} when=${profiles.loading && !profiles.data} />
    ${rows.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Profile</th><th class="num">Limit</th>${isAdmin() && html`<th></th>`}</tr></thead>
      <tbody>${rows.map((p) => html`<tr data-profile=${p.chargingProfileId}>
        <td><details><summary>${p.chargingProfileId} ${p.purpose}${p.transactionId ? ` (session #${p.transactionId})` : ''}</summary><pre>${prettyJson(p.profile)}</pre></details>
          <small class="muted" data-testid="profile-where">connector #${p.connectorId} · stack ${p.stackLevel}${p.source === 'load-balancer' ? ' · load balancer' : ''}</small></td>
        <td class="num">${limitText(p)}<br /><small>${p.status}</small></td>
        ${isAdmin() && html`<td><${Action} label="Clear" danger confirm=${`Clear profile ${p.chargingProfileId} on the charger?`}
          run=${clear({ id: p.chargingProfileId })} onDone=${profiles.reload} /></td>`}
      </tr>`)}</tbody>
    </table></div>`}
    ${profiles.data && rows.length === 0 && html`<p class="muted">No profiles stored for this charger.</p>`}
    ${isAdmin() && html`<p><${Action} label="Clear all profiles" danger confirm="Clear every profile on this charger, the load balancer's too (it sends its own again at the next change)?"
      run=${clear({})} onDone=${profiles.reload} /></p>
      <${ProfileForm} cpId=${cpId} ids=${ids} running=${running} stored=${rows} onDone=${profiles.reload} />`}
    <${CompositeSchedule} cpId=${cpId} ids=${ids} />
  </div>`;
}
