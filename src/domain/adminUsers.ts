// Staff who log in to the admin page and API: username, scrypt password hash, role admin | viewer.
// There is no default user and no default password: the first admin is made with `npm run admin -- create`.
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { adminSessions, adminUsers, apiTokens } from '../db/schema.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { DomainError } from './errors.js';

export type AdminRole = 'admin' | 'viewer';
export type AdminUserRow = typeof adminUsers.$inferSelect;
/** An admin user as shown anywhere: never the hash. */
export type AdminUser = Omit<AdminUserRow, 'passwordHash'>;

export const MIN_PASSWORD_LENGTH = 10;

/** A user ready to insert: the password already hashed. */
export interface NewAdminUser { username: string; passwordHash: string; role: AdminRole }

const adminUserErrorKinds = { username_taken: 'conflict', last_admin: 'conflict', weak_password: 'invalid', not_found: 'not_found' } as const;

export class AdminUserError extends DomainError {
  constructor(override readonly code: keyof typeof adminUserErrorKinds, message: string) { super(adminUserErrorKinds[code], code, message); }
}

const view = ({ passwordHash: _hash, ...rest }: AdminUserRow): AdminUser => rest;

export class AdminUsers {
  // Compared against when the username is unknown, so a wrong name costs the same time as a wrong password.
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly db: Db, private readonly uow: UnitOfWork) {}

  list(): AdminUser[] {
    return this.db.select().from(adminUsers).orderBy(asc(adminUsers.username)).all().map(view);
  }

  byId(id: number): AdminUser | undefined {
    const row = this.db.select().from(adminUsers).where(eq(adminUsers.id, id)).get();
    return row && view(row);
  }

  byUsername(username: string): AdminUser | undefined {
    const row = this.db.select().from(adminUsers).where(eq(adminUsers.username, username)).get();
    return row && view(row);
  }

  count(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(adminUsers).get()!.n;
  }

  async create(input: { username: string; password: string; role: AdminRole }): Promise<AdminUser> {
    const user = await this.prepare(input);
    return this.uow.run(() => this.insert(user));
  }

  /** Checks and hashes a new user (async, outside any uow.run); insert() writes it, in the caller's uow.run. */
  async prepare(input: { username: string; password: string; role: AdminRole }): Promise<NewAdminUser> {
    checkPassword(input.password);
    if (this.byUsername(input.username)) throw new AdminUserError('username_taken', `admin user ${input.username} already exists`);
    return { username: input.username, passwordHash: await hashPassword(input.password), role: input.role };
  }

  /** Call inside uow.run (first-run setup writes the admin with the site settings, all or nothing). */
  insert(user: NewAdminUser): AdminUser {
    // Checked again: the name may have been taken while the password was hashed.
    if (this.byUsername(user.username)) throw new AdminUserError('username_taken', `admin user ${user.username} already exists`);
    return view(this.db.insert(adminUsers).values(user).returning().get());
  }

  /** Changing the role, disabling or a new password; the last enabled admin cannot lose admin rights. */
  async update(id: number, input: { role?: AdminRole; disabled?: boolean; password?: string }): Promise<AdminUser> {
    const current = this.byId(id);
    if (!current) throw new AdminUserError('not_found', `no admin user ${id}`);
    if (input.password !== undefined) checkPassword(input.password);
    const losesAdmin = current.role === 'admin' && !current.disabled && (input.role === 'viewer' || input.disabled === true);
    if (losesAdmin && this.otherEnabledAdmins(id) === 0) throw new AdminUserError('last_admin', 'this is the last enabled admin; make another admin first');
    const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
    return view(await this.uow.run(() => {
      const row = this.db.update(adminUsers).set({
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
      }).where(eq(adminUsers.id, id)).returning().get()!;
      // A new password, a lost role or a disabled account ends the user's open sessions.
      if (passwordHash !== undefined || input.disabled === true || input.role !== undefined) {
        this.db.delete(adminSessions).where(eq(adminSessions.adminUserId, id)).run();
      }
      return row;
    }));
  }

  /** Removes the user and their sessions; tokens they created stay valid and forget their creator. */
  async remove(id: number): Promise<void> {
    const current = this.byId(id);
    if (!current) throw new AdminUserError('not_found', `no admin user ${id}`);
    if (current.role === 'admin' && !current.disabled && this.otherEnabledAdmins(id) === 0) {
      throw new AdminUserError('last_admin', 'this is the last enabled admin; make another admin first');
    }
    await this.uow.run(() => {
      this.db.delete(adminSessions).where(eq(adminSessions.adminUserId, id)).run();
      this.db.update(apiTokens).set({ createdBy: null }).where(eq(apiTokens.createdBy, id)).run();
      this.db.delete(adminUsers).where(eq(adminUsers.id, id)).run();
    });
  }

  /** The user when the password is right and the account enabled; otherwise undefined. */
  async verify(username: string, password: string): Promise<AdminUser | undefined> {
    const row = this.db.select().from(adminUsers).where(eq(adminUsers.username, username)).get();
    if (!row) {
      this.dummyHash ??= hashPassword('not a real password');
      await verifyPassword(password, await this.dummyHash);
      return undefined;
    }
    const ok = await verifyPassword(password, row.passwordHash);
    return ok && !row.disabled ? view(row) : undefined;
  }

  private otherEnabledAdmins(id: number): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(adminUsers)
      .where(and(eq(adminUsers.role, 'admin'), eq(adminUsers.disabled, false), ne(adminUsers.id, id))).get()!.n;
  }
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AdminUserError('weak_password', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
}
