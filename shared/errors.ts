/**
 * Errors a user can act on. Every host prints `message` as one line (no stack) and exits with `exitCode`.
 * Anything that is not a UserError is a bug and is reported as such.
 */
export const ExitCode = {
  ok: 0,
  /** An unexpected internal error (a bug): the message says where to report it. */
  internal: 1,
  /** Bad command line, configuration value or environment variable. */
  usage: 2,
  /** The source (FAISS file, docstore) is unreadable, corrupted or unsupported. */
  badInput: 3,
  /** Qdrant or Redis could not be reached or refused the credentials. */
  connection: 4,
  /** Verification found a difference between source and Qdrant. */
  verifyFailed: 5,
  /** The run finished but some points were recorded as failed. */
  partial: 6,
  /** Another run holds the migration lock. */
  locked: 7,
  /** The run was paused or cancelled by the user (SIGINT); state is consistent and resumable. */
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export type UserErrorKind = 'usage' | 'badInput' | 'connection' | 'verifyFailed' | 'partial' | 'locked' | 'interrupted';

export class UserError extends Error {
  readonly kind: UserErrorKind;
  constructor(kind: UserErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
    this.kind = kind;
  }
  get exitCode(): ExitCodeValue {
    return ExitCode[this.kind];
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'UserError');
}

/** One line for a human: a UserError's message, or a short internal-error line without the stack. */
export function describeError(e: unknown): string {
  if (isUserError(e)) return e.message;
  const msg = e instanceof Error ? e.message : String(e);
  return `Internal error: ${msg.split('\n')[0]} (please report this with logs/migration.log)`;
}
