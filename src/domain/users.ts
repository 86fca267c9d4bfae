// Drivers: the people behind idTags and wallets. A user with history (sessions, a wallet, tags) is
// never deleted, so no session or ledger row loses its owner. Call inside uow.run.
import { asc, count, eq, like, or } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { idTags, transactions, users, vehicles, wallets } from '../db/schema.js';

export type User = typeof users.$inferSelect;
export interface UserInput { fullName: string; phoneNumber?: string | null; email?: string | null; status?: 'Active' | 'Blocked' }

export class Users {
  constructor(private readonly db: Db) {}

  list(opts: { q?: string; limit: number; offset: number }): { items: User[]; total: number } {
    const where = opts.q ? or(like(users.fullName, `%${opts.q}%`), like(users.phoneNumber, `%${opts.q}%`), like(users.email, `%${opts.q}%`)) : undefined;
    const items = this.db.select().from(users).where(where).orderBy(asc(users.id)).limit(opts.limit).offset(opts.offset).all();
    const total = this.db.select({ n: count() }).from(users).where(where).get()!.n;
    return { items, total };
  }

  byId(id: number): User | undefined {
    return this.db.select().from(users).where(eq(users.id, id)).get();
  }

  byPhone(phoneNumber: string): User | undefined {
    return this.db.select().from(users).where(eq(users.phoneNumber, phoneNumber)).get();
  }

  create(input: UserInput): User {
    return this.db.insert(users).values(input).returning().get();
  }

  update(id: number, input: Partial<UserInput>): User | undefined {
    if (Object.keys(input).length === 0) return this.byId(id);
    return this.db.update(users).set(input).where(eq(users.id, id)).returning().get();
  }

  /** What still refers to the user; deletion is allowed only when all are zero. */
  references(id: number): { transactions: number; idTags: number; wallets: number } {
    const n = (q: { n: number } | undefined) => q?.n ?? 0;
    return {
      transactions: n(this.db.select({ n: count() }).from(transactions).where(eq(transactions.userId, id)).get()),
      idTags: n(this.db.select({ n: count() }).from(idTags).where(eq(idTags.userId, id)).get()),
      wallets: n(this.db.select({ n: count() }).from(wallets).where(eq(wallets.userId, id)).get()),
    };
  }

  remove(id: number): void {
    this.db.delete(vehicles).where(eq(vehicles.userId, id)).run();
    this.db.delete(users).where(eq(users.id, id)).run();
  }
}
