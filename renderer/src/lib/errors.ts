/** The one line a user reads when a command fails: the engine's message, never a stack. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0] ?? e.message;
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    return ((e as { message: string }).message.split('\n')[0] ?? '').trim();
  }
  return String(e);
}
