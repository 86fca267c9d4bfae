// Drivers (users) and their idTags: list, create, block/unblock.
import { html } from '../html.js';
import { api, listOf } from '../api.js';
import { isAdmin, navigate, useLive } from '../store.js';
import { Action, Badge, ErrorBox, Field, Form, Link, Loading, clean, fmt, useAsync } from '../ui.js';

export const loadIdTags = async (q = '') => listOf(await api(`/api/admin/id-tags${q}`), 'idTags');
export const tagPath = (t) => `/api/admin/id-tags/${encodeURIComponent(t.id ?? t.idTag)}`;

export function TagRows({ tags, onChange }) {
  return html`<div class="table-wrap"><table>
    <thead><tr><th>idTag</th><th>Status</th><th>User</th><th>Expires</th><th></th></tr></thead>
    <tbody>${tags.map((t) => html`<tr data-idtag=${t.idTag}>
      <td>${t.idTag}</td><td><${Badge} status=${t.status} /></td>
      <td>${t.userId ? html`<${Link} href=${`/users/${t.userId}`}>${t.userName || t.user?.fullName || t.userId}</${Link}>` : '–'}</td>
      <td>${t.expiryDate ? fmt.time(t.expiryDate) : 'never'}</td>
      <td>${isAdmin() && (t.status === 'Blocked'
        ? html`<${Action} label="Unblock" run=${() => api(tagPath(t), { method: 'PUT', body: { status: 'Accepted' } })} onDone=${onChange} />`
        : html`<${Action} label="Block" danger confirm=${`Block ${t.idTag}? It can no longer start sessions.`}
            run=${() => api(tagPath(t), { method: 'PUT', body: { status: 'Blocked' } })} onDone=${onChange} />`)}</td>
    </tr>`)}</tbody>
  </table></div>`;
}

export function TagForm({ userId, onDone }) {
  return html`<${Form} cls="inline" label="Add idTag" onDone=${onDone} submit=${(d) => {
    const body = clean(d);
    if (userId) body.userId = Number(userId);
    else if (body.userId) body.userId = Number(body.userId);
    if (body.expiryDate) body.expiryDate = new Date(body.expiryDate).toISOString();
    return api('/api/admin/id-tags', { method: 'POST', body });
  }}>
    <${Field} label="idTag (RFID uid or app token)" name="idTag" required />
    ${!userId && html`<${Field} label="User id" name="userId" type="number" />`}
    <${Field} label="Expires (optional)" name="expiryDate" type="date" />
  </${Form}>`;
}

export function UsersPage() {
  const users = useAsync(async () => listOf(await api('/api/admin/users'), 'users'));
  const tags = useAsync(() => loadIdTags());
  useLive(({ type }) => { if (type === 'resync' || type === 'idTags.changed' || type === 'wallet.changed') { users.reload(); tags.reload(); } }, []);
  return html`<section>
    <h1>Users</h1>
    <${ErrorBox} error=${users.error} />
    <${Loading} when=${users.loading && !users.data} />
    <div class="table-wrap"><table>
      <thead><tr><th>Name</th><th>Phone</th><th>Email</th><th class="num">Balance</th></tr></thead>
      <tbody>${(users.data || []).map((u) => html`<tr data-user=${u.id}>
        <td><${Link} href=${`/users/${u.id}`}>${u.fullName || `user ${u.id}`}</${Link}></td><td>${u.phoneNumber || '–'}</td><td>${u.email || '–'}</td>
        <td class="num">${u.wallet ? fmt.money(u.wallet.balance, u.wallet.currency) : u.balance != null ? fmt.money(u.balance, u.currency) : '–'}</td>
      </tr>`)}</tbody>
    </table></div>
    ${isAdmin() && html`<h2>New user</h2>
      <${Form} label="Create user" submit=${(d) => api('/api/admin/users', { method: 'POST', body: clean(d) })}
        onDone=${(r) => { const u = r && (r.user || r); if (u && u.id) navigate(`/users/${u.id}`); else users.reload(); }}>
        <${Field} label="Full name" name="fullName" required />
        <${Field} label="Phone number" name="phoneNumber" type="tel" />
        <${Field} label="Email" name="email" type="email" />
      </${Form}>`}
    <h2>idTags</h2>
    <${ErrorBox} error=${tags.error} />
    <${TagRows} tags=${tags.data || []} onChange=${tags.reload} />
    ${isAdmin() && html`<${TagForm} onDone=${tags.reload} />`}
  </section>`;
}
