// The whole data model of ocpp-edge. Money is integer minor units; energy is integer Wh;
// times are ISO-8601 UTC strings (sortable, readable in the sqlite3 shell).
import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, real, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

const id = () => integer('id').primaryKey({ autoIncrement: true });
// Append-only tables whose rows carry their own time: the rowid alone (max + 1) orders them, and without
// AUTOINCREMENT an insert does not also rewrite sqlite_sequence (a page per commit). meter_value's ids are
// its server clock (idTimeMarks.ts) and must never be reused: max + 1 is only reused after the newest row
// is deleted, and retention never deletes it (meterValues.ts prunePlan); nothing else deletes meter values.
const appendId = () => integer('id').primaryKey();
const createdAt = () => text('created_at').notNull().$defaultFn(() => new Date().toISOString());

export const tariffs = sqliteTable('tariff', {
  id: id(),
  name: text('name').notNull(),
  currency: text('currency').notNull().default('EUR'),
  pricePerKwh: integer('price_per_kwh').notNull(), // minor units per kWh
  sessionFee: integer('session_fee').notNull().default(0),
  pricePerMinute: integer('price_per_minute').notNull().default(0), // charging time
  idleFeePerMinute: integer('idle_fee_per_minute').notNull().default(0), // connected, not charging
  taxPercent: real('tax_percent').notNull().default(0),
  isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
});

export const stations = sqliteTable('station', {
  id: id(),
  name: text('name').notNull(),
  address: text('address'),
  latitude: real('latitude'),
  longitude: real('longitude'),
  tariffId: integer('tariff_id').references(() => tariffs.id),
  createdAt: createdAt(),
});

export const chargers = sqliteTable('charger', {
  id: id(),
  chargePointId: text('charge_point_id').notNull().unique(), // the OCPP identity in the URL
  stationId: integer('station_id').references(() => stations.id),
  tariffId: integer('tariff_id').references(() => tariffs.id),
  name: text('name'),
  passwordHash: text('password_hash'), // security profile 1/2 AuthorizationKey, keyed HMAC (chargerPasswords.ts)
  // Security whitepaper profile: 1 Basic auth, 2 + TLS (refused over ws://), 3 TLS with a client certificate.
  securityProfile: integer('security_profile').notNull().default(1),
  registrationStatus: text('registration_status').notNull().default('Accepted'), // Accepted | Pending | Rejected
  vendor: text('vendor'),
  model: text('model'),
  serialNumber: text('serial_number'),
  chargeBoxSerialNumber: text('charge_box_serial_number'),
  firmwareVersion: text('firmware_version'),
  iccid: text('iccid'),
  imsi: text('imsi'),
  meterType: text('meter_type'),
  meterSerialNumber: text('meter_serial_number'),
  latestStatus: text('latest_status'), // connector 0 status
  lastBootAt: text('last_boot_at'),
  lastHeartbeatAt: text('last_heartbeat_at'),
  lastSeenAt: text('last_seen_at'),
  firmwareStatus: text('firmware_status'),
  diagnosticsStatus: text('diagnostics_status'),
  maxCurrentA: real('max_current_a'), // load-balancing cap for this charger
  compatMode: text('compat_mode').notNull().default('tolerant'), // tolerant | strict (src/ocpp/compat)
  archivedAt: text('archived_at'),
  createdAt: createdAt(),
});

export const connectors = sqliteTable('connector', {
  id: id(),
  chargerId: integer('charger_id').notNull().references(() => chargers.id),
  connectorId: integer('connector_id').notNull(), // 0 = the charger itself
  connectorType: text('connector_type'),
  maxPowerKw: real('max_power_kw'),
  status: text('status'),
  errorCode: text('error_code'),
  info: text('info'),
  vendorErrorCode: text('vendor_error_code'),
  availability: text('availability').notNull().default('Operative'), // what we asked for
  availabilityScheduled: integer('availability_scheduled', { mode: 'boolean' }).notNull().default(false),
  statusAt: text('status_at'),
}, (t) => [uniqueIndex('connector_charger_connector').on(t.chargerId, t.connectorId)]);

export const statusHistory = sqliteTable('status_history', {
  id: appendId(),
  chargerId: integer('charger_id').notNull().references(() => chargers.id),
  connectorId: integer('connector_id').notNull(),
  status: text('status').notNull(),
  errorCode: text('error_code').notNull(),
  info: text('info'),
  vendorErrorCode: text('vendor_error_code'),
  timestamp: text('timestamp'), // the charger's clock
  receivedAt: text('received_at').notNull(),
}, (t) => [
  index('status_history_charger').on(t.chargerId, t.id),
  // A session's idle time: its connector's states between start and stop (settlement.ts).
  index('status_history_connector_time').on(t.chargerId, t.connectorId, t.receivedAt),
]);

export const users = sqliteTable('user', {
  id: id(),
  phoneNumber: text('phone_number').unique(),
  fullName: text('full_name').notNull(),
  email: text('email'),
  // Blocked refuses every idTag of the user (and tags under their group tags) without touching the
  // tags' own status, so unblocking restores exactly what was there.
  status: text('status').notNull().default('Active'), // Active | Blocked
  createdAt: createdAt(),
});

// idTags are OCPP CiString20: case-insensitive. Uniqueness and lookups go through lower(id_tag) (see
// domain/idTagCase.ts); the row keeps the spelling the operator typed, and that is what chargers are sent.
export const idTags = sqliteTable('id_tag', {
  id: id(),
  idTag: text('id_tag').notNull(),
  userId: integer('user_id').references(() => users.id),
  parentIdTag: text('parent_id_tag'),
  status: text('status').notNull().default('Accepted'), // Accepted | Blocked
  expiryDate: text('expiry_date'),
  kind: text('kind').notNull().default('RFID'), // RFID | App
  description: text('description'),
  createdAt: createdAt(),
  updatedAt: text('updated_at'),
}, (t) => [uniqueIndex('id_tag_lower_unique').on(sql`lower(${t.idTag})`)]);

export const vehicles = sqliteTable('vehicle', {
  id: id(),
  userId: integer('user_id').notNull().references(() => users.id),
  make: text('make'),
  model: text('model'),
  plate: text('plate'),
});

export const wallets = sqliteTable('wallet', {
  id: id(),
  userId: integer('user_id').notNull().unique().references(() => users.id),
  balance: integer('balance').notNull().default(0), // minor units; == sum(wallet_transaction.amount)
  currency: text('currency').notNull().default('EUR'),
  createdAt: createdAt(),
});

export const walletTransactions = sqliteTable('wallet_transaction', {
  id: id(),
  walletId: integer('wallet_id').notNull().references(() => wallets.id),
  amount: integer('amount').notNull(), // signed minor units
  type: text('type').notNull(), // TOP_UP | CHARGE | REFUND | ADJUSTMENT
  chargingTransactionId: integer('charging_transaction_id').references(() => transactions.id),
  idempotencyKey: text('idempotency_key').unique(),
  balanceAfter: integer('balance_after').notNull(),
  description: text('description'),
  createdBy: text('created_by'),
  createdAt: createdAt(),
}, (t) => [
  index('wallet_tx_wallet').on(t.walletId, t.id),
  // A session is charged at most once, whatever retries arrive.
  uniqueIndex('wallet_tx_one_charge').on(t.chargingTransactionId).where(sql`type = 'CHARGE'`),
]);

export const transactions = sqliteTable('transaction', {
  id: id(), // the OCPP transactionId
  chargerId: integer('charger_id').notNull().references(() => chargers.id),
  connectorId: integer('connector_id').notNull(),
  idTag: text('id_tag').notNull(),
  userId: integer('user_id').references(() => users.id),
  reservationId: integer('reservation_id'),
  status: text('status').notNull(), // RUNNING | COMPLETED | INTERRUPTED | REJECTED | ORPHAN_STOP
  authStatus: text('auth_status').notNull(),
  meterStart: integer('meter_start').notNull(), // Wh
  meterStop: integer('meter_stop'),
  lastMeterWh: integer('last_meter_wh'),
  lastPowerW: real('last_power_w'),
  startedAt: text('started_at').notNull(), // charger's timestamp
  startReceivedAt: text('start_received_at').notNull(),
  stoppedAt: text('stopped_at'),
  stopReceivedAt: text('stop_received_at'),
  stopReason: text('stop_reason'),
  stopIdTag: text('stop_id_tag'),
  energyWh: integer('energy_wh'),
  tariffId: integer('tariff_id').references(() => tariffs.id),
  tariffSnapshot: text('tariff_snapshot'), // JSON of the tariff as used, so history is never re-priced
  costAmount: integer('cost_amount'), // minor units incl. tax
  currency: text('currency'),
  interruptedAt: text('interrupted_at'),
  // Why the session needs an operator's look (JSON array of SessionFlag, see domain/sessionFlags.ts); null: nothing.
  flags: text('flags'),
  // The charger's time of the reading lastMeterWh holds: a late (reordered) batch never moves it back.
  lastMeterAt: text('last_meter_at'),
  // When the charger first named this id (MeterValues, StopTransaction): from then on an identical start is a new session.
  idUsedAt: text('id_used_at'),
  // Receive time of the first Available/Preparing on its connector while it ran (cleared by a busy state).
  connectorIdleSince: text('connector_idle_since'),
  // Set only on ORPHAN_STOP rows: the id the charger used for a transaction we never knew.
  reportedTransactionId: integer('reported_transaction_id'),
}, (t) => [
  index('transaction_charger').on(t.chargerId, t.status),
  // A user's open sessions (what they committed of their wallet) and their history.
  index('transaction_user').on(t.userId, t.status),
  index('transaction_started').on(t.startedAt),
  // Sessions of a tag in any case (ConcurrentTx at Authorize, the idTag filter): lower(id_tag), then status.
  index('transaction_id_tag_lower').on(sql`lower(${t.idTag})`, t.status),
  // A retried StartTransaction finds its first attempt by these fields.
  index('transaction_dedupe').on(t.chargerId, t.connectorId, t.idTag, t.startedAt, t.meterStart),
]);

export const meterValues = sqliteTable('meter_value', {
  id: appendId(),
  transactionId: integer('transaction_id').references(() => transactions.id),
  chargerId: integer('charger_id').notNull().references(() => chargers.id),
  connectorId: integer('connector_id').notNull(),
  timestamp: text('timestamp').notNull(),
  measurand: text('measurand').notNull(), // Energy.Active.Import.Register, Power.Active.Import, …
  phase: text('phase'),
  location: text('location'),
  context: text('context'),
  unit: text('unit'),
  value: text('value').notNull(), // exactly as sent (may be SignedData)
  normalized: real('normalized'), // Wh / W / A / V / % / Celsius; null when not numeric
}, (t) => [
  // No index by session: one kept each session's entries in their own region of the index, a B-tree leaf
  // (a 4 KB WAL frame, again at checkpoint) per session per commit. A session's readings are found through
  // meter_value_span (the id range they lie in, and the newest time among them: a retry is looked for there
  // only when it is not newer). An index by time for every row cost another ~2 leaves per commit for a lookup
  // a site's readings seldom need; only readings no session took are indexed (a retry or a later claim finds them).
  index('meter_value_unattached').on(t.timestamp, t.chargerId).where(sql`transaction_id IS NULL`),
]); // no time index: retention finds the cut-off by id (see retention.ts)

// The id range a session's readings lie in (meterValues.ts): every reading of transaction X has an id in
// [first_id, last_id]. Active sessions are the newest rows, in one or two leaves: a batch of readings from
// 50 sessions dirties those, not 50 index leaves. The integer primary key is the rowid: one B-tree.
export const meterValueSpans = sqliteTable('meter_value_span', {
  transactionId: integer('transaction_id').primaryKey(),
  firstId: integer('first_id').notNull(),
  lastId: integer('last_id').notNull(),
  newestAt: text('newest_at'), // the newest timestamp (UTC text) among them; null only before migration 0012 filled it
});

export const messageLog = sqliteTable('log', {
  id: appendId(),
  chargePointId: text('charge_point_id').notNull(),
  direction: text('direction').notNull(), // IN | OUT
  messageType: integer('message_type').notNull(), // 2 CALL, 3 CALLRESULT, 4 CALLERROR
  action: text('action'),
  uniqueId: text('unique_id'),
  payload: text('payload').notNull(),
  createdAt: text('created_at').notNull(),
  // The answer to this CALL, when it came or went in the same write (migration 0013): one row for the pair
  // instead of a second row repeating charger, action and unique id. Direction is the other one. The view
  // log_entry (created by hand in migration 0013: keep it if drizzle-kit ever recreates this table) gives every frame as a row of its own.
  replyType: integer('reply_type'), // 3 CALLRESULT, 4 CALLERROR; null: no answer in this row
  replyPayload: text('reply_payload'),
  replyAfterMs: integer('reply_after_ms'), // the answer's time, in ms after created_at (2 bytes, not 24)
}); // no time index: rows are in time order by id; no charger index either, see logChargerSpans

// Which chargers have frames in which id range of the log: charger X has frames with ids in
// [bucket << 16, (bucket + 1) << 16). It replaces an index on log (charge_point_id, id), which dirtied one
// B-tree leaf (a 4 KB WAL frame) per charger per batch; a row here is written once per 65,536 ids per
// charger (logSpans.ts). WITHOUT ROWID (added by hand to migration 0010: Drizzle cannot declare it; if
// drizzle-kit ever recreates this table, keep it) so the primary key is the table's only B-tree.
export const logChargerSpans = sqliteTable('log_charger_span', {
  chargePointId: text('charge_point_id').notNull(),
  bucket: integer('bucket').notNull(),
}, (t) => [primaryKey({ columns: [t.chargePointId, t.bucket] })]);

export const chargerConfiguration = sqliteTable('charger_configuration', {
  id: id(),
  chargerId: integer('charger_id').notNull().references(() => chargers.id),
  key: text('key').notNull(),
  value: text('value'),
  readonly: integer('readonly', { mode: 'boolean' }).notNull().default(false),
  updatedAt: text('updated_at').notNull(),
}, (t) => [uniqueIndex('charger_configuration_key').on(t.chargerId, t.key)]);

export const adminUsers = sqliteTable('admin_user', {
  id: id(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').notNull(), // admin | viewer
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
});

export const adminSessions = sqliteTable('admin_session', {
  id: text('id').primaryKey(), // sha256 of the cookie value
  adminUserId: integer('admin_user_id').notNull().references(() => adminUsers.id),
  csrfToken: text('csrf_token').notNull(),
  expiresAt: text('expires_at').notNull(),
  createdAt: createdAt(),
});

export const apiTokens = sqliteTable('api_token', {
  id: id(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(), // sha256 of the token
  role: text('role').notNull(),
  createdBy: integer('created_by').references(() => adminUsers.id),
  lastUsedAt: text('last_used_at'),
  revokedAt: text('revoked_at'),
  createdAt: createdAt(),
});

export const outbox = sqliteTable('outbox', {
  seq: integer('seq').primaryKey({ autoIncrement: true }), // per-site increasing order
  eventId: text('event_id').notNull().unique(),
  topic: text('topic').notNull(), // suffix under {prefix}/{siteId}/
  schema: text('schema').notNull(),
  payload: text('payload').notNull(), // JSON of `data`
  occurredAt: text('occurred_at').notNull(),
  sentAt: text('sent_at'),
}, (t) => [index('outbox_unsent').on(t.sentAt, t.seq)]);

export const settings = sqliteTable('setting', {
  key: text('key').primaryKey(),
  value: text('value').notNull(), // JSON
});

export const reservations = sqliteTable('reservation', {
  id: id(), // the OCPP reservationId
  chargerId: integer('charger_id').notNull().references(() => chargers.id),
  connectorId: integer('connector_id').notNull(),
  idTag: text('id_tag').notNull(),
  parentIdTag: text('parent_id_tag'),
  expiryDate: text('expiry_date').notNull(),
  status: text('status').notNull(), // Requested | Accepted | Rejected | Cancelled | Used | Expired | …
  transactionId: integer('transaction_id'),
  createdAt: createdAt(),
}, (t) => [
  // A StartTransaction uses up the open reservation of its connector; a fault cancels them.
  index('reservation_connector').on(t.chargerId, t.connectorId, t.status),
]);

export const chargingProfiles = sqliteTable('charging_profile', {
  id: id(),
  chargerId: integer('charger_id').notNull().references(() => chargers.id),
  connectorId: integer('connector_id').notNull(),
  chargingProfileId: integer('charging_profile_id').notNull(),
  purpose: text('purpose').notNull(),
  stackLevel: integer('stack_level').notNull(),
  transactionId: integer('transaction_id'),
  profile: text('profile').notNull(), // JSON csChargingProfiles as sent
  status: text('status').notNull(), // Accepted | Rejected | Cleared | Pending
  source: text('source').notNull().default('api'), // api | load-balancer
  updatedAt: text('updated_at').notNull(),
}, (t) => [index('charging_profile_charger').on(t.chargerId)]);

export const localListVersions = sqliteTable('local_list', {
  chargerId: integer('charger_id').primaryKey().references(() => chargers.id),
  version: integer('version').notNull(),
  status: text('status').notNull(), // Accepted | Failed | NotSupported | VersionMismatch | Pending
  hash: text('hash'), // of the entries last sent, to send differentials only when tags changed
  updatedAt: text('updated_at').notNull(),
});

export const files = sqliteTable('file', {
  id: id(),
  kind: text('kind').notNull(), // firmware | diagnostics
  name: text('name').notNull(),
  chargerId: integer('charger_id').references(() => chargers.id),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  createdAt: createdAt(),
});

export const securityEvents = sqliteTable('security_event', {
  id: id(),
  chargerId: integer('charger_id').notNull().references(() => chargers.id),
  type: text('type').notNull(),
  techInfo: text('tech_info'),
  timestamp: text('timestamp').notNull(),
  receivedAt: text('received_at').notNull(),
});

export const dataTransfers = sqliteTable('data_transfer', {
  id: id(),
  chargerId: integer('charger_id').notNull().references(() => chargers.id),
  vendorId: text('vendor_id').notNull(),
  messageId: text('message_id'),
  data: text('data'),
  receivedAt: text('received_at').notNull(),
});

/** A charger's SignCertificate request (security whitepaper) and what became of it. */
export const certificateRequests = sqliteTable('certificate_request', {
  id: id(),
  chargerId: integer('charger_id').notNull().references(() => chargers.id),
  csr: text('csr').notNull(),
  // Requested -> Signed -> Installed (charger accepted CertificateSigned) | Refused (by us) | RejectedByCharger | Failed (not delivered)
  status: text('status').notNull(),
  reason: text('reason'),
  subject: text('subject'),
  serialNumber: text('serial_number'),
  validTo: text('valid_to'),
  fingerprint256: text('fingerprint256'),
  certificateChain: text('certificate_chain'),
  requestedAt: text('requested_at').notNull(),
  updatedAt: text('updated_at').notNull(),
}, (t) => [index('certificate_request_charger').on(t.chargerId, t.id)]);

// How often each charger needed each repair of the compatibility layer (src/ocpp/compat), for its vendor.
export const compatRepairs = sqliteTable('compat_repair', {
  id: id(),
  chargerId: integer('charger_id').notNull().references(() => chargers.id),
  action: text('action').notNull(),
  kind: text('kind').notNull(),
  path: text('path').notNull(), // schema path, list positions left out: bounded
  count: integer('count').notNull().default(0), // messages that needed it
  lastRaw: text('last_raw').notNull(),
  lastRepaired: text('last_repaired'),
  firstAt: text('first_at').notNull(),
  lastAt: text('last_at').notNull(),
}, (t) => [uniqueIndex('compat_repair_key').on(t.chargerId, t.action, t.kind, t.path)]);

// Transaction messages we answered but could not process (OCPP 1.6 §4.10): kept whole for an operator.
export const compatReviews = sqliteTable('compat_review', {
  id: id(),
  chargerId: integer('charger_id').notNull().references(() => chargers.id),
  action: text('action').notNull(),
  uniqueId: text('unique_id').notNull(),
  payload: text('payload').notNull(), // as the charger sent it
  reason: text('reason').notNull(),
  receivedAt: text('received_at').notNull(),
}, (t) => [index('compat_review_charger').on(t.chargerId, t.id)]);
