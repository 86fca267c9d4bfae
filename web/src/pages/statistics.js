// Statistics: completed sessions' energy, count and revenue per day, week or month, per charger or per driver,
// over a date range, with totals per currency and the same rows as a CSV download.
import { html } from '../html.js';
import { api } from '../api.js';
import { navigate, store } from '../store.js';
import { ErrorBox, Loading, fmt, useAsync } from '../ui.js';

const PERIODS = [['day', 'Day'], ['week', 'Week'], ['month', 'Month']];
const GROUPS = [['time', 'Time'], ['charger', 'Charger'], ['driver', 'Driver']];

// Keys are UTC dates (the server groups on UTC), so they are shown in UTC too: a day never shifts by a time zone.
const utcDay = (key) => new Date(`${key}T00:00:00Z`).toLocaleDateString(undefined, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
const utcMonth = (key) => new Date(`${key}-01T00:00:00Z`).toLocaleDateString(undefined, { timeZone: 'UTC', month: 'long', year: 'numeric' });

/** @param {import('../api-types.js').StatisticsRow} row @param {string} period @param {string} groupBy */
function rowLabel(row, period, groupBy) {
  if (groupBy !== 'time') return row.label;
  if (period === 'month') return utcMonth(row.key);
  return period === 'week' ? `Week of ${utcDay(row.key)}` : utcDay(row.key);
}

/** The "to" date is inclusive on the page; the API's to is exclusive, so it is sent as the next day. */
const dayAfter = (date) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The API query of the page's choices. @param {{ period: string, groupBy: string, from: string, to: string }} c */
function apiQuery(c) {
  const q = new URLSearchParams({ period: c.period, groupBy: c.groupBy });
  if (c.from) q.set('from', c.from);
  if (c.to) q.set('to', dayAfter(c.to));
  return q.toString();
}

/** Sums per currency (sessions without a price have none, and count under "–"). @param {import('../api-types.js').StatisticsRow[]} rows */
function totals(rows) {
  /** @type {Map<string, { sessions: number, energyWh: number, revenue: number, currency: string | null }>} */
  const by = new Map();
  for (const r of rows) {
    const t = by.get(r.currency ?? '') ?? { sessions: 0, energyWh: 0, revenue: 0, currency: r.currency };
    t.sessions += r.sessions; t.energyWh += r.energyWh; t.revenue += r.revenue;
    by.set(r.currency ?? '', t);
  }
  return [...by.values()];
}

export function StatisticsPage() {
  const params = new URLSearchParams(store.get().path.split('?')[1] || '');
  const choice = {
    period: params.get('period') || 'day', groupBy: params.get('groupBy') || 'time',
    from: params.get('from') || '', to: params.get('to') || '',
  };
  const query = apiQuery(choice);
  const stats = useAsync(async () => /** @type {import('../api-types.js').StatisticsAnswer} */ (await api(`/api/admin/statistics?${query}`)), [query]);
  const apply = (e) => {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const q = new URLSearchParams(['groupBy', 'period', 'from', 'to'].map((k) => [k, String(d.get(k) ?? '')]).filter(([, v]) => v));
    navigate(`/statistics?${q}`);
  };
  const rows = stats.data?.rows || [];
  const first = choice.groupBy === 'time' ? (PERIODS.find(([p]) => p === choice.period)?.[1] ?? 'Period') : choice.groupBy === 'charger' ? 'Charger' : 'Driver';
  return html`<section>
    <h1>Statistics</h1>
    <p class="muted">Completed sessions, by their start time (UTC).</p>
    <form class="form inline" onSubmit=${apply}>
      <label>Group by <select name="groupBy" data-testid="stats-group">${GROUPS.map(([v, t]) => html`<option value=${v} selected=${v === choice.groupBy}>${t}</option>`)}</select></label>
      <label>Period <select name="period" data-testid="stats-period">${PERIODS.map(([v, t]) => html`<option value=${v} selected=${v === choice.period}>${t}</option>`)}</select></label>
      <label>From <input name="from" type="date" defaultValue=${choice.from} /></label>
      <label>To <input name="to" type="date" defaultValue=${choice.to} /></label>
      <button type="submit" class="primary">Show</button>
      <a data-testid="stats-csv" href=${`/api/admin/statistics?${query}&format=csv`} download>Download CSV</a>
    </form>
    <${ErrorBox} error=${stats.error} />
    <${Loading} when=${stats.loading && !stats.data} />
    <div class="table-wrap"><table class="cards" data-testid="stats-table">
      <thead><tr><th>${first}</th><th class="num">Sessions</th><th class="num">Energy</th><th class="num">Revenue</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr data-key=${r.key}>
        <td class="main" data-label=${first}>${rowLabel(r, choice.period, choice.groupBy)}</td>
        <td class="num" data-label="Sessions">${r.sessions}</td><td class="num" data-label="Energy">${fmt.kwh(r.energyWh)}</td>
        <td class="num" data-label="Revenue">${r.currency ? fmt.money(r.revenue, r.currency) : '–'}</td>
      </tr>`)}</tbody>
      <tfoot>${totals(rows).map((t) => html`<tr data-testid="stats-total">
        <td class="main" data-label=${first}><strong>Total${t.currency ? ` (${t.currency})` : ''}</strong></td>
        <td class="num" data-label="Sessions" data-testid="stats-total-sessions">${t.sessions}</td>
        <td class="num" data-label="Energy" data-testid="stats-total-energy">${fmt.kwh(t.energyWh)}</td>
        <td class="num" data-label="Revenue" data-testid="stats-total-revenue">${t.currency ? fmt.money(t.revenue, t.currency) : '–'}</td>
      </tr>`)}</tfoot>
    </table></div>
    ${stats.data && rows.length === 0 && html`<p>No completed sessions in this range.</p>`}
  </section>`;
}
