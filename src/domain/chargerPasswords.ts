// Charger passwords (security profile 1/2 Basic auth, the charger's AuthorizationKey) and their rotation.
// A rotation the charger has not applied yet (it answered RebootRequired, or its answer never arrived)
// leaves a pending hash: the current and the pending password both open a connection, and the first
// connection with the pending one makes it the only one. So a charger can never be locked out by a
// key it switches to later, and the old key stops working as soon as the new one is in use.
// The pending hash lives in the setting table (key chargerPassword.pending.<charger id>, JSON string).
//
// Hashes are "hmac-sha256$salt$digest": HMAC-SHA256 keyed with a random site key (setting
// chargerPassword.key) over salt and password. A charger key is a long random secret, so a slow hash
// adds nothing against guessing it, and scrypt on every upgrade was what made a reconnect storm of
// 2,000 chargers collapse. Staff passwords stay scrypt (passwords.ts). An older scrypt hash is still
// accepted and replaced by an HMAC one at the first connection that proves the password.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import { chargers, settings } from '../db/schema.js';
import { verifyPassword } from './passwords.js';

const pendingKey = (chargerId: number) => `chargerPassword.pending.${chargerId}`;
const SITE_KEY = 'chargerPassword.key';
const HMAC_PREFIX = 'hmac-sha256$';
// The whitepaper's AuthorizationKey: 16-20 bytes, written as hex in ChangeConfiguration.
const HEX_KEY = /^(?:[0-9a-fA-F]{2}){16,20}$/;

/** The form a key is hashed in: a hex key in lower case, so the charger's decoded bytes can be compared. */
export function canonicalKey(key: string): string {
  return HEX_KEY.test(key) ? key.toLowerCase() : key;
}

/**
 * What a Basic-auth password may stand for: the key as typed (many chargers send the hex text) and, when
 * the raw bytes are 16-20 long, their hex (a whitepaper charger sends the decoded bytes: OCTT TC_085_CS,
 * https://github.com/steve-community/steve/issues/1895).
 */
export function keyCandidates(password: string, passwordBytes?: Buffer): string[] {
  const out = [password];
  const canonical = canonicalKey(password);
  if (canonical !== password) out.push(canonical);
  if (passwordBytes && passwordBytes.length >= 16 && passwordBytes.length <= 20) out.push(passwordBytes.toString('hex'));
  return out;
}

/** A new AuthorizationKey: 20 random bytes as 40 hex characters (the whitepaper's maximum). */
export function generateAuthorizationKey(): string {
  return randomBytes(20).toString('hex');
}

export class ChargerPasswords {
  private readonly siteKey: Buffer;

  constructor(private readonly db: Db, private readonly uow: UnitOfWork) {
    // Made once per database (the CLI and the server share it); read at start, when no batch is open.
    db.insert(settings).values({ key: SITE_KEY, value: JSON.stringify(randomBytes(32).toString('base64')) }).onConflictDoNothing().run();
    const stored = db.select().from(settings).where(eq(settings.key, SITE_KEY)).get()!;
    this.siteKey = Buffer.from(JSON.parse(stored.value) as string, 'base64');
  }

  /** The stored form of a charger password (fast and keyed: see the top of this file). */
  hash(password: string): string {
    const salt = randomBytes(12).toString('base64');
    return `${HMAC_PREFIX}${salt}$${this.digest(salt, canonicalKey(password)).toString('base64')}`;
  }

  private digest(salt: string, password: string): Buffer {
    return createHmac('sha256', this.siteKey).update(salt).update('\0').update(password).digest();
  }

  /** Basic-auth password against the charger's current hash and, during a rotation, the pending one. */
  async check(charger: { id: number; chargePointId: string; passwordHash: string | null }, password: string | undefined, passwordBytes?: Buffer): Promise<boolean> {
    const pending = this.pendingHash(charger.id);
    const candidates = password === undefined ? [] : keyCandidates(password, passwordBytes);
    if (pending && await this.matchesAny(pending, candidates)) {
      // The new key is in use: the old one stops working. Unless the operator set a password meanwhile.
      return this.uow.run(() => {
        if (this.pendingHash(charger.id) !== pending) return false;
        this.switchTo(charger.id, pending);
        return true;
      });
    }
    if (!charger.passwordHash) return true;
    if (password === undefined) return false;
    const stored = charger.passwordHash;
    const ok = stored.startsWith(HMAC_PREFIX) ? await this.matchesAny(stored, candidates) : await this.matches(stored, password);
    if (ok && !stored.startsWith(HMAC_PREFIX)) {
      // A scrypt hash from before: replaced now, so the next connection costs no scrypt. Unless the operator changed it meanwhile.
      const upgraded = this.hash(password);
      await this.uow.run(() => this.db.update(chargers).set({ passwordHash: upgraded })
        .where(and(eq(chargers.id, charger.id), eq(chargers.passwordHash, stored))).run()).catch(() => {});
    }
    return ok;
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

  // Only the HMAC form is tried more than once: a legacy scrypt hash is checked with the typed text alone.
  private async matchesAny(stored: string, candidates: string[]): Promise<boolean> {
    if (!stored.startsWith(HMAC_PREFIX)) return candidates.length > 0 && this.matches(stored, candidates[0]!);
    for (const c of candidates) if (await this.matches(stored, c)) return true;
    return false;
  }

  private async matches(stored: string, password: string): Promise<boolean> {
    if (!stored.startsWith(HMAC_PREFIX)) return verifyPassword(password, stored);
    const [salt, digest] = stored.slice(HMAC_PREFIX.length).split('$');
    if (!salt || !digest) return false;
    const expected = Buffer.from(digest, 'base64');
    const actual = this.digest(salt, password);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}
