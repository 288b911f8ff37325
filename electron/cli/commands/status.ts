/** `xnai-migrate status`: the migration state in Redis, for a human or (`--json`) for a script. */
import type { Command } from 'commander';
import type { StateView } from '../../../shared/contract';
import { stringifyJson } from '../../../shared/json';
import { addConnectionOptions, flagsFrom } from '../../engine/config/cli-flags';
import { loadTarget } from '../../engine/config/index';
import { getStateView } from '../../engine/state/index';
import { action } from '../run-action';

function pct(a: number, b: number): string {
  return b > 0 ? `${((100 * a) / b).toFixed(1)} %` : '-';
}

export function formatStateView(v: StateView): string {
  const lines: string[] = [];
  const s = v.state;
  if (!s) {
    lines.push(`No migration state under ${v.key}.`);
  } else {
    lines.push(`Migration ${v.key}: ${s.status}`);
    lines.push(`  source:          ${s.source.path} (${s.source.size} bytes, modified ${new Date(s.source.mtimeMs).toISOString()})`);
    lines.push(`  collection:      ${s.collection} (${s.distance}, payload ${s.payload_layout})`);
    if (s.transport) lines.push(`  transport:       ${s.transport}`);
    lines.push(`  processed:       ${s.processed_vectors} / ${s.total_vectors} vectors (${pct(s.processed_vectors, s.total_vectors)}), failed: ${s.failed_vectors}`);
    lines.push(`  batches:         ${s.batches_processed} / ${s.total_batches} of ${s.batch_size} (all below ${s.watermark} done${s.completed_above.length ? `, ${s.completed_above.length} more above` : ''}), last batch ${s.last_batch_id}`);
    lines.push(`  started:         ${s.started_at}`);
    lines.push(`  last checkpoint: ${s.last_checkpoint}`);
    lines.push(`  completed:       ${s.completed_at ?? '-'}`);
  }
  if (v.store) lines.push(`  store:           ${v.store.location} (${v.store.reason})`);
  lines.push(`  lock:            ${v.lock ? `held by ${v.lock.holder}, expires in ${v.lock.ttlMs === null ? '?' : Math.ceil(v.lock.ttlMs / 1000)}s` : 'free'}`);
  if (v.failedTotal > 0) {
    lines.push(`  failed points:   ${v.failedTotal}${v.failedTotal > v.failedPoints.length ? ` (first ${v.failedPoints.length} shown)` : ''}`);
    for (const f of v.failedPoints.slice(0, 20)) lines.push(`    FAISS id ${f.faissId} (point ${f.pointId}, batch ${f.batch}): ${f.reason}`);
  }
  return lines.join('\n');
}

export function registerStatus(program: Command): void {
  const cmd = program.command('status').description('Show the migration state (progress, lock, failed points) and which store keeps it').option('--json', 'print the state view as JSON');
  addConnectionOptions(cmd);
  cmd.action(
    action(async (opts: { json?: boolean; config?: string }) => {
      const target = loadTarget({ env: process.env, file: opts.config, flags: flagsFrom(cmd) });
      const view = await getStateView(target);
      process.stdout.write(`${opts.json ? stringifyJson(view, 2) : formatStateView(view)}\n`);
      return 0;
    }),
  );
}
