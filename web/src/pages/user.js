// One user: details, block/unblock, idTags, wallet balance, top-up and the ledger.
import { word } from '../words.js';
import { useMemo } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, useLive } from '../store.js';
import { Action, Badge, ErrorBox, Field, Form, Link, Loading, clean, fmt, useAsync } from '../ui.js';
import { TagForm, TagRows, loadIdTags } from './idTags.js';

/** "12.50" -> 1250 minor units; refuses anything that is not a positive amount with ≤ 2 decimals. */
export function toMinor(text) {
  const m = /^\s*(\d+)(?:[.,](\d{1,2}))?\s*$/.exec(String(text));
  if (!m) throw new Error(`"${text}" is not an amount (use e.g. 20 or 12.50)`);
  const minor = Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
  if (minor <= 0) throw new Error('the amount must be more than zero');
  return minor;
}

function Wallet({ userId }) {
  const wallet = useAsync(() => /** @type {Promise<import('../api-types.js').WalletAnswer>} */ (api(`/api/admin/users/${userId}/wallet`)), [userId]);
  useLive(({ type, data }) => { if (type === 'resync' || (type === 'wallet.changed' && String(data.userId) === String(userId))) wallet.reload(); }, [userId]);
  // One key per form showing: a double-submitted top-up is applied once.
  const key = useMemo(() => `topup-${Date.now()}-${Math.random().toString(36).slice(2)}`, [wallet.data]);
  const w = wallet.data?.wallet;
  const ledger = wallet.data?.ledger ?? [];
  const currency = w && w.currency;
  return html`<div class="card">
    <h3>Wallet</h3>
    <${ErrorBox} error=${wallet.error} />
    <p>Balance: <strong data-testid="wallet-balance">${w ? fmt.money(w.balance, currency) : '–'}</strong></p>
    ${isAdmin() && html`<${Form} cls="inline" label="Top up" onDone=${(_r, form) => { form.reset(); wallet.reload(); }}
        submit=${(d) => api(`/api/admin/users/${userId}/wallet/top-up`, { method: 'POST', body: { amount: toMinor(d.amount), description: d.description || 'top-up', idempotencyKey: key } })}>
      <${Field} label=${`Amount (${currency || 'major units'})`} name="amount" required placeholder="20.00" />
      <${Field} label="Note" name="description" />
    </${Form}>`}
    <div class="table-wrap"><table class="cards" data-testid="ledger">
      <thead><tr><th>Time</th><th>Type</th><th>Note</th><th class="num">Amount</th><th class="num">Balance</th></tr></thead>
      <tbody>${ledger.map((e) => html`<tr>
        <td data-label="Time">${fmt.time(e.createdAt)}</td><td data-label="Type">${word(e.type)}</td>
        <td data-label="Note">${e.chargingTransactionId ? html`<${Link} href=${`/transactions/${e.chargingTransactionId}`}>session #${e.chargingTransactionId}</${Link}> ` : ''}${e.description || ''}</td>
        <td class="num" data-label="Amount" data-testid="amount">${fmt.money(e.amount, currency)}</td><td class="num" data-label="Balance">${fmt.money(e.balanceAfter, currency)}</td></tr>`)}</tbody>
    </table></div>
  </div>`;
}

export function UserPage({ param: id }) {
  const user = useAsync(async () => (/** @type {import('../api-types.js').UserAnswer} */ (await api(`/api/admin/users/${id}`))).user, [id]);
  const tags = useAsync(() => loadIdTags(`?userId=${id}`), [id]);
  // A block (here or elsewhere) announces idTags.changed: the state and the tags' badges follow.
  useLive(({ type }) => { if (type === 'resync' || type === 'idTags.changed') { user.reload(); tags.reload(); } }, [id]);
  const u = user.data;
  if (!u) return html`<section><h1>User ${id}</h1><${ErrorBox} error=${user.error} /><${Loading} when=${user.loading} /></section>`;
  const mine = (tags.data || []).filter((t) => String(t.userId) === String(id));
  return html`<section>
    <h1>${u.fullName || `User ${id}`} <span data-testid="user-status"><${Badge} status=${u.status} /></span></h1>
    ${isAdmin() && html`<p>${u.status === 'Blocked'
      ? html`<${Action} label="Unblock user" run=${() => api(`/api/admin/users/${id}`, { method: 'PUT', body: { status: 'Active' } })} onDone=${user.reload} />`
      : html`<${Action} label="Block user" danger confirm=${`Block ${u.fullName}? None of their idTags can start a session until unblocked.`}
          run=${() => api(`/api/admin/users/${id}`, { method: 'PUT', body: { status: 'Blocked' } })} onDone=${user.reload} />`}</p>`}
    <div class="cols">
      <div class="card"><h3>Details</h3>
        ${isAdmin() ? html`<${Form} submit=${(d) => api(`/api/admin/users/${id}`, { method: 'PUT', body: clean(d) })} onDone=${user.reload}>
          <${Field} label="Full name" name="fullName" value=${u.fullName} required />
          <${Field} label="Phone number" name="phoneNumber" type="tel" value=${u.phoneNumber} />
          <${Field} label="Email" name="email" type="email" value=${u.email} />
        </${Form}>` : html`<dl class="facts"><dt>Phone</dt><dd>${u.phoneNumber || '–'}</dd><dt>Email</dt><dd>${u.email || '–'}</dd></dl>`}
      </div>
      <${Wallet} userId=${id} />
    </div>
    <h3>idTags</h3>
    <${ErrorBox} error=${tags.error} />
    <${TagRows} tags=${mine} onChange=${tags.reload} />
    ${isAdmin() && html`<${TagForm} userId=${id} onDone=${tags.reload} />`}
    <p><${Link} href=${`/transactions?userId=${id}`}>Sessions of this user</${Link}></p>
  </section>`;
}
