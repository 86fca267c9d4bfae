// Shared by the functional-block routes: find the charger, validate a JSON body, and work out the URL chargers use to reach this Pi.
import { Ajv, type ValidateFunction } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { Charger } from '../../domain/chargers.js';
import { HttpError, type ApiRequest } from '../http.js';
import type { RouteDeps } from './index.js';

// validateSchema off: checking each schema against the meta-schema first compiled the meta-schema at
// start (~100 ms); the route schemas are ours and chargerCalls.test.ts checks them against it instead.
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, validateSchema: false });
// RFC 3339 allows a leap second (23:59:60) that a JS Date cannot hold: such a time passed the schema
// and then threw in toISOString. A date-time here must also be one Date can represent.
const rfc3339 = fullFormats['date-time'] as { validate: (s: string) => boolean };
ajv.addFormat('date-time', { type: 'string', validate: (s: string) => rfc3339.validate(s) && !Number.isNaN(Date.parse(s)) });

export function chargerOr404(deps: Pick<RouteDeps, 'domain'>, chargePointId: string | undefined): Charger {
  const charger = chargePointId === undefined ? undefined : deps.domain.chargers.byChargePointId(chargePointId);
  if (!charger) throw new HttpError(404, 'charger_not_found', `no charger ${chargePointId}`);
  return charger;
}

const declared: object[] = [];
/** Every schema bodySchema was given so far (the route modules call it when loaded), for tests. */
export const declaredBodySchemas = (): readonly object[] => declared;
export const compileBodySchema = (schema: object): ValidateFunction => ajv.compile(schema);

/**
 * A checker for a request body; a failure is a 400 listing every problem. The schema compiles on first
 * use: compiling all ~40 at start took 440 ms of the cold start (CPU profile of the dist bundle) and held
 * validators most installations never call.
 */
export function bodySchema<T>(schema: object): (body: unknown) => T {
  declared.push(schema);
  let validate: ValidateFunction | undefined;
  return (body) => {
    validate ??= ajv.compile(schema);
    const value = body ?? {};
    if (validate(value)) return value as T;
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}`);
    throw new HttpError(400, 'invalid_body', `invalid request body: ${problems.join('; ')}`, { problems });
  };
}

/** How chargers reach us: the configured URL, else the host the operator's request came in on. */
export function chargerFacingBaseUrl(deps: Pick<RouteDeps, 'config'>, req: ApiRequest): string {
  const configured = deps.config.files.publicBaseUrl;
  if (configured) return configured.replace(/\/$/, '');
  const host = req.headers.host;
  if (!host) throw new HttpError(400, 'no_host', 'set files.publicBaseUrl in the config: the request has no Host header');
  return `${req.secure ? 'https' : 'http'}://${host}`;
}

export function intParam(value: string | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  // Digits only: Number() would also take "0x10", "1e3" and " 1".
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  // Past 2^53 a number is no longer exact, and SQLite refuses it as a LIMIT or OFFSET (a 500 before).
  if (!Number.isSafeInteger(n)) throw new HttpError(400, 'invalid_parameter', `${name} must be an integer (at most ${Number.MAX_SAFE_INTEGER})`);
  return n;
}
