// Settings, the site card: name, id, MQTT sync and storage state; admins edit name, site id and the
// MQTT broker here (PUT /api/admin/site) instead of in the config file.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, store, useLive } from '../store.js';
import { ErrorBox, Field, Form, Loading, fmt, useAsync } from '../ui.js';
import { syncErrorOf } from '../model.js';
import { loadHealth } from '../health.js'; // a degraded site's 503 body is what to show

const mb = (bytes) => (bytes == null ? '–' : `${Math.round(bytes / 1e6)} MB free`);

const RestartNote = () => html`<p role="status" data-testid="restart-note">
  <strong>Restart needed:</strong> ${'the new site id or MQTT broker takes effect after a restart'} (<code>sudo systemctl restart ocpp-edge</code>).</p>`;

/** Only what changed is sent: an unchanged (masked) broker URL must not overwrite the stored one. */
function changes(d, s) {
  const body = {};
  if (d.siteName.trim() !== (s.siteName || '')) body.siteName = d.siteName.trim();
  if (d.siteId.trim() !== (s.siteId || '')) body.siteId = d.siteId.trim();
  const url = d.mqttUrl.trim() || null; // empty turns the sync off
  if (url !== (s.mqttUrl ?? null)) body.mqttUrl = url;
  if (Object.keys(body).length === 0) throw new Error('nothing changed');
  return body;
}

function SiteEdit({ s, onSaved, onCancel }) {
  return html`<div data-testid="site-edit">
    <${Form} label="Save site" okText=""
      submit=${(d) => api('/api/admin/site', { method: 'PUT', body: changes(d, s) })}
      onDone=${onSaved}>
      <${Field} label="Site name" name="siteName" value=${s.siteName} required />
      <${Field} label="Site id (letters, digits, . _ -; used in MQTT topics)" name="siteId" value=${s.siteId} required />
      <${Field} label="MQTT broker URL (empty: sync off)" name="mqttUrl" value=${s.mqttUrl} placeholder="mqtts://broker.example.com:8883" />
      <p class="muted">A password in the URL is shown as ****; leave it so to keep it. Site id and broker apply after a restart.</p>
    </${Form}>
    <button onClick=${onCancel}>Cancel</button>
  </div>`;
}

export function SiteCard() {
  const site = useAsync(() => api('/api/admin/site'));
  const health = useAsync(loadHealth);
  const [edit, setEdit] = useState({ open: false, saved: undefined });
  // the saved answer is newer than what was loaded, until the next load
  const refresh = () => { setEdit({ open: false, saved: undefined }); site.reload(); health.reload(); };
  useLive(({ type }) => { if (type === 'resync') refresh(); }, []);
  const s = { ...(site.data || {}), ...(edit.saved || {}) };
  const h = health.data || {};
  const mqtt = h.mqtt || {};
  const lastError = syncErrorOf(mqtt.lastError);
  const storage = h.storage || {};
  const stateClass = mqtt.state === 'connected' ? 'ok' : mqtt.enabled === false ? 'off' : 'bad';
  const saved = (r) => {
    // the header shows the site name from the store: update it without a reload
    store.set({ site: { ...store.get().site, siteName: r.siteName, siteId: r.siteId } });
    setEdit({ open: false, saved: r });
  };
  return html`<div class="card" data-testid="site-card">
    <h3>Site</h3>
    <${ErrorBox} error=${site.error} />
    <${ErrorBox} error=${health.error} />
    <${Loading} when=${site.loading && !site.data} />
    <dl class="facts">
      <dt>Name</dt><dd data-testid="site-name">${s.siteName || '–'}</dd>
      <dt>Site id</dt><dd data-testid="site-id">${s.siteId || '–'}</dd>
      <dt>MQTT broker</dt><dd data-testid="site-mqtt">${s.mqttUrl || 'off'}</dd>
      <dt>Currency</dt><dd>${s.currency || 'no default tariff'}</dd>
      <dt>Demo</dt><dd>${s.demo ? 'yes (throwaway data)' : 'no'}</dd>
      <dt>Version</dt><dd data-testid="version">${h.version || '–'}</dd>
      <dt>Health</dt><dd>${h.status ? html`<span class=${`badge ${h.status === 'ok' ? 'ok' : 'bad'}`}>${h.status}</span>` : '–'}</dd>
    </dl>
    ${edit.saved && !edit.open && html`<p class="result" role="status" data-testid="site-saved">Saved: ${edit.saved.siteName} (${edit.saved.siteId}), MQTT ${edit.saved.mqttUrl || 'off'}.</p>`}
    ${s.restartRequired && html`<${RestartNote} />`}
    ${isAdmin() && (edit.open
      ? html`<${SiteEdit} s=${s} onSaved=${saved} onCancel=${() => setEdit({ ...edit, open: false })} />`
      : html`<p><button onClick=${() => setEdit({ ...edit, open: true })}>Edit</button></p>`)}
    <h4>MQTT sync</h4>
    <dl class="facts" data-testid="mqtt">
      <dt>State</dt><dd>${health.data
        ? html`<span class=${`badge ${stateClass}`}>${mqtt.enabled === false ? 'disabled' : mqtt.state || 'unknown'}</span>`
        : '–' /* not "unknown" while health is still loading */}</dd>
      <dt>Broker</dt><dd>${mqtt.broker || '–'}</dd>
      <dt>Connected since</dt><dd>${fmt.time(mqtt.connectedSince)}</dd>
      <dt>Last publish</dt><dd data-testid="mqtt-last-publish">${mqtt.lastPublishAt ? html`<time datetime=${mqtt.lastPublishAt}>${fmt.time(mqtt.lastPublishAt)}</time>` : '–'}</dd>
      <dt>Last error</dt><dd data-testid="mqtt-last-error">${lastError ? html`${lastError.message}${lastError.at && html` (<time datetime=${lastError.at}>${fmt.time(lastError.at)}</time>)`}` : 'none'}</dd>
      <dt>Next retry</dt><dd>${fmt.time(mqtt.nextRetryAt)}</dd>
      <dt>Backlog</dt><dd data-testid="mqtt-backlog">${h.outbox ? `${h.outbox.backlog} event(s)${h.outbox.oldestUnsent ? `, oldest ${fmt.time(h.outbox.oldestUnsent)}` : ''}` : '–'}</dd>
    </dl>
    <h4>Storage</h4>
    <dl class="facts" data-testid="storage">
      <dt>State</dt><dd>${storage.status ? html`<span class=${`badge ${storage.status === 'ok' ? 'ok' : 'bad'}`}>${storage.status}</span>` : '–'}</dd>
      <dt>Disk</dt><dd>${mb(storage.freeBytes)}${storage.lowSpace ? ' (low)' : ''}</dd>
      <dt>Database</dt><dd>${h.database || '–'}</dd>
      ${storage.lastWriteError && html`<dt>Write error</dt><dd>${storage.lastWriteError.code}: ${storage.lastWriteError.message} (${fmt.time(storage.lastWriteError.at)})</dd>`}
    </dl>
    <p><button onClick=${refresh}>Refresh</button></p>
  </div>`;
}
