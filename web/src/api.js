// fetch wrapper for the JSON API: session cookie + CSRF header, and errors turned into readable text.
import { store } from './store.js';
import { plainError } from './words.js';

export class ApiError extends Error {
  /** `body` is the parsed answer (e.g. /api/health's 503 body, which is still worth showing). */
  constructor(status, code, message, details, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.body = body;
  }
}

/**
 * `raw` (a File or Blob) is sent as the body itself (application/octet-stream) instead of JSON;
 * with `blob` a successful answer comes back as a Blob (a download), errors as usual. The answer's shape
 * is declared in api-types.js; callers cast to it (e.g. `@type {import('./api-types.js').UserList}`).
 * @param {string} path
 * @param {{ method?: string, body?: unknown, raw?: Blob, blob?: boolean }} [options]
 * @returns {Promise<any>}
 */
export async function api(path, { method = 'GET', body, raw, blob } = {}) {
  const headers = { accept: blob ? '*/*' : 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (raw !== undefined) headers['content-type'] = 'application/octet-stream';
  const { csrf } = store.get();
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  let res;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  } catch (err) {
    throw new ApiError(0, 'network', `cannot reach the server (${err.message})`);
  }
  if (res.ok && blob) return res.blob();
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (!res.ok) {
    const e = json && json.error;
    // A lost session sends the user back to the login form (not for the login call itself).
    if (res.status === 401 && !path.startsWith('/api/auth/login')) store.set({ user: null, csrf: null });
    // A charger's refusal comes back as 409 with its answer's {status}, not an {error} (reservations,
    // charging profiles). Any other status with a `status` field is not a charger's.
    const answer = res.status === 409 && !e && json && json.status;
    const refused = typeof answer === 'string' ? `the charger answered ${answer}` : undefined;
    throw new ApiError(res.status, (e && e.code) || (refused ? 'charger_refused' : `http_${res.status}`),
      (e && e.message) || refused || text.slice(0, 200) || res.statusText, e && e.details, json);
  }
  return json;
}

/** The sentence shown for any error (words.js): never a status code, JSON or a pattern. */
export function errorText(err) {
  if (!(err instanceof ApiError)) return String((err && err.message) || err);
  return plainError(err);
}
