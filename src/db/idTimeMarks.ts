// Server-time marks on a table's id sequence: "every row with id <= N had been written by time T".
// meter_value keeps only the charger's clock (no received-at column: it is the hottest table on an SD
// card), and a charger's clock can be far off (1970 after a reboot, a year ahead). Ids only grow (max + 1,
// and retention never deletes the newest row), so marks taken by the server tell which rows were received before a cut-off,
// whatever the chargers said. Stored as one JSON row in the setting table.
import type { Sqlite } from './index.js';
import { settingRow, type SettingRow } from './settingRow.js';

/** A server clock before this has not been set yet (a Pi has no RTC): no mark is taken then. */
export const EARLIEST_PLAUSIBLE = '2024-01-01T00:00:00.000Z';

interface State {
  /** Rows up to this id were written before the first mark (an upgraded database): when is unknown. */
  legacyMaxId: number;
  /** [time, max id at that time], in time order. */
  marks: Array<[string, number]>;
}

export class IdTimeMarks {
  private readonly maxIdStmt;
  private readonly stored: SettingRow<State>;

  constructor(sqlite: Sqlite, table: string) {
    this.stored = settingRow<State>(sqlite, `retention.idMarks.${table}`);
    this.maxIdStmt = sqlite.prepare(`SELECT max(rowid) AS id FROM "${table}"`);
  }

  /**
   * Notes the highest id now. Older marks are kept at least spacingMs apart (the newest one is
   * replaced instead), so the list stays short and a prune lags the cut-off by at most spacingMs.
   * Call inside a write transaction.
   */
  record(now: string, spacingMs: number): void {
    if (now < EARLIEST_PLAUSIBLE) return;
    const maxId = (this.maxIdStmt.get() as { id: number | null }).id ?? 0;
    const state = this.stored.load() ?? { legacyMaxId: maxId, marks: [] };
    // Marks from a time the clock ran ahead would claim rows are older than they are: drop them.
    const marks = state.marks.filter(([t]) => t <= now);
    const beforeLast = marks.at(-2);
    if (beforeLast && Date.parse(now) - Date.parse(beforeLast[0]) < spacingMs) marks[marks.length - 1] = [now, maxId];
    else marks.push([now, maxId]);
    this.stored.save({ legacyMaxId: state.legacyMaxId, marks });
  }

  /** The highest id the server had written by `cutoff` (0 when none is known); forgets the marks before it. */
  receivedBefore(cutoff: string): number {
    const state = this.stored.load();
    if (!state) return 0;
    let best = -1;
    state.marks.forEach(([t], i) => { if (t <= cutoff) best = i; });
    if (best < 0) return 0;
    const id = state.marks[best]![1];
    const legacyMaxId = id >= state.legacyMaxId ? 0 : state.legacyMaxId;
    if (best > 0 || legacyMaxId !== state.legacyMaxId) this.stored.save({ legacyMaxId, marks: state.marks.slice(best) });
    return id;
  }

  /** Rows up to this id predate the marks (0 when none are left uncovered). */
  legacyMaxId(): number {
    return this.stored.load()?.legacyMaxId ?? 0;
  }
}
