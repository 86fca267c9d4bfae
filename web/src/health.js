// The server's own state for the dashboard: /api/health (a degraded site answers 503 with the same
// body, which is exactly what to show) and the storage problems it reports in plain words.
import { html } from './html.js';
import { api, ApiError } from './api.js';
import { fmt } from './ui.js';

export async function loadHealth() {
  try {
    return await api('/api/health');
  } catch (err) {
    if (err instanceof ApiError && err.status === 503 && err.body && typeof err.body.status === 'string') return err.body;
    throw err;
  }
}

const gb = (bytes) => (bytes == null ? '–' : bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`);

/** What is wrong with the database or its disk, one sentence each (empty when all is well). */
export function healthProblems(h) {
  if (!h) return [];
  const out = [];
  if (h.database && h.database !== 'ok') out.push('The database does not answer: chargers get errors. See the server log.');
  const s = h.storage || {};
  if (s.lowSpace) out.push(`Disk nearly full: ${gb(s.freeBytes)} free for the database. Lower retention or free space.`);
  const w = s.lastWriteError;
  if (w) out.push(`Database writes are failing (${w.code}) since ${fmt.time(w.at)}: ${w.message}. Chargers get errors until space is freed.`);
  return out;
}

/** `lost`: the page cannot reach the server, so the last health answer is not shown as current. */
export const ServerTile = ({ health, lost = false }) => html`<div class=${`tile${lost ? ' lost' : ''}`} data-testid="health-tile"><span>Server</span>
  <strong data-testid="health-status">${lost ? 'unreachable' : health?.status ?? '–'}</strong>
  <small data-testid="health-free">disk ${gb(health?.storage?.freeBytes)} free</small></div>`;

export function HealthAlert({ health }) {
  const problems = healthProblems(health);
  return problems.length ? html`<div class="error" role="alert" data-testid="health-alert">${problems.map((p) => html`<p>${p}</p>`)}</div>` : null;
}
