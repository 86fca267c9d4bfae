// The compatibility rules as data: which known-harmless deviations a tolerant charger may send, and
// what each one becomes. The walker in repair.ts applies them along the official schema; nothing here
// is specific to one handler. Sources of every rule: test/ocpp/compat/corpus.ts.

/** What a repair did; a closed set, so it can be a metrics label and a stored key. */
export const REPAIR_KINDS = [
  'enum_mapped', // a value outside the list mapped to the nearest valid one (case, spelling, fallback)
  'sample_dropped', // a sampled value whose measurand or unit means nothing to us (kept in the message log)
  'too_long', // a string over its maxLength, kept whole
  'timestamp_no_offset', // a time without offset, read as UTC
  'timestamp_invalid', // an impossible time, replaced by the receive time
  'timestamp_missing', // a required time absent, set to the receive time
  'decimal_to_integer', // 1234.5 where an integer is expected, rounded
  'string_to_number', // "1234" where a number is expected
  'number_to_string', // 230.1 where a string is expected
  'extra_field', // a field the schema does not know, dropped
  'field_renamed', // a known misnaming (disconnectReason for reason), read under its OCPP name
  'null_optional', // null (or "") in an optional field, dropped
  'object_to_array', // one object where a list is expected, wrapped
  'empty_array', // a list emptier than the schema allows, accepted as empty
] as const;
export type RepairKind = (typeof REPAIR_KINDS)[number];

/** What an enum value outside its list becomes, by field name. */
export interface EnumRule {
  /** Spellings seen in the field (lower case) and what they mean. */
  aliases?: Record<string, string>;
  /** The value an unknown one becomes, if the list has a catch-all. */
  fallback?: string;
  /** Where the raw text goes when it is replaced by the fallback (if that field is empty). */
  keepRawIn?: string;
  /** An unknown value makes the whole list item meaningless (a sample in an unknown unit is no reading). */
  dropItem?: boolean;
}

export const ENUM_RULES: Record<string, EnumRule> = {
  errorCode: { fallback: 'OtherError', keepRawIn: 'vendorErrorCode' },
  reason: { fallback: 'Other' },
  context: { fallback: 'Other' },
  unit: {
    aliases: { kwh: 'kWh', wh: 'Wh', 'kw/h': 'kWh', 'w/h': 'Wh', w: 'W', kw: 'kW', a: 'A', v: 'V', celsius: 'Celcius', c: 'Celcius', '°c': 'Celcius', degc: 'Celcius', '%': 'Percent', percent: 'Percent' },
    dropItem: true,
  },
  measurand: { aliases: { energy: 'Energy.Active.Import.Register', power: 'Power.Active.Import', current: 'Current.Import', soc: 'SoC' }, dropItem: true },
  phase: { aliases: { l1n: 'L1-N', l2n: 'L2-N', l3n: 'L3-N', l1l2: 'L1-L2', l2l3: 'L2-L3', l3l1: 'L3-L1' } },
  location: { aliases: { ev: 'EV' } },
};

/** Field names chargers use for an OCPP field (only applied where the OCPP name is absent). */
export const FIELD_ALIASES: Record<string, string> = {
  disconnectReason: 'reason',
};

/** How an enum value is compared with the list: case, spaces, dots, dashes and underscores do not count. */
export const enumKey = (s: string) => s.toLowerCase().replace(/[\s._-]/g, '');

/**
 * Transaction messages (and notifications whose answer decides nothing) are never refused for their
 * payload (OCPP 1.6 §4.10): what cannot be repaired is stored for review and answered with this.
 */
export const ANSWER_WHEN_UNPROCESSABLE: Record<string, object> = {
  StartTransaction: { transactionId: 0, idTagInfo: { status: 'Invalid' } },
  StopTransaction: {},
  MeterValues: {},
  StatusNotification: {},
  FirmwareStatusNotification: {},
  DiagnosticsStatusNotification: {},
  SecurityEventNotification: {},
};

const HANDSHAKE: Record<string, string> = {
  no_subprotocol: 'offered no OCPP subprotocol; admitted as ocpp1.6',
  subprotocol_list_malformed: 'offered the subprotocol list',
  trailing_slash: 'ended the address with a slash',
  repeated_id: 'repeated the charger id in the address',
  extra_path_segment: 'put an extra segment before the charger id in the address',
};

/** Plain language for the charger page: "3 StatusNotifications had errorCode 'Error'; mapped to OtherError". */
export function describeRepairCount(r: { action: string; kind: string; path: string; count: number; lastRaw: string; lastRepaired: string | null }): string {
  if (r.action === 'Handshake') {
    const what = r.kind === 'no_subprotocol' ? HANDSHAKE[r.kind] : `${HANDSHAKE[r.kind] ?? r.kind} '${r.lastRaw}'; admitted as ocpp1.6`;
    return `${r.count} ${r.count === 1 ? 'connection' : 'connections'} ${what}`;
  }
  const field = r.path.replace(/\[\]/g, '');
  return `${r.count} ${r.action}${r.count === 1 ? '' : 's'} ${describeRepair(r.kind as RepairKind, field, r.lastRaw, r.lastRepaired ?? '')}`;
}

function describeRepair(kind: RepairKind, field: string, raw: string, repaired: string): string {
  switch (kind) {
    case 'enum_mapped': return `had ${field} '${raw}'; mapped to ${repaired}`;
    case 'sample_dropped': return `had a sampled value with ${field} '${raw}'; that sample was skipped`;
    case 'too_long': return `had ${field} longer than OCPP allows; kept whole`;
    case 'timestamp_no_offset': return `had ${field} '${raw}' without a full time zone; read as ${repaired}`;
    case 'timestamp_invalid': return `had an impossible ${field} '${raw}'; the receive time was used`;
    case 'timestamp_missing': return `had no ${field}; the receive time was used`;
    case 'decimal_to_integer': return `had a decimal ${field} (${raw}); rounded to ${repaired}`;
    case 'string_to_number': return `had ${field} as text (${raw}); read as a number`;
    case 'number_to_string': return `had ${field} as a number (${raw}); read as text`;
    case 'extra_field': return `had a field '${raw}' OCPP does not define; ignored`;
    case 'field_renamed': return `called ${repaired} '${raw}'; read as ${repaired}`;
    case 'null_optional': return `had ${field} empty (${raw}); treated as absent`;
    case 'object_to_array': return `had ${field} as one object instead of a list; read as a list`;
    case 'empty_array': return `had ${field} empty; accepted`;
    default: return `needed a repair (${kind}) at ${field}`;
  }
}
