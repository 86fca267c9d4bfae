// The site's energy view: load management (web/src/pages/loadBalancing.js), firmware/diagnostics files, and
// the security events chargers reported.
import { html } from '../html.js';
import { api } from '../api.js';
import { ErrorBox, Loading, fmt, useAsync } from '../ui.js';
import { useActionEvents } from '../blocks.js';
import { FilesCard } from './files.js';
import { LoadBalancing } from './loadBalancing.js';

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
    <h1>Load & files</h1>
    <${LoadBalancing} />
    <${FilesCard} />
    <${SecurityEvents} />
  </section>`;
}
