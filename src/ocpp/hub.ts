// The connected chargers. A second connection for an id replaces the first (its socket is closed).
import type { CentralAction, CentralActions } from '../protocol/ocpp16/index.js';
import { ChargerOfflineError } from './errors.js';
import { OcppSession, type SessionDeps, type SocketSink } from './session.js';
import type { AdmittedCharger } from './admission.js';

export class ChargerHub {
  private readonly sessions = new Map<string, OcppSession>();

  constructor(private readonly deps: SessionDeps) {
    // An operator accepting or rejecting a connected charger takes effect on its session at once.
    deps.domain.events.on('charger.updated', ({ chargePointId }) => {
      const session = this.sessions.get(chargePointId);
      const charger = session && deps.domain.chargers.byChargePointId(chargePointId);
      if (charger) {
        session.registrationStatus = charger.registrationStatus;
    session.compatMode = charger.compatMode === 'strict' ? 'strict' : 'tolerant';
        session.compatMode = charger.compatMode === 'strict' ? 'strict' : 'tolerant';
      }
    });
  }

  attach(charger: AdmittedCharger, sink: SocketSink): OcppSession {
    const previous = this.sessions.get(charger.chargePointId);
    const session = new OcppSession(charger.chargePointId, charger.id, sink, this.deps);
    session.registrationStatus = charger.registrationStatus;
    session.compatMode = charger.compatMode === 'strict' ? 'strict' : 'tolerant';
    this.sessions.set(charger.chargePointId, session);
    if (previous) {
      previous.onClose();
      previous.close(1000, 'replaced by a new connection');
    }
    this.deps.domain.events.emit('charger.connected', { chargePointId: charger.chargePointId });
    return session;
  }

  detach(session: OcppSession): void {
    session.onClose();
    if (this.sessions.get(session.chargePointId) !== session) return; // already replaced
    this.sessions.delete(session.chargePointId);
    this.deps.domain.uow.run(() => this.deps.domain.chargers.touch(session.chargerId, new Date(session.lastSeenAt)), { routine: true }).catch(() => {});
    this.deps.domain.events.emit('charger.disconnected', { chargePointId: session.chargePointId });
  }

  get(chargePointId: string): OcppSession | undefined {
    return this.sessions.get(chargePointId);
  }

  /** Connected and heard from (a frame, or a pong to our WebSocket ping) within two heartbeat intervals. */
  isOnline(chargePointId: string): boolean {
    const s = this.sessions.get(chargePointId);
    return !!s && Date.now() - s.lastSeenAt <= 2 * this.deps.heartbeatIntervalSec() * 1000;
  }

  connected(): OcppSession[] {
    return [...this.sessions.values()];
  }

  call<A extends CentralAction>(chargePointId: string, action: A, payload: CentralActions[A]['request'], timeoutMs?: number): Promise<CentralActions[A]['response']> {
    const session = this.sessions.get(chargePointId);
    if (!session) {
      const lastSeen = this.deps.domain.chargers.byChargePointId(chargePointId)?.lastSeenAt;
      return Promise.reject(new ChargerOfflineError(chargePointId, lastSeen));
    }
    return session.call(action, payload, timeoutMs);
  }

  closeAll(code: number, reason: string): void {
    for (const s of this.sessions.values()) s.close(code, reason);
  }
}
