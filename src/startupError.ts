// A start that fails for a reason the operator can fix (a TLS file, a port, data an upgrade cannot
// take): its message says what to do, so it is printed without a stack trace.
export class StartupError extends Error {
  override name = 'StartupError';
}
