// Drivers: the people behind idTags and wallets. A user with history (sessions, a wallet, tags) is
// never deleted, so no session or ledger row loses its owner. Call inside uow.run.
import { count, eq, like, or, sql, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { DomainError } from './errors.js';
import { orderBy, type ListOrder } from './listOrder.js';
import { idTags, transactions, users, vehicles, wallets } from '../db/schema.js';

export type User = typeof users.$inferSelect;
export interface UserInput { fullName: string; phoneNumber?: string | null; email?: string | null; status?: 'Active' | 'Blocked' }

export const USER_SORTS = ['name', 'status', 'phone', 'email', 'balance', 'created'] as const;
export type UserSort = ListOrder<(typeof USER_SORTS)[number]>;

const userColumns: Record<UserSort['key'], SQLWrapper> = {
  name: sql`${users.fullName} collate nocase`, status: users.status, phone: users.phoneNumber, email: sql`${users.email} collate nocase`,
  balance: sql`(select ${wallets.balance} from ${wallets} where ${wallets.userId} = ${users.id})`, created: users.createdAt,
};

export class Users {
  constructor(private readonly db: Db) {}

  /** By name unless told otherwise. */
  list(opts: { q?: string; sort?: UserSort; limit: number; offset: number }): { items: User[]; total: number } {
    const sort = opts.sort ?? { key: 'name', desc: false };
    const where = opts.q ? or(like(users.fullName, `%${opts.q}%`), like(users.phoneNumber, `%${opts.q}%`), like(users.email, `%${opts.q}%`)) : undefined;
    const items = this.db.select().from(users).where(where).orderBy(...orderBy(userColumns[sort.key], users.id, sort.desc)).limit(opts.limit).offset(opts.offset).all();
    const total = this.db.select({ n: count() }).from(users).where(where).get()!.n;
    return { items, total };
  }

  byId(id: number): User | undefined {
    return this.db.select().from(users).where(eq(users.id, id)).get();
  }

  byPhone(phoneNumber: string): User | undefined {
    return this.db.select().from(users).where(eq(users.phoneNumber, phoneNumber)).get();
  }

  /** A phone number is one driver's: a second user with it is refused (phone_taken). */
  create(input: UserInput): User {
    this.phoneFree(input.phoneNumber);
    return this.db.insert(users).values(input).returning().get();
  }

  update(id: number, input: Partial<UserInput>): User | undefined {
    if (Object.keys(input).length === 0) return this.byId(id);
    this.phoneFree(input.phoneNumber, id);
    return this.db.update(users).set(input).where(eq(users.id, id)).returning().get();
  }

  private phoneFree(phone: string | null | undefined, self?: number): void {
    const other = phone ? this.byPhone(phone) : undefined;
    if (other && other.id !== self) throw new DomainError('conflict', 'phone_taken', `user ${other.id} already has phone number ${phone}`);
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

  /** Refused (user_in_use) while sessions, tags or a wallet refer to the user: block their tags instead. */
  remove(id: number): void {
    const refs = this.references(id);
    if (refs.transactions + refs.idTags + refs.wallets > 0) {
      throw new DomainError('conflict', 'user_in_use',
        `user ${id} has ${refs.transactions} session(s), ${refs.idTags} idTag(s) and ${refs.wallets} wallet(s); block their tags instead`, refs);
    }
    this.db.delete(vehicles).where(eq(vehicles.userId, id)).run();
    this.db.delete(users).where(eq(users.id, id)).run();
  }
}
