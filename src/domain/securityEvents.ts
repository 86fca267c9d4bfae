// Security events the chargers report (security whitepaper: SecurityEventNotification), kept for review.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { securityEvents } from '../db/schema.js';
import type { SecurityEventNotificationRequest } from '../protocol/ocpp16/index.js';

export type SecurityEvent = typeof securityEvents.$inferSelect;

export class SecurityEvents {
  constructor(private readonly db: Db) {}

  record(chargerId: number, req: SecurityEventNotificationRequest, receivedAt: Date): SecurityEvent {
    return this.db.insert(securityEvents).values({
      chargerId, type: req.type, techInfo: req.techInfo ?? null, timestamp: req.timestamp, receivedAt: receivedAt.toISOString(),
    }).returning().get();
  }

  list(opts: { chargerId?: number; limit?: number } = {}): SecurityEvent[] {
    const q = this.db.select().from(securityEvents);
    const filtered = opts.chargerId === undefined ? q : q.where(eq(securityEvents.chargerId, opts.chargerId));
    return filtered.orderBy(desc(securityEvents.id)).limit(opts.limit ?? 100).all();
  }
}
