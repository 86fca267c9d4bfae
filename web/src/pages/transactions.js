// Sessions: filter by charger, idTag, status and time; open one; export every matching session as CSV.
import { word } from '../words.js';
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { useLive, navigate, store } from '../store.js';
import { Badge, ErrorBox, Link, Loading, fmt } from '../ui.js';
import { loadTransactionPage, txCharger, txEnergy } from '../model.js';
import { usePagedList } from '../paged.js';
import { SortSelect, SortTh, parseSort, sortText } from '../sort.js';

const FILTERS = ['charger', 'idTag', 'status', 'unpaid', 'from', 'to'];
const STATUSES = ['', 'RUNNING', 'COMPLETED', 'INTERRUPTED', 'ORPHAN_STOP'];
// The server sorts (the list is paged there); newest first unless staff choose otherwise.
const SORT_KEYS = ['id', 'started', 'charger', 'driver', 'status', 'energy', 'cost'];
const NEWEST = { key: 'id', desc: true };
// A page a phone can scroll (200 rows were about 22,000 px); older sessions are a button away.
const PAGE = 50;
const SORT_CHOICES = [['-id', 'Newest first'], ['id', 'Oldest first'], ['-energy', 'Most energy'], ['-cost', 'Highest cost'], ['charger', 'Charger (A–Z)'], ['driver', 'Driver (A–Z)'], ['status', 'Status']];

/** datetime-local value -> ISO (the API speaks UTC). */
const toIso = (v) => (v ? new Date(v).toISOString() : '');

/** Saves a downloaded Blob under a file name (the browser's own download). */
function saveFile(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Every session matching the applied filters, built by the server (not just the rows loaded here). */
function ExportCsv({ query }) {
  const [s, setS] = useState(/** @type {{ busy: boolean, error?: unknown }} */ ({ busy: false, error: undefined }));
  const go = async () => {
    setS({ busy: true });
    try {
      const blob = await api(`/api/admin/transactions.csv${query ? `?${query}` : ''}`, { blob: true });
      saveFile(`sessions-${new Date().toISOString().slice(0, 10)}.csv`, blob);
      setS({ busy: false });
    } catch (error) {
      setS({ busy: false, error });
    }
  };
  return html`<button type="button" data-testid="export-csv" disabled=${s.busy} onClick=${go}>${s.busy ? 'Exporting…' : 'Export CSV'}</button>
    <${ErrorBox} error=${s.error} />`;
}

export function TransactionsPage() {
  const params = new URLSearchParams(store.get().path.split('?')[1] || '');
  const filter = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) || '']));
  const order = parseSort(params.get('sort'), SORT_KEYS, NEWEST);
  // The sort lives in the address with the filters: the live reload (deps: key) keeps both.
  const key = params.toString();
  const list = usePagedList((page) => loadTransactionPage({ ...filter, sort: sortText(order), ...page }), [key], PAGE);
  // A running session's energy follows its pushed transaction.updated (nothing fetched); starts and stops reload.
  const [energy, setEnergy] = useState(/** @type {Record<number, number>} */ ({}));
  useEffect(() => setEnergy({}), [list.rows]);
  useLive(({ type, data }) => {
    if (type === 'resync' || type === 'transaction.started' || type === 'transaction.stopped') list.reload();
    else if (type === 'transaction.updated' && data.energyWh != null) setEnergy((e) => ({ ...e, [data.transactionId]: data.energyWh }));
  }, [key]);
  const apply = (e) => {
    e.preventDefault();
    const d = Object.fromEntries(new FormData(e.currentTarget));
    const q = new URLSearchParams(Object.entries({ ...d, from: toIso(d.from), to: toIso(d.to), sort: params.get('sort') || '' }).filter(([, v]) => v));
    navigate(`/transactions${q.toString() ? `?${q}` : ''}`);
  };
  const sortBy = (o) => {
    const q = new URLSearchParams(params);
    if (o.key === NEWEST.key && o.desc === NEWEST.desc) q.delete('sort'); else q.set('sort', sortText(o));
    navigate(`/transactions${q.toString() ? `?${q}` : ''}`, { keepScroll: true });
  };
  const th = (label, k, cls = undefined, desc = false) => html`<${SortTh} label=${label} k=${k} cls=${cls} desc=${desc} order=${order} onSort=${sortBy} />`;
  const rows = list.rows || [];
  const local = (iso) => (iso ? new Date(new Date(iso).getTime() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16) : '');
  return html`<section>
    <h1>Sessions</h1>
    <form class="form inline" onSubmit=${apply}>
      <label>Charger <input name="charger" defaultValue=${filter.charger} /></label>
      <label>idTag <input name="idTag" defaultValue=${filter.idTag} /></label>
      <label>Status <select name="status">${STATUSES.map((s) => html`<option value=${s} selected=${s === filter.status}>${s ? word(s) : 'any'}</option>`)}</select></label>
      <label>Payment <select name="unpaid"><option value="">any</option><option value="true" selected=${filter.unpaid === 'true'}>Unpaid</option></select></label>
      <label>From <input name="from" type="datetime-local" defaultValue=${local(filter.from)} /></label>
      <label>To <input name="to" type="datetime-local" defaultValue=${local(filter.to)} /></label>
      <button type="submit" class="primary">Filter</button>
      <${ExportCsv} query=${new URLSearchParams(Object.entries(filter).filter(([, v]) => v)).toString()} />
    </form>
    <${ErrorBox} error=${list.error} />
    <${Loading} when=${list.loading && !list.rows} />
    <${SortSelect} choices=${SORT_CHOICES} keys=${SORT_KEYS} order=${order} onSort=${sortBy} />
    <div class="table-wrap"><table class="cards" data-list="sessions">
      <thead><tr>${th('#', 'id', undefined, true)}${th('Charger', 'charger')}${th('Driver', 'driver')}${th('Status', 'status')}${th('Started', 'started', undefined, true)}${th('Energy', 'energy', 'num', true)}${th('Cost', 'cost', 'num', true)}</tr></thead>
      <tbody>${rows.map((t) => html`<tr data-tx=${t.id}>
        <td class="main" data-label="Session"><${Link} href=${`/transactions/${t.id}`}>#${t.id}</${Link}></td>
        <td data-label="Charger">${txCharger(t)} #${t.connectorId}</td><td data-label="Driver" data-testid="tx-driver">${t.userName || html`<span class="muted">${t.idTag}</span>`}</td><td data-label="Status"><${Badge} status=${t.status} /></td>
        <td data-label="Started">${fmt.time(t.startedAt)}</td><td class="num" data-label="Energy" data-testid="tx-energy">${fmt.kwh(t.status === 'RUNNING' && energy[t.id] !== undefined ? energy[t.id] : txEnergy(t))}</td><td class="num" data-label="Cost" data-testid="tx-cost">${fmt.money(t.costAmount, t.currency)}${t.paid === false ? html` <span class="badge bad" title="no wallet was charged for this cost">unpaid</span>` : ''}</td>
      </tr>`)}</tbody>
    </table></div>
    ${list.rows && rows.length === 0 && html`<p>No sessions match.</p>`}
    ${list.hasMore && html`<p class="more"><span class="muted" data-testid="tx-count">${rows.length} of ${list.total} sessions shown</span>
      <button type="button" data-testid="tx-more" disabled=${list.more} onClick=${list.showMore}>${list.more ? 'Loading…' : 'Show more sessions'}</button></p>`}
  </section>`;
}
