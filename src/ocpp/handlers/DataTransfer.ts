import type { Handler } from '../handler.js';
import type { DataTransferRequest, DataTransferResponse } from '../../protocol/ocpp16/index.js';

// Vendor messages are kept for review; no vendor extension is understood, so the vendor is unknown.
export const dataTransfer: Handler<DataTransferRequest, DataTransferResponse> = (ctx, req) => {
  ctx.domain.dataTransfers.record(ctx.chargerId, req, ctx.receivedAt);
  return { status: 'UnknownVendorId' };
};
