// Exit codes scripts can rely on, and the one error type commands throw to end with one of them.
export const EXIT = {
  ok: 0,
  /** The command ran and failed: not found, refused, in use, damaged file. */
  failure: 1,
  /** Wrong command line: unknown command or option, missing or malformed value. */
  usage: 2,
  /** The configuration file or an OCPP_EDGE_* variable is invalid (sysexits EX_CONFIG, as the server uses). */
  config: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure with a message that says what to do; the CLI prints it and exits with `code`. */
export class CliError extends Error {
  constructor(message: string, readonly code: ExitCode = EXIT.failure) { super(message); }
}

export class UsageError extends CliError {
  constructor(message: string, readonly help?: string) { super(message, EXIT.usage); }
}
