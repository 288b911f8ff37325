/**
 * `xnai-migrate verify`: compare the collection with its source (count, sampled vectors and payloads,
 * exact search and HNSW recall, every id) and print the verdict. Exit 0 on PASS, 5 on FAIL.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { ExitCode } from '../../../shared/errors';
import { stringifyJson } from '../../../shared/json';
import type { VerifyProgress } from '../../engine/verify/index';
import { action } from '../run-action';
import { TargetSchema, type MigrationConfig } from '../../../shared/contract';
import { loadConfig, type ConfigSources } from '../../engine/config/index';
import type { ReportTarget } from '../../engine/report/index';

/** Connection and source flags shared by verify and report; secrets come only from the environment. */
export function addConfigOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'JSON file of settings (the environment and flags override it)')
    .option('--index <path>', 'FAISS index file or LangChain/LlamaIndex folder (FAISS_INDEX_PATH)')
    .option('--collection <name>', 'Qdrant collection (QDRANT_COLLECTION, default xnai_knowledge)')
    .option('--qdrant-url <url>', 'Qdrant REST URL (QDRANT_URL, default http://localhost:6333)')
    .option('--redis-host <host>', 'Redis host (REDIS_HOST)')
    .option('--redis-port <port>', 'Redis port (REDIS_PORT)')
    .option('--redis-db <n>', 'Redis database (REDIS_DB)')
    .option('--state-key <key>', 'Redis key of the migration state (MIGRATION_STATE_KEY)')
    .option('--state-store <store>', 'auto, redis or embedded (STATE_STORE)')
    .option('--data-dir <dir>', "the user's data folder, where the embedded store lives (DATA_DIR)");
}

function flagsOf(opts: Record<string, unknown>): ConfigSources['flags'] {
  return {
    faissIndexPath: opts.index,
    collection: opts.collection,
    qdrantUrl: opts.qdrantUrl,
    redisHost: opts.redisHost,
    redisPort: opts.redisPort,
    redisDb: opts.redisDb,
    stateKey: opts.stateKey,
    stateStore: opts.stateStore,
    dataDir: opts.dataDir,
  };
}

/** The run's configuration as `xnai-migrate run` reads it (file < environment < flags), one line per bad value. */
export async function loadCliConfig(opts: Record<string, unknown>): Promise<MigrationConfig> {
  return loadConfig({ env: process.env, file: opts.config as string | undefined, flags: flagsOf(opts) });
}

/** Connection, collection and state key only: a report reads the source's path from the run's state. */
export async function loadCliTarget(opts: Record<string, unknown>): Promise<ReportTarget> {
  const flags = flagsOf(opts) ?? {};
  // The loader requires a source path; a report does not use it, so any placeholder will do.
  if (!flags.faissIndexPath && !process.env.FAISS_INDEX_PATH) flags.faissIndexPath = '(unused by report)';
  const config = loadConfig({ env: process.env, file: opts.config as string | undefined, flags, checkPath: false });
  return TargetSchema.parse(config);
}

function intOption(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    // commander reports this as a usage error naming the option (exit 2).
    if (!/^\d+$/.test(v) || n < min || n > max) throw new InvalidArgumentError(`--${name} must be a whole number from ${min} to ${max}.`);
    return n;
  };
}

export function registerVerify(program: Command): void {
  const cmd = program
    .command('verify')
    .description('Verify the collection against its source: exact count, sampled vectors and payloads, exact-search parity, HNSW recall@10, every id present.')
    .addOption(new Option('--sample <n>', 'points read back and compared with the source').default(200).argParser(intOption('sample', 0, 100_000)))
    .addOption(new Option('--queries <n>', 'queries for exact-search parity and recall@10').default(20).argParser(intOption('queries', 0, 1000)))
    .addOption(new Option('--seed <n>', 'seed choosing the sampled points').default(1).argParser(intOption('seed', 0, 2 ** 31 - 1)))
    .option('--no-ids', 'skip the scroll that checks every source id is present')
    .option('--json', 'print the full result as JSON instead of the check list');
  addConfigOptions(cmd);
  cmd.action(
    action(async (opts: Record<string, unknown>) => {
      const config = await loadCliConfig(opts);
      const quiet = Boolean(opts.json) || !process.stderr.isTTY;
      let lastPhase = '';
      const onProgress = (p: VerifyProgress) => {
        if (quiet) return;
        const line = `  ${p.message}`;
        process.stderr.write(p.phase === lastPhase ? `\r${line}\x1b[K` : `${lastPhase ? '\n' : ''}${line}`);
        lastPhase = p.phase;
      };
      // Loaded on use: other subcommands start without the verifier's modules.
      const { verifyMigration } = await import('../../engine/verify/index');
      const result = await verifyMigration(
        config,
        { sampleSize: opts.sample as number, queries: opts.queries as number, seed: opts.seed as number, idCoverage: opts.ids !== false },
        onProgress,
      );
      if (lastPhase) process.stderr.write('\n');
      if (opts.json) {
        process.stdout.write(`${stringifyJson(result, 2)}\n`);
      } else {
        process.stdout.write(`Verification of collection "${result.collection}" (${(result.durationMs / 1000).toFixed(1)} s):\n`);
        for (const c of result.checks) process.stdout.write(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.name}: ${c.summary}\n`);
        process.stdout.write(`${result.verdict}\n`);
      }
      return result.passed ? ExitCode.ok : ExitCode.verifyFailed;
    }),
  );
}
