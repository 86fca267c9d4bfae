// First run: create the first admin and set up the site with the one-time token from the server's
// console (the link http://<host>:<port>/#/setup?token=…). POST /api/setup logs the new admin in.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { store } from '../store.js';
import { ErrorBox } from '../ui.js';

/** "0.35" -> 35 minor units (two decimals, as the rest of the page shows money). */
const toMinor = (text) => Math.round(Number(String(text).replace(',', '.')) * 100);

function leaveSetup() {
  history.replaceState(null, '', '/');
  store.set({ path: '/', hash: '' });
}

export function SetupPage({ token }) {
  const [s, setS] = useState(/** @type {{ busy?: boolean, error?: unknown, done?: any }} */ ({ busy: false, error: undefined, done: undefined }));
  const site = store.get().site;
  const submit = async (e) => {
    e.preventDefault();
    const f = /** @type {Record<string, string>} */ (Object.fromEntries(new FormData(e.currentTarget)));
    if (f.password !== f.password2) return setS({ error: new Error('the two passwords differ') });
    const body = { token, username: f.username.trim(), password: f.password, currency: f.currency.trim().toUpperCase() };
    if (f.siteName.trim()) body.siteName = f.siteName.trim();
    if (f.siteId.trim()) body.siteId = f.siteId.trim();
    if (f.pricePerKwh.trim()) {
      body.tariff = { name: 'Standard', pricePerKwh: toMinor(f.pricePerKwh) };
      if (f.sessionFee.trim()) body.tariff.sessionFee = toMinor(f.sessionFee);
    }
    if (f.mqttUrl.trim()) body.mqttUrl = f.mqttUrl.trim();
    setS({ busy: true });
    try {
      const r = await api('/api/setup', { method: 'POST', body });
      store.set({ site: { ...store.get().site, ...r.site, setupRequired: false } });
      setS({ busy: false, done: r });
    } catch (error) {
      setS({ busy: false, error });
    }
  };
  if (s.done) {
    const enter = () => { store.set({ user: s.done.user, csrf: s.done.csrfToken }); leaveSetup(); };
    return html`<main class="login">
      <h1>${s.done.site.siteName} is set up</h1>
      <div class="card">
        <p class="result" data-testid="setup-done">You are logged in as ${s.done.user.username}. The setup link no longer works.</p>
        ${s.done.restartNeeded ? html`<p>Note: ${s.done.restartNeeded}.</p>` : null}
        <p>Next: register your chargers and point them at <code>ws://${location.hostname}:${location.port || 80}/ocpp/${'<id>'}</code>.</p>
        <button class="primary" onClick=${enter}>Open the dashboard</button>
      </div>
    </main>`;
  }
  if (site && !site.setupRequired) {
    return html`<main class="login"><h1>Already set up</h1>
      <p class="card">This site already has an admin login. <a href="/" onClick=${(e) => { e.preventDefault(); leaveSetup(); }}>Log in</a></p></main>`;
  }
  return html`<main class="login setup">
    <h1>Set up ocpp-edge</h1>
    <form class="form card" onSubmit=${submit}>
      ${token ? null : html`<p class="error" role="alert">This link has no setup token: use the whole link the server printed.</p>`}
      <h2>Your admin login</h2>
      <label>Username <input name="username" autocomplete="username" required autofocus /></label>
      <label>Password (at least 10 characters) <input name="password" type="password" autocomplete="new-password" minlength="10" required /></label>
      <label>Password again <input name="password2" type="password" autocomplete="new-password" minlength="10" required /></label>
      <h2>The site</h2>
      <label>Site name <input name="siteName" value=${site && site.siteName} maxlength="100" /></label>
      <label>Site id (letters, digits, . _ -; used in MQTT topics) <input name="siteId" value=${site && site.siteId} pattern="[A-Za-z0-9_.\\-]+" maxlength="64" /></label>
      <label>Currency <input name="currency" value="EUR" pattern="[A-Za-z]{3}" maxlength="3" required /></label>
      <label>Price per kWh (e.g. 0.35; empty: charging is free) <input name="pricePerKwh" inputmode="decimal" pattern="\\d+([.,]\\d{1,2})?" /></label>
      <label>Fee per session (optional) <input name="sessionFee" inputmode="decimal" pattern="\\d+([.,]\\d{1,2})?" /></label>
      <h2>Central office (optional)</h2>
      <label>MQTT broker URL <input name="mqttUrl" placeholder="mqtts://broker.example.com:8883" /></label>
      <button type="submit" class="primary" disabled=${s.busy || !token}>${s.busy ? 'Setting up…' : 'Create admin and finish setup'}</button>
      <${ErrorBox} error=${s.error} />
    </form>
  </main>`;
}
