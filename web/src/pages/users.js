// Drivers (users) with their state and balance, and all idTags: list, create, block/unblock, edit.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, navigate, useLive } from '../store.js';
import { Badge, ErrorBox, Field, Form, Link, Loading, clean, fmt, useAsync } from '../ui.js';
import { TagForm, TagRows, loadIdTags } from './idTags.js';
import { SortSelect, SortTh, sortText } from '../sort.js';

const USER_KEYS = ['name', 'status', 'balance'];
const USER_CHOICES = [['name', 'Name (A–Z)'], ['-name', 'Name (Z–A)'], ['-status', 'Blocked first'], ['-balance', 'Highest balance'], ['balance', 'Lowest balance']];

export function UsersPage() {
  // Search goes to the server (name, phone, email; idTag text), so it covers every user, not a loaded page.
  // The sort goes to the server too (the list is paged there); it is in the deps of the live reload, so a
  // pushed event reloads the order staff chose, not the default.
  const [q, setQ] = useState('');
  const [order, setOrder] = useState({ key: 'name', desc: false });
  const [tagOrder, setTagOrder] = useState({ key: 'idTag', desc: false });
  const search = q.trim() ? `q=${encodeURIComponent(q.trim())}&` : '';
  const userQuery = `?${search}sort=${sortText(order)}`;
  const tagQuery = `?${search}sort=${sortText(tagOrder)}`;
  const users = useAsync(async () => (/** @type {import('../api-types.js').UserList} */ (await api(`/api/admin/users${userQuery}`))).users, [userQuery]);
  const tags = useAsync(() => loadIdTags(tagQuery), [tagQuery]);
  useLive(({ type }) => { if (type === 'resync' || type === 'idTags.changed' || type === 'wallet.changed') { users.reload(); tags.reload(); } }, [userQuery, tagQuery]);
  const th = (label, k, cls = undefined, desc = false) => html`<${SortTh} label=${label} k=${k} cls=${cls} desc=${desc} order=${order} onSort=${setOrder} />`;
  return html`<section>
    <h1>Users</h1>
    <label>Search users and cards <input type="search" name="q" placeholder="name, phone, email or idTag" onInput=${(e) => setQ(e.currentTarget.value)} /></label>
    <${ErrorBox} error=${users.error} />
    <${Loading} when=${users.loading && !users.data} />
    <${SortSelect} label="Sort users by" choices=${USER_CHOICES} keys=${USER_KEYS} order=${order} onSort=${setOrder} />
    <div class="table-wrap"><table class="cards" data-list="users">
      <thead><tr>${th('Name', 'name')}${th('State', 'status')}<th>Phone</th><th>Email</th>${th('Balance', 'balance', 'num', true)}</tr></thead>
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
    <${TagRows} tags=${tags.data || []} onChange=${tags.reload} order=${tagOrder} onSort=${setTagOrder} />
    ${isAdmin() && html`<${TagForm} onDone=${tags.reload} />`}
  </section>`;
}
