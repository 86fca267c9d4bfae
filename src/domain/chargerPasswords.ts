// Charger passwords (security profile 1/2 Basic auth, the charger's AuthorizationKey) and their rotation.
// A rotation the charger has not applied yet (it answered RebootRequired, or its answer never arrived)
// leaves a pending hash: the current and the pending password both open a connection, and the first
// connection with the pending one makes it the only one. So a charger can never be locked out by a
// key it switches to later, and the old key stops working as soon as the new one is in use.
// The pending hash lives in the setting table (key chargerPassword.pending.<charger id>, JSON string).
import { createHash, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import { chargers, settings } from '../db/schema.js';
import { verifyPassword } from './passwords.js';

const pendingKey = (chargerId: number) => `chargerPassword.pending.${chargerId}`;

export class ChargerPasswords {
  // A successfully verified password is remembered as a sha256 digest (never in clear) beside the scrypt
  // hash it matched (at most two per charger: current and pending), so a reconnect storm costs no scrypt.
  private readonly verified = new Map<string, Array<{ stored: string; digest: Buffer }>>();

  constructor(private readonly db: Db, private readonly uow: UnitOfWork) {}

  /** Basic-auth password against the charger's current hash and, during a rotation, the pending one. */
  async check(charger: { id: number; chargePointId: string; passwordHash: string | null }, password: string | undefined): Promise<boolean> {
    const pending = this.pendingHash(charger.id);
    if (pending && password !== undefined && await this.matches(charger.chargePointId, pending, password)) {
      // The new key is in use: the old one stops working. Unless the operator set a password meanwhile.
      return this.uow.run(() => {
        if (this.pendingHash(charger.id) !== pending) return false;
        this.switchTo(charger.id, pending);
        return true;
      });
    }
    if (!charger.passwordHash) return true;
    if (password === undefined) return false;
    return this.matches(charger.chargePointId, charger.passwordHash, password);
  }

  pendingHash(chargerId: number): string | undefined {
    const row = this.db.select().from(settings).where(eq(settings.key, pendingKey(chargerId))).get();
    return row ? (JSON.parse(row.value) as string) : undefined;
  }

  // The writes below run inside uow.run.

  /** The operator set the password (or none): that is the only one, any rotation is over. */
  set(chargerId: number, passwordHash: string | null): void {
    this.db.update(chargers).set({ passwordHash }).where(eq(chargers.id, chargerId)).run();
    this.db.delete(settings).where(eq(settings.key, pendingKey(chargerId))).run();
  }

  /** A new key is on its way to the charger: valid beside the current one from now on (replaces an older pending one). */
  beginRotation(chargerId: number, newHash: string): void {
    const value = JSON.stringify(newHash);
    this.db.insert(settings).values({ key: pendingKey(chargerId), value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
  }

  /** The charger uses (or said it applied) the new key: it becomes the only one. */
  switchTo(chargerId: number, newHash: string): void {
    this.db.update(chargers).set({ passwordHash: newHash }).where(eq(chargers.id, chargerId)).run();
    this.abandonRotation(chargerId, newHash);
  }

  /** The charger refused the new key: the current one stays the only one (unless a newer rotation began). */
  abandonRotation(chargerId: number, newHash: string): void {
    this.db.delete(settings).where(and(eq(settings.key, pendingKey(chargerId)), eq(settings.value, JSON.stringify(newHash)))).run();
  }

  private async matches(chargePointId: string, stored: string, password: string): Promise<boolean> {
    const digest = createHash('sha256').update(password).digest();
    const known = this.verified.get(chargePointId) ?? [];
    const cached = known.find((v) => v.stored === stored);
    if (cached) return timingSafeEqual(cached.digest, digest);
    const ok = await verifyPassword(password, stored);
    if (ok) this.verified.set(chargePointId, [{ stored, digest }, ...known.filter((v) => v.stored !== stored)].slice(0, 2));
    return ok;
  }
}
