// The pushed event stream (SSE). The browser reconnects by itself after a drop; when the server
// refuses or is gone (stream CLOSED) we ask whether the login still holds: a refused login goes back
// to the login form, anything else is retried on a timer. Each (re)connect triggers a 'resync'.
import { store, emitLive } from './store.js';
import { api } from './api.js';

let source;
let retryTimer;

export function startLive() {
  stopLive();
  store.set({ live: 'connecting' });
  source = new EventSource('/api/events');
  source.onmessage = (e) => {
    let msg;
    try { msg = JSON.parse(e.data); } catch { return; }
    if (msg.type === 'hello') {
      store.set({ live: 'live', liveLostAt: null });
      emitLive({ type: 'resync', data: {} });
      return;
    }
    emitLive(msg);
  };
  source.onerror = () => {
    if (!source) return;
    // When the stream went away: the page's data is as of then (the dashboard says so).
    if (!store.get().liveLostAt) store.set({ liveLostAt: new Date().toISOString() });
    if (source.readyState === EventSource.CLOSED) {
      store.set({ live: 'offline' });
      clearTimeout(retryTimer);
      // EventSource hides the status: a 401 (logged out elsewhere, session expired, token revoked) looks
      // like a server that is away. api() clears the user on a 401, which shows the login form.
      const closed = source;
      api('/api/auth/me').then(() => true, (err) => err.status !== 401).then((retry) => {
        if (retry && source === closed && store.get().user) retryTimer = setTimeout(() => { if (store.get().user) startLive(); }, 5000);
      });
    } else store.set({ live: 'reconnecting' });
  };
}

export function stopLive() {
  clearTimeout(retryTimer);
  if (source) { source.onerror = null; source.close(); source = undefined; }
}
