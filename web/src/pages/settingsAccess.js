// Who may use the API: staff accounts (/api/admin/admin-users) and API tokens (/api/admin/tokens).
// Both are admin-only in the API, so the settings page shows them to admins only.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { store } from '../store.js';
import { Action, ErrorBox, Field, Form, Loading, fmt, useAsync } from '../ui.js';

const ROLES = [['viewer', 'viewer (read only)'], ['admin', 'admin']];
// Uncontrolled (selected, not value): a live re-render must not reset what was picked.
const RoleSelect = () => html`<label>Role <select name="role">
  ${ROLES.map(([v, l]) => html`<option value=${v} selected=${v === 'viewer'}>${l}</option>`)}</select></label>`;
const staffPath = (u) => `/api/admin/admin-users/${u.id}`;

function StaffRow({ u, onChange }) {
  const me = store.get().user?.username === u.username;
  const put = (body) => api(staffPath(u), { method: 'PUT', body });
  const other = u.role === 'admin' ? 'viewer' : 'admin';
  return html`<tr data-staff=${u.username}>
    <td>${u.username}${me ? ' (you)' : ''}</td>
    <td>${u.role}</td>
    <td><span class=${`badge ${u.disabled ? 'off' : 'ok'}`}>${u.disabled ? 'disabled' : 'enabled'}</span></td>
    <td>${fmt.time(u.createdAt)}</td>
    <td>
      <${Action} label=${`Make ${other}`} onDone=${onChange} run=${() => put({ role: other })}
        confirm=${other === 'viewer' ? `Make ${u.username} a viewer? Their sessions end.` : undefined} />
      ${u.disabled
        ? html`<${Action} label="Enable" onDone=${onChange} run=${() => put({ disabled: false })} />`
        : html`<${Action} label="Disable" danger onDone=${onChange} run=${() => put({ disabled: true })}
            confirm=${`Disable ${u.username}? They can no longer log in.`} />`}
    </td>
  </tr>`;
}

export function StaffCard() {
  const staff = useAsync(async () => (/** @type {import('../api-types.js').AdminUserList} */ (await api('/api/admin/admin-users'))).adminUsers);
  return html`<div class="card" data-testid="staff-card">
    <h3>Staff accounts</h3>
    <${ErrorBox} error=${staff.error} />
    <${Loading} when=${staff.loading && !staff.data} />
    <div class="table-wrap"><table>
      <thead><tr><th>Username</th><th>Role</th><th>State</th><th>Created</th><th></th></tr></thead>
      <tbody>${(staff.data || []).map((u) => html`<${StaffRow} key=${u.id} u=${u} onChange=${staff.reload} />`)}</tbody>
    </table></div>
    <h4>New staff account</h4>
    <${Form} cls="inline" label="Create account" okText="Created"
      submit=${(d) => api('/api/admin/admin-users', { method: 'POST', body: { username: d.username, password: d.password, role: d.role } })}
      onDone=${(_r, form) => { form.reset(); staff.reload(); }}>
      <${Field} label="Username" name="username" required autocomplete="off" />
      <${Field} label="Password (at least 10 characters)" name="password" type="password" required autocomplete="new-password" />
      <${RoleSelect} />
    </${Form}>
  </div>`;
}

/** The new token, shown once: the server keeps only its hash. */
function NewToken({ token, onClose }) {
  return html`<div class="card new-token" role="status">
    <p><strong>Copy this token now: it is not shown again.</strong> Use it as <code>Authorization: Bearer …</code>.</p>
    <input readonly value=${token} data-testid="new-token" onFocus=${(e) => e.currentTarget.select()} />
    <p><button onClick=${onClose}>I have copied it</button></p>
  </div>`;
}

export function TokensCard() {
  const tokens = useAsync(async () => (/** @type {import('../api-types.js').ApiTokenList} */ (await api('/api/admin/tokens'))).tokens);
  const [created, setCreated] = useState(undefined);
  return html`<div class="card" data-testid="tokens-card">
    <h3>API tokens</h3>
    <${ErrorBox} error=${tokens.error} />
    <${Loading} when=${tokens.loading && !tokens.data} />
    <div class="table-wrap"><table>
      <thead><tr><th>Name</th><th>Role</th><th>Created</th><th>Last used</th><th>Revoked</th><th></th></tr></thead>
      <tbody>${(tokens.data || []).map((t) => html`<tr key=${t.id} data-token=${t.name}>
        <td>${t.name}</td><td>${t.role}</td><td>${fmt.time(t.createdAt)}</td>
        <td>${t.lastUsedAt ? fmt.time(t.lastUsedAt) : 'never'}</td>
        <td>${t.revokedAt ? fmt.time(t.revokedAt) : 'no'}</td>
        <td>${!t.revokedAt && html`<${Action} label="Revoke" danger onDone=${tokens.reload}
          confirm=${`Revoke ${t.name}? Clients using it get 401 from now on.`}
          run=${() => api(`/api/admin/tokens/${t.id}`, { method: 'DELETE' })} />`}</td>
      </tr>`)}</tbody>
    </table></div>
    <h4>New API token</h4>
    ${created && html`<${NewToken} token=${created} onClose=${() => setCreated(undefined)} />`}
    <${Form} cls="inline" label="Create token" okText=""
      submit=${(d) => api('/api/admin/tokens', { method: 'POST', body: { name: d.name, role: d.role } })}
      onDone=${(r, form) => { form.reset(); setCreated(r.token); tokens.reload(); }}>
      <${Field} label="Name (who uses it)" name="name" required autocomplete="off" />
      <${RoleSelect} />
    </${Form}>
  </div>`;
}
