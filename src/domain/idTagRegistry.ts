// Creating, changing and deleting idTags (whether one may charge: idTagAuthorization.ts). Every change moves the
// idTags revision in the same transaction (so a server sees what another process, the CLI, changed) and
// emits 'idTags.changed' after commit, so local lists on chargers follow. Call inside uow.run.
import { and, count, eq, like, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import { idTags, users } from '../db/schema.js';
import type { EventBus } from './events.js';
import type { IdTagRevision } from './idTagRevision.js';
import { idTagIs, sameIdTag } from './idTagCase.js';
import { DomainError } from './errors.js';
import { orderBy, type ListOrder } from './listOrder.js';

export type IdTag = typeof idTags.$inferSelect;

export interface IdTagInput {
  idTag: string; userId?: number | null; parentIdTag?: string | null; status?: 'Accepted' | 'Blocked';
  expiryDate?: string | null; kind?: 'RFID' | 'App'; description?: string | null;
}
export const ID_TAG_SORTS = ['idTag', 'status', 'user', 'expires', 'created'] as const;
export type IdTagSort = ListOrder<(typeof ID_TAG_SORTS)[number]>;
/** sort: by the tag's text unless told otherwise. */
export interface IdTagFilter { userId?: number; status?: string; q?: string; sort?: IdTagSort; limit: number; offset: number }

const tagColumns: Record<IdTagSort['key'], SQLWrapper> = {
  idTag: sql`lower(${idTags.idTag})`, status: idTags.status, user: sql`${users.fullName} collate nocase`, expires: idTags.expiryDate, created: idTags.createdAt,
};

/** idTags are case-insensitive (OCPP CiString20): "abc123" cannot be added next to "ABC123". */
export class IdTagExistsError extends DomainError {
  constructor(readonly requested: string, readonly existing: IdTag) {
    super('conflict', 'id_tag_exists', idTagExistsMessage(requested, existing.idTag), { existing: existing.idTag, id: existing.id });
  }
}

export function idTagExistsMessage(requested: string, existing: string): string {
  return existing === requested ? `idTag ${requested} already exists`
    : `idTag ${requested} already exists as ${existing} (idTags are case-insensitive)`;
}

export class IdTagRegistry {
  constructor(private readonly db: Db, private readonly uow: UnitOfWork, private readonly events: EventBus, private readonly revision: IdTagRevision) {}

  /** Each tag with its user's name and status (a blocked user's tags are refused whatever their own status). */
  list(f: IdTagFilter): { items: Array<IdTag & { userName: string | null; userStatus: string | null }>; total: number } {
    const conds: SQL[] = [];
    if (f.userId !== undefined) conds.push(eq(idTags.userId, f.userId));
    if (f.status) conds.push(eq(idTags.status, f.status));
    if (f.q) conds.push(like(idTags.idTag, `%${f.q}%`));
    const where = conds.length ? and(...conds) : undefined;
    const items = this.db.select({ tag: idTags, userName: users.fullName, userStatus: users.status }).from(idTags).leftJoin(users, eq(users.id, idTags.userId))
      .where(where).orderBy(...orderBy(tagColumns[f.sort?.key ?? 'idTag'], idTags.id, f.sort?.desc ?? false)).limit(f.limit).offset(f.offset).all()
      .map((r) => ({ ...r.tag, userName: r.userName, userStatus: r.userStatus }));
    const total = this.db.select({ n: count() }).from(idTags).where(where).get()!.n;
    return { items, total };
  }

  byId(id: number): IdTag | undefined {
    return this.db.select().from(idTags).where(eq(idTags.id, id)).get();
  }

  /** In any case: "abc123" finds "ABC123" (served by the lower(id_tag) index). */
  byIdTag(idTag: string): IdTag | undefined {
    return this.db.select().from(idTags).where(idTagIs(idTags.idTag, idTag)).get();
  }

  /**
   * Adds the tag as spelled. One differing only in case exists: IdTagExistsError (the unique index on
   * lower(id_tag) refuses it too, e.g. when another process added it between the check and the insert).
   */
  create(input: IdTagInput): IdTag {
    this.checkRefs(input.idTag, input);
    const existing = this.byIdTag(input.idTag);
    if (existing) throw new IdTagExistsError(input.idTag, existing);
    const parentIdTag = this.parentSpelling(input.parentIdTag);
    let row: IdTag;
    try {
      row = this.db.insert(idTags).values({ ...input, ...(parentIdTag !== undefined ? { parentIdTag } : {}) }).returning().get();
    } catch (err) {
      const raced = (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' ? this.byIdTag(input.idTag) : undefined;
      throw raced ? new IdTagExistsError(input.idTag, raced) : err;
    }
    this.changed();
    return row;
  }

  update(id: number, input: Partial<Omit<IdTagInput, 'idTag'>>): IdTag | undefined {
    const current = this.byId(id);
    if (current) this.checkRefs(current.idTag, input);
    const parentIdTag = this.parentSpelling(input.parentIdTag);
    const set = { ...input, ...(parentIdTag !== undefined ? { parentIdTag } : {}), updatedAt: new Date().toISOString() };
    const row = this.db.update(idTags).set(set).where(eq(idTags.id, id)).returning().get();
    if (row) this.changed();
    if (row && input.status === 'Blocked') this.uow.onCommit(() => this.events.emit('idTags.blocked', { idTag: row.idTag }));
    return row;
  }

  /** The user and the parent it names exist; a tag is not its own parent (an invalid request: 422). */
  private checkRefs(idTag: string, input: Partial<IdTagInput>): void {
    if (input.userId != null && !this.db.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).get()) {
      throw new DomainError('invalid', 'user_not_found', `no user ${input.userId}`);
    }
    if (input.parentIdTag == null) return;
    if (!this.byIdTag(input.parentIdTag)) throw new DomainError('invalid', 'parent_not_found', `no idTag ${input.parentIdTag} to be the parent`);
    if (sameIdTag(input.parentIdTag, idTag)) throw new DomainError('invalid', 'parent_is_self', 'an idTag cannot be its own parent');
  }

  /** Tags that name this one as their parent (group), in any case: they would lose their group if it went. */
  childCount(idTag: string): number {
    return this.db.select({ n: count() }).from(idTags).where(idTagIs(idTags.parentIdTag, idTag)).get()!.n;
  }

  /** Refused while the tag is another's parent (detach those first); past sessions keep the idTag text. */
  remove(id: number): void {
    const tag = this.byId(id);
    const children = tag ? this.childCount(tag.idTag) : 0;
    if (tag && children > 0) throw new DomainError('conflict', 'id_tag_in_use', `idTag ${tag.idTag} is the parent of ${children} idTag(s)`, { children });
    this.db.delete(idTags).where(eq(idTags.id, id)).run();
    this.changed();
  }

  /** Tags' authorization changed without a tag row changing (e.g. their user was blocked). */
  announce(blockedUserId?: number): void {
    this.changed();
    if (blockedUserId !== undefined) this.uow.onCommit(() => this.events.emit('idTags.blocked', { userId: blockedUserId }));
  }

  /**
   * The parent as registered, so "abc" typed for group "ABC" is stored (and sent to chargers) as "ABC".
   * An unknown parent is kept as given (callers decide whether that is an error, as the API does).
   */
  private parentSpelling<T extends string | null | undefined>(parentIdTag: T): T | string {
    return parentIdTag == null ? parentIdTag : this.byIdTag(parentIdTag)?.idTag ?? parentIdTag;
  }

  private changed(): void {
    this.revision.bump();
    this.uow.onCommit(() => this.events.emit('idTags.changed', {}));
  }
}
