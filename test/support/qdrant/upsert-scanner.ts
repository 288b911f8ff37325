import type { IncomingPoint } from './collection';

export type ScanResult = { ok: true; skeleton: Record<string, unknown>; points: IncomingPoint[] } | { ok: false; reason: string };

/** Fast path for upsert bodies (being written): declines everything for now, the general parser decides. */
export function scanUpsertBody(_raw: Buffer): ScanResult {
  return { ok: false, reason: 'not implemented yet' };
}
