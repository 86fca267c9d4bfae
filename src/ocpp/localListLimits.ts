// How much of a Local Authorization List a charger takes: SendLocalListMaxLength (entries in one
// SendLocalList) and LocalAuthListMaxLength (entries the list holds), from its configuration keys.
import type { Domain } from '../domain/index.js';
import type { ChargerSettings } from '../domain/chargerSettings.js';
import type { Logger } from '../log.js';
import { ChargerOfflineError } from './errors.js';
import type { ChargerHub } from './hub.js';

export const SEND_MAX_KEY = 'SendLocalListMaxLength';
export const LIST_MAX_KEY = 'LocalAuthListMaxLength';

/** Undefined: the charger did not say, so it gets the whole list in one message (as before limits existed). */
export interface LocalListLimits { sendMax?: number; listMax?: number }

export class LocalListLimitsSource {
  private readonly settings: ChargerSettings;
  /** Connections already asked: a charger that does not report the keys is asked once per connection, not per send. */
  private readonly asked = new WeakSet<object>();

  constructor(private readonly domain: Domain, private readonly hub: ChargerHub, private readonly logger: Logger) {
    this.settings = domain.chargerSettings;
  }

  /**
   * Stored values (from any earlier GetConfiguration) win, so a send costs no extra call. When either is
   * missing we ask for just these two keys before sending: an oversized first list would otherwise be
   * refused (or, worse, half-applied) by the charger. A charger that cannot answer GetConfiguration
   * (CALLERROR, timeout) or does not know the keys gets one message, which is all we can do.
   */
  async of(chargePointId: string, chargerId: number): Promise<LocalListLimits> {
    const known = this.stored(chargerId);
    const session = this.hub.get(chargePointId);
    if ((known.sendMax !== undefined && known.listMax !== undefined) || !session || this.asked.has(session)) return known;
    this.asked.add(session);
    try {
      const res = await this.hub.call(chargePointId, 'GetConfiguration', { key: [SEND_MAX_KEY, LIST_MAX_KEY] });
      await this.domain.uow.run(() => this.settings.recordReported(chargerId, res.configurationKey ?? []));
    } catch (err) {
      if (err instanceof ChargerOfflineError) throw err;
      this.logger.info({ err, chargePointId }, 'could not read local list limits; sending the list in one message');
    }
    return this.stored(chargerId);
  }

  private stored(chargerId: number): LocalListLimits {
    const rows = this.settings.configuration(chargerId);
    const value = (key: string) => wholeNumber(rows.find((r) => r.key === key)?.value);
    return { sendMax: value(SEND_MAX_KEY), listMax: value(LIST_MAX_KEY) };
  }
}

/** Keys are strings on the wire; anything but a whole number >= 0 is treated as not reported. */
function wholeNumber(value: string | null | undefined): number | undefined {
  if (value == null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number.parseInt(value, 10);
}
