// Raising a charger's security profile over the air, in the whitepaper's order (1.6 security whitepaper
// ed. 2, "Migrating to a higher security profile"): the charger first trusts the site CA
// (InstallCertificate CentralSystemRootCertificate), for profile 3 it already holds a certificate the
// site CA signed (SignCertificate -> CertificateSigned, Installed), and only then ChangeConfiguration
// SecurityProfile. The new profile is stored only when the charger Accepted it; lowering over the air is
// refused (the whitepaper forbids it: an attacker could otherwise downgrade a charger).
import { DomainError } from '../domain/errors.js';
import type { Domain } from '../domain/index.js';
import type { SecurityProfile } from '../domain/chargers.js';
import type { CertificateDesk } from './certificates.js';
import type { ChargerHub } from './hub.js';

export type RaiseStep = 'InstallCertificate' | 'ChangeConfiguration';
export interface RaiseOutcome { securityProfile: SecurityProfile; raised: boolean; step: RaiseStep; status: string; reason?: string }

export async function raiseSecurityProfile(
  deps: { domain: Domain; hub: ChargerHub; certificates: CertificateDesk; tlsEnabled: boolean },
  chargePointId: string, target: SecurityProfile,
): Promise<RaiseOutcome> {
  const { domain, hub, certificates } = deps;
  const charger = domain.chargers.byChargePointId(chargePointId);
  if (!charger) throw new DomainError('not_found', 'charger_not_found', `no charger ${chargePointId}`);
  const current = charger.securityProfile as SecurityProfile;
  if (target <= current) {
    throw new DomainError('conflict', 'profile_not_higher', `charger ${chargePointId} has security profile ${current}; over the air it can only be raised (to lower it, reconfigure the charger locally and edit it here)`);
  }
  if (!deps.tlsEnabled) throw new DomainError('conflict', 'tls_disabled', 'security profile 2 and 3 need TLS: set http.tls.enabled with a certificate first');
  if (target === 3 && !domain.certificateRequests.list(charger.id).some((r) => r.status === 'Installed')) {
    throw new DomainError('conflict', 'no_client_certificate', `charger ${chargePointId} has no certificate signed by the site CA yet: ask it for one (extended trigger SignChargePointCertificate) first`);
  }
  const install = await certificates.install(chargePointId, 'CentralSystemRootCertificate');
  if (install.status !== 'Accepted') {
    return { securityProfile: current, raised: false, step: 'InstallCertificate', status: install.status, reason: 'the charger did not install the site CA certificate; the profile stays' };
  }
  const change = await hub.call(chargePointId, 'ChangeConfiguration', { key: 'SecurityProfile', value: String(target) });
  if (change.status !== 'Accepted') {
    return { securityProfile: current, raised: false, step: 'ChangeConfiguration', status: change.status, reason: `the charger answered ${change.status}; the profile stays` };
  }
  await domain.uow.run(() => {
    domain.chargers.update(charger.id, { securityProfile: target });
    domain.uow.onCommit(() => domain.events.emit('charger.updated', { chargePointId }));
  });
  return { securityProfile: target, raised: true, step: 'ChangeConfiguration', status: change.status };
}
