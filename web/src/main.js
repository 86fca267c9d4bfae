// The admin page: checks the session, then routes by URL path to a page. Live events start on login.
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { store, useStore, navigate } from './store.js';
import { startLive, stopLive } from './live.js';
import { Link } from './ui.js';
import { LoginPage } from './pages/login.js';
import { DashboardPage } from './pages/dashboard.js';
import { ChargersPage } from './pages/chargers.js';
import { ChargerPage } from './pages/charger.js';
import { TransactionsPage } from './pages/transactions.js';
import { StatisticsPage } from './pages/statistics.js';
import { TariffsPage } from './pages/tariffs.js';
import { TransactionPage } from './pages/transaction.js';
import { UsersPage } from './pages/users.js';
import { UserPage } from './pages/user.js';
import { LogPage } from './pages/log.js';
import { EnergyPage } from './pages/energy.js';
import { SetupPage } from './pages/setup.js';
import { SettingsPage } from './pages/settings.js';
import { DemoBanner, loadSite, setupToken } from './site.js';
import './style.css';

/** @type {Array<[RegExp, (props: { param?: string }) => unknown]>} */
const ROUTES = [
  [/^\/$/, DashboardPage],
  [/^\/chargers$/, ChargersPage],
  [/^\/chargers\/([^/]+)$/, ChargerPage],
  [/^\/transactions$/, TransactionsPage],
  [/^\/statistics$/, StatisticsPage],
  [/^\/tariffs$/, TariffsPage],
  [/^\/transactions\/(\d+)$/, TransactionPage],
  [/^\/users$/, UsersPage],
  [/^\/users\/(\d+)$/, UserPage],
  [/^\/log$/, LogPage],
  [/^\/(?:load|energy)$/, EnergyPage], // /energy: the page's old address
  [/^\/settings$/, SettingsPage],
];

const NAV = [['/', 'Dashboard'], ['/chargers', 'Chargers'], ['/transactions', 'Sessions'], ['/statistics', 'Statistics'], ['/tariffs', 'Tariffs'], ['/load', 'Load & files'], ['/users', 'Users'], ['/log', 'Log'], ['/settings', 'Settings']];

async function checkSession() {
  try {
    const me = await api('/api/auth/me');
    store.set({ user: me.user, csrf: me.csrfToken, checked: true });
  } catch {
    store.set({ user: null, csrf: null, checked: true });
  }
}

async function logout() {
  try { await api('/api/auth/logout', { method: 'POST', body: {} }); } catch { /* the session is gone either way */ }
  store.set({ user: null, csrf: null });
  navigate('/');
}

const LIVE_TEXT = { live: 'live', connecting: 'connecting…', reconnecting: 'reconnecting…', offline: 'offline' };

function App() {
  const s = useStore();
  useEffect(() => { if (s.user) startLive(); else stopLive(); }, [s.user]);
  if (!s.checked) return html`<p class="boot">Loading ocpp-edge…</p>`;
  const token = setupToken();
  if (token !== undefined) return html`<${DemoBanner} site=${s.site} /><${SetupPage} token=${token} />`;
  if (!s.user) return html`<${DemoBanner} site=${s.site} /><${LoginPage} />`;
  const pathname = s.path.split('?')[0];
  let page = html`<p class="error">No page at ${pathname}. <${Link} href="/">Go to the dashboard</${Link}></p>`;
  for (const [re, Page] of ROUTES) {
    const m = re.exec(pathname);
    if (m) { page = html`<${Page} param=${m[1] && decodeURIComponent(m[1])} key=${pathname} />`; break; }
  }
  const section = '/' + (pathname.split('/')[1] || '');
  return html`<${DemoBanner} site=${s.site} /><header class="top">
      <strong class="brand">${(s.site && s.site.siteName) || 'ocpp-edge'}</strong>
      <nav>${NAV.map(([href, label]) => html`<${Link} href=${href} cls=${section === href ? 'active' : ''}>${label}</${Link}>`)}</nav>
      <span class="who">
        <span class=${`live ${s.live}`} data-live=${s.live} title="live updates">● ${LIVE_TEXT[s.live] || s.live}</span>
        ${s.user.username} (${s.user.role})
        <button onClick=${logout}>Log out</button>
      </span>
    </header>
    <main>${page}</main>`;
}

// The first-run link is a #/setup?token=… fragment: follow it when it changes too.
addEventListener('hashchange', () => store.set({ hash: location.hash }));
// Rendered once both answers are in (index.html shows "Loading…" until then): App subscribes to the
// store in an effect, which runs after paint, so a store change before that would be missed.
Promise.all([loadSite(), checkSession()]).then(() => {
  const root = document.getElementById('app');
  root.textContent = ''; // index.html's "Loading…" is not Preact's to replace
  render(html`<${App} />`, root);
});
