// Settings: the site and its MQTT/storage state (settingsSite.js), one's own password, and (admins
// only, as the API allows only admins to read them) staff accounts and API tokens.
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin, store } from '../store.js';
import { Field, Form } from '../ui.js';
import { StaffCard, TokensCard } from './settingsAccess.js';
import { SiteCard } from './settingsSite.js';

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
