// The simulator's Local Authorization List, kept like a real charger keeps it: it holds the entries,
// refuses a SendLocalList longer than SendLocalListMaxLength and a list longer than
// LocalAuthListMaxLength (answering Failed and keeping its old list), and reports both keys.
import type { ChargePoint } from './chargePoint.js';

export interface IdTagInfo { status: string; expiryDate?: string; parentIdTag?: string }
interface SendLocalList {
  listVersion: number; updateType: 'Full' | 'Differential';
  localAuthorizationList?: Array<{ idTag: string; idTagInfo?: IdTagInfo }>;
}

export interface LocalListOptions {
  /** Entries accepted in one SendLocalList (default 100). */
  sendLocalListMaxLength?: number;
  /** Entries the list can hold (default 1000). */
  localAuthListMaxLength?: number;
  /** Limits enforced but left out of GetConfiguration, like a charger that does not advertise them. */
  unreportedKeys?: string[];
}

export class SimulatedLocalList {
  version = 0;
  readonly entries = new Map<string, IdTagInfo>();
  readonly sendMax: number;
  readonly listMax: number;

  constructor(private readonly opts: LocalListOptions = {}) {
    this.sendMax = opts.sendLocalListMaxLength ?? 100;
    this.listMax = opts.localAuthListMaxLength ?? 1000;
  }

  /** The two keys as GetConfiguration reports them (readonly: set by the hardware). */
  configurationKeys(): Array<{ key: string; readonly: boolean; value: string }> {
    const hidden = new Set(this.opts.unreportedKeys ?? []);
    return [
      { key: 'LocalAuthListMaxLength', readonly: true, value: String(this.listMax) },
      { key: 'SendLocalListMaxLength', readonly: true, value: String(this.sendMax) },
    ].filter((k) => !hidden.has(k.key));
  }

  answer(cp: ChargePoint): void {
    cp.on('SendLocalList', (p: SendLocalList) => ({ status: this.apply(p) }));
    cp.on('GetLocalListVersion', () => ({ listVersion: this.version }));
  }

  /** All or nothing: a refused message leaves the list and its version as they were. */
  apply(p: SendLocalList): 'Accepted' | 'Failed' | 'VersionMismatch' {
    const list = p.localAuthorizationList ?? [];
    if (list.length > this.sendMax) return 'Failed';
    // OCPP 1.6 §5.15: a Differential whose version is not higher than the one held is refused.
    if (p.updateType === 'Differential' && p.listVersion <= this.version) return 'VersionMismatch';
    const next = p.updateType === 'Full' ? new Map<string, IdTagInfo>() : new Map(this.entries);
    for (const e of list) {
      if (e.idTagInfo) next.set(e.idTag, e.idTagInfo);
      else next.delete(e.idTag);
    }
    if (next.size > this.listMax) return 'Failed';
    this.entries.clear();
    for (const [k, v] of next) this.entries.set(k, v);
    this.version = p.listVersion;
    return 'Accepted';
  }
}
