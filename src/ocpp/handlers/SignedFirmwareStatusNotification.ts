import type { ChargerHandler } from '../handler.js';

// SignedUpdateFirmware's progress, shown where UpdateFirmware's is (InvalidSignature included).
export const signedFirmwareStatusNotification: ChargerHandler<'SignedFirmwareStatusNotification'> = (ctx, req) => {
  ctx.domain.chargers.setFirmwareStatus(ctx.chargerId, req.status);
  return {};
};
