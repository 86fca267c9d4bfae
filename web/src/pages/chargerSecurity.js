// Charger page panel: the charger's security profile and its certificate requests in plain words, and
// the security whitepaper's actions: install the site CA, ask for a new certificate, fetch the security
// log, raise the profile (CA first, then SecurityProfile; the server does the steps).
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin } from '../store.js';
import { Action, ErrorBox, Loading, fmt, useAsync } from '../ui.js';
import { chargerPath } from '../model.js';

const PROFILE_WORDS = {
  1: 'Profile 1: password (Basic auth), with or without TLS',
  2: 'Profile 2: password over TLS only (wss://)',
  3: 'Profile 3: TLS with a client certificate',
};
const REQUEST_WORDS = {
  Requested: 'asked for, being signed',
  Signed: 'signed, being sent to the charger',
  Installed: 'installed on the charger',
  Refused: 'refused by this site',
  RejectedByCharger: 'the charger refused the signed certificate',
  Failed: 'could not be delivered',
};

const answered = (what) => (r) => ({ status: r.status === 'Accepted' ? `${what}: the charger accepted` : `${what}: the charger answered ${r.status}` });

export function SecurityPanel({ cpId, profile, onChange }) {
  const requests = useAsync(async () => (await api(`${chargerPath(cpId)}/certificate-requests`)).requests, [cpId]);
  const list = requests.data || [];
  const path = chargerPath(cpId);
  const installCa = async () => answered('Site CA certificate')(await api(`${path}/certificates/install`, { method: 'POST', body: { certificateType: 'CentralSystemRootCertificate' } }));
  const newCertificate = async () => answered('New certificate requested')(await api(`${path}/extended-trigger`, { method: 'POST', body: { requestedMessage: 'SignChargePointCertificate' } }));
  const securityLog = async () => answered('Security log requested')(await api(`${path}/logs`, { method: 'POST', body: { logType: 'SecurityLog' } }));
  const raise = async () => {
    const r = await api(`${path}/security-profile`, { method: 'POST', body: { securityProfile: profile + 1 } });
    return { status: r.raised ? `now on profile ${r.securityProfile}` : `still on profile ${r.securityProfile}: ${r.reason}` };
  };
  return html`<div class="card" data-testid="security-panel">
    <p data-testid="security-profile"><strong>${PROFILE_WORDS[profile] || `Profile ${profile}`}</strong></p>
    <${ErrorBox} error=${requests.error} /><${Loading} when=${requests.loading && !requests.data} />
    ${requests.data && list.length === 0 && html`<p class="muted">The charger has asked for no certificate yet.</p>`}
    ${list.length > 0 && html`<div class="table-wrap"><table data-testid="certificate-requests">
      <thead><tr><th>Certificate request</th><th>Status</th><th>Valid until</th></tr></thead>
      <tbody>${list.map((r) => html`<tr><td>${fmt.time(r.requestedAt)}</td>
        <td>${REQUEST_WORDS[r.status] || r.status}${r.reason ? html` <span class="muted">(${r.reason})</span>` : ''}</td>
        <td>${r.validTo ? fmt.time(r.validTo) : '–'}</td></tr>`)}</tbody>
    </table></div>`}
    ${isAdmin() && html`<p>
      <${Action} label="Install site CA certificate" run=${installCa} />
      <${Action} label="Request new certificate" run=${newCertificate} onDone=${requests.reload} />
      <${Action} label="Get security log" run=${securityLog} />
      ${profile < 3 && html`<${Action} label=${`Raise to profile ${profile + 1}`} confirm=${`Raise ${cpId} to security profile ${profile + 1}? It cannot be lowered over the air.`} run=${raise} onDone=${onChange} />`}
    </p>`}
  </div>`;
}
