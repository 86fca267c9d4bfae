// The OCPP message log: filter by charger, action and direction; pretty JSON; live tail.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { navigate, store, useLive } from '../store.js';
import { ErrorBox, Loading, fmt, prettyJson, useAsync } from '../ui.js';

const TYPES = { 2: 'CALL', 3: 'RESULT', 4: 'ERROR' };
const FILTERS = ['chargePointId', 'action', 'direction'];
const TAIL_MAX = 300; // rows kept on screen; older ones are a filter away

export function LogPage() {
  const params = new URLSearchParams(store.get().path.split('?')[1] || '');
  const filter = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) || '']));
  const key = params.toString();
  const [tail, setTail] = useState(true);
  const rows = useAsync(async () => {
    const q = new URLSearchParams(Object.entries({ ...filter, limit: '100' }).filter(([, v]) => v));
    return (/** @type {import('../api-types.js').LogList} */ (await api(`/api/logs?${q}`))).logs;
  }, [key]);
  // The live tail: each pushed 'log' event is the stored row itself, so it is added here, never fetched.
  const [added, setAdded] = useState(/** @type {import('../api-types.js').LogRow[]} */ ([]));
  // Cleared when the filter changes, not when the list arrives: frames pushed while it loaded would be lost
  // (the list was read before they were written); those it already holds are left out below by their ids.
  useEffect(() => setAdded([]), [key]);
  useLive(({ type, data }) => {
    if (type === 'resync') return rows.reload();
    if (!tail || type !== 'log' || typeof data.id !== 'number') return;
    if (filter.chargePointId && data.chargePointId !== filter.chargePointId) return;
    if (filter.direction && data.direction !== filter.direction.toUpperCase()) return;
    if (filter.action && data.action !== filter.action) return;
    setAdded((a) => [data, ...a].slice(0, TAIL_MAX));
  }, [key, tail]);
  const newest = rows.data && rows.data.length ? rows.data[0].id : 0;
  const shown = [...added.filter((r) => r.id > newest), ...(rows.data || [])].slice(0, TAIL_MAX);
  const apply = (e) => {
    e.preventDefault();
    const q = new URLSearchParams(Object.entries(/** @type {Record<string, string>} */ (Object.fromEntries(new FormData(e.currentTarget)))).filter(([, v]) => v));
    navigate(`/log${q.toString() ? `?${q}` : ''}`);
  };
  return html`<section>
    <h1>Message log</h1>
    <form class="form inline" onSubmit=${apply}>
      <label>Charger <input name="chargePointId" defaultValue=${filter.chargePointId} /></label>
      <label>Action <input name="action" defaultValue=${filter.action} placeholder="e.g. MeterValues" /></label>
      <label>Direction <select name="direction">
        <option value="">both</option><option value="IN" selected=${filter.direction === 'IN'}>IN (from charger)</option><option value="OUT" selected=${filter.direction === 'OUT'}>OUT (to charger)</option></select></label>
      <button type="submit" class="primary">Filter</button>
      <label class="check"><input type="checkbox" checked=${tail} onChange=${(e) => setTail(e.currentTarget.checked)}/> live tail</label>
    </form>
    <${ErrorBox} error=${rows.error} />
    <${Loading} when=${rows.loading && !rows.data} />
    <div class="table-wrap"><table class="cards log">
      <thead><tr><th>Time</th><th>Charger</th><th>Dir</th><th>Message</th></tr></thead>
      <tbody>${shown.map((r) => html`<tr data-log=${r.id}>
        <td data-label="Time" data-testid="log-time">${fmt.time(r.createdAt)}</td><td data-label="Charger">${r.chargePointId}</td><td data-label="Direction">${r.direction === 'IN' ? 'IN (from charger)' : 'OUT (to charger)'}</td>
        <td class="message" data-label=""><details><summary><strong>${r.action || ''}</strong> ${TYPES[r.messageType] || r.messageType} <small class="muted">${r.uniqueId || ''}</small></summary>
          <pre>${prettyJson(r.payload)}</pre></details></td>
      </tr>`)}</tbody>
    </table></div>
    ${rows.data && shown.length === 0 && html`<p>No messages match.</p>`}
  </section>`;
}
