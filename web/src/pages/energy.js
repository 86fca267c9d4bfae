// The site's energy view: the load balancer's live allocation (site limit, each session's share and
// measured draw), firmware/diagnostics files, and the security events chargers reported.
import { html } from '../html.js';
import { api } from '../api.js';
import { Badge, ErrorBox, Link, Loading, fmt, useAsync } from '../ui.js';
import { useActionEvents } from '../blocks.js';
import { FilesCard } from './files.js';

const VOLTS = 230; // nominal, as the balancer converts watts to amps
const LB_EVENTS = ['transaction.started', 'transaction.stopped', 'transaction.updated', 'charger.connected', 'charger.disconnected', 'SetChargingProfile'];

function LoadBalancing() {
  const lb = useAsync(() => api('/api/admin/load-balancing'), []);
  useActionEvents(undefined, LB_EVENTS, lb.reload);
  const d = lb.data;
  if (!d) return html`<div class="card"><h2>Load balancing</h2><${ErrorBox} error=${lb.error} /><${Loading} when=${lb.loading} /></div>`;
  const rows = d.rows || [];
  const phases = d.phases || 3;
  const watts = (a) => (a == null ? null : a * VOLTS * phases);
  const measured = rows.reduce((t, r) => t + (r.measuredA || 0), 0);
  return html`<div class="card" data-testid="load-balancing">
    <h2>Load balancing <span class=${`badge ${d.enabled ? 'ok' : 'off'}`}>${d.enabled ? 'on' : 'off'}</span></h2>
    <${ErrorBox} error=${lb.error} />
    ${!d.enabled && html`<p>Off: set <code>loadBalancing.enabled</code> and <code>loadBalancing.siteLimitA</code> in the config to share a site limit between the chargers.</p>`}
    ${d.enabled && html`<div class="tiles">
      <div class="tile"><span>Site limit</span><strong data-testid="site-limit">${d.siteLimitA} A</strong><small>≈ ${fmt.kw(watts(d.siteLimitA))} · ${phases} phase${phases === 1 ? '' : 's'}</small></div>
      <div class="tile"><span>Allocated</span><strong data-testid="allocated-total">${d.totalAllocatedA} A</strong>
        <meter min="0" max=${d.siteLimitA} value=${d.totalAllocatedA} title="allocated of the site limit"></meter></div>
      <div class="tile"><span>Measured</span><strong>${Math.round(measured * 10) / 10} A</strong><small>≈ ${fmt.kw(watts(measured))}</small></div>
      <div class="tile"><span>Sessions</span><strong>${rows.length}</strong><small>minimum ${d.minCurrentA} A each</small></div>
    </div>`}
    ${rows.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Session</th><th class="num">Allocated</th><th class="num">Measured</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr data-allocation=${r.transactionId}>
        <td><${Link} href=${`/chargers/${encodeURIComponent(r.chargePointId)}`}>${r.chargePointId}</${Link}> #${r.connectorId}
          <br /><small><${Link} href=${`/transactions/${r.transactionId}`}>session #${r.transactionId}</${Link}></small>
          <br /><${Badge} status=${r.profileStatus} />${r.steerable ? '' : html`<br /><small>not steerable: counted at its draw</small>`}</td>
        <td class="num" data-testid="allocated">${r.allocatedA} A${r.capA == null ? '' : html`<br /><small class="muted">cap ${Math.round(r.capA * 10) / 10} A</small>`}</td>
        <td class="num">${r.measuredA == null ? '–' : `${r.measuredA} A`}<br /><small class="muted">${fmt.kw(watts(r.measuredA))}</small></td>
      </tr>`)}</tbody>
    </table></div>`}
    ${d.enabled && rows.length === 0 && html`<p class="muted">No sessions running.</p>`}
    ${d.updatedAt && html`<p class="muted">Computed ${fmt.time(d.updatedAt)}</p>`}
  </div>`;
}

function SecurityEvents() {
  const events = useAsync(async () => (/** @type {import('../api-types.js').SecurityEventList} */ (await api('/api/admin/security-events?limit=100'))).events, []);
  useActionEvents(undefined, ['SecurityEventNotification'], events.reload);
  const rows = events.data || [];
  return html`<div class="card" data-testid="security-events">
    <h2>Security events</h2>
    <${ErrorBox} error=${events.error} /><${Loading} when=${events.loading && !events.data} />
    ${rows.length > 0 && html`<div class="table-wrap"><table class="wrap">
      <thead><tr><th>Event</th><th>Charger, time</th></tr></thead>
      <tbody>${rows.map((e) => html`<tr><td><strong>${e.type}</strong>${e.techInfo && html`<br /><small>${e.techInfo}</small>`}</td>
        <td>${e.chargePointId || e.chargerId}<br /><small class="muted">${fmt.time(e.timestamp)}</small></td></tr>`)}</tbody>
    </table></div>`}
    ${events.data && rows.length === 0 && html`<p class="muted">None reported.</p>`}
  </div>`;
}

export function EnergyPage() {
  return html`<section>
    <h1>Energy</h1>
    <${LoadBalancing} />
    <${FilesCard} />
    <${SecurityEvents} />
  </section>`;
}
