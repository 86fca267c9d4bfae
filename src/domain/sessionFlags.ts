// Why a session needs an operator's look, in words a site operator reads on the session page.
// Stored on the transaction as a JSON array (column flags), appended to, never rewritten.

export type SessionFlagCode =
  /** Put in doubt: a new StartTransaction on its connector, the connector idle, the charger long offline. */
  | 'in_doubt'
  /** A session in doubt that the charger continued (meter values for it arrived). */
  | 'resumed'
  /** The energy register went down during the session (a meter reset on reboot, a stale meterStop). */
  | 'meter_reset'
  /** The register rose faster than any charger can deliver (meterStart 0 as a placeholder, then the absolute reading). */
  | 'meter_jump'
  /** No meter reading gave a plausible figure: billed energy may be short; check the charger. */
  | 'meter_unknown'
  /** An operator closed it because its StopTransaction had not come. */
  | 'closed_by_operator'
  /** The charger's real StopTransaction arrived after an operator close: its figures replaced the operator's. */
  | 'corrected_by_charger'
  /** The StopTransaction had no usable transactionId (-1/0, an offline start): matched to this session. */
  | 'stop_without_id';

export interface SessionFlag { code: SessionFlagCode; at: string; reason: string }

export function parseFlags(raw: string | null | undefined): SessionFlag[] {
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? parsed as SessionFlag[] : [];
  } catch {
    return [];
  }
}

/** The column value with more flags added; null stays null when there is nothing to add. */
export function withFlags(raw: string | null | undefined, add: SessionFlag[]): string | null {
  if (add.length === 0) return raw ?? null;
  return JSON.stringify([...parseFlags(raw), ...add]);
}

export function hasFlag(raw: string | null | undefined, code: SessionFlagCode): boolean {
  return parseFlags(raw).some((f) => f.code === code);
}

export const kWh = (wh: number) => `${(wh / 1000).toFixed(3)} kWh`;
