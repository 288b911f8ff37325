/**
 * How a run's failures are told apart and shown. `Cancelled` marks work that was abandoned on purpose
 * (pause, cancel, a sibling's fatal error), which is put back rather than counted as failed;
 * `classifyError` turns anything else into the one message and exit code the user sees.
 */
import { UserError, describeError, isUserError } from '../../../shared/errors';
import { FaissFormatError } from '../faiss/types';
import { SinkError } from '../qdrant/types';

/** The abort reason for abandoned batches: never reported as an error. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

/** A failure as the user sees it: their UserError, the FAISS reader's refusal, or an internal error (exit 1). */
export function classifyError(e: unknown): { message: string; code: number; error: unknown } {
  if (isUserError(e)) return { message: (e as UserError).message, code: (e as UserError).exitCode, error: e };
  if (e instanceof FaissFormatError) {
    const u = new UserError('badInput', e.message);
    return { message: u.message, code: u.exitCode, error: u };
  }
  if (e instanceof SinkError) {
    const u = new UserError('connection', `Failed to upsert batch: ${e.message}`);
    return { message: u.message, code: u.exitCode, error: u };
  }
  return { message: describeError(e), code: 1, error: e };
}
