// Reading the API's rows the same way everywhere (field names follow the database schema).
import { api, listOf } from './api.js';

export const chargerKey = (c) => c.chargePointId ?? c.id;
export const chargerPath = (cpId) => `/api/admin/chargers/${encodeURIComponent(cpId)}`;

export async function loadChargers() {
  return listOf(await api('/api/admin/chargers'), 'chargers');
}

export function connectorsOf(charger) {
  return (charger.connectors || []).filter((c) => c.connectorId !== 0).sort((a, b) => a.connectorId - b.connectorId);
}

export const isOnline = (c) => Boolean(c.online ?? c.connected ?? c.isOnline);

/** The charger's OCPP id of a transaction row, whether the API joins it in or not. */
export const txCharger = (tx, byId = {}) => tx.chargePointId ?? tx.charger?.chargePointId ?? byId[tx.chargerId]?.chargePointId ?? tx.chargerId;

/** Energy of a session so far (Wh): final when stopped, else the last meter reading. */
export function txEnergy(tx) {
  if (tx.energyWh != null) return tx.energyWh;
  if (tx.lastMeterWh != null && tx.meterStart != null) return tx.lastMeterWh - tx.meterStart;
  return null;
}

export async function loadTransactions(params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null));
  return listOf(await api(`/api/admin/transactions?${q}`), 'transactions');
}

/** The MQTT sync part of /api/health (health.mqtt and health.outbox); {} until health has loaded. */
export function syncOf(health) {
  if (!health) return {};
  const s = health.sync ?? health.mqtt ?? {};
  const backlog = s.backlog ?? s.outboxBacklog ?? health.outbox?.backlog;
  const state = s.state ?? s.status ?? (s.connected === true ? 'connected' : s.connected === false ? 'disconnected' : s.enabled === false ? 'disabled' : undefined);
  return {
    state: state ?? 'unknown', backlog, oldest: s.oldestUnsent ?? health.outbox?.oldestUnsent,
    lastError: syncErrorOf(s.lastError ?? s.error), lastPublishAt: s.lastPublishAt ?? null,
  };
}

/** health's mqtt.lastError is {at, message}: never interpolate the object itself ("[object Object]"). */
export function syncErrorOf(e) {
  if (!e) return null;
  if (typeof e === 'string') return { message: e, at: null };
  return { message: String(e.message ?? ''), at: e.at ?? null };
}

export const startOfToday = () => { const d = new Date(); d.setHours(0, 0, 0, 0); return d.toISOString(); };
