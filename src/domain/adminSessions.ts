// Login sessions of the admin page. The cookie holds a random value; the table holds only its sha256,
// so a copy of the database does not hand out live sessions. Each session has its own CSRF token.
import { createHash, randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { adminSessions, adminUsers } from '../db/schema.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import type { AdminRole } from './adminUsers.js';

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export interface SessionUser { sessionId: string; csrfToken: string; expiresAt: string; userId: number; username: string; role: AdminRole }

export class AdminSessions {
  constructor(private readonly db: Db, private readonly uow: UnitOfWork) {}

  /** Returns the cookie value (shown once, never stored) and the CSRF token. */
  async create(userId: number, hours: number, now = new Date()): Promise<{ cookieValue: string; csrfToken: string; expiresAt: string }> {
    const cookieValue = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + hours * 3_600_000).toISOString();
    await this.uow.run(() => {
      this.db.delete(adminSessions).where(lt(adminSessions.expiresAt, now.toISOString())).run(); // sweep old ones on the way
      this.db.insert(adminSessions).values({ id: sha256Hex(cookieValue), adminUserId: userId, csrfToken, expiresAt }).run();
    });
    return { cookieValue, csrfToken, expiresAt };
  }

  /** The live session for a cookie value: not expired, user enabled. */
  lookup(cookieValue: string, now = new Date()): SessionUser | undefined {
    const row = this.db.select({
      sessionId: adminSessions.id, csrfToken: adminSessions.csrfToken, expiresAt: adminSessions.expiresAt,
      userId: adminUsers.id, username: adminUsers.username, role: adminUsers.role, disabled: adminUsers.disabled,
    }).from(adminSessions).innerJoin(adminUsers, eq(adminUsers.id, adminSessions.adminUserId))
      .where(eq(adminSessions.id, sha256Hex(cookieValue))).get();
    if (!row || row.disabled || row.expiresAt <= now.toISOString()) return undefined;
    const { disabled: _d, ...session } = row;
    return { ...session, role: session.role as AdminRole };
  }

  async remove(sessionId: string): Promise<void> {
    await this.uow.run(() => this.db.delete(adminSessions).where(eq(adminSessions.id, sessionId)).run());
  }
}
