// What the compatibility layer tolerated for this charger, in plain language ("3 StatusNotifications had
// errorCode 'Error'; mapped to OtherError"), so an installer can tell the vendor what to fix.
import { html } from '../html.js';
import { api } from '../api.js';
import { ErrorBox, fmt, useAsync } from '../ui.js';
import { chargerPath } from '../model.js';

export function CompatPanel({ cpId, mode }) {
  const compat = useAsync(() => api(`${chargerPath(cpId)}/compatibility`), [cpId, mode]); // mode: reloaded when it is changed
  const d = compat.data;
  return html`<div class="card" data-testid="compat-panel">
    <${ErrorBox} error=${compat.error} />
    ${d && html`<p>Mode: <strong>${d.compatMode === 'strict' ? 'strict (official schemas only)' : 'tolerant (known deviations repaired)'}</strong></p>`}
    ${d && d.repairs.length === 0 && d.reviews.length === 0 && html`<p class="muted">This charger has sent nothing that needed repair.</p>`}
    ${d && d.repairs.length > 0 && html`<ul data-testid="compat-repairs">${d.repairs.map((r) => html`<li>${r.description} <span class="muted">(last ${fmt.time(r.lastAt)})</span></li>`)}</ul>`}
    ${d && d.reviews.length > 0 && html`<p data-testid="compat-reviews">${d.reviews.length} message${d.reviews.length === 1 ? ' was' : 's were'} answered but could not be processed; kept for review
      (latest: ${d.reviews[0].action}, ${d.reviews[0].reason}).</p>`}
  </div>`;
}
