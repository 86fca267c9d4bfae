// Authorization of an idTag: known, not blocked, not expired, not charging elsewhere, enough money.
// Every refusal is an idTagInfo status; it never becomes a CALLERROR. (Adding and editing tags: idTagRegistry.ts.)
import type { Sqlite } from '../db/index.js';
import type { IdTagInfo } from '../protocol/ocpp16/index.js';
import { idTagStatements, type IdTagStatements } from '../db/queries/idTags.js';
import type { IdTag } from './idTagRegistry.js';
import type { FundsPolicy } from './settlement.js';

export interface AuthorizeOptions {
  chargerId: number;
  /** Set for StartTransaction: a running session on any other connector is concurrent. */
  connectorId?: number;
  now?: Date;
}

export interface Authorization { idTagInfo: IdTagInfo; tag?: IdTag; userId: number | null }

/** Whether the paying user may start on this charger (wallets/tariffs); see WalletSettlement.canStart. */
export type FundsCheck = (userId: number | null, chargerId: number, policy: FundsPolicy, now: Date) => boolean;

export class IdTagAuthorization {
  // Prepared once (db/queries/idTags.ts): authorization runs on every session message.
  private readonly q: IdTagStatements;

  constructor(sqlite: Sqlite, private readonly policy: FundsPolicy, private readonly funds: FundsCheck) {
    this.q = idTagStatements(sqlite);
  }

  /** The registered tag in any case (OCPP CiString20): "abc123" finds "ABC123". */
  private find(idTag: string): IdTag | undefined {
    return this.q.find.get({ idTag });
  }

  /**
   * The OCPP 1.6 status for this tag now. Not enough money is Blocked: the tag is known (so not Invalid)
   * and may not charge; OCPP 1.6 has no status of its own for it. The payer is the tag's user, else the
   * user of its parent (group) tag. The answer names the parent as registered (its spelling).
   */
  authorize(idTag: string, opts: AuthorizeOptions): Authorization {
    const now = opts.now ?? new Date();
    const tag = this.find(idTag);
    if (!tag) return { idTagInfo: { status: 'Invalid' }, userId: null };
    const parent = tag.parentIdTag ? this.find(tag.parentIdTag) : undefined;
    const userId = tag.userId ?? parent?.userId ?? null;
    const info = (status: IdTagInfo['status']): Authorization => ({
      idTagInfo: {
        status,
        ...(tag.expiryDate ? { expiryDate: tag.expiryDate } : {}),
        ...(tag.parentIdTag ? { parentIdTag: parent?.idTag ?? tag.parentIdTag } : {}),
      },
      tag, userId,
    });
    const expired = (t: IdTag) => t.expiryDate !== null && Date.parse(t.expiryDate) <= now.getTime();
    if (tag.status === 'Blocked' || parent?.status === 'Blocked') return info('Blocked');
    if (this.isUserBlocked(tag.userId) || this.isUserBlocked(parent?.userId)) return info('Blocked');
    if (expired(tag) || (parent && expired(parent))) return info('Expired');
    if (this.isChargingElsewhere(idTag, opts)) return info('ConcurrentTx');
    // Presenting the tag again at the charger where it is charging means "stop": never refuse that for money.
    // The same for another tag of the group (same parentIdTag): OCPP 1.6 lets a group member stop a group session.
    if (opts.connectorId === undefined && (this.isChargingOn(idTag, opts.chargerId)
      || (tag.parentIdTag && this.q.groupRunningOnCharger.get({ chargerId: opts.chargerId, parent: tag.parentIdTag })))) return info('Accepted');
    if (!this.hasFunds(userId, opts.chargerId, now)) return info('Blocked');
    return info('Accepted');
  }

  /** A blocked user's tags (and tags in their group) are refused; the tags keep their own status. */
  private isUserBlocked(userId: number | null | undefined): boolean {
    if (userId == null) return false;
    return this.q.userStatus.get({ userId })?.status === 'Blocked';
  }

  // Sessions store the idTag as the charger sent it: "abc123" running elsewhere is "ABC123" charging.
  private isChargingElsewhere(idTag: string, opts: AuthorizeOptions): boolean {
    const running = opts.connectorId === undefined
      ? this.q.runningOnOtherCharger.get({ idTag, chargerId: opts.chargerId })
      : this.q.runningOnOtherConnector.get({ idTag, chargerId: opts.chargerId, connectorId: opts.connectorId });
    return running !== undefined;
  }

  private isChargingOn(idTag: string, chargerId: number): boolean {
    return this.q.runningOnCharger.get({ idTag, chargerId }) !== undefined;
  }

  /** Money is the wallets' business: one rule, in WalletSettlement.canStart. */
  private hasFunds(userId: number | null, chargerId: number, now: Date): boolean {
    return this.funds(userId, chargerId, this.policy, now);
  }
}
