// The compatibility corpus: one case per deviation real chargers send, with the public report it comes
// from, what the compatibility layer must record, and what must be stored. Replayed over real WebSockets
// by compat.e2e.test.ts (and reproducible with `npm run simulate -- --quirks <id>`, src/sim/quirks.ts).
// Sources are the threads listed in /work/research/cases.md; `sources: []` marks a deviation the brief
// names but for which no public report was found (tested anyway, never given an invented source).

export interface CaseContext { tx: number; now: string }

export interface CompatCase {
  id: string;
  sources: string[];
  vendor?: string;
  action: string;
  /** A transaction is started first (meterStart 0, idTag TAG) and its id passed to payload(). */
  needsTransaction?: boolean;
  payload(ctx: CaseContext): Record<string, unknown>;
  /** The repairs recorded for the charger, as [kind, path]. */
  repairs: Array<[string, string]>;
  /** The message cannot be processed: it is answered anyway and kept for review. */
  reviewed?: boolean;
  /** What must be in the database afterwards: SQL with @charger (and @tx), and its rows. */
  stored: { sql: string; rows: unknown[] };
}

export const TAG = 'COMPATTAG';
const sample = (value: unknown, extra: Record<string, unknown> = {}) => ({ value, measurand: 'Energy.Active.Import.Register', unit: 'Wh', ...extra });
const meter = (tx: number, now: string, sampledValue: unknown) => ({ connectorId: 1, transactionId: tx, meterValue: [{ timestamp: now, sampledValue }] });
const METER_ROWS = 'SELECT measurand, unit, value FROM meter_value WHERE charger_id = @charger ORDER BY id';
const STATUS_ROWS = 'SELECT status, error_code AS errorCode, info, vendor_error_code AS vendorErrorCode, timestamp FROM status_history WHERE charger_id = @charger';

export const CORPUS: CompatCase[] = [
  {
    id: 'status-errorcode-not-in-enum', vendor: 'Legrand GreenUp',
    sources: ['https://github.com/lbbrhzn/ocpp/issues/1248'],
    action: 'StatusNotification',
    payload: () => ({ connectorId: 0, errorCode: 'Error', status: 'Faulted', timestamp: '2024-08-03T16:16:55Z' }),
    repairs: [['enum_mapped', 'errorCode']],
    stored: { sql: STATUS_ROWS, rows: [{ status: 'Faulted', errorCode: 'OtherError', info: null, vendorErrorCode: 'Error', timestamp: '2024-08-03T16:16:55.000Z' }] },
  },
  {
    id: 'sampledvalue-value-as-number', vendor: 'OpenEVSE WiFi 4.1.x',
    sources: ['https://github.com/OpenEVSE/openevse_esp32_firmware/issues/335', 'https://github.com/lbbrhzn/ocpp/issues/210', 'https://github.com/mobilityhouse/ocpp/issues/353'],
    action: 'MeterValues', needsTransaction: true,
    payload: ({ tx, now }) => meter(tx, now, [sample(604.213), { value: 0, measurand: 'Power.Active.Import', unit: 'W' }]),
    repairs: [['number_to_string', 'meterValue[].sampledValue[].value']],
    stored: { sql: METER_ROWS, rows: [{ measurand: 'Energy.Active.Import.Register', unit: 'Wh', value: '604.213' }, { measurand: 'Power.Active.Import', unit: 'W', value: '0' }] },
  },
  {
    id: 'metervalue-object-instead-of-array', vendor: 'Huawei wallbox',
    sources: ['https://github.com/lbbrhzn/ocpp/issues/1144'],
    action: 'MeterValues', needsTransaction: true,
    payload: ({ tx, now }) => ({ connectorId: 1, transactionId: tx, meterValue: { timestamp: now,
      sampledValue: [{ value: '0.00', context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register', unit: 'kWh' }] } }),
    repairs: [['object_to_array', 'meterValue']],
    stored: { sql: METER_ROWS, rows: [{ measurand: 'Energy.Active.Import.Register', unit: 'kWh', value: '0.00' }] },
  },
  {
    id: 'sampledvalue-empty-array', vendor: 'Vestel EVC04',
    sources: ['https://github.com/lbbrhzn/ocpp/issues/466'],
    action: 'MeterValues', needsTransaction: true,
    // The official 1.6 JSON schema has no minItems here, so this is valid as sent: answered, nothing stored.
    payload: ({ tx, now }) => meter(tx, now, []),
    repairs: [],
    stored: { sql: 'SELECT count(*) AS n FROM meter_value WHERE charger_id = @charger', rows: [{ n: 0 }] },
  },
  {
    id: 'unit-celsius-spelling', vendor: 'OpenEVSE ("C"); "Celsius" senders not named',
    sources: ['https://github.com/OpenEVSE/openevse_esp32_firmware/pull/726', 'https://github.com/lorenzodonini/ocpp-go/pull/273', 'https://github.com/dallmann-consulting/OCPP.Core/pull/81'],
    action: 'MeterValues', needsTransaction: true,
    payload: ({ tx, now }) => meter(tx, now, [{ value: '31', measurand: 'Temperature', unit: 'C' }, { value: '30', measurand: 'Temperature', unit: 'Celsius' }]),
    repairs: [['enum_mapped', 'meterValue[].sampledValue[].unit']],
    // ocpp-edge's 1.6 schemas carry the errata's "Celsius" next to "Celcius": only "C" needs mapping.
    stored: { sql: METER_ROWS, rows: [{ measurand: 'Temperature', unit: 'Celcius', value: '31' }, { measurand: 'Temperature', unit: 'Celsius', value: '30' }] },
  },
  {
    id: 'unit-hz-not-in-1.6-enum',
    sources: ['https://github.com/lbbrhzn/ocpp/issues/1576', 'https://github.com/citrineos/citrineos-core/pull/871'],
    action: 'MeterValues', needsTransaction: true,
    payload: ({ tx, now }) => meter(tx, now, [{ value: '49.99', context: 'Sample.Periodic', measurand: 'Frequency', unit: 'Hz' }, sample('1200', { context: 'Sample.Periodic' })]),
    repairs: [['sample_dropped', 'meterValue[].sampledValue[].unit']],
    stored: { sql: METER_ROWS, rows: [{ measurand: 'Energy.Active.Import.Register', unit: 'Wh', value: '1200' }] },
  },
  {
    id: 'timestamp-without-offset', vendor: 'Growatt THOR',
    sources: ['https://github.com/evcc-io/evcc/issues/10399'],
    action: 'StartTransaction',
    payload: () => ({ connectorId: 1, idTag: TAG, meterStart: 0, reservationId: 0, timestamp: '2023-10-19T15:28:07' }),
    repairs: [['timestamp_no_offset', 'timestamp']],
    stored: { sql: 'SELECT started_at AS startedAt, meter_start AS meterStart FROM "transaction" WHERE charger_id = @charger', rows: [{ startedAt: '2023-10-19T15:28:07.000Z', meterStart: 0 }] },
  },
  {
    id: 'timestamp-offset-hours-only', vendor: 'Monta OCPP emulator (a simulator)',
    sources: ['https://github.com/monta-app/ocpp-emulator/issues/5', 'https://github.com/monta-app/ocpp-emulator/issues/53'],
    action: 'StatusNotification',
    payload: () => ({ connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: '2024-04-26T14:35:02+02' }),
    repairs: [['timestamp_no_offset', 'timestamp']],
    stored: { sql: STATUS_ROWS, rows: [{ status: 'Available', errorCode: 'NoError', info: null, vendorErrorCode: null, timestamp: '2024-04-26T12:35:02.000Z' }] },
  },
  {
    id: 'timestamp-1970-before-clock-sync', vendor: 'MicroOcpp-based chargers',
    // A valid time, only an old one: stored as sent (the charger's clock), nothing to repair.
    sources: ['https://github.com/matth-x/MicroOcpp/issues/311', 'https://github.com/matth-x/MicroOcpp/pull/354'],
    action: 'StatusNotification',
    payload: () => ({ connectorId: 0, errorCode: 'NoError', status: 'Available', timestamp: '1970-01-01T00:00:00.740Z' }),
    repairs: [],
    stored: { sql: STATUS_ROWS, rows: [{ status: 'Available', errorCode: 'NoError', info: null, vendorErrorCode: null, timestamp: '1970-01-01T00:00:00.740Z' }] },
  },
  {
    id: 'status-info-null',
    sources: ['https://github.com/mobilityhouse/ocpp/issues/296'],
    action: 'StatusNotification',
    payload: () => ({ connectorId: 1, errorCode: 'NoError', info: null, status: 'Unavailable', timestamp: '2022-01-27T14:42:15.1240977Z' }),
    repairs: [['null_optional', 'info']],
    stored: { sql: 'SELECT status, info FROM status_history WHERE charger_id = @charger', rows: [{ status: 'Unavailable', info: null }] },
  },
  {
    id: 'status-info-too-long',
    sources: ['https://github.com/lbbrhzn/ocpp/issues/987'],
    action: 'StatusNotification',
    payload: ({ now }) => ({ connectorId: 1, errorCode: 'NoError', status: 'Finishing', timestamp: now,
      info: "User didn't disconnect vehicle within 00:10:00 minutes after charging has ended." }),
    repairs: [['too_long', 'info']],
    stored: { sql: 'SELECT status, info FROM status_history WHERE charger_id = @charger',
      rows: [{ status: 'Finishing', info: "User didn't disconnect vehicle within 00:10:00 minutes after charging has ended." }] },
  },
  {
    id: 'bootnotification-serial-too-long', vendor: 'Schneider Electric EVlink Smart Wallbox',
    sources: ['https://github.com/mobilityhouse/ocpp/issues/273', 'https://github.com/lbbrhzn/ocpp/issues/213'],
    action: 'BootNotification',
    payload: () => ({ chargeBoxSerialNumber: 'EVB1A22P2RI3N182341200100350795E5', chargePointModel: 'EVlink Smart Wallbox',
      chargePointSerialNumber: '3N18310641B55', chargePointVendor: 'Schneider Electric', firmwareVersion: '3.4.0.2' }),
    repairs: [['too_long', 'chargeBoxSerialNumber']],
    stored: { sql: 'SELECT vendor, charge_box_serial_number AS serial FROM charger WHERE id = @charger', rows: [{ vendor: 'Schneider Electric', serial: 'EVB1A22P2RI3N182341200100350795E5' }] },
  },
  {
    id: 'empty-strings-in-optional-fields', vendor: 'TEISON',
    // "" is a valid string for iccid/imsi: accepted as sent, nothing to repair.
    sources: ['https://github.com/lbbrhzn/ocpp/issues/1617', 'https://github.com/lbbrhzn/ocpp/issues/1742'],
    action: 'BootNotification',
    payload: () => ({ chargePointVendor: 'TEISON', chargePointModel: 'EVAC', iccid: '', imsi: '' }),
    repairs: [],
    stored: { sql: 'SELECT vendor, iccid, imsi FROM charger WHERE id = @charger', rows: [{ vendor: 'TEISON', iccid: '', imsi: '' }] },
  },
  {
    id: 'idtag-over-20-chars',
    sources: ['https://github.com/lbbrhzn/ocpp/issues/1803', 'https://github.com/lbbrhzn/ocpp/pull/1819'],
    action: 'StopTransaction', needsTransaction: true,
    payload: ({ tx, now }) => ({ meterStop: 250390, timestamp: now, transactionId: tx, idTag: 'X16WG99J2QIEGCC0MCJ5-' }),
    repairs: [['too_long', 'idTag']],
    stored: { sql: 'SELECT status, meter_stop AS meterStop, stop_id_tag AS stopIdTag FROM "transaction" WHERE id = @tx', rows: [{ status: 'COMPLETED', meterStop: 250390, stopIdTag: 'X16WG99J2QIEGCC0MCJ5-' }] },
  },
  {
    id: 'fractional-meter-wh', vendor: 'shiv3 ocpp-cp-simulator (a simulator)',
    sources: ['https://github.com/shiv3/ocpp-cp-simulator/pull/83'],
    action: 'StopTransaction', needsTransaction: true,
    payload: ({ tx, now }) => ({ transactionId: tx, meterStop: 26008.333, timestamp: now }),
    repairs: [['decimal_to_integer', 'meterStop']],
    stored: { sql: 'SELECT status, meter_stop AS meterStop FROM "transaction" WHERE id = @tx', rows: [{ status: 'COMPLETED', meterStop: 26008 }] },
  },
  {
    id: 'extra-or-renamed-fields', vendor: 'road-labs chargestation-one (a simulator)',
    sources: ['https://github.com/road-labs/chargestation-one/issues/61', 'https://github.com/citrineos/citrineos-core/pull/973'],
    action: 'StopTransaction', needsTransaction: true,
    payload: ({ tx, now }) => ({ connectorId: 1, idTag: TAG, meterStop: 1625, timestamp: now, disconnectReason: 'EVDisconnected', transactionId: tx,
      transactionData: [{ timestamp: now, sampledValue: [{ value: '1.6250000000000002', measurand: 'Energy.Active.Import.Register', unit: 'kWh' }] }] }),
    repairs: [['extra_field', '(payload)'], ['field_renamed', 'reason']],
    stored: { sql: 'SELECT status, meter_stop AS meterStop, stop_reason AS reason FROM "transaction" WHERE id = @tx', rows: [{ status: 'COMPLETED', meterStop: 1625, reason: 'EVDisconnected' }] },
  },
  {
    id: 'starttransaction-without-timestamp', vendor: 'MicroOcpp-based chargers',
    sources: ['https://github.com/matth-x/MicroOcpp/issues/88'],
    action: 'StartTransaction',
    payload: () => ({ connectorId: 1, idTag: TAG, meterStart: 100 }),
    repairs: [['timestamp_missing', 'timestamp']],
    stored: { sql: 'SELECT meter_start AS meterStart, started_at = start_received_at AS atReceiveTime FROM "transaction" WHERE charger_id = @charger', rows: [{ meterStart: 100, atReceiveTime: 1 }] },
  },
  {
    id: 'stoptransaction-transactionid-null',
    sources: ['https://github.com/dallmann-consulting/OCPP.Core/issues/29'],
    action: 'StopTransaction', needsTransaction: true,
    payload: ({ now }) => ({ transactionId: null, meterStop: 1000, timestamp: now }),
    repairs: [], reviewed: true,
    stored: { sql: `SELECT r.action, json_extract(r.payload, '$.meterStop') AS meterStop, t.status FROM compat_review r, "transaction" t WHERE r.charger_id = @charger AND t.id = @tx`,
      rows: [{ action: 'StopTransaction', meterStop: 1000, status: 'RUNNING' }] },
  },
  // The brief's cases without a public report found (research/cases.md, "No source found"): tested anyway.
  {
    id: 'numbers-as-strings', sources: [],
    action: 'StartTransaction',
    payload: ({ now }) => ({ connectorId: '1', idTag: TAG, meterStart: '123', timestamp: now }),
    repairs: [['string_to_number', 'connectorId'], ['string_to_number', 'meterStart']],
    stored: { sql: 'SELECT connector_id AS connectorId, meter_start AS meterStart FROM "transaction" WHERE charger_id = @charger', rows: [{ connectorId: 1, meterStart: 123 }] },
  },
  {
    id: 'unit-and-context-case-variants', sources: [],
    action: 'MeterValues', needsTransaction: true,
    payload: ({ tx, now }) => meter(tx, now, [sample('7.5', { unit: 'KWH', context: 'Sample.periodic' }), { value: '16', measurand: 'current.import', unit: 'a', phase: 'l1' }]),
    repairs: [['enum_mapped', 'meterValue[].sampledValue[].unit'], ['enum_mapped', 'meterValue[].sampledValue[].context'],
      ['enum_mapped', 'meterValue[].sampledValue[].measurand'], ['enum_mapped', 'meterValue[].sampledValue[].phase']],
    stored: { sql: 'SELECT measurand, unit, context, phase, value, normalized FROM meter_value WHERE charger_id = @charger ORDER BY id',
      rows: [{ measurand: 'Energy.Active.Import.Register', unit: 'kWh', context: 'Sample.Periodic', phase: null, value: '7.5', normalized: 7500 },
        { measurand: 'Current.Import', unit: 'A', context: null, phase: 'L1', value: '16', normalized: 16 }] },
  },
  {
    id: 'stop-reason-not-in-enum', sources: [],
    action: 'StopTransaction', needsTransaction: true,
    payload: ({ tx, now }) => ({ transactionId: tx, meterStop: 500, timestamp: now, reason: 'EVDisconnect' }),
    repairs: [['enum_mapped', 'reason']],
    stored: { sql: 'SELECT status, stop_reason AS reason FROM "transaction" WHERE id = @tx', rows: [{ status: 'COMPLETED', reason: 'Other' }] },
  },
  {
    id: 'status-not-in-enum', sources: [],
    // A 2.0.1 status on a 1.6 link: no 1.6 status is "nearest", so it is kept for review, answered, never refused.
    action: 'StatusNotification',
    payload: ({ now }) => ({ connectorId: 1, errorCode: 'NoError', status: 'Occupied', timestamp: now }),
    repairs: [], reviewed: true,
    stored: { sql: `SELECT (SELECT count(*) FROM status_history WHERE charger_id = @charger) AS history, (SELECT count(*) FROM compat_review WHERE charger_id = @charger) AS reviews`, rows: [{ history: 0, reviews: 1 }] },
  },
  {
    id: 'impossible-timestamp', sources: [],
    action: 'MeterValues', needsTransaction: true,
    payload: ({ tx }) => ({ connectorId: 1, transactionId: tx, meterValue: [{ timestamp: '0000-00-00T00:00:00', sampledValue: [sample('10')] }] }),
    repairs: [['timestamp_invalid', 'meterValue[].timestamp']],
    stored: { sql: `SELECT value, timestamp > '2020' AS receiveTime FROM meter_value WHERE charger_id = @charger`, rows: [{ value: '10', receiveTime: 1 }] },
  },
];
