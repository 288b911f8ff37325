/**
 * Every CLI action runs through here: a UserError becomes one line on stderr and its exit code, anything
 * else a one-line internal error (exit 1). No stack trace reaches the user unless XNAI_DEBUG=1.
 */
import { describeError, ExitCode, isUserError } from '../../shared/errors';
import { FaissFormatError } from '../engine/faiss/types';

export function exitCodeFor(e: unknown): number {
  if (isUserError(e)) return e.exitCode;
  if (e instanceof FaissFormatError) return ExitCode.badInput;
  return ExitCode.internal;
}

export function messageFor(e: unknown): string {
  if (e instanceof FaissFormatError) return e.message;
  return describeError(e);
}

export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      process.exitCode = code ?? 0;
    } catch (e) {
      if (process.env.XNAI_DEBUG === '1' && e instanceof Error) process.stderr.write(`${e.stack}\n`);
      process.stderr.write(`xnai-migrate: ${messageFor(e)}\n`);
      process.exitCode = exitCodeFor(e);
    }
  };
}
