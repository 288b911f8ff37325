/**
 * `xnai-migrate runs`: the run history kept under the state key, for a human (a table, newest first) or a
 * script (`--json`): `runs show <id>` prints one run as recorded, `runs delete <id>` deletes it after a
 * confirmation (`--yes` for scripts), `runs resume <id>` continues an interrupted one in this terminal with
 * its own recorded settings. `report --run <id>` exports any of them.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { RunDetail, RunList, RunSummary } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { stringifyJson } from '../../../shared/json';
import { addConnectionOptions, flagsFrom } from '../../engine/config/cli-flags';
import { loadTarget } from '../../engine/config/index';
import { withStateStore } from '../../engine/state/open';
import { configForStoredRun, deleteStoredRun, listRunSummaries, requireRun, runDetail } from '../../engine/state/history';
import { action } from '../run-action';
import { runInTerminal } from './run';

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** The word a user reads for a run's state: what the Runs view's badge says. */
export function runState(r: RunSummary): string {
  if (r.active) return r.status === 'paused' ? 'paused (active)' : 'running';
  if (r.neverStarted) return 'refused';
  if (r.status === 'in_progress') return 'interrupted';
  return r.status;
}

function verdict(r: RunSummary): string {
  if (!r.verification) return '-';
  return r.verification.passed ? 'PASS' : 'FAIL';
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function formatRunList(key: string, list: RunList): string {
  const lines: string[] = [];
  if (list.runs.length === 0 && list.unreadable.length === 0) return `No runs under ${key} (${list.store}).`;
  lines.push(`Runs under ${key} (${list.store}), newest first:`);
  const rows = [
    ['RUN', 'STATE', 'STARTED', 'DURATION', 'POINTS', 'FAILED', 'COLLECTION', 'VERIFIED', 'SOURCE'],
    ...list.runs.map((r) => [
      `${r.runId}${r.current ? ' *' : ''}`,
      runState(r),
      when(r.startedAt),
      duration(r.durationMs),
      `${r.processed}/${r.total}`,
      String(r.failed),
      r.collection,
      verdict(r),
      r.sourcePath,
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  for (const row of rows) lines.push(`  ${row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')}`.trimEnd());
  lines.push('  (* the run the seed\'s key holds)');
  for (const r of list.runs) if (r.error) lines.push(`  ${r.runId}: ${r.error}`);
  for (const u of list.unreadable) lines.push(`  ${u.runId}: unreadable: ${u.problem}`);
  return lines.join('\n');
}

export function formatRunDetail(d: RunDetail): string {
  const s = d.summary;
  const st = d.state;
  const lines = [
    `Run ${s.runId}: ${runState(s)}${s.current ? " (the seed's key holds it)" : ''}`,
    `  source:      ${s.sourcePath}${s.indexPath !== s.sourcePath ? ` (${s.indexPath})` : ''}, ${st.source.size} bytes`,
    `  collection:  ${s.collection} (${s.distance}, payload ${st.payload_layout})`,
    `  points:      ${s.processed} / ${s.total} migrated, ${s.failed} failed; batches ${s.batchesDone} / ${s.batchesTotal} of ${st.batch_size}`,
    `  started:     ${when(s.startedAt)}; ${s.endedAt ? `ended ${when(s.endedAt)}` : 'still active'} (${duration(s.durationMs)})`,
    `  peak RSS:    ${d.peakRssMb === null ? '-' : `${d.peakRssMb} MB`} (${d.samples.length} samples)`,
  ];
  if (s.error) lines.push(`  error:       ${s.error}`);
  lines.push(`  verified:    ${d.verification ? `${d.verification.verdict} (${when(d.verification.at)})` : 'never'}`);
  for (const o of d.outages) lines.push(`  outage:      ${o.service} at ${o.address}, ${when(new Date(o.from).toISOString())}, ${o.to === null ? 'still down' : duration(o.to - o.from)}: ${o.reason}`);
  if (d.failedTotal > 0) lines.push(`  failed points: ${d.failedTotal} (xnai-migrate report --run ${s.runId} lists them)`);
  lines.push('  timeline:');
  for (const t of st.timeline) lines.push(`    ${when(new Date(t.at).toISOString())}  ${t.event}${t.detail ? `: ${t.detail}` : ''}`);
  return lines.join('\n');
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UserError('usage', 'deleting a run needs confirmation: run it in a terminal, or pass --yes');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('List the runs kept in the state (newest first); show, delete or resume one').option('--json', 'print the list as JSON').option('--limit <n>', 'at most this many runs', '200');
  addConnectionOptions(runs);
  const target = (cmd: Command) => {
    const opts = cmd.optsWithGlobals<{ config?: string }>();
    return loadTarget({ env: process.env, file: opts.config, flags: { ...flagsFrom(runs), ...flagsFrom(cmd) } });
  };

  runs.action(
    action(async (opts: { json?: boolean; limit: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new UserError('usage', `--limit ${opts.limit}: use a whole number of runs from 1 to 100000`);
      const t = target(runs);
      const list = await withStateStore(t, (store) => listRunSummaries(store, limit));
      process.stdout.write(`${opts.json ? stringifyJson(list, 2) : formatRunList(t.stateKey, list)}\n`);
      return 0;
    }),
  );

  const show = runs.command('show').argument('<run>', 'run id (from "xnai-migrate runs")').description('Show one run as recorded: counts, timeline, outages, peak memory, verification').option('--json', 'print the run as JSON');
  addConnectionOptions(show);
  show.action(
    action(async (runId: string, opts: { json?: boolean }) => {
      const detail = await withStateStore(target(show), (store) => runDetail(store, runId));
      process.stdout.write(`${opts.json ? stringifyJson(detail, 2) : formatRunDetail(detail)}\n`);
      return 0;
    }),
  );

  const del = runs.command('delete').argument('<run>', 'run id (from "xnai-migrate runs")').description('Delete one run from the history (its record, failed points, samples, verification); the Qdrant collection is not touched').option('-y, --yes', 'do not ask for confirmation');
  addConnectionOptions(del);
  del.action(
    action(async (runId: string, opts: { yes?: boolean }) => {
      const t = target(del);
      const deleted = await withStateStore(t, async (store) => {
        const run = await requireRun(store, runId);
        if (!opts.yes) {
          const what = `${run.status}, ${run.processed_vectors} of ${run.total_vectors} vectors of ${run.source.path} into "${run.collection}"`;
          if (!(await confirm(`Delete run ${runId} (${what}) from the history? The Qdrant collection is not touched. [y/N] `))) return null;
        }
        return (await deleteStoredRun(store, runId)).deleted;
      });
      process.stdout.write(deleted === null ? 'Nothing deleted.\n' : deleted ? `Deleted run ${runId}.\n` : `No run ${runId} under ${t.stateKey}.\n`);
      return 0;
    }),
  );

  const resume = runs.command('resume').argument('<run>', 'run id (from "xnai-migrate runs")').description('Continue an interrupted, paused or failed run with its own recorded settings').option('--quiet', 'no progress output, only warnings and the summary');
  addConnectionOptions(resume);
  resume.action(
    action(async (runId: string, opts: { quiet?: boolean }) => {
      const t = target(resume);
      const run = await withStateStore(t, (store) => requireRun(store, runId));
      const config = configForStoredRun(run, t);
      return runInTerminal(config, { quiet: opts.quiet === true, begin: (c) => c.resumeStored(config, runId) });
    }),
  );
}
