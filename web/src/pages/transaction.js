// One session: facts, cost and wallet debit, and the live meter-value chart.
import { word } from '../words.js';
import { useMemo } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, useLive } from '../store.js';
import { Action, Badge, ErrorBox, Link, Loading, fmt, throttle, useAsync } from '../ui.js';
import { txCharger, txEnergy } from '../model.js';
import { MeterChart } from '../chart.js';

/** The wallet's own CHARGE row for the session (the API's walletCharge), never a guess from the cost. */
function WalletDebit({ t }) {
  const c = t.walletCharge;
  if (c) {
    return html`${fmt.money(c.amount, c.currency)}${c.balanceAfter != null && html` <small class="muted" data-testid="tx-balance-after">(balance after ${fmt.money(c.balanceAfter, c.currency)})</small>`}`;
  }
  return t.costAmount > 0 ? html`<span class="badge bad">not charged</span>` : '–';
}

export function TransactionPage({ param: id }) {
  const tx = useAsync(async () => (/** @type {import('../api-types.js').TransactionAnswer} */ (await api(`/api/admin/transactions/${id}`))).transaction, [id]);
  const meter = useAsync(async () => (/** @type {import('../api-types.js').MeterValueList} */ (await api(`/api/admin/transactions/${id}/meter-values`))).meterValues, [id]);
  const reload = useMemo(() => throttle(() => { tx.reload(); meter.reload(); }, 500), [id]);
  useLive(({ type, data }) => {
    if (type === 'resync' || (type.startsWith('transaction.') && String(data.transactionId) === String(id))) reload();
  }, [id]);
  const t = tx.data;
  if (!t) return html`<section><h1>Session #${id}</h1><${ErrorBox} error=${tx.error} /><${Loading} when=${tx.loading} /></section>`;
  const cpId = txCharger(t);
  return html`<section>
    <h1>Session #${id} <${Badge} status=${t.status} /></h1>
    <${ErrorBox} error=${tx.error || meter.error} />
    <div class="cols">
      <div class="card"><dl class="facts">
        <dt>Charger</dt><dd><${Link} href=${`/chargers/${encodeURIComponent(cpId)}`}>${cpId}</${Link}> connector #${t.connectorId}</dd>
        <dt>Driver</dt><dd data-testid="tx-driver">${t.userId ? html`<${Link} href=${`/users/${t.userId}`}>${t.userName || 'their page'}</${Link}>` : 'no driver (card without a user)'}</dd>
        <dt>Card (idTag)</dt><dd>${t.idTag}</dd>
        <dt>Started</dt><dd>${fmt.time(t.startedAt)}</dd>
        <dt>Stopped</dt><dd>${fmt.time(t.stoppedAt)}${t.stopReason ? ` (${word(t.stopReason)})` : ''}</dd>
        <dt>Energy</dt><dd data-testid="tx-energy">${fmt.kwh(txEnergy(t))}</dd>
        <dt>Power now</dt><dd>${t.status === 'RUNNING' ? fmt.kw(t.lastPowerW) : '–'}</dd>
        <dt>Cost</dt><dd data-testid="tx-cost">${fmt.money(t.costAmount, t.currency)}</dd>
        <dt>Wallet debit</dt><dd data-testid="tx-debit"><${WalletDebit} t=${t} /></dd>
      </dl>
      ${isAdmin() && t.status === 'INTERRUPTED' && html`<p class="muted">The charger rebooted during this session. If its StopTransaction
        never arrives, close it here: it is completed and charged at the last meter reading.</p>
        <${Action} label="Close session" danger confirm=${`Close session #${id} at ${fmt.kwh(txEnergy(t))} and charge it?`}
          run=${() => api(`/api/admin/transactions/${id}/close`, { method: 'POST', body: {} })} onDone=${reload} />`}
      </div>
    </div>
    <h3>Power and energy</h3>
    <${MeterChart} rows=${meter.data || []} meterStart=${t.meterStart} />
  </section>`;
}
