/**
 * The error envelope every transport carries: `{ message, exitCode }`. A UserError keeps its one-line message
 * and exit code across process, MessagePort and WebSocket boundaries; a validation failure names the field;
 * anything else becomes the one-line internal error (never a stack trace).
 */
import { z } from 'zod';
import { describeError, ExitCode, isUserError, UserError, type UserErrorKind } from '../../../shared/errors';
import { FaissFormatError } from '../faiss/types';

export interface ErrorEnvelope {
  message: string;
  exitCode: number;
}

/** One line naming the field and what is wrong, e.g. `config.batchSize: Too big: expected number to be <=10000`. */
export function formatZodError(error: z.ZodError, what: string): string {
  const first = error.issues[0];
  if (!first) return `${what}: invalid`;
  const path = first.path.length > 0 ? first.path.map(String).join('.') : '(root)';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${what}: ${path}: ${first.message}${more}`;
}

export function toErrorEnvelope(e: unknown): ErrorEnvelope {
  if (isUserError(e)) return { message: e.message, exitCode: e.exitCode };
  if (e instanceof FaissFormatError) return { message: e.message, exitCode: ExitCode.badInput };
  if (e instanceof z.ZodError) return { message: formatZodError(e, 'invalid value'), exitCode: ExitCode.usage };
  if (e instanceof RemoteError) return { message: e.message, exitCode: e.exitCode };
  return { message: describeError(e), exitCode: ExitCode.internal };
}

const KIND_BY_CODE = new Map<number, UserErrorKind>(
  (Object.entries(ExitCode) as [string, number][])
    .filter(([k]) => k !== 'ok' && k !== 'internal')
    .map(([k, v]) => [v, k as UserErrorKind]),
);

/** An internal error raised on the far side of a transport: its message is already the one-line report. */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

/** The caller-side error for an envelope: a UserError for user-actionable codes, else a RemoteError. */
export function errorFromEnvelope(envelope: ErrorEnvelope): Error {
  const kind = KIND_BY_CODE.get(envelope.exitCode);
  if (kind) return new UserError(kind, envelope.message);
  return new RemoteError(envelope.message, envelope.exitCode);
}
