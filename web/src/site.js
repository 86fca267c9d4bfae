// What the page knows about the site before anyone logs in (GET /api/site): name, demo flag, setup state.
import { api } from './api.js';
import { store } from './store.js';
import { html } from './html.js';

export async function loadSite() {
  try {
    store.set({ site: await api('/api/site') });
  } catch {
    store.set({ site: null }); // an older server: no banner, default name
  }
}

/** The first-run link is http://<host>:<port>/#/setup?token=…; the token never reaches the server's logs as a URL path. */
export function setupToken() {
  const m = /^#\/setup(?:\?(.*))?$/.exec(location.hash);
  return m ? new URLSearchParams(m[1] || '').get('token') || '' : undefined;
}

export const DemoBanner = ({ site }) => (site && site.demo
  ? html`<div class="demo-banner" role="status" data-testid="demo-banner">DEMO: simulated chargers and throwaway data, deleted when the demo stops</div>`
  : null);
