// Firmware images (uploaded by an operator, downloaded by chargers) and diagnostics files (uploaded by
// chargers), kept under <dataDir>/files. Chargers reach them through unguessable URLs: an HMAC of the
// file's purpose under a per-site secret, so a URL can be checked without storing it.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { files, settings } from '../db/schema.js';

export type StoredFile = typeof files.$inferSelect;
export type FileKind = 'firmware' | 'diagnostics';

const SECRET_KEY = 'files.urlSecret';
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export class Files {
  private secret: string | undefined;

  constructor(private readonly db: Db, private readonly dataDir: string) {}

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

  pathOf(f: Pick<StoredFile, 'kind' | 'name' | 'chargerId'>): string {
    return path.join(this.dataDir, 'files', f.kind, ...(f.chargerId !== null ? [String(f.chargerId)] : []), f.name);
  }

  /** Writes the bytes (atomically, by rename) and records them; the same name is replaced. Inside a unit of work. */
  save(kind: FileKind, name: string, chargerId: number | null, bytes: Buffer): StoredFile {
    if (!Files.isSafeName(name)) throw new Error(`unsafe file name ${JSON.stringify(name)}`);
    const target = this.pathOf({ kind, name, chargerId });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(4).toString('hex')}.part`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, target);
    const values = { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), createdAt: new Date().toISOString() };
    const existing = this.byName(kind, name, chargerId);
    if (existing) return this.db.update(files).set(values).where(eq(files.id, existing.id)).returning().get()!;
    return this.db.insert(files).values({ kind, name, chargerId, ...values }).returning().get();
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
    return fs.readFileSync(this.pathOf(f));
  }

  /** Inside a unit of work; the bytes go once the row is gone. */
  remove(f: StoredFile): void {
    this.db.delete(files).where(eq(files.id, f.id)).run();
    fs.rmSync(this.pathOf(f), { force: true });
  }
}
