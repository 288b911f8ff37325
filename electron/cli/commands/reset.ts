/**
 * `xnai-migrate reset`: deletes the migration state (state, failed points, samples, verification) after a
 * confirmation; `--yes` for scripts. The Qdrant collection is not touched. Refused while a run holds the lock.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';
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
      const view = await getStateView(target, { failedLimit: 0 });
      if (!view.state && view.failedTotal === 0) {
        process.stdout.write(`No migration state under ${target.stateKey}: nothing to reset.\n`);
        return 0;
      }
      if (!opts.yes) {
        if (!process.stdin.isTTY) throw new UserError('usage', 'reset needs confirmation: run it in a terminal, or pass --yes');
        const s = view.state;
        const what = s ? `${s.status}, ${s.processed_vectors} of ${s.total_vectors} vectors into "${s.collection}"` : `${view.failedTotal} failed points`;
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        const answer = await rl.question(`Delete the migration state under ${target.stateKey} (${what})? The Qdrant collection is not touched. [y/N] `);
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
