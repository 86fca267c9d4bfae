// The cost of a charging session, as pure integer arithmetic.
//
// Rounding rule: every part is computed exactly (BigInt rationals over a common denominator: Wh, seconds,
// and tax in millionths of a percent), then the total including tax is rounded ONCE, half up, to a whole
// minor unit. netAmount is the net part rounded the same way and taxAmount = totalAmount - netAmount, so
// the printed parts always add up to what was charged. Nothing is rounded on the way.
//
//   net   = energyWh / 1000 × pricePerKwh + sessionFee
//         + chargingSeconds / 60 × pricePerMinute + idleSeconds / 60 × idleFeePerMinute
//   total = round_half_up(net × (1 + taxPercent / 100))
//
// Per-minute fees are prorated per second. A session with no energy still pays its session and time fees.

/** The tariff as recorded on a transaction at its start (transaction.tariff_snapshot). */
export interface TariffSnapshot {
  id: number;
  name: string;
  currency: string;
  pricePerKwh: number; // minor units per kWh
  sessionFee: number; // minor units per session
  pricePerMinute: number; // minor units per minute of charging time
  idleFeePerMinute: number; // minor units per minute connected but not charging
  taxPercent: number; // e.g. 19 or 7.7
}

export interface SessionUsage {
  energyWh: number;
  /** Whole session time minus idle time. */
  chargingSeconds: number;
  idleSeconds: number;
}

export interface SessionCost {
  currency: string;
  energyWh: number;
  chargingSeconds: number;
  idleSeconds: number;
  netAmount: number;
  taxAmount: number;
  totalAmount: number;
}

// Tax percent is taken to 6 decimals (19 -> 19_000_000 millionths of a percent).
const TAX_SCALE = 1_000_000n;
const PERCENT = 100n * TAX_SCALE;

export function sessionCost(tariff: TariffSnapshot, usage: SessionUsage): SessionCost {
  const energyWh = nonNegativeInt(usage.energyWh);
  const chargingSeconds = nonNegativeInt(usage.chargingSeconds);
  const idleSeconds = nonNegativeInt(usage.idleSeconds);
  // net × 60_000 is an integer: Wh/1000 and seconds/60 share the denominator 60_000.
  const net60k = BigInt(energyWh) * BigInt(tariff.pricePerKwh) * 60n
    + BigInt(tariff.sessionFee) * 60_000n
    + BigInt(chargingSeconds) * BigInt(tariff.pricePerMinute) * 1000n
    + BigInt(idleSeconds) * BigInt(tariff.idleFeePerMinute) * 1000n;
  const taxMillionths = BigInt(Math.round(tariff.taxPercent * Number(TAX_SCALE)));
  const netAmount = roundHalfUp(net60k, 60_000n);
  const totalAmount = roundHalfUp(net60k * (PERCENT + taxMillionths), 60_000n * PERCENT);
  return {
    currency: tariff.currency, energyWh, chargingSeconds, idleSeconds,
    netAmount, taxAmount: totalAmount - netAmount, totalAmount,
  };
}

/** n / d rounded to the nearest integer, halves away from zero (all our amounts are >= 0). */
export function roundHalfUp(n: bigint, d: bigint): number {
  if (d <= 0n) throw new RangeError('denominator must be positive');
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const q = (2n * abs + d) / (2n * d);
  return Number(negative ? -q : q);
}

function nonNegativeInt(x: number): number {
  return Number.isFinite(x) && x > 0 ? Math.floor(x) : 0;
}

/** Seconds between two ISO timestamps; 0 when either is missing or the clock went backwards. */
export function secondsBetween(from: string | null | undefined, to: string | null | undefined): number {
  if (!from || !to) return 0;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
}

export function parseSnapshot(json: string | null): TariffSnapshot | null {
  if (!json) return null;
  return JSON.parse(json) as TariffSnapshot;
}
