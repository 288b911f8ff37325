/**
 * `xnai-migrate reset`: deletes the current migration state (the seed's key and the current run with its
 * failed points, samples and verification) after a confirmation; `--yes` for scripts. Other runs stay in the
 * history (`xnai-migrate runs`); the Qdrant collection is not touched. Refused while a run holds the lock.
 * A state this version cannot read is what reset is for, so it is cleared too.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { StateView } from '../../../shared/contract';
import { isUserError, UserError } from '../../../shared/errors';
import { addConnectionOptions, flagsFrom } from '../../engine/config/cli-flags';
import { loadTarget } from '../../engine/config/index';
import { getStateView, resetState } from '../../engine/state/index';
import { action } from '../run-action';

export function registerReset(program: Command): void {
  const cmd = program.command('reset').description('Delete the migration state in Redis so the next run starts over (Qdrant is not touched)').option('-y, --yes', 'do not ask for confirmation');
  addConnectionOptions(cmd);
  cmd.action(
    action(async (opts: { yes?: boolean; config?: string }) => {
      const target = loadTarget({ env: process.env, file: opts.config, flags: flagsFrom(cmd) });
      let view: StateView | null = null;
      let unreadable: string | null = null;
      try {
        view = await getStateView(target, { failedLimit: 0 });
      } catch (e) {
        // a document another tool or version wrote: reset is how the message says to clear it
        if (!isUserError(e) || e.kind !== 'badInput') throw e;
        unreadable = e.message;
      }
      if (view && !view.state && view.failedTotal === 0) {
        process.stdout.write(`No migration state under ${target.stateKey}: nothing to reset.\n`);
        return 0;
      }
      if (!opts.yes) {
        if (!process.stdin.isTTY) throw new UserError('usage', 'reset needs confirmation: run it in a terminal, or pass --yes');
        const s = view?.state;
        const what = s ? `run ${s.run_id}: ${s.status}, ${s.processed_vectors} of ${s.total_vectors} vectors into "${s.collection}"` : unreadable ? 'a state this version cannot read' : `${view?.failedTotal ?? 0} failed points`;
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        const answer = await rl.question(`Delete the migration state under ${target.stateKey} (${what})? Other runs stay in the history; the Qdrant collection is not touched. [y/N] `);
        rl.close();
        if (!/^y(es)?$/i.test(answer.trim())) {
          process.stdout.write('Nothing deleted.\n');
          return 0;
        }
      }
      const { deleted } = await resetState(target);
      process.stdout.write(deleted ? `Deleted the migration state under ${target.stateKey}.\n` : `No migration state under ${target.stateKey}.\n`);
      return 0;
    }),
  );
}
