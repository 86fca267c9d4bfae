// Reading the API's rows the same way everywhere (their shapes are in api-types.js, from the server's types).
import { api } from './api.js';

/** @param {import('./api-types.js').Charger} c */
export const chargerKey = (c) => c.chargePointId;
export const chargerPath = (cpId) => `/api/admin/chargers/${encodeURIComponent(cpId)}`;

export async function loadChargers() {
  return (/** @type {import('./api-types.js').ChargerList} */ (await api('/api/admin/chargers'))).chargers;
}

/** @param {{ connectors?: import('./api-types.js').Connector[] }} charger */
export function connectorsOf(charger) {
  return (charger.connectors || []).filter((c) => c.connectorId !== 0).sort((a, b) => a.connectorId - b.connectorId);
}

/** Connected and heard from within two heartbeat intervals. @param {import('./api-types.js').Charger} c */
export const isOnline = (c) => c.online;

/** The charger's OCPP id of a transaction row (the API joins it in). @param {import('./api-types.js').Transaction} tx */
export const txCharger = (tx) => tx.chargePointId;

/** Energy of a session so far (Wh): final when stopped, else the last meter reading. @param {import('./api-types.js').Transaction} tx */
export function txEnergy(tx) {
  if (tx.energyWh != null) return tx.energyWh;
  if (tx.lastMeterWh != null && tx.meterStart != null) return tx.lastMeterWh - tx.meterStart;
  return null;
}

/** One page of the sessions matching `params` (filters, sort, offset, limit) and how many match in all. */
export async function loadTransactionPage(params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null).map(([k, v]) => [k, String(v)]));
  const list = /** @type {import('./api-types.js').TransactionList} */ (await api(`/api/admin/transactions?${q}`));
  return { rows: list.transactions, total: list.total };
}

export async function loadTransactions(params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null));
  return (/** @type {import('./api-types.js').TransactionList} */ (await api(`/api/admin/transactions?${q}`))).transactions;
}

/**
 * The MQTT sync part of /api/health (health.mqtt and health.outbox); {} until health has loaded.
 * @param {import('./api-types.js').Health | undefined} health
 */
export function syncOf(health) {
  if (!health) return {};
  const s = health.mqtt;
  return {
    state: s.state, backlog: health.outbox.backlog, oldest: health.outbox.oldestUnsent,
    lastError: syncErrorOf(s.lastError), lastPublishAt: s.lastPublishAt,
  };
}

/** health's mqtt.lastError is {at, message}: never interpolate the object itself ("[object Object]"). */
export function syncErrorOf(e) {
  if (!e) return null;
  if (typeof e === 'string') return { message: e, at: null };
  return { message: String(e.message ?? ''), at: e.at ?? null };
}

export const startOfToday = () => { const d = new Date(); d.setHours(0, 0, 0, 0); return d.toISOString(); };
