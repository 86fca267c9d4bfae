// The one small store: who is logged in, live connection state, and a bus for pushed server events.
import { useEffect, useState } from 'preact/hooks';

const state = { user: null, csrf: null, checked: false, live: 'connecting', liveLostAt: null, path: location.pathname + location.search };
const subscribers = new Set();
const listeners = new Set();

export const store = {
  get: () => state,
  set(patch) {
    Object.assign(state, patch);
    for (const fn of subscribers) fn(state);
  },
  subscribe(fn) { subscribers.add(fn); return () => subscribers.delete(fn); },
};

/** Re-renders the component whenever the store changes. */
export function useStore() {
  const [, setTick] = useState(0);
  useEffect(() => store.subscribe(() => setTick((n) => n + 1)), []);
  return state;
}

/** Pushed events ({type, data}); 'resync' is sent after a reconnect so views reload what they show. */
export function emitLive(event) { for (const fn of listeners) fn(event); }

export function useLive(fn, deps = []) {
  useEffect(() => { listeners.add(fn); return () => listeners.delete(fn); }, deps);
}

export const isAdmin = () => state.user && state.user.role === 'admin';

/** `keepScroll`: the same page in another order or filter, where jumping to the top would lose the place. */
export function navigate(path, { keepScroll = false } = {}) {
  if (path === state.path) return;
  history.pushState(null, '', path);
  store.set({ path });
  if (!keepScroll) window.scrollTo(0, 0);
}

addEventListener('popstate', () => store.set({ path: location.pathname + location.search }));
