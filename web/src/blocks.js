// Shared by the panels for OCPP's optional profiles (local list, reservations, smart charging,
// firmware): their API paths, live reloads on the charger messages they care about, date inputs.
import { useMemo } from 'preact/hooks';
import { useLive } from './store.js';
import { throttle } from './ui.js';

/** The functional-block API of one charger: /api/admin/chargers/<id>[/<rest>]. */
export const blockPath = (cpId, rest = '') => `/api/admin/chargers/${encodeURIComponent(cpId)}${rest ? `/${rest}` : ''}`;

/**
 * Reloads after a reconnect, and shortly after a pushed event whose type (e.g. transaction.started) or
 * logged OCPP action (e.g. SendLocalList) is in `names` — only this charger's, when cpId is given.
 */
export function useActionEvents(cpId, names, reload) {
  const soon = useMemo(() => throttle(reload, 400), [cpId]);
  useLive(({ type, data }) => {
    if (type === 'resync') return reload();
    const mine = !cpId || !data || data.chargePointId === undefined || data.chargePointId === cpId;
    if (mine && (names.includes(type) || (type === 'log' && names.includes(data.action)))) soon();
  }, [cpId]);
}

/** A datetime-local input's value (local time, no zone) as ISO; blank stays undefined. */
export function isoFromLocal(value) {
  if (!value) return undefined;
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new Error(`"${value}" is not a date and time`);
  return t.toISOString();
}

export const yesNo = (v) => (v == null ? '–' : v ? 'yes' : 'no');
