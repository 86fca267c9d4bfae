// Vendor-specific DataTransfer messages from chargers, kept for review (retention prunes them).
import type { Db } from '../db/index.js';
import { dataTransfers } from '../db/schema.js';
import type { DataTransferRequest } from '../protocol/ocpp16/index.js';

export class DataTransfers {
  constructor(private readonly db: Db) {}

  /** Call inside uow.run. */
  record(chargerId: number, req: DataTransferRequest, receivedAt: Date): void {
    this.db.insert(dataTransfers).values({
      chargerId, vendorId: req.vendorId, messageId: req.messageId ?? null, data: req.data ?? null, receivedAt: receivedAt.toISOString(),
    }).run();
  }
}
