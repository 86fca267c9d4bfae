// Drivers (users) with their state and balance, and all idTags: list, create, block/unblock, edit.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, navigate, useLive } from '../store.js';
import { Badge, ErrorBox, Field, Form, Link, Loading, clean, fmt, useAsync } from '../ui.js';
import { TagForm, TagRows, loadIdTags } from './idTags.js';

export function UsersPage() {
  // Search goes to the server (name, phone, email; idTag text), so it covers every user, not a loaded page.
  const [q, setQ] = useState('');
  const query = q.trim() ? `?q=${encodeURIComponent(q.trim())}` : '';
  const users = useAsync(async () => (/** @type {import('../api-types.js').UserList} */ (await api(`/api/admin/users${query}`))).users, [query]);
  const tags = useAsync(() => loadIdTags(query), [query]);
  useLive(({ type }) => { if (type === 'resync' || type === 'idTags.changed' || type === 'wallet.changed') { users.reload(); tags.reload(); } }, [query]);
  return html`<section>
    <h1>Users</h1>
    <label>Search users and cards <input type="search" name="q" placeholder="name, phone, email or idTag" onInput=${(e) => setQ(e.currentTarget.value)} /></label>
    <${ErrorBox} error=${users.error} />
    <${Loading} when=${users.loading && !users.data} />
    <div class="table-wrap"><table class="cards">
      <thead><tr><th>Name</th><th>State</th><th>Phone</th><th>Email</th><th class="num">Balance</th></tr></thead>
      <tbody>${(users.data || []).map((u) => html`<tr data-user=${u.id}>
        <td class="main" data-label=""><${Link} href=${`/users/${u.id}`}>${u.fullName}</${Link}></td><td data-label="State"><${Badge} status=${u.status} /></td>
        <td data-label="Phone">${u.phoneNumber || '–'}</td><td data-label="Email">${u.email || '–'}</td>
        <td class="num" data-label="Balance" data-testid="balance">${u.wallet ? fmt.money(u.wallet.balance, u.wallet.currency) : '–'}</td>
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
