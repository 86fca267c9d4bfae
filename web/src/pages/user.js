// One user: details, block/unblock, idTags, wallet balance, top-up, refund, correction and the ledger.
import { word } from '../words.js';
import { useMemo } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, store, useLive } from '../store.js';
import { Action, Badge, ErrorBox, Field, Form, Link, Loading, Section, clean, fmt, useAsync } from '../ui.js';
import { TagForm, TagRows, loadIdTags } from './idTags.js';

/** "12.50" -> 1250 minor units; refuses anything that is not a positive amount with ≤ 2 decimals. */
export function toMinor(text) {
  const m = /^\s*(\d+)(?:[.,](\d{1,2}))?\s*$/.exec(String(text));
  if (!m) throw new Error(`"${text}" is not an amount (use e.g. 20 or 12.50)`);
  const minor = Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
  if (minor <= 0) throw new Error('the amount must be more than zero');
  return minor;
}

/** "-5" or "+2.50" -> signed minor units (a correction takes money out or puts it in). */
export function signedMinor(text) {
  const m = /^\s*([+-]?)\s*(.*)$/.exec(String(text));
  return (m && m[1] === '-' ? -1 : 1) * toMinor(m ? m[2] : text);
}

/**
 * The wallet's money moves: top-up, refund, correction. Each is asked first with the balance before and
 * after ("Balance 0.00 EUR → 12.50 EUR"), and carries an idempotency key so a double send moves money once.
 */
function Wallet({ userId, name }) {
  const wallet = useAsync(() => /** @type {Promise<import('../api-types.js').WalletAnswer>} */ (api(`/api/admin/users/${userId}/wallet`)), [userId]);
  useLive(({ type, data }) => { if (type === 'resync' || (type === 'wallet.changed' && String(data.userId) === String(userId))) wallet.reload(); }, [userId]);
  // One key per form showing: a double-submitted top-up is applied once.
  const key = useMemo(() => `${Date.now()}-${Math.random().toString(36).slice(2)}`, [wallet.data]);
  const w = wallet.data?.wallet;
  const ledger = wallet.data?.ledger ?? [];
  const currency = w ? w.currency : store.get().site?.currency;
  const balance = w ? w.balance : 0;
  const money = (minor) => fmt.money(minor, currency);
  const after = (delta) => `Balance ${money(balance)} → ${money(balance + delta)}.`;
  const move = (kind, body) => api(`/api/admin/users/${userId}/wallet/${kind}`, { method: 'POST', body: { ...body, idempotencyKey: `${kind}-${key}` } });
  const done = (_r, form) => { form.reset(); wallet.reload(); };
  return html`<div class="card">
    <h3>Wallet</h3>
    <${ErrorBox} error=${wallet.error} />
    <p>Balance: <strong data-testid="wallet-balance">${w ? money(w.balance) : '–'}</strong></p>
    ${isAdmin() && html`<${Form} cls="inline" label="Top up" okText="Topped up" testid="top-up" onDone=${done}
        confirm=${(d) => `Top up ${name}'s wallet by ${money(toMinor(d.amount))}? ${after(toMinor(d.amount))}`}
        submit=${(d) => move('top-up', { amount: toMinor(d.amount), description: d.description || 'top-up' })}>
      <${Field} label=${`Amount (${currency || 'major units'})`} name="amount" required placeholder="20.00" inputmode="decimal" />
      <${Field} label="Note" name="description" />
    </${Form}>
    ${w && html`<${Section} title="Refund or correct" testid="wallet-more">
      <h4>Refund</h4>
      <${Form} cls="inline" label="Refund" okText="Refunded" testid="refund" onDone=${done}
          confirm=${(d) => `Refund ${money(toMinor(d.amount))} to ${name}${d.session ? ` for session #${d.session}` : ''}? ${after(toMinor(d.amount))}`}
          submit=${(d) => move('refund', { amount: toMinor(d.amount), description: d.description || 'refund', ...(d.session ? { chargingTransactionId: Number(d.session) } : {}) })}>
        <${Field} label=${`Amount (${currency})`} name="amount" required placeholder="5.00" inputmode="decimal" />
        <${Field} label="Session number (optional)" name="session" type="number" min="1" />
        <${Field} label="Note" name="description" />
      </${Form}>
      <h4>Correction</h4>
      <p class="muted">To take money out, write a minus: -5.00.</p>
      <${Form} cls="inline" label="Correct balance" okText="Corrected" testid="adjustment" onDone=${done}
          confirm=${(d) => { const v = signedMinor(d.amount); return `${v < 0 ? 'Take' : 'Add'} ${money(Math.abs(v))} ${v < 0 ? 'out of' : 'to'} ${name}'s wallet? ${after(v)}`; }}
          submit=${(d) => move('adjustment', { amount: signedMinor(d.amount), description: d.description })}>
        <${Field} label=${`Amount (${currency})`} name="amount" required placeholder="-5.00" />
        <${Field} label="Why (required)" name="description" required />
      </${Form}>
    </${Section}>`}`}
    <div class="table-wrap"><table class="cards" data-testid="ledger">
      <thead><tr><th>Time</th><th>Type</th><th>Note</th><th class="num">Amount</th><th class="num">Balance</th></tr></thead>
      <tbody>${ledger.map((e) => html`<tr>
        <td data-label="Time">${fmt.time(e.createdAt)}</td><td data-label="Type">${word(e.type)}</td>
        <td data-label="Note">${e.chargingTransactionId ? html`<${Link} href=${`/transactions/${e.chargingTransactionId}`}>session #${e.chargingTransactionId}</${Link}> ` : ''}${e.description || ''}</td>
        <td class="num" data-label="Amount" data-testid="amount">${money(e.amount)}</td><td class="num" data-label="Balance">${money(e.balanceAfter)}</td></tr>`)}</tbody>
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
      <${Wallet} userId=${id} name=${u.fullName || `user ${id}`} />
    </div>
    <h3>idTags</h3>
    <${ErrorBox} error=${tags.error} />
    <${TagRows} tags=${mine} onChange=${tags.reload} />
    ${isAdmin() && html`<${TagForm} userId=${id} onDone=${tags.reload} />`}
    <p><${Link} href=${`/transactions?userId=${id}`}>Sessions of this user</${Link}></p>
  </section>`;
}
