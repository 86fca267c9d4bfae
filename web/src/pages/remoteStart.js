// Remote start for one connector: staff pick a user (then one of that user's idTags, the first valid one
// by default) or type/pick any idTag. The charger's answer, or the API's refusal, is shown.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { Action, useAsync } from '../ui.js';
import { loadTransactions } from '../model.js';

/** Could this tag start a session now (as far as the page knows; the server decides)? */
export const isUsable = (t, now = Date.now()) =>
  t.status === 'Accepted' && t.userStatus !== 'Blocked' && !(t.expiryDate && Date.parse(t.expiryDate) <= now);

/**
 * The tag a remote start for this user uses unless staff pick another: the first usable one, else one
 * refused only because the user is blocked (so the refusal names the block), else the first.
 */
export const defaultTagOf = (tags) =>
  (tags.find((t) => isUsable(t)) || tags.find((t) => isUsable({ ...t, userStatus: null })) || tags[0])?.idTag ?? '';

const tagLabel = (t) => (isUsable(t) ? t.idTag : `${t.idTag} (${t.userStatus === 'Blocked' ? 'user blocked' : t.status === 'Accepted' ? 'expired' : t.status})`);

export function RemoteStart({ connectorId, post, onDone }) {
  const [userId, setUserId] = useState('');
  const [typed, setTyped] = useState(''); // the idTag typed when no user is picked
  const [picked, setPicked] = useState(null); // a tag chosen from the user's list; null: their default
  const users = useAsync(async () => (/** @type {import('../api-types.js').UserList} */ (await api('/api/admin/users?limit=1000'))).users, []);
  const tags = useAsync(async () => (/** @type {import('../api-types.js').IdTagList} */ (await api('/api/admin/id-tags?limit=1000'))).idTags, []);
  // Who is charging now, so staff see it when picking a driver (and must override to start a second session).
  const running = useAsync(() => loadTransactions({ status: 'RUNNING', limit: 200 }), []);
  const [force, setForce] = useState(false);
  const chargingOn = (uid) => (running.data || []).filter((t) => t.userId != null && String(t.userId) === uid).map((t) => `${t.chargePointId} #${t.connectorId}`);
  const all = tags.data || [];
  const mine = userId ? all.filter((t) => String(t.userId) === userId) : [];
  const user = (users.data || []).find((u) => String(u.id) === userId);
  // Worked out at each render, so a user picked before the idTags have loaded still gets their default.
  const idTag = userId ? (picked ?? defaultTagOf(mine)) : typed;
  const pickUser = (value) => {
    setUserId(value);
    setPicked(null);
  };
  const start = () => {
    if (userId && !idTag) throw new Error(`${user ? user.fullName : 'This driver'} has no card (idTag): add one on their page first.`);
    if (!idTag) throw new Error('Pick a driver or a card for the session first.');
    const busy = userId ? chargingOn(userId) : [];
    if (busy.length && !force) throw new Error(`${user ? user.fullName : 'This driver'} is already charging on ${busy.join(', ')}. To start another session, tick "Start even so".`);
    return post('remote-start', force ? { connectorId, idTag, force: true } : { connectorId, idTag });
  };
  return html`<div class="form inline" data-testid="remote-start">
    <label>User <select name="startUser" onChange=${(e) => pickUser(e.currentTarget.value)}>
      <option value="" selected=${userId === ''}>(any idTag)</option>
      ${(users.data || []).map((u) => html`<option value=${String(u.id)} selected=${userId === String(u.id)}>
        ${u.fullName}${u.status === 'Blocked' ? ' (blocked)' : ''}${chargingOn(String(u.id)).length ? ` — charging on ${chargingOn(String(u.id)).join(', ')}` : ''}</option>`)}</select></label>
    ${userId
      ? html`<label>Their idTag <select name="userIdTag" onChange=${(e) => setPicked(e.currentTarget.value)}>
          ${mine.map((t) => html`<option value=${t.idTag} selected=${t.idTag === idTag}>${tagLabel(t)}</option>`)}
          ${mine.length === 0 && html`<option value="">(none)</option>`}</select></label>`
      : html`<label>idTag for remote start <input list="idtags" name="idTag" value=${typed} onInput=${(e) => setTyped(e.currentTarget.value)} placeholder="e.g. TAG-1" />
          <datalist id="idtags">${all.map((t) => html`<option value=${t.idTag} />`)}</datalist></label>`}
    <label class="row check"><input type="checkbox" name="force" checked=${force} onChange=${(e) => setForce(e.currentTarget.checked)} />
      Start even so (override a refused card or a driver already charging)</label>
    <div class="row"><${Action} label="Remote start" run=${start} onDone=${(r) => { setForce(false); onDone && onDone(r); }} /></div>
  </div>`;
}
