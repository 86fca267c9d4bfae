// Login with the API's session login (sets the HttpOnly cookie; we keep the CSRF token in memory).
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { store } from '../store.js';
import { ErrorBox } from '../ui.js';

export function LoginPage() {
  const [s, setS] = useState(/** @type {{ busy: boolean, error?: unknown }} */ ({ busy: false, error: undefined }));
  const site = store.get().site;
  const submit = async (e) => {
    e.preventDefault();
    const { username, password } = /** @type {Record<string, string>} */ (Object.fromEntries(new FormData(e.currentTarget)));
    setS({ busy: true });
    try {
      const r = await api('/api/auth/login', { method: 'POST', body: { username, password } });
      store.set({ user: r.user, csrf: r.csrfToken });
    } catch (error) {
      setS({ busy: false, error });
    }
  };
  return html`<main class="login">
    <h1>${(site && site.siteName) || 'ocpp-edge'}</h1>
    ${site && site.setupRequired ? html`<p class="card" data-testid="setup-hint">Not set up yet: open the setup link the server printed when it started
      (<code>journalctl -u ocpp-edge | grep setup</code>), or make a login with <code>ocpp-edge admin create --username ${'<name>'}</code>.</p>` : null}
    <form class="form card" data-testid="login" onSubmit=${submit}>
      <label>Username <input name="username" autocomplete="username" required autofocus /></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
      <button type="submit" class="primary" disabled=${s.busy}>${s.busy ? 'Logging in…' : 'Log in'}</button>
      <${ErrorBox} error=${s.error} />
    </form>
  </main>`;
}
