/**
 * `xnai-migrate verify`: compare the collection with its source (count, sampled vectors and payloads,
 * exact search and HNSW recall, every id) and print the verdict. Exit 0 on PASS, 5 on FAIL.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { ExitCode, UserError } from '../../../shared/errors';
import { stringifyJson } from '../../../shared/json';
import { verifyMigration, type VerifyProgress } from '../../engine/verify/index';
import { action } from '../run-action';
import { ENV_NAMES, MigrationConfigSchema, TargetSchema, type MigrationConfig } from '../../../shared/contract';
import type { ReportTarget } from '../../engine/report/index';

/** Connection and source flags shared by verify and report; secrets come only from the environment. */
export function addConfigOptions(cmd: Command): Command {
  return cmd
    .option('--index <path>', 'FAISS index file or LangChain/LlamaIndex folder (FAISS_INDEX_PATH)')
    .option('--collection <name>', 'Qdrant collection (QDRANT_COLLECTION, default xnai_knowledge)')
    .option('--qdrant-url <url>', 'Qdrant REST URL (QDRANT_URL, default http://localhost:6333)')
    .option('--redis-host <host>', 'Redis host (REDIS_HOST)')
    .option('--redis-port <port>', 'Redis port (REDIS_PORT)')
    .option('--redis-db <n>', 'Redis database (REDIS_DB)')
    .option('--state-key <key>', 'Redis key of the migration state (MIGRATION_STATE_KEY)');
}

const FLAG_FIELDS: Record<string, keyof MigrationConfig> = {
  index: 'faissIndexPath',
  collection: 'collection',
  qdrantUrl: 'qdrantUrl',
  redisHost: 'redisHost',
  redisPort: 'redisPort',
  redisDb: 'redisDb',
  stateKey: 'stateKey',
};
const NUMERIC = new Set<string>(['redisPort', 'redisDb', 'vectorSize', 'batchSize', 'maxMemoryPercent', 'concurrency', 'shardNumber', 'replicationFactor', 'writeConsistencyFactor']);

/** Environment (the seed's variables) overlaid by flags, validated by the contract's schema. */
function rawConfig(opts: Record<string, unknown>): { raw: Record<string, unknown>; origin: Record<string, string> } {
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const [env, field] of Object.entries(ENV_NAMES)) {
    const v = process.env[env];
    if (v === undefined || v === '') continue;
    raw[field] = NUMERIC.has(field) ? Number(v) : field === 'resumeMode' ? !/^(0|false|no)$/i.test(v) : v;
    origin[field] = env;
  }
  for (const [flag, field] of Object.entries(FLAG_FIELDS)) {
    const v = opts[flag];
    if (typeof v !== 'string') continue;
    raw[field] = NUMERIC.has(field) ? Number(v) : v;
    origin[field] = `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  }
  return { raw, origin };
}

function oneLine(issue: { path: PropertyKey[]; message: string } | undefined, origin: Record<string, string>): string {
  if (!issue) return 'invalid configuration';
  const field = String(issue.path[0] ?? '');
  const name = origin[field] ?? Object.entries(ENV_NAMES).find(([, f]) => f === field)?.[0] ?? field;
  return `${name}: ${issue.message}`;
}

export async function loadCliConfig(opts: Record<string, unknown>): Promise<MigrationConfig> {
  const { raw, origin } = rawConfig(opts);
  if (raw.faissIndexPath === undefined) throw new UserError('usage', 'no source: set FAISS_INDEX_PATH or pass --index <path>');
  const parsed = MigrationConfigSchema.safeParse(raw);
  if (!parsed.success) throw new UserError('usage', oneLine(parsed.error.issues[0], origin));
  return parsed.data;
}

export async function loadCliTarget(opts: Record<string, unknown>): Promise<ReportTarget> {
  const { raw, origin } = rawConfig(opts);
  const parsed = TargetSchema.safeParse(raw);
  if (!parsed.success) throw new UserError('usage', oneLine(parsed.error.issues[0], origin));
  return parsed.data;
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
