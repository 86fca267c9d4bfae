// A refusal by a business rule. kind says what sort of refusal it is (the API maps each kind to one HTTP
// status, in src/server/errors.ts; the CLI prints the message); code is stable for clients to branch on;
// message says what to fix.
export type DomainErrorKind =
  | 'not_found' // the thing named does not exist
  | 'conflict' // it exists, but its state forbids this (already taken, in use, last of its kind, too little money)
  | 'invalid' // the request is well-formed but a rule refuses its values
  | 'forbidden'; // the caller may not do this

export class DomainError extends Error {
  constructor(readonly kind: DomainErrorKind, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = new.target.name;
  }
}
