// One session: facts, cost and wallet debit, and the live meter-value chart.
import { word } from '../words.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, useLive } from '../store.js';
import { Action, Badge, ErrorBox, Link, Loading, fmt, useAsync } from '../ui.js';
import { useRefetch } from '../refetch.js';
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

/** What each review flag means, for a site operator (the server's reason gives the figures). */
const FLAG_TITLES = {
  in_doubt: 'Its end may have been missed',
  resumed: 'The charger continued it',
  meter_reset: 'The meter went back (reset or restart)',
  meter_jump: 'The meter jumped more than a charger can deliver',
  meter_unknown: 'No believable meter figure',
  closed_by_operator: 'Closed by staff',
  corrected_by_charger: "The charger's own figures replaced the staff close",
  stop_without_id: 'Matched to this session without a session number',
};

/** Why this session needs a look, oldest first, in words; nothing when there is nothing to check. */
function ReviewFlags({ flags }) {
  if (!flags || flags.length === 0) return null;
  return html`<div class="card" data-testid="tx-flags">
    <h3>Needs a look</h3>
    <ul>${flags.map((f) => html`<li><strong>${FLAG_TITLES[f.code] || f.code}</strong> <small class="muted">${fmt.time(f.at)}</small><br />${f.reason}</li>`)}</ul>
  </div>`;
}

export function TransactionPage({ param: id }) {
  const tx = useAsync(async () => (/** @type {import('../api-types.js').TransactionAnswer} */ (await api(`/api/admin/transactions/${id}`))).transaction, [id]);
  const meter = useAsync(async () => (/** @type {import('../api-types.js').MeterValueList} */ (await api(`/api/admin/transactions/${id}/meter-values`))).meterValues, [id]);
  // A running session meters every few seconds: its figures come with the pushed transaction.updated,
  // and the chart fetches only the rows after the newest it has, at most every 2 s.
  const [live, setLive] = useState(/** @type {{ powerW?: number | null, energyWh?: number | null }} */ ({}));
  const [added, setAdded] = useState(/** @type {import('../api-types.js').MeterValueList['meterValues']} */ ([]));
  useEffect(() => setLive({}), [tx.data]);
  useEffect(() => setAdded([]), [meter.data]);
  const rows = [...(meter.data || []), ...added];
  const lastId = useRef(0);
  lastId.current = rows.reduce((n, r) => Math.max(n, r.id), 0);
  const moreRows = () => api(`/api/admin/transactions/${id}/meter-values?afterId=${lastId.current}`).then(
    (/** @type {import('../api-types.js').MeterValueList} */ m) => setAdded((a) => [...a, ...m.meterValues.filter((r) => r.id > lastId.current)]),
    () => meter.reload());
  const refetch = useRefetch({ tx: tx.reload, meter: moreRows }, 2000, [id]);
  const reload = () => { tx.reload(); meter.reload(); };
  useLive(({ type, data }) => {
    if (type === 'resync') return refetch('tx', 'meter');
    if (!type.startsWith('transaction.') || String(data.transactionId) !== String(id)) return;
    if (type === 'transaction.updated') {
      setLive({ powerW: data.powerW, energyWh: data.energyWh });
      refetch('meter');
    } else refetch('tx', 'meter'); // stopped, in doubt, resumed: the session's own facts changed
  }, [id]);
  const t0 = tx.data;
  const t = t0 && t0.status === 'RUNNING' && live.energyWh !== undefined
    ? { ...t0, lastPowerW: live.powerW ?? t0.lastPowerW, energyWh: live.energyWh ?? txEnergy(t0) } : t0;
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
      ${isAdmin() && t.status === 'INTERRUPTED' && html`<p class="muted">This session is in doubt: its end may have been missed (see why
        below). If its StopTransaction never arrives, close it here: it is completed and charged at the last meter reading, and the
        charger's own figures replace them if its stop comes later.</p>
        <${Action} label="Close session" danger confirm=${`Close session #${id} at ${fmt.kwh(txEnergy(t))} and charge it?`}
          run=${() => api(`/api/admin/transactions/${id}/close`, { method: 'POST', body: {} })} onDone=${reload} />`}
      </div>
      <${ReviewFlags} flags=${t.flags} />
    </div>
    <h3>Power and energy</h3>
    <${MeterChart} rows=${rows} meterStart=${t.meterStart} />
  </section>`;
}
