import { dataTransfers } from '../../db/schema.js';
import type { Handler } from '../handler.js';
import type { DataTransferRequest, DataTransferResponse } from '../../protocol/ocpp16/index.js';

// Vendor messages are kept for review; no vendor extension is understood, so the vendor is unknown.
export const dataTransfer: Handler<DataTransferRequest, DataTransferResponse> = (ctx, req) => {
  ctx.domain.db.insert(dataTransfers).values({
    chargerId: ctx.chargerId, vendorId: req.vendorId, messageId: req.messageId ?? null, data: req.data ?? null,
    receivedAt: ctx.receivedAt.toISOString(),
  }).run();
  return { status: 'UnknownVendorId' };
};
