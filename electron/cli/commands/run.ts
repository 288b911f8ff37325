/**
 * `xnai-migrate run [path]`: the seed's script done right. The engine runs in this process; the terminal
 * shows the seed's progress bar (or plain lines when stdout is not a TTY). Ctrl-C pauses cleanly (in-flight
 * batches finish, the state says paused, exit 130); a second Ctrl-C exits at once, which is still safe:
 * every checkpoint is atomic and only covers acknowledged batches.
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { EngineEvent, MigrationConfig, Progress } from '../../../shared/contract';
import { ExitCode } from '../../../shared/errors';
import { addRunOptions, flagsFrom } from '../../engine/config/cli-flags';
import { loadConfig } from '../../engine/config/index';
import { createRunController, type RunController } from '../../engine/migration/index';
import { action } from '../run-action';
import { offerServices, stopStartedServices } from '../services-offer';

function eta(s: number | null): string {
  if (s === null) return '--:--';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

function plainLine(p: Progress): string {
  return `progress: batches ${p.batchesDone}/${p.batchesTotal}, processed: ${p.processed}, failed: ${p.failed}, memory_mb: ${p.rssMb}, points/s: ${p.pointsPerSec}, eta: ${eta(p.etaSeconds)}`;
}

/** Terminal output: a cli-progress bar on a TTY, a plain line every couple of seconds otherwise. */
class Display {
  private multi: cliProgress.MultiBar | null = null;
  private bar: cliProgress.SingleBar | null = null;
  private lastPlain = 0;

  constructor(private readonly tty: boolean) {}

  progress(p: Progress): void {
    if (this.tty) {
      if (!this.multi) {
        this.multi = new cliProgress.MultiBar(
          {
            format: 'Migration Progress |{bar}| {value}/{total} | processed: {processed}, failed: {failed}, memory_mb: {memory} | {rate} points/s | ETA {etaText}',
            barCompleteChar: '\u2588',
            barIncompleteChar: '\u2591',
            hideCursor: true,
            clearOnComplete: false,
            stopOnComplete: false,
            fps: 5,
          },
          cliProgress.Presets.shades_classic,
        );
        this.bar = this.multi.create(p.batchesTotal, p.batchesDone);
      }
      this.bar!.setTotal(p.batchesTotal);
      this.bar!.update(p.batchesDone, { processed: p.processed, failed: p.failed, memory: p.rssMb, rate: p.pointsPerSec, etaText: eta(p.etaSeconds) });
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain >= 2000) {
      this.lastPlain = now;
      process.stdout.write(`${plainLine(p)}\n`);
    }
  }

  final(p: Progress | null): void {
    if (this.tty) {
      if (p && this.bar) this.bar.update(p.batchesDone, { processed: p.processed, failed: p.failed, memory: p.rssMb, rate: p.pointsPerSec, etaText: eta(p.etaSeconds) });
      this.multi?.stop();
      this.multi = null;
    } else if (p) process.stdout.write(`${plainLine(p)}\n`);
  }

  /** Info goes to stdout with the progress; warnings to stderr, so a failing run's stderr is its one line. */
  message(text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    if (this.multi) this.multi.log(`${text}\n`);
    else process[stream].write(`${text}\n`);
  }
}

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .argument('[path]', 'FAISS index file or LangChain/LlamaIndex folder (or FAISS_INDEX_PATH)')
    .description('Migrate a FAISS store into Qdrant: resumable (state in Redis or the embedded store), memory-bounded, with live progress')
    .option('--retry-failed', 're-send only the points recorded as failed by the previous run')
    .option('--join', 'work on the shared run under the state key (started elsewhere with --shared): this process takes batches too')
    .option('--quiet', 'no progress output, only warnings and the summary')
    .option('--start-services', 'start Qdrant for this run when it does not answer on this machine (QDRANT_BIN, Docker or qdrant on PATH); asked on a terminal')
    .option('--keep-services', 'keep what --start-services started running after the run');
  addRunOptions(cmd);
  cmd.action(
    action(async (path: string | undefined, opts: { config?: string; retryFailed?: boolean; quiet?: boolean; join?: boolean; startServices?: boolean; keepServices?: boolean }) => {
      const flags = flagsFrom(cmd);
      if (path) flags.faissIndexPath = path;
      const loaded: MigrationConfig = loadConfig({ env: process.env, file: opts.config, flags });
      const { config, explain } = await offerServices(loaded, { start: opts.startServices === true, keep: opts.keepServices === true });
      try {
        return await runInTerminal(config, { retryFailed: opts.retryFailed === true, quiet: opts.quiet === true, join: opts.join === true });
      } catch (e) {
        throw explain(e);
      } finally {
        await stopStartedServices();
      }
    }),
  );
}

/** Resolves true when the run leaves 'paused' (resumed or ended), false on Ctrl-C meanwhile. */
function resumedElsewhere(controller: ReturnType<typeof createRunController>): Promise<boolean> {
  return new Promise((resolve) => {
    const off = controller.on((e) => {
      if (e.type === 'state' && e.status !== 'paused') {
        off();
        process.off('SIGINT', stop);
        resolve(true);
      }
    });
    const stop = () => {
      off();
      resolve(false);
    };
    process.once('SIGINT', stop);
  });
}

export interface TerminalRunOptions {
  quiet: boolean;
  retryFailed?: boolean;
  join?: boolean;
  /** How the run starts (default: start, retryFailed or join): `runs resume` continues a stored run. */
  begin?: (controller: RunController) => Promise<{ runId: string }>;
}

/** Runs one migration in this process with the terminal's progress display; resolves to the exit code. */
export async function runInTerminal(config: MigrationConfig, options: TerminalRunOptions): Promise<number> {
  // WORKER_LEASE_MS: how long a shared run's batch stays with a worker that stopped answering (default 30 s)
  const lease = Number(process.env.WORKER_LEASE_MS);
  const controller = createRunController(Number.isInteger(lease) && lease >= 500 ? { leaseMs: lease } : {});
  const display = new Display(process.stdout.isTTY === true && !options.quiet);
  let last: Progress | null = null;
  controller.on((e: EngineEvent) => {
    if (e.type === 'progress') {
      last = e.progress;
      if (!options.quiet) display.progress(e.progress);
    } else if (e.type === 'log') {
      if (e.level === 'warn') display.message(`WARNING: ${e.msg}`, 'stderr');
      else if (e.level === 'info' && !options.quiet) display.message(e.msg);
    }
  });

  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1 && options.join) {
      // a worker leaves the shared run; the others go on (Pause in any host pauses them all)
      display.message('Leaving the shared run: in-flight batches finish (Ctrl-C again to exit at once)', 'stderr');
      void controller.dispose();
    } else if (interrupts === 1) {
      display.message('Pausing: in-flight batches finish and the state is saved (Ctrl-C again to exit at once)', 'stderr');
      void controller.pause();
    } else {
      display.final(last);
      process.stderr.write('xnai-migrate: exiting now; the state holds every acknowledged batch (run again to resume)\n');
      process.exit(ExitCode.interrupted);
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    if (options.begin) await options.begin(controller);
    else if (options.join) await controller.join(config);
    else if (options.retryFailed) await controller.retryFailed(config);
    else await controller.start(config);
    let status = await controller.settled();
    // paused from another host (a shared run's Pause reaches every worker): wait for Resume or Cancel
    while (status === 'paused' && interrupts === 0 && (config.sharedRun || options.join) && (await resumedElsewhere(controller))) status = await controller.settled();
    if (status === 'paused') {
      await controller.dispose();
      display.final(last);
      process.stderr.write(`xnai-migrate: paused; run the same command again to resume\n`);
      return ExitCode.interrupted;
    }
    display.final(last);
    const snap = controller.snapshot();
    const p = snap.progress;
    if (status === 'completed') {
      const failed = p?.failed ?? 0;
      process.stdout.write(`Migrated ${p?.processed ?? 0} of ${p?.total ?? 0} points into collection "${config.collection}"${failed ? `; ${failed} failed (see "xnai-migrate status", retry with --retry-failed)` : ''}\n`);
      return controller.exitCode;
    }
    if (status === 'cancelled') return ExitCode.interrupted;
    process.stderr.write(`xnai-migrate: ${snap.lastError ?? 'the run failed'}\n`);
    return controller.exitCode || ExitCode.internal;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
