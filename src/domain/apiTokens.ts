// API tokens for machine clients (the central office's tools, scripts). The token is shown once at
// creation; the table keeps its sha256 hex (what `Authorization: Bearer` is checked against). Revoked
// tokens stay listed, with revoked_at, so an audit sees what existed.
import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { apiTokens } from '../db/schema.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import { sha256Hex } from './adminSessions.js';
import type { AdminRole } from './adminUsers.js';

export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type ApiTokenView = Omit<ApiTokenRow, 'tokenHash'>;

const view = ({ tokenHash: _h, ...rest }: ApiTokenRow): ApiTokenView => rest;
// last_used_at is a hint, not an audit trail: written at most this often per token, not on every request.
const LAST_USED_RESOLUTION_MS = 60_000;

export class ApiTokens {
  private readonly lastUsedWritten = new Map<number, number>();

  constructor(private readonly db: Db, private readonly uow: UnitOfWork) {}

  async create(input: { name: string; role: AdminRole; createdBy?: number | null }): Promise<{ token: string; apiToken: ApiTokenView }> {
    const token = `oe_${randomBytes(24).toString('base64url')}`;
    const row = await this.uow.run(() => this.db.insert(apiTokens)
      .values({ name: input.name, role: input.role, tokenHash: sha256Hex(token), createdBy: input.createdBy ?? null }).returning().get());
    return { token, apiToken: view(row) };
  }

  list(): ApiTokenView[] {
    return this.db.select().from(apiTokens).orderBy(desc(apiTokens.id)).all().map(view);
  }

  byId(id: number): ApiTokenView | undefined {
    const row = this.db.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
    return row && view(row);
  }

  /** Marks it revoked (idempotent); returns the row, or undefined when there is no such token. */
  async revoke(id: number, now = new Date()): Promise<ApiTokenView | undefined> {
    return this.uow.run(() => {
      this.db.update(apiTokens).set({ revokedAt: now.toISOString() }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).run();
      const row = this.db.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
      return row && view(row);
    });
  }

  /** The live (not revoked) token for a presented secret. */
  lookup(token: string, now = new Date()): ApiTokenView | undefined {
    const row = this.db.select().from(apiTokens).where(and(eq(apiTokens.tokenHash, sha256Hex(token)), isNull(apiTokens.revokedAt))).get();
    if (!row) return undefined;
    const last = this.lastUsedWritten.get(row.id) ?? 0;
    if (now.getTime() - last >= LAST_USED_RESOLUTION_MS) {
      this.lastUsedWritten.set(row.id, now.getTime());
      this.uow.run(() => this.db.update(apiTokens).set({ lastUsedAt: now.toISOString() }).where(eq(apiTokens.id, row.id)).run()).catch(() => {});
    }
    return view(row);
  }
}
