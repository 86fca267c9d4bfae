// Firmware images (uploaded by an operator, downloaded by chargers) and diagnostics files (uploaded by
// chargers), kept under <dataDir>/files. Chargers reach them through unguessable URLs: an HMAC of the
// file's purpose under a per-site secret, so a URL can be checked without storing it.
// Each stored version has its own path on disk (<name>.<sha256>) and a firmware link names the version
// (its sha256 is in the HMAC): re-uploading a name never changes the bytes behind a link already sent,
// and the disk only loses a version once the database no longer points at it (after commit).
import fs from 'node:fs';
import path from 'node:path';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import { files, settings } from '../db/schema.js';

export type StoredFile = typeof files.$inferSelect;
export type FileKind = 'firmware' | 'diagnostics';

const SECRET_KEY = 'files.urlSecret';
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export class Files {
  private secret: string | undefined;

  constructor(private readonly db: Db, private readonly uow: UnitOfWork, private readonly dataDir: string) {}

  static isSafeName(name: string): boolean {
    return SAFE_NAME.test(name) && !name.includes('..');
  }

  /** A charger-chosen name made safe for the file system. */
  static sanitize(name: string, fallback: string): string {
    const cleaned = path.basename(name).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '').replace(/\.\.+/g, '.').slice(0, 128);
    return Files.isSafeName(cleaned) ? cleaned : fallback;
  }

  /** Creates the URL secret on first use; call inside a unit of work. */
  ensureSecret(): string {
    if (this.secret) return this.secret;
    const row = this.db.select().from(settings).where(eq(settings.key, SECRET_KEY)).get();
    if (row) return (this.secret = JSON.parse(row.value) as string);
    const secret = randomBytes(32).toString('hex');
    this.db.insert(settings).values({ key: SECRET_KEY, value: JSON.stringify(secret) }).run();
    return (this.secret = secret);
  }

  token(purpose: string): string {
    return createHmac('sha256', this.ensureSecret()).update(purpose).digest('hex').slice(0, 32);
  }

  checkToken(purpose: string, token: string): boolean {
    const expected = Buffer.from(this.token(purpose));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The token in a firmware link: it names this version (name and bytes), not just the name. */
  versionToken(f: Pick<StoredFile, 'kind' | 'name' | 'sha256'>): string {
    return this.token(`${f.kind}:${f.name}:${f.sha256}`);
  }

  checkVersionToken(f: Pick<StoredFile, 'kind' | 'name' | 'sha256'>, token: string): boolean {
    return this.checkToken(`${f.kind}:${f.name}:${f.sha256}`, token);
  }

  /** Where this version's bytes are: one path per (name, sha256), so a new version never overwrites an old one. */
  pathOf(f: Pick<StoredFile, 'kind' | 'name' | 'chargerId' | 'sha256'>): string {
    return `${this.legacyPathOf(f)}.${f.sha256}`;
  }

  // Files saved before versioned paths were kept under their bare name.
  private legacyPathOf(f: Pick<StoredFile, 'kind' | 'name' | 'chargerId'>): string {
    return path.join(this.dataDir, 'files', f.kind, ...(f.chargerId !== null ? [String(f.chargerId)] : []), f.name);
  }

  /**
   * Writes the bytes to their own path and records them; the same name is replaced (same id). Inside a
   * unit of work. The version it replaces stays on disk until the commit, so a failed commit loses nothing.
   */
  save(kind: FileKind, name: string, chargerId: number | null, bytes: Buffer): StoredFile {
    if (!Files.isSafeName(name)) throw new Error(`unsafe file name ${JSON.stringify(name)}`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf({ kind, name, chargerId, sha256 });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const existedBefore = fs.existsSync(target);
    const tmp = `${target}.${randomBytes(4).toString('hex')}.part`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, target); // identical bytes when it existed: the name says which bytes it holds
    const values = { size: bytes.length, sha256, createdAt: new Date().toISOString() };
    const existing = this.byName(kind, name, chargerId);
    let row: StoredFile;
    try {
      row = existing
        ? this.db.update(files).set(values).where(eq(files.id, existing.id)).returning().get()!
        : this.db.insert(files).values({ kind, name, chargerId, ...values }).returning().get();
    } catch (err) {
      if (!existedBefore) fs.rmSync(target, { force: true });
      throw err;
    }
    // Registered last: nothing after it in this function can fail, so it only runs for a saved row.
    if (existing) this.afterCommitDelete(existing, target);
    return row;
  }
  byId(id: number): StoredFile | undefined {
    return this.db.select().from(files).where(eq(files.id, id)).get();
  }

  byName(kind: FileKind, name: string, chargerId: number | null): StoredFile | undefined {
    return this.db.select().from(files).where(and(eq(files.kind, kind), eq(files.name, name),
      chargerId === null ? isNull(files.chargerId) : eq(files.chargerId, chargerId))).get();
  }

  list(opts: { kind?: FileKind; chargerId?: number } = {}): StoredFile[] {
    const where = and(...(opts.kind ? [eq(files.kind, opts.kind)] : []), ...(opts.chargerId !== undefined ? [eq(files.chargerId, opts.chargerId)] : []));
    return this.db.select().from(files).where(where).orderBy(desc(files.id)).all();
  }

  read(f: StoredFile): Buffer {
    try {
      return fs.readFileSync(this.pathOf(f));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return fs.readFileSync(this.legacyPathOf(f));
    }
  }

  /** Inside a unit of work; the bytes go once the row's removal is committed. */
  remove(f: StoredFile): void {
    this.db.delete(files).where(eq(files.id, f.id)).run();
    this.afterCommitDelete(f);
  }

  private afterCommitDelete(f: StoredFile, keep?: string): void {
    const paths = [this.pathOf(f), this.legacyPathOf(f)].filter((p) => p !== keep);
    this.uow.onCommit(() => { for (const p of paths) fs.rmSync(p, { force: true }); });
  }
}
