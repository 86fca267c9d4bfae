// Pushed events come in bursts (one MeterValues is a logged frame in, a transaction.updated and the
// logged answer out). A page patches what an event carries itself; for what it does not carry, the
// page names the part to fetch again, and each named part is fetched once per burst and at most once
// every `ms`: a charger talking constantly never makes an open page download its state each time.
import { useEffect, useMemo, useRef } from 'preact/hooks';

/**
 * `loaders` maps a part's name to its reload (useAsync's reload); the answer asks for parts by name.
 * The latest render's loaders run; the interval restarts only when `deps` change.
 * @param {Record<string, () => unknown>} loaders
 * @param {number} ms
 * @param {unknown[]} deps  when the loaders change (e.g. the page's id)
 * @returns {(...parts: string[]) => void}
 */
export function useRefetch(loaders, ms, deps) {
  const current = useRef(loaders);
  current.current = loaders;
  const r = useMemo(() => {
    const wanted = new Set();
    let timer;
    let last = -Infinity;
    const flush = () => {
      timer = undefined;
      last = Date.now();
      const parts = [...wanted];
      wanted.clear();
      for (const p of parts) current.current[p]();
    };
    const ask = (...parts) => {
      for (const p of parts) wanted.add(p);
      // A short wait gathers the rest of the burst; after a fetch, the next waits out the interval.
      if (!timer) timer = setTimeout(flush, Math.max(100, last + ms - Date.now()));
    };
    ask.cancel = () => clearTimeout(timer);
    return ask;
  }, deps);
  useEffect(() => r.cancel, [r]);
  return r;
}
