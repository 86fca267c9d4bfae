import type { ChargerHandler } from '../handler.js';

// GetLog is the whitepaper's GetDiagnostics: its progress is shown where diagnostics progress is.
export const logStatusNotification: ChargerHandler<'LogStatusNotification'> = (ctx, req) => {
  ctx.domain.chargers.setDiagnosticsStatus(ctx.chargerId, req.status);
  return {};
};
