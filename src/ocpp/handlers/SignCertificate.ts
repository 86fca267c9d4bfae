import type { ChargerHandler } from '../handler.js';

// The CSR is stored before we answer; the site CA signs it after commit and sends CertificateSigned
// (src/ocpp/certificates.ts). Only a CSR that is not even a PEM request is Rejected here.
export const signCertificate: ChargerHandler<'SignCertificate'> = (ctx, req) => {
  const { accepted } = ctx.domain.certificateRequests.receive({ id: ctx.chargerId, chargePointId: ctx.chargePointId }, req.csr, ctx.receivedAt);
  return { status: accepted ? 'Accepted' : 'Rejected' };
};
