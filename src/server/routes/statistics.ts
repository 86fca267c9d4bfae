// GET /api/admin/statistics: completed sessions' energy, count and revenue by day/week/month, per charger or
// per driver, from..to on the start time. &format=csv answers the same rows as a CSV download.
import { STATISTICS_GROUPS, STATISTICS_PERIODS, type StatisticsQuery, type StatisticsRow } from '../../domain/statistics.js';
import { csvLine } from '../../csv.js';
import { HttpError, type ApiRequest, type Router } from '../http.js';
import { timeParam } from './paging.js';
import type { RouteDeps } from './index.js';

const CSV_COLUMNS: Array<keyof StatisticsRow> = ['key', 'label', 'sessions', 'energyWh', 'revenue', 'currency'];

function oneOf<T extends string>(req: ApiRequest, name: string, allowed: readonly T[], fallback: T): T {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new HttpError(400, 'invalid_parameter', `${name} must be one of ${allowed.join(', ')}`);
  return raw as T;
}

export function statisticsQueryOf(req: ApiRequest): StatisticsQuery {
  const q: StatisticsQuery = {
    period: oneOf(req, 'period', STATISTICS_PERIODS, 'day'),
    groupBy: oneOf(req, 'groupBy', STATISTICS_GROUPS, 'time'),
  };
  const from = timeParam(req, 'from');
  const to = timeParam(req, 'to');
  if (from) q.from = from;
  if (to) q.to = to;
  if (from && to && from > to) throw new HttpError(400, 'invalid_parameter', 'from must not be after to');
  return q;
}

export function registerStatisticsRoutes(router: Router, deps: Pick<RouteDeps, 'domain'>): void {
  const { statistics } = deps.domain;
  router.get('/api/admin/statistics', 'viewer', (req) => {
    const query = statisticsQueryOf(req);
    const format = oneOf(req, 'format', ['json', 'csv'] as const, 'json');
    const rows = statistics.rows(query);
    if (format === 'json') return { body: { ...query, rows } };
    const lines = [CSV_COLUMNS.join(',') + '\r\n', ...rows.map((r) => csvLine(CSV_COLUMNS.map((n) => r[n])))];
    return {
      raw: Buffer.from(lines.join('')), contentType: 'text/csv; charset=utf-8',
      headers: { 'Content-Disposition': `attachment; filename="statistics-${query.groupBy}-${query.period}.csv"` },
    };
  });
}
