// Energy, sessions and revenue of completed sessions, summed by SQLite per day, week or month, per charger
// or per driver, for the Statistics page and its CSV. Statements are prepared once; each query is one scan.
import type { Sqlite } from '../db/index.js';

export const STATISTICS_PERIODS = ['day', 'week', 'month'] as const;
export const STATISTICS_GROUPS = ['time', 'charger', 'driver'] as const;
export type StatisticsPeriod = typeof STATISTICS_PERIODS[number];
export type StatisticsGroup = typeof STATISTICS_GROUPS[number];

export interface StatisticsQuery {
  period: StatisticsPeriod;
  groupBy: StatisticsGroup;
  /** On the start time, ISO UTC, inclusive from, exclusive to. */
  from?: string;
  to?: string;
}

/** One row: revenue in minor units of its currency (a group with two currencies gives two rows). */
export interface StatisticsRow {
  key: string;
  label: string;
  sessions: number;
  energyWh: number;
  revenue: number;
  currency: string | null;
}

// Week keys are the Monday (UTC) the week starts on: ISO weeks, as European sites count them.
const TIME_KEYS: Record<StatisticsPeriod, string> = {
  day: `date(t.started_at)`,
  week: `date(t.started_at, '-6 days', 'weekday 1')`,
  month: `strftime('%Y-%m', t.started_at)`,
};

const RANGE = `t.status = 'COMPLETED' AND (@from IS NULL OR t.started_at >= @from) AND (@to IS NULL OR t.started_at < @to)`;
const SUMS = `count(*) AS sessions, coalesce(sum(t.energy_wh), 0) AS energyWh, coalesce(sum(t.cost_amount), 0) AS revenue, t.currency AS currency`;

function statements(sqlite: Sqlite) {
  const byTime = (period: StatisticsPeriod) => sqlite.prepare(`SELECT ${TIME_KEYS[period]} AS key, ${TIME_KEYS[period]} AS label, ${SUMS}
    FROM "transaction" t WHERE ${RANGE} GROUP BY 1, t.currency ORDER BY 1, t.currency`);
  return {
    day: byTime('day'), week: byTime('week'), month: byTime('month'),
    charger: sqlite.prepare(`SELECT c.charge_point_id AS key, coalesce(c.name, c.charge_point_id) AS label, ${SUMS}
      FROM "transaction" t JOIN charger c ON c.id = t.charger_id WHERE ${RANGE}
      GROUP BY c.id, t.currency ORDER BY c.charge_point_id, t.currency`),
    // Sessions of an idTag with no user are one "no driver" row, not lost.
    driver: sqlite.prepare(`SELECT coalesce(CAST(u.id AS TEXT), '') AS key, coalesce(u.full_name, 'No driver') AS label, ${SUMS}
      FROM "transaction" t LEFT JOIN user u ON u.id = t.user_id WHERE ${RANGE}
      GROUP BY u.id, t.currency ORDER BY u.id IS NULL, label, u.id, t.currency`),
  };
}

export class Statistics {
  private readonly stmts: ReturnType<typeof statements>;
  constructor(sqlite: Sqlite) { this.stmts = statements(sqlite); }

  rows(q: StatisticsQuery): StatisticsRow[] {
    const stmt = q.groupBy === 'time' ? this.stmts[q.period] : this.stmts[q.groupBy];
    return stmt.all({ from: q.from ?? null, to: q.to ?? null }) as StatisticsRow[];
  }
}
