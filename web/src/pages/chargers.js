// Chargers: the list with online state, and (admins) registering a new one with its password.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, useLive } from '../store.js';
import { Badge, ErrorBox, Field, Form, Link, Loading, clean, fmt, useAsync } from '../ui.js';
import { chargerKey, connectorsOf, isOnline, loadChargers } from '../model.js';
import { SortSelect, SortTh, sortRows } from '../sort.js';

// The list is loaded whole, so it is sorted here.
const SORT_KEYS = ['name', 'state', 'model', 'heard'];
const SORT_CHOICES = [['name', 'Name (A–Z)'], ['-name', 'Name (Z–A)'], ['state', 'Offline first'], ['-state', 'Online first'], ['heard', 'Longest silent first'], ['model', 'Model']];

export const stationsOptions = (stations) => [['', '(none)'], ...stations.map((s) => [String(s.id), s.name])];

export async function loadStations() {
  try { return (/** @type {import('../api-types.js').StationList} */ (await api('/api/admin/stations'))).stations; } catch { return []; }
}

/** Body for POST/PUT: numbers where the API wants numbers; a blank password means "unchanged". */
export function chargerBody(data) {
  const body = clean(data);
  if (body.stationId !== undefined) body.stationId = Number(body.stationId);
  if (body.securityProfile !== undefined) body.securityProfile = Number(body.securityProfile);
  return body;
}

/** The whitepaper's profiles, as the charger's own settings name them. */
export const PROFILE_OPTIONS = [
  ['1', '1: password over ws:// or wss://'], ['2', '2: password, TLS (wss://) only'], ['3', '3: client certificate (TLS)'],
];

/** A password to type into a charger: 16 characters without look-alikes (0/O, 1/l/I), from the browser's CSPRNG. */
export function newChargerPassword() {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from(crypto.getRandomValues(new Uint32Array(16)), (n) => alphabet[n % alphabet.length]).join('');
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;
const profileWords = (p) => (PROFILE_OPTIONS.find(([v]) => v === String(p ?? '1')) || PROFILE_OPTIONS[0])[1];

/** What to type into the charger's OCPP settings, right after registering it (the password is shown once). */
function ConnectionCard({ charger }) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const base = `${scheme}://${location.host}/ocpp/`;
  return html`<div class="card setup-card" data-testid="connection-card" role="status">
    <h3>${charger.id} is registered. Type this into the charger:</h3>
    <dl class="facts">
      <dt>Central system URL</dt><dd><code data-testid="conn-url">${base}</code></dd>
      <dt>Charge point identity</dt><dd><code data-testid="conn-id">${charger.id}</code></dd>
      <dt>Full address</dt><dd><code data-testid="conn-full">${base}${encodeURIComponent(charger.id)}</code></dd>
      <dt>Password (AuthorizationKey)</dt><dd>${charger.password ? html`<code data-testid="conn-password">${charger.password}</code>` : 'none (the charger connects without one, if the site allows it)'}</dd>
      <dt>Security profile</dt><dd data-testid="conn-profile">${profileWords(charger.securityProfile)}</dd>
    </dl>
    ${charger.securityProfile === '2' && scheme === 'ws' && html`<p class="error" data-testid="conn-warning">Profile 2 connects only over TLS (wss://): this page is open without it, so turn TLS on (see the README) and use the wss:// address of this server.</p>`}
    ${charger.securityProfile === '3' && html`<p class="muted" data-testid="conn-warning">Profile 3 uses a client certificate instead of the password, on the server's certificate port (http.tls.mtlsPort), e.g. wss://${location.hostname}:8444/ocpp/${encodeURIComponent(charger.id)}.</p>`}
    ${LOOPBACK.test(location.hostname) && html`<p class="muted" data-testid="conn-loopback">This page is open on ${location.hostname}: a charger needs this server's address on its own network instead (the link printed at start shows it).</p>`}
    <p class="muted">Some chargers want the URL with the identity at the end (the full address), others the two apart. The password is not shown again.</p>
    <p><${Link} href=${`/chargers/${encodeURIComponent(charger.id)}`}>Open ${charger.id}</${Link}></p>
  </div>`;
}

export function ChargersPage() {
  const [registered, setRegistered] = useState(/** @type {{ id: string, password: string, securityProfile: string } | null} */ (null));
  const [suggested] = useState(newChargerPassword);
  const chargers = useAsync(loadChargers);
  const stations = useAsync(loadStations);
  // Every frame a charger sends arrives as a 'log' event: "Last heard" follows it without a reload.
  const [heard, setHeard] = useState(/** @type {Record<string, string>} */ ({}));
  useLive(({ type, data }) => {
    if (type === 'resync' || type.startsWith('charger.')) chargers.reload();
    if (type === 'log' && data.direction === 'IN') setHeard((h) => ({ ...h, [data.chargePointId]: data.createdAt }));
  }, []);
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();
  const [order, setOrder] = useState({ key: 'name', desc: false });
  const lastHeard = (c) => [heard[c.chargePointId], c.lastSeenAt, c.lastHeartbeatAt].filter(Boolean).sort().pop();
  const sortValue = (c, k) => (k === 'name' ? c.name || c.chargePointId : k === 'state' ? (isOnline(c) ? 1 : 0)
    : k === 'model' ? [c.vendor, c.model].filter(Boolean).join(' ') : lastHeard(c) || '');
  const found = (chargers.data || []).filter((c) => !needle || [c.chargePointId, c.name, c.vendor, c.model].some((v) => v && v.toLowerCase().includes(needle)));
  const list = sortRows(found, order, sortValue);
  const th = (label, k) => html`<${SortTh} label=${label} k=${k} order=${order} onSort=${setOrder} />`;
  return html`<section>
    <h1>Chargers</h1>
    <label>Search chargers <input type="search" name="q" placeholder="id, name or model" onInput=${(e) => setQ(e.currentTarget.value)} /></label>
    <${ErrorBox} error=${chargers.error} />
    <${Loading} when=${chargers.loading && !chargers.data} />
    <${SortSelect} choices=${SORT_CHOICES} keys=${SORT_KEYS} order=${order} onSort=${setOrder} />
    <div class="table-wrap"><table class="cards" data-list="chargers">
      <thead><tr>${th('Charger', 'name')}${th('State', 'state')}<th>Connectors</th>${th('Model', 'model')}${th('Last heard', 'heard')}</tr></thead>
      <tbody>${list.map((c) => {
        const cpId = chargerKey(c);
        return html`<tr data-charger=${cpId}>
          <td class="main" data-label=""><${Link} href=${`/chargers/${encodeURIComponent(cpId)}`}>${cpId}</${Link}>${c.name ? html`<br /><small>${c.name}</small>` : ''}</td>
          <td data-label="State" data-testid="state"><span class=${`badge ${isOnline(c) ? 'ok' : 'off'}`}>${isOnline(c) ? 'online' : 'offline'}</span></td>
          <td data-label="Connectors">${connectorsOf(c).map((k) => html`<span>#${k.connectorId} <${Badge} status=${k.status} /> </span>`)}</td>
          <td data-label="Model">${[c.vendor, c.model].filter(Boolean).join(' ') || '–'}</td>
          <td data-label="Last heard" data-testid="last-heard">${fmt.time(lastHeard(c))}</td>
        </tr>`;
      })}</tbody>
    </table></div>
    ${chargers.data && list.length === 0 && html`<p>${needle ? 'No charger matches.' : 'No chargers registered.'}</p>`}
    ${isAdmin() && html`<h2>Register a charger</h2>
      ${registered && html`<${ConnectionCard} charger=${registered} />`}
      <${Form} label="Register" okText="" submit=${(d) => api('/api/admin/chargers', { method: 'POST', body: chargerBody(d) })}
        onDone=${(_r, form) => {
          setRegistered({ id: form.chargePointId.value, password: form.password.value, securityProfile: form.securityProfile.value });
          form.reset();
          form.password.value = newChargerPassword(); // never the same password for two chargers
          chargers.reload();
        }}>
        <${Field} label="Charge point id (as in the charger's URL)" name="chargePointId" required />
        <${Field} label="Name" name="name" />
        <label>Station <select name="stationId">${stationsOptions(stations.data || []).map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select></label>
        <label>Security profile <select name="securityProfile">${PROFILE_OPTIONS.map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select></label>
        <label>Password (AuthorizationKey)
          <span class="row"><input name="password" type="text" autocomplete="off" spellcheck="false" defaultValue=${suggested} />
          <button type="button" onClick=${(e) => { e.currentTarget.form.password.value = newChargerPassword(); }}>New password</button></span></label>
      </${Form}>`}
  </section>`;
}
