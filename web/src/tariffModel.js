// Tariff arithmetic the Tariffs page shares with its tests (no DOM here): prices typed in major units,
// and which tariff prices a charger, the same way the server resolves it (src/domain/tariffs.ts resolve).

/** @typedef {import('./api-types.js').Tariff} Tariff */
/** @typedef {import('./api-types.js').Charger} Charger */
/** @typedef {import('./api-types.js').Station} Station */

/** "0.35" or "0,35" -> 35 minor units; blank is 0 (a fee not charged). Throws a sentence staff can act on. */
export function priceMinor(text, label) {
  const t = String(text ?? '').trim();
  if (t === '') return 0;
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(t);
  if (!m) throw new Error(`${label}: "${t}" is not a price. Write it like 0.35 (at most two decimals).`);
  return Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
}

/**
 * The tariff a new session on the charger is priced by, as the server resolves it: the charger's own,
 * else its station's, else the default; none means free.
 * @param {Pick<Charger, 'tariffId' | 'stationId'>} c @param {Station[]} stations @param {Tariff[]} tariffs
 * @returns {{ tariff: Tariff, source: 'charger' | 'station' | 'default', station?: Station } | undefined}
 */
export function effectiveTariff(c, stations, tariffs) {
  const byId = (id) => (id == null ? undefined : tariffs.find((t) => t.id === id));
  const own = byId(c.tariffId);
  if (own) return { tariff: own, source: 'charger' };
  const station = c.stationId == null ? undefined : stations.find((s) => s.id === c.stationId);
  const ofStation = station && byId(station.tariffId);
  if (ofStation) return { tariff: ofStation, source: 'station', station };
  const fallback = tariffs.find((t) => t.isDefault);
  return fallback ? { tariff: fallback, source: 'default' } : undefined;
}

/** Where a charger's tariff comes from, in words ("Standard (the default)"). */
export const SOURCE_WORDS = { charger: 'its own', station: "its station's", default: 'the default' };
