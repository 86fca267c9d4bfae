// Plain words for what the API and chargers say: OCPP and ledger enums as words staff read, and every
// API error as one sentence (no status codes, JSON or regular expressions). The one place for both.

/** Enums whose spelled-out form would still read badly. Anything else is split into words (see `word`). */
const WORDS = {
  // connector states (OCPP 1.6 ChargePointStatus) and the page's own
  Available: 'Available', Preparing: 'Plugged in', Charging: 'Charging', SuspendedEV: 'Paused by the car',
  SuspendedEVSE: 'Paused by the charger', Finishing: 'Finishing', Reserved: 'Reserved', Unavailable: 'Unavailable',
  Faulted: 'Fault', Offline: 'Offline', Unknown: 'Not known',
  // sessions
  RUNNING: 'Charging', COMPLETED: 'Completed', INTERRUPTED: 'Interrupted', ORPHAN_STOP: 'Stop without a start',
  // stop reasons (OCPP 1.6 Reason)
  EVDisconnected: 'Car unplugged', EmergencyStop: 'Emergency stop', HardReset: 'Charger rebooted (hard reset)',
  SoftReset: 'Charger restarted (soft reset)', Reboot: 'Charger rebooted', PowerLoss: 'Power cut', Local: 'Stopped at the charger',
  Remote: 'Stopped from this page', UnlockCommand: 'Cable unlocked remotely', DeAuthorized: 'Card no longer allowed', Other: 'Other',
  // ledger rows
  TOP_UP: 'Top-up', CHARGE: 'Charging session', REFUND: 'Refund', ADJUSTMENT: 'Correction',
  // idTag and user states, charger answers
  Accepted: 'Accepted', Blocked: 'Blocked', Expired: 'Expired', Invalid: 'Unknown card', ConcurrentTx: 'Already charging elsewhere',
  Active: 'Active', Rejected: 'Refused', NotSupported: 'Not supported by the charger', Scheduled: 'Scheduled (after the running session)',
  Unlocked: 'Unlocked', UnlockFailed: 'Could not unlock', NotImplemented: 'Not supported by the charger', Occupied: 'Occupied',
  Operative: 'In service', Inoperative: 'Out of service', RebootRequired: 'Accepted (needs a reboot)', VersionMismatch: 'Version mismatch',
  // connector error codes (OCPP 1.6 ChargePointErrorCode)
  NoError: 'No error', ConnectorLockFailure: 'Cable lock failed', EVCommunicationError: 'Cannot talk to the car', GroundFailure: 'Earth fault',
  HighTemperature: 'Too hot', InternalError: 'Internal fault', OverCurrentFailure: 'Over current', OverVoltage: 'Voltage too high',
  UnderVoltage: 'Voltage too low', PowerMeterFailure: 'Meter fault', PowerSwitchFailure: 'Power switch fault', ReaderFailure: 'Card reader fault',
  ResetFailure: 'Reset failed', WeakSignal: 'Weak signal', OtherError: 'Other fault',
};

/** An enum as words: "EVDisconnected" -> "Car unplugged", "SOME_THING" -> "Some thing", "FooBar" -> "Foo bar". */
export function word(value) {
  if (value == null || value === '') return '–';
  const s = String(value);
  if (WORDS[s]) return WORDS[s];
  const spaced = s.includes('_') ? s.toLowerCase().replace(/_/g, ' ') : s.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** What a request field is called on the page. */
const FIELDS = {
  chargePointId: 'Charge point id', idTag: 'Card (idTag)', fullName: 'Full name', phoneNumber: 'Phone number', email: 'Email',
  password: 'Password', username: 'Username', amount: 'Amount', maxCurrentA: 'Max current', expiryDate: 'Expiry date',
  name: 'Name', connectorId: 'Connector', mqttUrl: 'MQTT broker URL', siteName: 'Site name', pricePerKwh: 'Price per kWh', currency: 'Currency', description: 'Note',
  sessionFee: 'Session fee', pricePerMinute: 'Price per minute', idleFeePerMinute: 'Idle fee per minute', taxPercent: 'Tax', tariffId: 'Tariff',
};

const fieldName = (path) => {
  const key = String(path || '').split('/').filter(Boolean).pop();
  return key ? FIELDS[key] || word(key) : 'The form';
};

/** One validation problem ("/chargePointId must match pattern \"^…$\"") in words. */
export function problemText(problem) {
  const m = /^(\S*)\s+(.*)$/.exec(String(problem)) || [];
  const field = fieldName(m[1] === '(body)' ? '' : m[1]);
  const rule = m[2] || String(problem);
  let n;
  if (/^must match pattern/.test(rule)) {
    if (field === 'Charge point id') return `${field}: no spaces or / ? # %, at most 48 characters.`;
    if (field === 'MQTT broker URL') return `${field}: must start with mqtt://, mqtts://, ws:// or wss:// and a host name.`;
    return `${field}: contains characters that are not allowed.`;
  }
  if ((n = /must NOT have more than (\d+) characters/.exec(rule))) return `${field}: too long (at most ${n[1]} characters).`;
  if ((n = /must NOT have fewer than (\d+) characters/.exec(rule))) return `${field}: too short (at least ${n[1]} characters).`;
  if ((n = /must have required property '([^']+)'/.exec(rule))) return `${fieldName(n[1])} is required.`;
  if ((n = /must be (>=|>|<=|<) (-?[\d.]+)/.exec(rule))) return `${field}: must be ${{ '>=': 'at least', '>': 'more than', '<=': 'at most', '<': 'less than' }[n[1]]} ${n[2]}.`;
  if (/must be integer/.test(rule)) return `${field}: must be a whole number.`;
  if (/must be (number|string)/.test(rule)) return `${field}: is not filled in correctly.`;
  if (/must be equal to one of the allowed values/.test(rule)) return `${field}: pick one of the choices.`;
  if (/must match format "date-time"/.test(rule)) return `${field}: not a valid date.`;
  if (/must NOT have additional properties/.test(rule)) return 'The page sent a field the server does not know: reload the page.';
  return `${field}: not valid.`;
}

/** Sentences for the API's error codes; `e` is the ApiError (details, body). */
const ERRORS = {
  network: () => 'Cannot reach the server. Check the connection; the page retries by itself.',
  invalid_credentials: () => 'Wrong username or password.',
  too_many_failed_logins: () => 'Too many failed logins. Wait a minute, then try again.',
  unauthenticated: () => 'You are logged out. Log in again.',
  session_expired: () => 'Your login has expired. Log in again.',
  forbidden: () => 'Your account can look but not change things. Ask an admin.',
  not_yours: () => 'Your account cannot change this. Ask an admin.',
  csrf_missing: () => 'The page is out of date. Reload it and try again.',
  csrf_invalid: () => 'The page is out of date. Reload it and try again.',
  invalid_setup_token: () => 'This setup link is not valid any more. Print a new one on the server (ocpp-edge admin setup-link).',
  setup_done: () => 'Setup is already done. Log in instead.',
  weak_password: (e) => `That password is too weak: ${e.message && !/[{}^$]/.test(e.message) ? e.message : 'use a longer one'}.`,
  last_admin: () => 'This is the last admin account: make another admin first.',
  username_taken: () => 'That username is taken. Pick another.',
  invalid_body: (e) => {
    const problems = (e.details && e.details.problems) || [];
    return problems.length ? [...new Set(problems.map(problemText))].join(' ') : 'Some fields are not filled in correctly.';
  },
  invalid_json: () => 'The page sent something the server could not read. Reload the page.',
  invalid_parameter: () => 'A value in the request is not valid. Check the filters and try again.',
  body_too_large: () => 'That is too large to upload.',
  empty_file: () => 'The file is empty.',
  not_firmware: () => 'That file is not a firmware file.',
  charger_not_found: () => 'There is no such charger (it may have been deleted).',
  charger_exists: () => 'A charger with this id is already registered.',
  charger_offline: () => 'The charger is not connected right now, so it cannot be asked. Try again once it is online.',
  charger_timeout: () => 'The charger did not answer in time. It may be busy or its connection poor; try again.',
  charger_busy: () => 'The charger is busy with another request. Try again in a moment.',
  charger_error: (e) => `The charger could not do this${e.details && e.details.code ? ` (${word(e.details.code)})` : ''}.`,
  charger_refused: (e) => `The charger refused: ${word(e.body && e.body.status).toLowerCase()}.`,
  invalid_ocpp_payload: () => 'The charger cannot take these values. Check the fields.',
  tls_disabled: () => 'Security profile 2 and 3 need TLS on this site first (http.tls in the configuration).',
  profile_not_higher: () => 'The security profile can only be raised over the air, never lowered.',
  no_client_certificate: () => 'Profile 3 needs a certificate from this site on the charger first: request a new certificate.',
  id_tag_not_accepted: (e) => `This card cannot start a session here: ${word(e.details && e.details.status).toLowerCase()}. To start anyway, tick "Start even so".`,
  id_tag_not_found: () => 'There is no such card.',
  id_tag_exists: () => 'This card is already registered.',
  id_tag_in_use: () => 'Other cards hang under this one. Move them first.',
  parent_not_found: () => 'The parent card does not exist.',
  parent_is_self: () => 'A card cannot be its own parent.',
  expiry_in_past: () => 'The expiry date is in the past.',
  user_not_found: () => 'There is no such user.',
  user_in_use: () => 'This user has sessions, cards or a wallet, so they cannot be deleted. Block them instead.',
  phone_taken: () => 'Another user already has this phone number.',
  wallet_not_found: () => 'This user has no wallet yet. Top it up first.',
  insufficient_balance: () => 'Not enough money in the wallet for this.',
  currency_mismatch: () => 'The wallet is in another currency.',
  amount_not_positive: () => 'The amount must be more than zero.',
  refund_exceeds_charge: () => 'The refund is more than the session cost.',
  session_not_charged: () => 'This session was not paid from a wallet, so there is nothing to refund.',
  idempotency_key_reused: () => 'This was already done (sent twice). Reload to see it.',
  idempotency_key_conflict: () => 'This was already done with other values. Reload the page.',
  idempotency_key_required: () => 'The page is out of date. Reload it and try again.',
  transaction_not_found: () => 'There is no such session.',
  transaction_not_running: () => 'This session is not running any more.',
  transaction_not_open: () => 'This session is already closed.',
  invalid_meter_stop: () => 'The final meter reading is lower than the start reading.',
  reservation_not_found: () => 'There is no such reservation.',
  reservation_not_open: () => 'This reservation has already ended.',
  tariff_not_found: () => 'There is no such tariff.',
  tariff_in_use: (e) => {
    const u = e.details || {};
    if (u.chargers > 0 || u.stations > 0) return 'Chargers or stations use this tariff. Give them another tariff first.';
    return 'Sessions were priced by this tariff, so it is kept for their history. Change its prices instead.';
  },
  station_not_found: () => 'There is no such station.',
  station_in_use: () => 'Chargers belong to this station. Move them first.',
  file_not_found: () => 'That file is gone.',
  token_not_found: () => 'There is no such token.',
  masked_credentials: () => 'Type the password again: the masked one cannot be saved.',
  no_host: () => 'Set the public address (files.publicBaseUrl) in the configuration.',
  shutting_down: () => 'The server is restarting. Try again in a moment.',
  internal_error: () => 'Something went wrong on the server. The server log has the details.',
};

const STATUS = {
  401: 'You are logged out. Log in again.', 403: 'Your account cannot do this.', 404: 'Not found (it may have been deleted).',
  409: 'This clashes with the current state. Reload and try again.', 413: 'That is too large.', 429: 'Too many attempts. Wait a minute.',
  502: 'The charger could not do this.', 503: 'The server is busy or restarting. Try again in a moment.', 504: 'The charger did not answer in time.',
};

/** The sentence shown for any failure: an ApiError by its code, else its status, never raw text. */
export function plainError(e) {
  if (!e) return '';
  const say = ERRORS[e.code];
  if (say) return say(e);
  if (e.status === 0) return ERRORS.network();
  if (e.status && STATUS[e.status]) return STATUS[e.status];
  if (e.status >= 500) return 'Something went wrong on the server. The server log has the details.';
  if (e.status >= 400) return 'The server did not accept this. Check the fields and try again.';
  return String(e.message || e);
}
