/**
 * `xnai-migrate state export [--out FILE]` and `state import FILE [--replace]`: move a migration's state between
 * Redis and the embedded store (each side is the store STATE_STORE / REDIS_HOST / DATA_DIR select), e.g.
 *
 *   STATE_STORE=embedded xnai-migrate state export --out state.json
 *   REDIS_HOST=localhost xnai-migrate state import state.json
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';
import { addConnectionOptions, flagsFrom } from '../../engine/config/cli-flags';
import { loadTarget } from '../../engine/config/index';
import { withStateStore } from '../../engine/state/open';
import { exportState, importState, readExportFile, stringifyExport } from '../../engine/state/transfer';
import { action } from '../run-action';

export function registerState(program: Command): void {
  const state = program.command('state').description("Move a migration's state between Redis and the embedded store (export to a file, import from one)");

  const exp = state.command('export').description('Write the state (document, failed points, samples, verification) as JSON').option('--out <file>', 'write to this file (default: standard output)');
  addConnectionOptions(exp);
  exp.action(
    action(async (opts: { out?: string; config?: string }) => {
      const target = loadTarget({ env: process.env, file: opts.config, flags: flagsFrom(exp) });
      const doc = await withStateStore(target, (store) => exportState(store));
      if (!doc.state) throw new UserError('usage', `no migration state under ${target.stateKey} in ${doc.from}: nothing to export`);
      const text = stringifyExport(doc);
      if (opts.out) {
        try {
          await writeFile(opts.out, text, { mode: 0o600 });
        } catch (e) {
          throw new UserError('usage', `--out ${opts.out}: cannot write the file (${(e as NodeJS.ErrnoException).code ?? 'error'}); choose a writable path`);
        }
        process.stdout.write(`Exported ${doc.key} (${doc.state.status}, ${doc.state.processed_vectors} of ${doc.state.total_vectors} vectors, ${doc.failed.length} failed points) from ${doc.from} to ${opts.out}\n`);
      } else process.stdout.write(text);
      return 0;
    }),
  );

  const imp = state
    .command('import')
    .argument('<file>', 'a file written by "xnai-migrate state export"')
    .description('Load an exported state into the store these settings select (refused while a run holds the lock)')
    .option('--replace', 'overwrite a state the target already holds');
  addConnectionOptions(imp);
  imp.action(
    action(async (file: string, opts: { replace?: boolean; config?: string }) => {
      const doc = await readExportFile(file);
      const flags = flagsFrom(imp);
      // the export names its key: it is kept unless --state-key / MIGRATION_STATE_KEY says otherwise
      const target = loadTarget({ env: { MIGRATION_STATE_KEY: doc.key, ...process.env }, file: opts.config, flags });
      const r = await withStateStore(target, async (store) => ({ ...(await importState(store, doc, { replace: opts.replace === true })), where: store.location }));
      process.stdout.write(`Imported ${doc.key} from ${file} into ${r.where}${r.replaced ? ' (replacing the state it held)' : ''}: ${r.processed} vectors done, ${r.failed} failed points; "xnai-migrate run" resumes it there\n`);
      return 0;
    }),
  );
}
