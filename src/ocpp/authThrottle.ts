// Failed charger authentications, throttled so that a flood of wrong passwords costs the site nothing
// and locks no real charger out: per source address an exponential backoff (after a few free failures
// per minute), and per (charge point id, address) a short capped one. The real charger connecting from
// its own address is never slowed by someone else's guesses; one behind the same NAT as the attacker
// waits at most the per-address cap. Checked before any database or password work, in memory, bounded.

export interface ThrottleRule { free: number; windowMs: number; baseMs: number; maxMs: number }
export const DEFAULT_RULES = {
  perAddress: { free: 10, windowMs: 60_000, baseMs: 2_000, maxMs: 300_000 },
  perChargerAddress: { free: 3, windowMs: 60_000, baseMs: 1_000, maxMs: 30_000 },
} satisfies Record<string, ThrottleRule>;
const MAX_ENTRIES = 10_000; // per map; the oldest entry goes first (a Map iterates in insertion order)

interface Entry { failures: number; lastAt: number; until: number }

class Backoff {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly rule: ThrottleRule) {}

  waitMs(key: string, now: number): number {
    const e = this.entries.get(key);
    return e && e.until > now ? e.until - now : 0;
  }

  fail(key: string, now: number): void {
    let e = this.entries.get(key);
    if (e && now - e.lastAt > this.rule.windowMs && e.until <= now) e = undefined; // quiet for a window: forgiven
    e ??= { failures: 0, lastAt: now, until: 0 };
    e.failures++;
    e.lastAt = now;
    const over = e.failures - this.rule.free;
    if (over > 0) e.until = now + Math.min(this.rule.baseMs * 2 ** Math.min(over - 1, 20), this.rule.maxMs);
    this.entries.delete(key); // re-inserted: most recent last
    this.entries.set(key, e);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(key: string): void { this.entries.delete(key); }
}

export class AuthThrottle {
  private readonly perAddress: Backoff;
  private readonly perChargerAddress: Backoff;

  constructor(rules: typeof DEFAULT_RULES = DEFAULT_RULES, private readonly now: () => number = Date.now) {
    this.perAddress = new Backoff(rules.perAddress);
    this.perChargerAddress = new Backoff(rules.perChargerAddress);
  }

  /** Milliseconds before this address may try this id again; 0 when it may now. */
  waitMs(chargePointId: string, ip: string): number {
    const now = this.now();
    return Math.max(this.perAddress.waitMs(ip, now), this.perChargerAddress.waitMs(`${chargePointId}\u0000${ip}`, now));
  }

  /** A wrong or missing password (or an unknown id: then only the address counts). */
  failed(chargePointId: string | undefined, ip: string): void {
    const now = this.now();
    this.perAddress.fail(ip, now);
    if (chargePointId !== undefined) this.perChargerAddress.fail(`${chargePointId}\u0000${ip}`, now);
  }

  /** The right password from this address: its per-charger backoff ends. */
  succeeded(chargePointId: string, ip: string): void {
    this.perChargerAddress.clear(`${chargePointId}\u0000${ip}`);
  }
}
