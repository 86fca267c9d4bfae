// OCPP-J framing (OCPP-J 1.6 §4): [2,id,action,payload] CALL, [3,id,payload] CALLRESULT,
// [4,id,code,description,details] CALLERROR. Parsing never throws; it says what to answer.
export const CALL = 2;
export const CALLRESULT = 3;
export const CALLERROR = 4;

/** The error codes exactly as OCPP-J 1.6 spells them (including "Occurence"). */
export const ErrorCodes = {
  NotImplemented: 'Requested Action is not known by receiver',
  NotSupported: 'Requested Action is recognized but not supported by the receiver',
  InternalError: 'An internal error occurred and the receiver was not able to process the requested Action successfully',
  ProtocolError: 'Payload for Action is incomplete',
  SecurityError: 'During the processing of Action a security issue occurred preventing receiver from completing the Action successfully',
  FormationViolation: 'Payload for Action is syntactically incorrect or not conform the PDU structure for Action',
  PropertyConstraintViolation: 'Payload is syntactically correct but at least one field contains an invalid value',
  OccurenceConstraintViolation: 'Payload for Action is syntactically correct but at least one of the fields violates occurence constraints',
  TypeConstraintViolation: 'Payload for Action is syntactically correct but at least one of the fields violates data type constraints',
  GenericError: 'Any other error not covered by the previous ones',
} as const;
export type ErrorCode = keyof typeof ErrorCodes;

/** Spellings other implementations send (2.0.1 and typos), mapped to ours when receiving. */
const RECEIVED_ALIASES: Record<string, ErrorCode> = {
  OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
  FormatViolation: 'FormationViolation',
};

export function normalizeErrorCode(code: unknown): ErrorCode {
  if (typeof code !== 'string') return 'GenericError';
  if (code in ErrorCodes) return code as ErrorCode;
  return RECEIVED_ALIASES[code] ?? 'GenericError';
}

export class OcppError extends Error {
  constructor(readonly code: ErrorCode, message: string = ErrorCodes[code], readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'OcppError';
  }
}

export const MAX_UNIQUE_ID_LENGTH = 36;
/**
 * The deepest OCPP 1.6 frame (MeterValues, SetChargingProfile) nests 6 levels. Anything far deeper is
 * refused before it is parsed: the schemas let vendor extras through inside sampledValue items, and a
 * payload nested thousands deep would overflow the stack of everything that walks it later (the message
 * log's JSON.stringify), turning a charger's MeterValues into an InternalError.
 */
export const MAX_NESTING = 32;

export type Frame =
  // payloadText: the payload exactly as sent, for the message log (no second JSON.stringify of every frame).
  | { type: typeof CALL; id: string; action: string; payload: Record<string, unknown>; payloadText?: string }
  | { type: typeof CALLRESULT; id: string; payload: Record<string, unknown> }
  | { type: typeof CALLERROR; id: string; code: ErrorCode; description: string; details: Record<string, unknown> };

/**
 * A frame we cannot accept; `id` is set when it can be read. A CALL is answered with a CALLERROR then;
 * a broken CALLRESULT/CALLERROR (`reply`) never is (OCPP-J answers only CALLs), it fails our call instead.
 */
export interface BadFrame { error: OcppError; id?: string; reply?: boolean }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// The type and id at the start of a frame we will not parse (too deep).
const FRAME_HEAD = /^\s*\[\s*([234])\s*,\s*"([^"\\]{1,36})"/;

export function parseFrame(text: string): Frame | BadFrame {
  if (nestedDeeperThan(text, MAX_NESTING)) {
    const head = FRAME_HEAD.exec(text);
    return {
      error: new OcppError('FormationViolation', `Message nests deeper than ${MAX_NESTING} levels`),
      id: head?.[2], reply: head !== null && head[1] !== '2',
    };
  }
  let msg: unknown;
  try { msg = JSON.parse(text); } catch {
    return { error: new OcppError('FormationViolation', 'Message is not valid JSON') };
  }
  if (!Array.isArray(msg) || msg.length < 3) {
    return { error: new OcppError('FormationViolation', 'Message must be a JSON array [type, id, ...]'), id: readableId(msg), reply: isReplyType(msg) };
  }
  const [type, id] = msg;
  if (typeof id !== 'string' || id.length === 0) return { error: new OcppError('FormationViolation', 'Unique id must be a non-empty string') };
  if (id.length > MAX_UNIQUE_ID_LENGTH) {
    return { error: new OcppError('FormationViolation', `Unique id longer than ${MAX_UNIQUE_ID_LENGTH} characters`), id, reply: isReplyType(msg) };
  }
  if (type === CALL) {
    const [, , action, payload] = msg;
    if (msg.length !== 4 || typeof action !== 'string') return { error: new OcppError('FormationViolation', 'CALL must be [2, id, action, payload]'), id };
    if (!isObject(payload)) return { error: new OcppError('FormationViolation', 'CALL payload must be a JSON object'), id };
    return { type: CALL, id, action, payload, payloadText: callPayloadText(text) };
  }
  if (type === CALLRESULT) {
    if (msg.length !== 3 || !isObject(msg[2])) return { error: new OcppError('FormationViolation', 'CALLRESULT must be [3, id, {payload}]'), id, reply: true };
    return { type: CALLRESULT, id, payload: msg[2] };
  }
  if (type === CALLERROR) {
    const [, , code, description, details] = msg;
    return {
      type: CALLERROR, id, code: normalizeErrorCode(code),
      description: typeof description === 'string' ? description : '',
      details: isObject(details) ? details : {},
    };
  }
  return { error: new OcppError('ProtocolError', `Unknown message type id ${JSON.stringify(type)}`), id };
}

const isReplyType = (msg: unknown) => Array.isArray(msg) && (msg[0] === CALLRESULT || msg[0] === CALLERROR);

/** Whether brackets/braces (outside strings) nest deeper than `limit`; one pass, no recursion. */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = closingQuote(text, i);
      if (i === -1) return false; // unterminated string: JSON.parse says what is wrong
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * The payload text of a frame parseFrame read as a CALL: after the third comma of [2, "id", "Action", {…}]
 * up to the closing bracket. The type is a number and the id and action strings, so only their quotes matter.
 */
function callPayloadText(text: string): string | undefined {
  let at = text.indexOf(',');
  for (let field = 0; field < 2 && at !== -1; field++) {
    const open = text.indexOf('"', at);
    const close = open === -1 ? -1 : closingQuote(text, open);
    at = close === -1 ? -1 : text.indexOf(',', close);
  }
  const end = text.lastIndexOf(']');
  if (at === -1 || end <= at) return undefined;
  const payload = text.slice(at + 1, end).trim();
  return payload.startsWith('{') && payload.endsWith('}') ? payload : undefined;
}

/** Index of the quote ending the string that opens at `open` (strings are most of a frame: jump, do not walk). */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

function readableId(msg: unknown): string | undefined {
  if (Array.isArray(msg) && typeof msg[1] === 'string' && msg[1].length <= MAX_UNIQUE_ID_LENGTH) return msg[1];
  return undefined;
}

export const isBadFrame = (f: Frame | BadFrame): f is BadFrame => 'error' in f;

export const callFrame = (id: string, action: string, payload: object) => JSON.stringify([CALL, id, action, payload]);
export const resultFrame = (id: string, payload: object) => JSON.stringify([CALLRESULT, id, payload]);
export const errorFrame = (id: string, err: OcppError) => JSON.stringify([CALLERROR, id, err.code, err.message.slice(0, 255), err.details]);
