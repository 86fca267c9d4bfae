// Times as a charger sends them (any RFC 3339 offset, a leap second) to the one form we store and
// compare: UTC ISO text. The API's time filters and the dashboard compare that text, and ORDER BY
// sorts it, which '+02:00' times or a raw '23:59:60' would throw off.

/** '2024-05-01T10:00:00+02:00' -> '2024-05-01T08:00:00.000Z'; text Date cannot read is kept as it came. */
export function utcIso(chargerTime: string): string {
  // A MeterValues reading's time is converted twice (stored, then summarized): the last answer is kept.
  if (chargerTime === lastIn) return lastOut;
  let ms = Date.parse(chargerTime);
  if (Number.isNaN(ms)) ms = parseLeapSecond(chargerTime);
  lastOut = Number.isNaN(ms) ? chargerTime : new Date(ms).toISOString();
  lastIn = chargerTime;
  return lastOut;
}
let lastIn: string | undefined;
let lastOut = '';

/**
 * '2016-12-31T23:59:60Z' is a valid date-time (RFC 3339 leap second) that Date.parse refuses; kept raw it
 * would sort and compare wrongly and give the session no duration. It is taken as the second after :59.
 */
function parseLeapSecond(chargerTime: string): number {
  if (!/T\d\d:\d\d:60/i.test(chargerTime)) return NaN;
  return Date.parse(chargerTime.replace(/(T\d\d:\d\d:)60/i, '$159')) + 1000;
}

/** How far a charger's clock may run ahead of ours before its time is not believed. */
const AHEAD_TOLERANCE_MS = 5 * 60_000;
/** Older than this is a clock never set (1970, 2000), not a queue: a charger does not hold a start this long. */
const MAX_QUEUED_MS = 90 * 24 * 3600_000;

/**
 * When a session really started, for judging it (tag expiry): the charger's time when it is believable
 * (not ahead of ours, not from an unset clock), else when we received it.
 */
export function startedWhen(chargerTime: string, receivedAt: Date): Date {
  const ms = Date.parse(utcIso(chargerTime));
  const now = receivedAt.getTime();
  if (Number.isNaN(ms) || ms > now + AHEAD_TOLERANCE_MS || ms < now - MAX_QUEUED_MS) return receivedAt;
  return new Date(Math.min(ms, now));
}
