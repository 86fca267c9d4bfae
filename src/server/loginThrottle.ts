// Failed-login throttling per username + client address: after maxFailures wrong passwords in a row
// the pair is locked for lockoutSec, even for the right password (so guessing cannot go on). Kept in
// memory: a restart forgets it, which costs an attacker a restart they cannot cause from outside.
export interface ThrottleOptions { maxFailures: number; lockoutSec: number; now?: () => number }

interface Entry { failures: number; lockedUntil: number }

const MAX_ENTRIES = 10_000; // bounds memory under a spray of made-up usernames

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly opts: ThrottleOptions) {
    this.now = opts.now ?? Date.now;
  }

  private key(username: string, ip: string): string {
    return `${username.toLowerCase()}\u0000${ip}`;
  }

  /** Seconds left on a lockout, or 0 when the pair may try. */
  lockedFor(username: string, ip: string): number {
    const e = this.entries.get(this.key(username, ip));
    if (!e || e.lockedUntil === 0) return 0;
    const left = e.lockedUntil - this.now();
    if (left > 0) return Math.ceil(left / 1000);
    this.entries.delete(this.key(username, ip)); // lockout over: a fresh count
    return 0;
  }

  failed(username: string, ip: string): void {
    const key = this.key(username, ip);
    const e = this.entries.get(key) ?? { failures: 0, lockedUntil: 0 };
    e.failures++;
    if (e.failures >= this.opts.maxFailures) e.lockedUntil = this.now() + this.opts.lockoutSec * 1000;
    this.entries.delete(key);
    this.entries.set(key, e); // most recent last, so trimming drops the oldest
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  succeeded(username: string, ip: string): void {
    this.entries.delete(this.key(username, ip));
  }
}
