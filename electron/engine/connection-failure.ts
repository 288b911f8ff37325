/**
 * A failed connection's code and message, dug out of the error chain (fetch wraps the socket's error as
 * `cause`; Node's happy-eyeballs connect wraps several in `errors`), and the user's line for it from the
 * shared wording (shared/connection-errors.ts).
 */
import { explainConnectionError, type ConnectionService } from '../../shared/connection-errors';

export interface FailureDetail {
  code: string | null;
  message: string;
}

export function failureOf(e: unknown): FailureDetail {
  let code: string | null = null;
  let message = e instanceof Error ? e.message : String(e);
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && cur; depth++) {
    const err = cur as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof err.code === 'string' && !/^\d+$/.test(err.code)) code = err.code;
    if (Array.isArray(err.errors) && err.errors.length > 0) {
      const first = err.errors[0] as { code?: unknown; message?: unknown };
      if (typeof first.code === 'string') code = first.code;
      if (typeof first.message === 'string') message = first.message;
    }
    if (typeof err.message === 'string' && err.message && err.message !== 'fetch failed') message = err.message;
    cur = err.cause;
  }
  return { code, message };
}

/** "Redis at 127.0.0.1:6379 cannot be reached: nothing is listening there: ... (ECONNREFUSED)" */
export function describeConnectionError(service: ConnectionService, address: string, e: unknown): string {
  return explainConnectionError({ service, address, ...failureOf(e) });
}
