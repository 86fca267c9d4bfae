// idTags (RFID cards, app tokens): the table with block/unblock and an edit form (user, expiry, note),
// and the form that adds one. Used by the users list and by each user's page.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin } from '../store.js';
import { Action, Badge, ErrorBox, Field, Form, Link, clean, fmt, useAsync } from '../ui.js';
import { SortSelect, SortTh } from '../sort.js';

const TAG_KEYS = ['idTag', 'status', 'user', 'expires'];
const TAG_CHOICES = [['idTag', 'Card (A–Z)'], ['-idTag', 'Card (Z–A)'], ['user', 'Driver (A–Z)'], ['-status', 'Blocked first'], ['expires', 'Expiring first']];

export const loadIdTags = async (q = '') => (/** @type {import('../api-types.js').IdTagList} */ (await api(`/api/admin/id-tags${q}`))).idTags;
export const tagPath = (t) => `/api/admin/id-tags/${encodeURIComponent(t.id)}`;

/** A date input's value (YYYY-MM-DD) as the API's instant: the start of that day, UTC, as when adding a tag. */
const expiryOf = (day) => (day ? new Date(day).toISOString() : null);
const dayOf = (iso) => (iso ? iso.slice(0, 10) : '');

/**
 * The tag's driver, picked by name (the API stores the id). `current` is the user id selected at first;
 * `currentName` names a current user the loaded list does not have, so saving keeps them.
 */
function UserSelect({ current = '', currentName = undefined }) {
  const users = useAsync(async () => (/** @type {import('../api-types.js').UserList} */ (await api('/api/admin/users?limit=1000'))).users, []);
  // `selected` (not the select's value) so a re-render from a live event keeps what staff picked.
  const options = [['', '(no user)'], ...(users.data || []).map((u) => [String(u.id), `${u.fullName} (#${u.id})`])];
  if (current && !options.some(([v]) => v === current)) options.push([current, currentName || '(their current user)']);
  return html`<${ErrorBox} error=${users.error} />
    <label>User <select name="userId">
      ${options.map(([v, l]) => html`<option value=${v} selected=${v === current}>${l}</option>`)}</select></label>`;
}

function TagEdit({ tag, onDone }) {
  return html`<${Form} cls="inline" label=${`Save ${tag.idTag}`} onDone=${onDone} submit=${(d) => api(tagPath(tag), {
    method: 'PUT', body: { userId: d.userId ? Number(d.userId) : null, expiryDate: expiryOf(d.expiryDate), description: d.description || null },
  })}>
    <${UserSelect} current=${tag.userId == null ? '' : String(tag.userId)} currentName=${tag.userName} />
    <${Field} label="Expires (blank = never)" name="expiryDate" type="date" value=${dayOf(tag.expiryDate)} />
    <${Field} label="Note" name="description" value=${tag.description} />
  </${Form}>`;
}

function TagRow({ t, onChange }) {
  const [editing, setEditing] = useState(false);
  const put = (body) => api(tagPath(t), { method: 'PUT', body });
  return html`<tr data-idtag=${t.idTag}>
      <td class="main" data-label="">${t.idTag}${t.description ? html`<br /><small>${t.description}</small>` : ''}</td>
      <td data-label="Status"><${Badge} status=${t.status} />${t.userStatus === 'Blocked' && html` <span class="badge bad">user blocked</span>`}</td>
      <td data-label="User">${t.userId ? html`<${Link} href=${`/users/${t.userId}`}>${t.userName || t.userId}</${Link}>` : '–'}</td>
      <td data-label="Expires" data-testid="expires">${t.expiryDate ? fmt.time(t.expiryDate) : 'never'}</td>
      <td class="actions" data-label="">${isAdmin() && html`${t.status === 'Blocked'
        ? html`<${Action} key="unblock" label="Unblock" doneText="unblocked" run=${() => put({ status: 'Accepted' })} onDone=${onChange} />`
        : html`<${Action} key="block" label="Block" doneText="blocked" danger confirm=${`Block ${t.idTag}? It can no longer start sessions.`}
            run=${() => put({ status: 'Blocked' })} onDone=${onChange} />`}
        <button onClick=${() => setEditing(!editing)}>${editing ? 'Close' : 'Edit'}</button>`}</td>
    </tr>
    ${editing && html`<tr data-idtag-edit=${t.idTag}><td colspan="5">
      <${TagEdit} tag=${t} onDone=${() => { setEditing(false); onChange(); }} /></td></tr>`}`;
}

/** With `order` and `onSort` the headers sort (the caller loads in that order); without, plain headers. */
export function TagRows({ tags, onChange, order = undefined, onSort = undefined }) {
  const th = (label, k) => (order ? html`<${SortTh} label=${label} k=${k} order=${order} onSort=${onSort} />` : html`<th>${label}</th>`);
  return html`${order && html`<${SortSelect} label="Sort cards by" choices=${TAG_CHOICES} keys=${TAG_KEYS} order=${order} onSort=${onSort} />`}
    <div class="table-wrap"><table class="cards" data-list="idtags">
    <thead><tr>${th('idTag', 'idTag')}${th('Status', 'status')}${th('User', 'user')}${th('Expires', 'expires')}<th></th></tr></thead>
    <tbody>${tags.map((t) => html`<${TagRow} key=${t.id} t=${t} onChange=${onChange} />`)}</tbody>
  </table></div>`;
}

export function TagForm({ userId, onDone }) {
  return html`<${Form} cls="inline" label="Add idTag" onDone=${onDone} submit=${(d) => {
    const body = clean(d);
    if (userId) body.userId = Number(userId);
    else if (body.userId) body.userId = Number(body.userId);
    if (body.expiryDate) body.expiryDate = expiryOf(body.expiryDate);
    return api('/api/admin/id-tags', { method: 'POST', body });
  }}>
    <${Field} label="idTag (RFID uid or app token)" name="idTag" required />
    ${!userId && html`<${UserSelect} />`}
    <${Field} label="Expires (optional)" name="expiryDate" type="date" />
  </${Form}>`;
}
