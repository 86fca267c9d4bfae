// The list envelope and the query-string helpers shared by the list routes. Every list answer is
// { <rows named for what they are>: [...], ...paging }: with offset paging { total, limit, offset },
// with newest-first cursor paging { limit, nextBefore } (the id to pass as ?before= for the next page, null
// at the end). web/src/api-types.js declares the same shapes for the admin page.
import { HttpError, type ApiRequest } from '../http.js';
import { intParam } from './chargerCalls.js';

export interface Page { limit: number; offset: number }

/** The paging part of an offset-paged list answer. */
export const offsetPaging = (total: number, page: Page) => ({ total, limit: page.limit, offset: page.offset });

/** The paging part of a cursor-paged list answer (rows newest first, by id). */
export const cursorPaging = (rows: ReadonlyArray<{ id: number }>, limit: number) =>
  ({ limit, nextBefore: rows.length >= limit ? rows[rows.length - 1]!.id : null }); // a log page may hold limit + 1 (messageLog.ts)

export function pageOf(req: ApiRequest, defaultLimit = 50, maxLimit = 500): Page {
  const limit = limitParam(req, defaultLimit, maxLimit);
  const offset = intParam(req.query.get('offset'), 'offset') ?? 0;
  if (offset < 0) throw new HttpError(400, 'invalid_parameter', 'offset must be 0 or more');
  return { limit, offset };
}

/** ?limit= in 1..max, the default when absent (SQLite reads a negative LIMIT as no limit at all). */
export function limitParam(req: ApiRequest, defaultLimit: number, maxLimit: number): number {
  const limit = intParam(req.query.get('limit'), 'limit') ?? defaultLimit;
  if (limit < 1 || limit > maxLimit) throw new HttpError(400, 'invalid_parameter', `limit must be 1..${maxLimit}`);
  return limit;
}

/** An ISO-8601 time from the query, normalized to UTC ISO so it compares as text with stored times. */
export function timeParam(req: ApiRequest, name: string): string | undefined {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return undefined;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw new HttpError(400, 'invalid_parameter', `${name} must be an ISO-8601 time, e.g. 2024-05-01T00:00:00Z`);
  return new Date(t).toISOString();
}

/**
 * ?sort=<key> (ascending) or ?sort=-<key> (descending), one of the list's `keys`; undefined when absent
 * (the list's own default). Anything else is 400 naming the keys, so a typo is not silently ignored.
 */
export function sortParam<K extends string>(req: ApiRequest, keys: readonly K[]): { key: K; desc: boolean } | undefined {
  const raw = req.query.get('sort');
  if (raw === null || raw === '') return undefined;
  const desc = raw.startsWith('-');
  const key = (desc ? raw.slice(1) : raw) as K;
  if (!keys.includes(key)) {
    throw new HttpError(400, 'invalid_parameter', `sort must be one of ${keys.join(', ')} (a leading - sorts descending)`, { sort: raw, allowed: keys });
  }
  return { key, desc };
}

export function idParam(raw: string | undefined, what: string): number {
  if (raw === undefined || !/^\d+$/.test(raw)) throw new HttpError(404, `${what}_not_found`, `no ${what.replace('_', ' ')} ${raw}`);
  return Number(raw);
}
