// The OCPP 1.6 functional blocks beyond Core, started together: Local Auth List Management,
// Reservation, Firmware Management (with diagnostics), Smart Charging and the site load balancer.
import type { Config } from '../config.js';
import type { Domain } from '../domain/index.js';
import { IdTagChangeWatcher } from '../domain/idTagRevision.js';
import type { Logger } from '../log.js';
import type { ChargerHub } from './hub.js';
import { CertificateDesk } from './certificates.js';
import { FirmwareDesk } from './firmware.js';
import { SiteCa } from '../pki/siteCa.js';
import { LoadBalancer } from './loadBalancer.js';
import { LocalListSync } from './localList.js';
import { ReservationDesk } from './reservations.js';
import { SmartCharging } from './smartCharging.js';
import { SessionReview } from './sessionReview.js';
import { BlockedTags } from './blockedTags.js';

export interface FunctionalBlocks {
  localLists: LocalListSync;
  /** Notices idTag changes made by another process (the CLI) and announces them like the server's own. */
  idTagWatcher: IdTagChangeWatcher;
  reservations: ReservationDesk;
  firmware: FirmwareDesk;
  /** Security whitepaper: CSR signing by the site CA, trusted certificates, security logs, signed firmware. */
  certificates: CertificateDesk;
  smartCharging: SmartCharging;
  loadBalancer: LoadBalancer;
  /** Puts stuck sessions in doubt (charger long offline, connector idle). */
  sessionReview: SessionReview;
  /** A blocked tag or user: ClearCache, and (sessions.stopWhenBlocked) remote stops. */
  blockedTags: BlockedTags;
  stop(): void;
}

export function startFunctionalBlocks(domain: Domain, hub: ChargerHub, config: Config, logger: Logger): FunctionalBlocks {
  domain.uow.run(() => domain.files.ensureSecret()) // runs now; the URL secret exists from here on
    .catch((err) => logger.error({ err }, 'could not store the file-link secret'));
  const smartCharging = new SmartCharging(domain, hub);
  const firmware = new FirmwareDesk(domain, hub);
  const ca = new SiteCa({ ...config.pki, dataDir: config.dataDir, siteName: config.siteName });
  const blocks = {
    localLists: new LocalListSync(domain, hub, logger, config.localAuthList.autoSync),
    idTagWatcher: new IdTagChangeWatcher(domain.idTagRevision, domain.events),
    reservations: new ReservationDesk(domain, hub, logger),
    firmware,
    certificates: new CertificateDesk(domain, hub, ca, firmware, logger),
    smartCharging,
    loadBalancer: new LoadBalancer(domain, hub, smartCharging, logger, config.loadBalancing),
    sessionReview: new SessionReview(domain, hub, logger, config.sessions),
    blockedTags: new BlockedTags(domain, hub, logger, config.sessions.stopWhenBlocked),
  };
  return {
    ...blocks,
    stop() {
      for (const b of [blocks.certificates, blocks.idTagWatcher, blocks.localLists, blocks.reservations, blocks.smartCharging, blocks.loadBalancer, blocks.sessionReview, blocks.blockedTags]) b.stop();
    },
  };
}
