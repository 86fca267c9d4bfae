// Local Authorization Lists: the idTag table as each charger should hold it, versioned per charger.
// We keep a snapshot of what each charger accepted (in the setting table) so a change can go out as a
// Differential update; anything we are unsure of (first send, a failure, a version mismatch) goes Full.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { idTags, localListVersions, settings, users } from '../db/schema.js';
import type { IdTagInfo } from '../protocol/ocpp16/index.js';
import { foldIdTag } from './idTagCase.js';

export type LocalListState = typeof localListVersions.$inferSelect;
export interface LocalListEntry { idTag: string; idTagInfo?: IdTagInfo }
export interface LocalListPlan {
  listVersion: number; updateType: 'Full' | 'Differential'; localAuthorizationList: LocalListEntry[];
  hash: string; entries: Record<string, IdTagInfo>;
}
export type SyncMode = 'auto' | 'full' | 'differential';
export interface LocalListMessage { listVersion: number; updateType: 'Full' | 'Differential'; localAuthorizationList: LocalListEntry[] }

/** OCPP idTags are CiString20: longer ones cannot be in a local list. */
const MAX_ID_TAG_LENGTH = 20;
const snapshotKey = (chargerId: number) => `localList.sent.${chargerId}`;

export class LocalLists {
  /** funds: whether the tag's payer may start on that charger, the rule Authorize applies (WalletSettlement.canStart). */
  constructor(private readonly db: Db, private readonly funds: (userId: number | null, chargerId: number, now: Date) => boolean = () => true) {}

  /**
   * Every idTag a charger may know, with the status Authorize would give it there right now: blocked (tag,
   * group or user), expired, or Blocked for missing funds, so the charger never accepts offline a tag the site
   * refuses online. Without a charger, funds are not judged (the count on the overview).
   */
  current(now = new Date(), chargerId?: number): Record<string, IdTagInfo> {
    const out: Record<string, IdTagInfo> = {};
    const all = this.db.select().from(idTags).orderBy(idTags.idTag).all();
    // Blocked as IdTags.authorize would say: the tag, its group tag, or the user of either is blocked.
    const blockedUsers = new Set(this.db.select({ id: users.id }).from(users).where(eq(users.status, 'Blocked')).all().map((u) => u.id));
    // Entries are the tags as registered; a parent is found in any case and sent as registered.
    const byTag = new Map(all.map((t) => [foldIdTag(t.idTag), t]));
    const blocked = (t: typeof all[number] | undefined) => t !== undefined && (t.status === 'Blocked' || (t.userId !== null && blockedUsers.has(t.userId)));
    for (const t of all) {
      if (t.idTag.length > MAX_ID_TAG_LENGTH) continue;
      const expired = t.expiryDate !== null && Date.parse(t.expiryDate) <= now.getTime();
      const parent = t.parentIdTag !== null ? byTag.get(foldIdTag(t.parentIdTag)) : undefined;
      const isBlocked = blocked(t) || blocked(parent);
      const payer = t.userId ?? parent?.userId ?? null;
      const unpaid = chargerId !== undefined && !this.funds(payer, chargerId, now);
      const status: IdTagInfo['status'] = isBlocked || (!expired && unpaid) ? 'Blocked' : expired ? 'Expired' : 'Accepted';
      const parentIdTag = parent?.idTag ?? t.parentIdTag;
      out[t.idTag] = { status, ...(t.expiryDate ? { expiryDate: t.expiryDate } : {}), ...(parentIdTag ? { parentIdTag } : {}) };
    }
    return out;
  }

  currentHash(now = new Date(), chargerId?: number): string {
    return hashOf(this.current(now, chargerId));
  }

  state(chargerId: number): LocalListState | undefined {
    return this.db.select().from(localListVersions).where(eq(localListVersions.chargerId, chargerId)).get();
  }

  states(): LocalListState[] {
    return this.db.select().from(localListVersions).all();
  }

  /** What to send; undefined when mode is auto and the charger already holds the current list. */
  plan(chargerId: number, mode: SyncMode, now = new Date()): LocalListPlan | undefined {
    const entries = this.current(now, chargerId);
    const hash = hashOf(entries);
    const state = this.state(chargerId);
    const sent = this.snapshot(chargerId);
    const inSync = state?.status === 'Accepted' && sent !== undefined;
    if (mode === 'auto' && inSync && state.hash === hash) return undefined;
    const listVersion = (state?.version ?? 0) + 1;
    if (mode === 'full' || !inSync) {
      const list = Object.entries(entries).map(([idTag, idTagInfo]) => ({ idTag, idTagInfo }));
      return { listVersion, updateType: 'Full', localAuthorizationList: list, hash, entries };
    }
    // Removals first (no idTagInfo = remove): a tag deleted and added again in another case ("ABC1" gone,
    // "abc1" new) is one card to a charger that compares case-insensitively, and must end up present.
    const changes: LocalListEntry[] = [];
    for (const idTag of Object.keys(sent)) if (!(idTag in entries)) changes.push({ idTag });
    for (const [idTag, info] of Object.entries(entries)) {
      if (JSON.stringify(sent[idTag]) !== JSON.stringify(info)) changes.push({ idTag, idTagInfo: info });
    }
    return { listVersion, updateType: 'Differential', localAuthorizationList: changes, hash, entries };
  }

  /** The charger's answer to SendLocalList; only an Accepted list moves the version and the snapshot. */
  recordResult(chargerId: number, plan: LocalListPlan, status: string, at = new Date()): LocalListState {
    const state = this.state(chargerId);
    const accepted = status === 'Accepted';
    const values = {
      version: accepted ? plan.listVersion : state?.version ?? 0,
      status, hash: accepted ? plan.hash : state?.hash ?? null, updatedAt: at.toISOString(),
    };
    if (accepted) {
      const value = JSON.stringify(plan.entries);
      this.db.insert(settings).values({ key: snapshotKey(chargerId), value })
        .onConflictDoUpdate({ target: settings.key, set: { value } }).run();
    }
    return this.db.insert(localListVersions).values({ chargerId, ...values })
      .onConflictDoUpdate({ target: localListVersions.chargerId, set: values }).returning().get();
  }

  /** The charger cannot hold this many tags (its LocalAuthListMaxLength): nothing was sent, the status says why. */
  recordTooLarge(chargerId: number, entries: number, maxLength: number, at = new Date()): LocalListState {
    return this.setStatus(chargerId, this.state(chargerId), tooLargeStatus(entries, maxLength), at);
  }

  /** GetLocalListVersion: a version other than ours means the charger's list is not what we think. */
  recordReportedVersion(chargerId: number, listVersion: number, at = new Date()): LocalListState | undefined {
    const state = this.state(chargerId);
    if (listVersion === -1) return this.setStatus(chargerId, state, 'NotSupported', at);
    if (!state || state.version !== listVersion) return this.setStatus(chargerId, state, 'VersionMismatch', at);
    return state;
  }

  private setStatus(chargerId: number, state: LocalListState | undefined, status: string, at: Date): LocalListState {
    const values = { version: state?.version ?? 0, status, hash: state?.hash ?? null, updatedAt: at.toISOString() };
    return this.db.insert(localListVersions).values({ chargerId, ...values })
      .onConflictDoUpdate({ target: localListVersions.chargerId, set: values }).returning().get();
  }

  private snapshot(chargerId: number): Record<string, IdTagInfo> | undefined {
    const row = this.db.select().from(settings).where(eq(settings.key, snapshotKey(chargerId))).get();
    return row ? JSON.parse(row.value) as Record<string, IdTagInfo> : undefined;
  }
}

/** Status text shown as is in the API and page, e.g. "TooLarge (5 tags; LocalAuthListMaxLength is 3)". */
export function tooLargeStatus(entries: number, maxLength: number): string {
  return `TooLarge (${entries} tags; LocalAuthListMaxLength is ${maxLength})`;
}

/**
 * Splits a plan into messages of at most maxPerMessage entries (the charger's SendLocalListMaxLength).
 * A Full list goes as Full with the first part, then Differentials adding the rest. Each message has the next
 * version (plan.listVersion, +1, +2…): a conformant charger refuses a Differential whose version is not higher
 * than the one it holds (OCPP 1.6 §5.15), so parts sharing one version would fail after the first.
 */
export function splitPlan(plan: LocalListPlan, maxPerMessage?: number): LocalListMessage[] {
  const list = plan.localAuthorizationList;
  const size = maxPerMessage !== undefined && maxPerMessage >= 1 ? maxPerMessage : Math.max(list.length, 1);
  const out: LocalListMessage[] = [];
  // At least one message: an empty Full clears the charger's list.
  for (let i = 0; i === 0 || i < list.length; i += size) {
    out.push({ listVersion: plan.listVersion + out.length, updateType: i === 0 ? plan.updateType : 'Differential', localAuthorizationList: list.slice(i, i + size) });
  }
  return out;
}

function hashOf(entries: Record<string, IdTagInfo>): string {
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}
