// Chargers' certificate signing requests (security whitepaper: SignCertificate -> CertificateSigned), kept
// with their outcome so an operator can see which charger holds which certificate and why one was refused.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import { certificateRequests } from '../db/schema.js';
import type { EventBus } from './events.js';

export type CertificateRequest = typeof certificateRequests.$inferSelect;
export type CertificateRequestStatus = 'Requested' | 'Signed' | 'Installed' | 'Refused' | 'RejectedByCharger' | 'Failed';

const PEM_CSR = /^\s*-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END (?:NEW )?CERTIFICATE REQUEST-----\s*$/;

/** Why a CSR cannot even be looked at (not PEM, no body), or undefined: the CA checks the rest. */
export function csrShapeProblem(csr: string): string | undefined {
  const m = PEM_CSR.exec(csr);
  if (!m) return 'not a PEM certificate request (-----BEGIN CERTIFICATE REQUEST-----)';
  const der = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  // A DER SEQUENCE: 0x30 and a length; anything shorter than a few dozen bytes cannot hold a key.
  if (der.length < 64 || der[0] !== 0x30) return 'the PEM body is not a DER certificate request';
  return undefined;
}

export class CertificateRequests {
  constructor(private readonly db: Db, private readonly uow: UnitOfWork, private readonly events: EventBus) {}

  /** Inside uow.run (the SignCertificate handler): stored before the answer; the CA works after commit. */
  receive(charger: { id: number; chargePointId: string }, csr: string, receivedAt: Date): { accepted: boolean; request: CertificateRequest } {
    const problem = csrShapeProblem(csr);
    const at = receivedAt.toISOString();
    const request = this.db.insert(certificateRequests).values({
      chargerId: charger.id, csr, status: problem ? 'Refused' : 'Requested', reason: problem ?? null, requestedAt: at, updatedAt: at,
    }).returning().get();
    if (!problem) this.uow.onCommit(() => this.events.emit('certificate.requested', { chargePointId: charger.chargePointId, requestId: request.id }));
    return { accepted: !problem, request };
  }

  byId(id: number): CertificateRequest | undefined {
    return this.db.select().from(certificateRequests).where(eq(certificateRequests.id, id)).get();
  }

  list(chargerId: number, limit = 20): CertificateRequest[] {
    return this.db.select().from(certificateRequests).where(eq(certificateRequests.chargerId, chargerId))
      .orderBy(desc(certificateRequests.id)).limit(limit).all();
  }

  // The writes below run inside uow.run.

  signed(id: number, cert: { subject: string; serialNumber: string; validTo: string; fingerprint256: string }, chainPem: string): void {
    this.db.update(certificateRequests).set({ status: 'Signed', ...cert, certificateChain: chainPem, updatedAt: new Date().toISOString() })
      .where(eq(certificateRequests.id, id)).run();
  }

  settle(id: number, status: Exclude<CertificateRequestStatus, 'Requested' | 'Signed'>, reason?: string): void {
    this.db.update(certificateRequests).set({ status, reason: reason ?? null, updatedAt: new Date().toISOString() })
      .where(eq(certificateRequests.id, id)).run();
  }
}
