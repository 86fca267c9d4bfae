// Every OCPP 1.6 payload, both directions, checked against the official draft-04 schemas.
// Each schema is compiled once, on its first use (compiling all of them at start cost about 10 MB that an idle
// site, which sees a handful of actions, never needed); a failed check maps to the CALLERROR code the spec asks for.
import fs from 'node:fs';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { schemasDir } from '../schemas.js';
import { OcppError, type ErrorCode } from './rpc.js';

export type Direction = 'request' | 'response';

/** A schema file, read and parsed at start (a bad one fails the start), compiled on its first check. */
interface LazySchema { schema: object; validate?: ValidateFunction }

export class OcppValidator {
  private readonly requests = new Map<string, LazySchema>();
  private readonly responses = new Map<string, LazySchema>();
  // Tolerant mode (src/ocpp/compat): the same request schemas without the limits a repair keeps as sent.
  private readonly relaxed = new Map<string, LazySchema>();
  private readonly schemas = new Map<string, object>();
  private readonly ajv;

  constructor(dir: string = path.join(schemasDir, 'ocpp16')) {
    // multipleOfPrecision: without it 6.6 is "not a multiple of 0.1" (floating point), and valid limits fail.
    // strictNumbers: JSON like 1e309 parses to Infinity, which ajv would otherwise take as an "integer".
    this.ajv = new AjvDraft04.default({ allErrors: false, strict: false, multipleOfPrecision: 6, strictNumbers: true });
    addFormats.default(this.ajv, ['uri']);
    this.ajv.addFormat('date-time', isDateTime);
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const schema = boundIntegers(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))) as object;
      const isResponse = file.endsWith('Response.json');
      const action = file.replace(/(Response)?\.json$/, '');
      (isResponse ? this.responses : this.requests).set(action, { schema });
      if (!isResponse) {
        this.schemas.set(action, schema);
        const relaxed = relax(structuredClone(schema)) as Record<string, unknown>;
        delete relaxed.id; // one id per schema in an ajv instance
        this.relaxed.set(action, { schema: relaxed });
      }
    }
  }

  get actions(): string[] { return [...this.requests.keys()].sort(); }

  has(action: string): boolean { return this.requests.has(action); }

  /** The request schema of a charger-initiated action, for the compatibility layer's repairs. */
  requestSchema(action: string): object | undefined { return this.schemas.get(action); }

  /** Like check(request) but strings over maxLength and lists under minItems pass (tolerant mode keeps them). */
  checkRelaxed(action: string, payload: unknown): void {
    const lazy = this.relaxed.get(action);
    if (!lazy) throw new OcppError('NotImplemented', `Unknown action ${action}`);
    const validate = lazy.validate ??= this.ajv.compile(lazy.schema);
    if (validate(payload)) return;
    const err = validate.errors![0]!;
    throw new OcppError(errorCodeFor(err), describe(action, 'request', err), { path: err.instancePath || '/', keyword: err.keyword });
  }

  /** Throws an OcppError with the matching violation code when the payload does not conform. */
  check(action: string, direction: Direction, payload: unknown): void {
    const lazy = (direction === 'request' ? this.requests : this.responses).get(action);
    if (!lazy) throw new OcppError('NotImplemented', `Unknown action ${action}`);
    const validate = lazy.validate ??= this.ajv.compile(lazy.schema);
    if (validate(payload)) return;
    const err = validate.errors![0]!;
    throw new OcppError(errorCodeFor(err), describe(action, direction, err), { path: err.instancePath || '/', keyword: err.keyword });
  }
}

const RFC3339_DATE_TIME = fullFormats['date-time'] as { validate: (s: string) => boolean };
/**
 * RFC 3339 date-time, as the schemas mean it. ajv-formats also lets '2024-04-26T14:35:02+02' through (an
 * offset without minutes), which no Date can read: it would be stored as text that sorts and compares wrongly.
 */
export function isDateTime(value: string): boolean {
  return RFC3339_DATE_TIME.validate(value) && !/[+-]\d\d$/.test(value);
}

/**
 * The official schemas leave "integer" unbounded, but 1e20 or 2^63 is not a number JavaScript (or SQLite,
 * beyond 2^63) holds exactly: a connectorId or meterStop would be stored as another value. Every integer
 * without bounds of its own gets the safe-integer range, so such a value is a PropertyConstraintViolation.
 */
function boundIntegers(node: unknown): unknown {
  if (Array.isArray(node)) node.forEach(boundIntegers);
  else if (node && typeof node === 'object') {
    const s = node as Record<string, unknown>;
    if (s.type === 'integer') {
      s.maximum ??= Number.MAX_SAFE_INTEGER;
      s.minimum ??= Number.MIN_SAFE_INTEGER;
    }
    Object.values(s).forEach(boundIntegers);
  }
  return node;
}

function relax(node: unknown): unknown {
  if (Array.isArray(node)) node.forEach(relax);
  else if (node && typeof node === 'object') {
    const s = node as Record<string, unknown>;
    delete s.maxLength;
    delete s.minItems;
    Object.values(s).forEach(relax);
  }
  return node;
}

function errorCodeFor(err: ErrorObject): ErrorCode {
  switch (err.keyword) {
    case 'required': return 'OccurenceConstraintViolation';
    case 'type': return 'TypeConstraintViolation';
    case 'additionalProperties': return 'FormationViolation';
    default: return 'PropertyConstraintViolation'; // maxLength, enum, format, minimum, …
  }
}

function describe(action: string, direction: Direction, err: ErrorObject): string {
  const where = err.instancePath || '(payload)';
  const extra = err.keyword === 'additionalProperties'
    ? ` "${(err.params as { additionalProperty: string }).additionalProperty}"`
    : err.keyword === 'enum' ? `: ${(err.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
  return `${action} ${direction} ${where} ${err.message}${extra}`;
}
