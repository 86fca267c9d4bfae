// Authorization of an idTag: known, not blocked, not expired, not charging elsewhere, enough money.
// Every refusal is an idTagInfo status; it never becomes a CALLERROR.
import { and, eq, ne, or } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { idTags, transactions, wallets } from '../db/schema.js';
import type { IdTagInfo } from '../ocpp/types.js';

export type IdTag = typeof idTags.$inferSelect;

export interface AuthorizeOptions {
  chargerId: number;
  /** Set for StartTransaction: a running session on any other connector is concurrent. */
  connectorId?: number;
  now?: Date;
}

export interface Authorization { idTagInfo: IdTagInfo; tag?: IdTag; userId: number | null }

export interface AuthorizationPolicy { minBalanceToStart: number; allowTagsWithoutWallet: boolean }

export class IdTags {
  constructor(private readonly db: Db, private readonly policy: AuthorizationPolicy) {}

  find(idTag: string): IdTag | undefined {
    return this.db.select().from(idTags).where(eq(idTags.idTag, idTag)).get();
  }

  authorize(idTag: string, opts: AuthorizeOptions): Authorization {
    const now = opts.now ?? new Date();
    const tag = this.find(idTag);
    if (!tag) return { idTagInfo: { status: 'Invalid' }, userId: null };
    const info = (status: IdTagInfo['status']): Authorization => ({
      idTagInfo: {
        status,
        ...(tag.expiryDate ? { expiryDate: tag.expiryDate } : {}),
        ...(tag.parentIdTag ? { parentIdTag: tag.parentIdTag } : {}),
      },
      tag, userId: tag.userId,
    });
    if (tag.status === 'Blocked') return info('Blocked');
    if (tag.expiryDate && Date.parse(tag.expiryDate) <= now.getTime()) return info('Expired');
    if (tag.parentIdTag) {
      const parent = this.find(tag.parentIdTag);
      if (parent?.status === 'Blocked') return info('Blocked');
      if (parent?.expiryDate && Date.parse(parent.expiryDate) <= now.getTime()) return info('Expired');
    }
    if (this.isChargingElsewhere(idTag, opts)) return info('ConcurrentTx');
    if (!this.hasFunds(tag)) return info('Blocked');
    return info('Accepted');
  }

  private isChargingElsewhere(idTag: string, opts: AuthorizeOptions): boolean {
    const elsewhere = opts.connectorId === undefined
      ? ne(transactions.chargerId, opts.chargerId)
      : or(ne(transactions.chargerId, opts.chargerId), ne(transactions.connectorId, opts.connectorId));
    const running = this.db.select({ id: transactions.id }).from(transactions)
      .where(and(eq(transactions.idTag, idTag), eq(transactions.status, 'RUNNING'), elsewhere)).get();
    return running !== undefined;
  }

  /** A driver without a wallet is allowed only if the site says so; with one, it must hold the minimum. */
  private hasFunds(tag: IdTag): boolean {
    if (tag.userId === null) return this.policy.allowTagsWithoutWallet;
    const wallet = this.db.select({ balance: wallets.balance }).from(wallets).where(eq(wallets.userId, tag.userId)).get();
    if (!wallet) return this.policy.allowTagsWithoutWallet;
    return wallet.balance >= this.policy.minBalanceToStart;
  }
}
