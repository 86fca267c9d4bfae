// Pays for sessions: records the tariff a session starts under, and on completion prices it from that
// snapshot and debits the driver's wallet, inside the StopTransaction's own SQLite transaction.
// Also answers "may this driver start here?" for authorization, from the same wallet and tariff.
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { statusHistory } from '../db/schema.js';
import type { Charger } from './chargers.js';
import { parseSnapshot, secondsBetween, sessionCost, type SessionCost, type TariffSnapshot } from './pricing.js';
import { snapshotOf, type Tariffs } from './tariffs.js';
import type { Settlement, Transaction } from './transactions.js';
import type { Wallets } from './wallets.js';

/** Connector states in which the car is plugged in but draws no energy: billed as idle time. */
const IDLE_STATES = new Set(['SuspendedEV', 'SuspendedEVSE']);

export interface FundsPolicy { minBalanceToStart: number; allowTagsWithoutWallet: boolean }

export class WalletSettlement implements Settlement {
  /** A session row with its live figures laid over it (liveMeters.ts): what it has cost so far. */
  withLive: (tx: Transaction) => Transaction = (tx) => tx;

  constructor(
    private readonly db: Db, private readonly tariffs: Tariffs, private readonly wallets: Wallets,
    private readonly chargerById: (id: number) => Charger | undefined,
  ) {}

  priceFor(charger: Charger): Pick<Transaction, 'tariffId' | 'tariffSnapshot' | 'currency'> {
    const resolved = this.tariffs.resolve(charger);
    if (!resolved) return { tariffId: null, tariffSnapshot: null, currency: null };
    return { tariffId: resolved.tariff.id, tariffSnapshot: JSON.stringify(snapshotOf(resolved.tariff)), currency: resolved.tariff.currency };
  }

  settle(tx: Transaction): { costAmount: number; currency: string } | null {
    const tariff = parseSnapshot(tx.tariffSnapshot);
    if (!tariff) return null; // no tariff anywhere when it started: a free session
    // A start we refused, which the charger ended without delivering energy, costs nothing (no session or time fee).
    if (tx.authStatus !== 'Accepted' && (tx.energyWh ?? 0) === 0) return { costAmount: 0, currency: tariff.currency };
    const cost = this.costOf(tx, tariff);
    this.wallets.chargeSession(tx, cost);
    return { costAmount: cost.totalAmount, currency: cost.currency };
  }

  /** The session's figures changed after it was charged (the charger's stop after an operator's close). */
  resettle(tx: Transaction): { costAmount: number; currency: string } | null {
    const tariff = parseSnapshot(tx.tariffSnapshot);
    if (!tariff) return null;
    const cost = tx.authStatus !== 'Accepted' && (tx.energyWh ?? 0) === 0 ? { ...this.costOf(tx, tariff), totalAmount: 0 } : this.costOf(tx, tariff);
    this.wallets.correctSessionCharge(tx, cost);
    return { costAmount: cost.totalAmount, currency: cost.currency };
  }

  /** The price of a completed session (or, with `until`, of a running one so far). */
  costOf(tx: Transaction, tariff: TariffSnapshot, until?: { at: string; meterWh: number | null }): SessionCost {
    const stoppedAt = until?.at ?? tx.stoppedAt;
    // A completed session is billed its energyWh (judged from the readings at its stop: sessionEnergy.ts).
    const energyWh = until ? Math.max(0, (until.meterWh ?? tx.meterStart) - tx.meterStart)
      : tx.energyWh ?? Math.max(0, (tx.meterStop ?? tx.meterStart) - tx.meterStart);
    const total = secondsBetween(tx.startedAt, stoppedAt);
    const idle = Math.min(total, this.idleSeconds(tx, stoppedAt));
    return sessionCost(tariff, { energyWh, chargingSeconds: total - idle, idleSeconds: idle });
  }

  /** Time the connector reported SuspendedEV/SuspendedEVSE between start and stop (charger clock). */
  private idleSeconds(tx: Transaction, stoppedAt: string | null): number {
    if (!stoppedAt || tariffHasNoTimeFees(tx)) return 0;
    const start = Date.parse(tx.startedAt);
    const stop = Date.parse(stoppedAt);
    if (!(stop > start)) return 0;
    const rows = this.db.select({ status: statusHistory.status, timestamp: statusHistory.timestamp, receivedAt: statusHistory.receivedAt })
      .from(statusHistory)
      .where(and(eq(statusHistory.chargerId, tx.chargerId), eq(statusHistory.connectorId, tx.connectorId),
        gt(statusHistory.receivedAt, tx.startReceivedAt), lte(statusHistory.receivedAt, tx.stopReceivedAt ?? new Date().toISOString())))
      .orderBy(asc(statusHistory.id)).all();
    let idleMs = 0;
    let idleSince: number | null = null;
    for (const row of rows) {
      // A time Date cannot read (a row stored raw before times were normalized) counts at its arrival.
      const reported = Date.parse(row.timestamp ?? row.receivedAt);
      const at = Math.min(stop, Math.max(start, Number.isNaN(reported) ? Date.parse(row.receivedAt) : reported));
      if (IDLE_STATES.has(row.status)) idleSince ??= at;
      else if (idleSince !== null) { idleMs += Math.max(0, at - idleSince); idleSince = null; }
    }
    if (idleSince !== null) idleMs += Math.max(0, stop - idleSince);
    return Math.floor(idleMs / 1000);
  }

  /**
   * May this user start a session on this charger? Without a wallet only if the site allows it. With one:
   * the charger's tariff must be in the wallet's currency, and the balance minus what the user's open (running
   * or interrupted) sessions have cost so far must be at least the minimum.
   */
  canStart(userId: number | null, chargerId: number, policy: FundsPolicy, now: Date): boolean {
    if (userId === null) return policy.allowTagsWithoutWallet;
    const wallet = this.wallets.forUser(userId);
    if (!wallet) return policy.allowTagsWithoutWallet;
    const charger = this.chargerById(chargerId);
    const tariff = charger ? this.tariffs.resolve(charger)?.tariff : undefined;
    if (tariff && tariff.currency !== wallet.currency) return false;
    let committed = 0;
    for (const tx of this.wallets.openSessions(userId).map((row) => this.withLive(row))) {
      const snapshot = parseSnapshot(tx.tariffSnapshot);
      if (snapshot) committed += this.costOf(tx, snapshot, { at: now.toISOString(), meterWh: tx.lastMeterWh }).totalAmount;
    }
    return wallet.balance - committed >= policy.minBalanceToStart;
  }
}

function tariffHasNoTimeFees(tx: Transaction): boolean {
  const t = parseSnapshot(tx.tariffSnapshot);
  return !t || (t.pricePerMinute === 0 && t.idleFeePerMinute === 0);
}
