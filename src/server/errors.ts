// Every error a route can end in, turned into one HTTP answer here and nowhere else:
// {"error": {"code", "message", "details"?}} with the status its kind calls for.
import { DomainError, type DomainErrorKind } from '../domain/errors.js';
import { CallRejectedError, CallTimeoutError, ChargerOfflineError } from '../ocpp/errors.js';
import { OcppError } from '../ocpp/rpc.js';

/** A refusal by the transport itself (bad parameter, not logged in, body too large…), status given. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: unknown = undefined) {
    super(message);
  }
}

const statusOfKind: Record<DomainErrorKind, number> = { not_found: 404, conflict: 409, invalid: 422, forbidden: 403 };

/** The HTTP form of an error, or undefined for one nobody foresaw (a 500, logged). */
export function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (err instanceof DomainError) return new HttpError(statusOfKind[err.kind], err.code, err.message, err.details);
  // A call to a charger: offline -> 409, no answer -> 504, CALLERROR or bad answer -> 502, our payload refused by the schema -> 400.
  if (err instanceof ChargerOfflineError) return new HttpError(409, 'charger_offline', err.message);
  if (err instanceof CallTimeoutError) return new HttpError(504, 'charger_timeout', err.message);
  if (err instanceof CallRejectedError) return new HttpError(502, 'charger_error', err.message, { code: err.code, ...err.details });
  if (err instanceof OcppError) return new HttpError(400, 'invalid_ocpp_payload', err.message, { code: err.code, ...err.details });
  return undefined;
}
