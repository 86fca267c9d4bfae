// Settings: the site and its MQTT/storage state, one's own password, and (admins only, as the API
// allows only admins to read them) staff accounts and API tokens.
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, store, useLive } from '../store.js';
import { ErrorBox, Field, Form, Loading, fmt, useAsync } from '../ui.js';
import { StaffCard, TokensCard } from './settingsAccess.js';

/** /api/health answers 503 with the same body when degraded: that body is what we want to show. */
async function loadHealth() {
  let res;
  try { res = await fetch('/api/health', { headers: { accept: 'application/json' } }); } catch (err) {
    throw new Error(`cannot reach the server (${err.message})`);
  }
  const body = await res.json().catch(() => undefined);
  if (!body) throw new Error(`health check answered ${res.status} without a body`);
  return body;
}

const mb = (bytes) => (bytes == null ? '–' : `${Math.round(bytes / 1e6)} MB free`);

function SiteCard() {
  const site = useAsync(() => api('/api/site'));
  const health = useAsync(loadHealth);
  useLive(({ type }) => { if (type === 'resync') health.reload(); }, []);
  const s = site.data || {};
  const h = health.data || {};
  const mqtt = h.mqtt || {};
  const storage = h.storage || {};
  const stateClass = mqtt.state === 'connected' ? 'ok' : mqtt.enabled === false ? 'off' : 'bad';
  return html`<div class="card" data-testid="site-card">
    <h3>Site</h3>
    <${ErrorBox} error=${site.error} />
    <${ErrorBox} error=${health.error} />
    <${Loading} when=${site.loading && !site.data} />
    <dl class="facts">
      <dt>Name</dt><dd data-testid="site-name">${s.siteName || '–'}</dd>
      <dt>Site id</dt><dd>${s.siteId || '–'}</dd>
      <dt>Currency</dt><dd>${s.currency || 'no default tariff'}</dd>
      <dt>Demo</dt><dd>${s.demo ? 'yes (throwaway data)' : 'no'}</dd>
      <dt>Version</dt><dd data-testid="version">${h.version || '–'}</dd>
      <dt>Health</dt><dd>${h.status ? html`<span class=${`badge ${h.status === 'ok' ? 'ok' : 'bad'}`}>${h.status}</span>` : '–'}</dd>
    </dl>
    <h4>MQTT sync</h4>
    <dl class="facts" data-testid="mqtt">
      <dt>State</dt><dd><span class=${`badge ${stateClass}`}>${mqtt.enabled === false ? 'disabled' : mqtt.state || 'unknown'}</span></dd>
      <dt>Broker</dt><dd>${mqtt.broker || '–'}</dd>
      <dt>Connected since</dt><dd>${fmt.time(mqtt.connectedSince)}</dd>
      <dt>Last publish</dt><dd>${fmt.time(mqtt.lastPublishAt)}</dd>
      <dt>Last error</dt><dd>${mqtt.lastError || 'none'}</dd>
      <dt>Next retry</dt><dd>${fmt.time(mqtt.nextRetryAt)}</dd>
      <dt>Backlog</dt><dd>${h.outbox ? `${h.outbox.backlog} event(s)${h.outbox.oldestUnsent ? `, oldest ${fmt.time(h.outbox.oldestUnsent)}` : ''}` : '–'}</dd>
    </dl>
    <h4>Storage</h4>
    <dl class="facts" data-testid="storage">
      <dt>State</dt><dd>${storage.status ? html`<span class=${`badge ${storage.status === 'ok' ? 'ok' : 'bad'}`}>${storage.status}</span>` : '–'}</dd>
      <dt>Disk</dt><dd>${mb(storage.freeBytes)}${storage.lowSpace ? ' (low)' : ''}</dd>
      <dt>Database</dt><dd>${h.database || '–'}</dd>
      ${storage.lastWriteError && html`<dt>Write error</dt><dd>${storage.lastWriteError.code}: ${storage.lastWriteError.message} (${fmt.time(storage.lastWriteError.at)})</dd>`}
    </dl>
    <p><button onClick=${() => { site.reload(); health.reload(); }}>Refresh</button></p>
  </div>`;
}

function PasswordCard() {
  const user = store.get().user;
  return html`<div class="card" data-testid="password-card">
    <h3>My account</h3>
    <p>${user.username} (${user.role})</p>
    <${Form} label="Change password" okText=""
      submit=${(d) => {
        if (d.newPassword !== d.repeatPassword) throw new Error('the two new passwords differ');
        return api('/api/auth/password', { method: 'PUT', body: { currentPassword: d.currentPassword, newPassword: d.newPassword } });
      }}
      onDone=${() => store.set({ user: null, csrf: null })}>
      <${Field} label="Current password" name="currentPassword" type="password" autocomplete="current-password" required />
      <${Field} label="New password (at least 10 characters)" name="newPassword" type="password" autocomplete="new-password" required />
      <${Field} label="New password again" name="repeatPassword" type="password" autocomplete="new-password" required />
      <p class="muted">Changing it ends all your sessions, this one too: log in again with the new password.</p>
    </${Form}>
  </div>`;
}

export function SettingsPage() {
  return html`<section>
    <h1>Settings</h1>
    <div class="cols">
      <${SiteCard} />
      <${PasswordCard} />
    </div>
    ${isAdmin()
      ? html`<${StaffCard} /><${TokensCard} />`
      : html`<p class="muted" data-testid="admin-only">Staff accounts and API tokens are managed by admins.</p>`}
  </section>`;
}
