// A server-paged list shown a page at a time (the Sessions list: a phone never gets 200 rows at once).
// "Show more" fetches the next page by offset and appends it; a reload (a pushed event, a retry) fetches
// again every row already shown, so the rows staff paged down to stay. Rows are kept unique by id: when
// new rows arrive at the top between two pages, the next offset starts on rows already shown.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** The API's largest page (routes/paging.ts pageOf). */
const MAX_LIMIT = 500;

/**
 * @template {{ id: number }} T
 * @param {T[]} rows
 */
const uniqueById = (rows) => {
  const seen = new Set();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
};

/**
 * @template {{ id: number }} T
 * @param {(page: { offset: number, limit: number }) => Promise<{ rows: T[], total: number }>} load
 * @param {unknown[]} deps  what the list is (filters, sort): a change starts again at one page
 * @param {number} page  rows per page
 */
export function usePagedList(load, deps, page = 50) {
  const [s, setS] = useState(/** @type {{ rows: T[] | undefined, total: number, error: unknown, loading: boolean, more: boolean }} */
    ({ rows: undefined, total: 0, error: undefined, loading: true, more: false }));
  const wanted = useRef(page); // rows shown: what a reload fetches again
  // The newest request wins: an older answer arriving late (a reload overtaken by Show more) is dropped.
  const generation = useRef(0);
  const fetchRows = useCallback(async (offset, count) => {
    const rows = [];
    let total = 0;
    while (rows.length < count) {
      const got = await load({ offset: offset + rows.length, limit: Math.min(MAX_LIMIT, count - rows.length) });
      rows.push(...got.rows);
      total = got.total;
      if (got.rows.length === 0 || offset + rows.length >= total) break;
    }
    return { rows, total };
  }, deps);
  const settle = (g, next) => { if (g === generation.current) setS(next); };
  const fail = (g) => (error) => settle(g, (p) => ({ ...p, error, loading: false, more: false }));

  const reload = useCallback(() => {
    const g = ++generation.current;
    fetchRows(0, wanted.current).then(({ rows, total }) =>
      settle(g, { rows: uniqueById(rows), total, error: undefined, loading: false, more: false }), fail(g));
  }, [fetchRows]);
  useEffect(() => {
    wanted.current = page;
    reload();
    return () => { generation.current++; };
  }, [reload]);

  const showMore = () => {
    const have = s.rows?.length ?? 0;
    // Counted before the fetch: a reload that overtakes this one fetches the longer list itself.
    wanted.current = have + page;
    const g = ++generation.current;
    setS((p) => ({ ...p, more: true }));
    fetchRows(have, page).then(({ rows, total }) =>
      settle(g, (p) => ({ rows: uniqueById([...(p.rows ?? []), ...rows]), total, error: undefined, loading: false, more: false })), fail(g));
  };
  return { ...s, reload, showMore, hasMore: s.rows !== undefined && s.rows.length < s.total };
}
