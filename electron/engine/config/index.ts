/**
 * Configuration: defaults < config file (--config FILE, JSON) < environment (the seed's names) < flags,
 * validated with the contract's MigrationConfigSchema. Every bad value gets its own line naming where it
 * came from (`BATCH_SIZE=abc`, `--batch-size`, `run.json: batchSize`) and what to do; secrets are named,
 * never echoed.
 *
 * Why JSON for the file: no new dependency, the same field names the desktop form and the contract use,
 * and none of YAML's implicit typing surprises (`no` → false, `0600` → 384) in a file that holds ports and
 * passwords.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { DISTANCES, ENV_NAMES, MigrationConfigSchema, PAYLOAD_LAYOUTS, SECRET_FIELDS, STATE_STORES, TRANSPORTS, WRITE_ORDERINGS, type MigrationConfig } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';

type Field = keyof MigrationConfig;

const NUMBER_FIELDS = new Set<Field>(['redisPort', 'redisDb', 'vectorSize', 'batchSize', 'maxMemoryPercent', 'concurrency', 'requestPoints', 'shardNumber', 'replicationFactor', 'writeConsistencyFactor']);
const INT_FIELDS = new Set<Field>(['redisPort', 'redisDb', 'vectorSize', 'batchSize', 'concurrency', 'requestPoints', 'shardNumber', 'replicationFactor', 'writeConsistencyFactor']);
const BOOL_FIELDS = new Set<Field>(['resumeMode', 'sharedRun']);
/** Percent settings: `60`, `60%` and `0.6` all mean 60 % (the schema keeps the fraction). */
const PERCENT_FIELDS = new Set<Field>(['maxMemoryPercent']);
const ENUMS: Partial<Record<Field, readonly string[]>> = { distance: DISTANCES, payloadLayout: PAYLOAD_LAYOUTS, writeOrdering: WRITE_ORDERINGS, transport: TRANSPORTS, stateStore: STATE_STORES };

/** Field → environment variable name. */
export const ENV_FOR_FIELD = Object.fromEntries(Object.entries(ENV_NAMES).map(([env, field]) => [field, env])) as Record<Field, string>;

/** Field → command-line flag of `xnai-migrate run` (secrets have none: they would show in `ps`). */
export const FLAG_FOR_FIELD: Partial<Record<Field, string>> = {
  qdrantUrl: '--qdrant-url',
  qdrantPeerUrls: '--qdrant-peer-urls',
  redisHost: '--redis-host',
  redisPort: '--redis-port',
  redisDb: '--redis-db',
  faissIndexPath: '--index',
  collection: '--collection',
  vectorSize: '--vector-size',
  batchSize: '--batch-size',
  maxMemoryPercent: '--max-memory-percent',
  resumeMode: '--resume',
  concurrency: '--concurrency',
  requestPoints: '--request-points',
  distance: '--distance',
  payloadLayout: '--payload-layout',
  shardNumber: '--shard-number',
  replicationFactor: '--replication-factor',
  writeConsistencyFactor: '--write-consistency-factor',
  writeOrdering: '--write-ordering',
  transport: '--transport',
  qdrantGrpcUrl: '--qdrant-grpc-url',
  stateKey: '--state-key',
  logDir: '--log-dir',
  stateStore: '--state-store',
  dataDir: '--data-dir',
  sharedRun: '--shared',
};

const HINTS: Partial<Record<Field, string>> = {
  qdrantUrl: 'use a URL such as http://localhost:6333',
  qdrantGrpcUrl: "use Qdrant's gRPC URL, e.g. http://localhost:6334 (https for TLS)",
  redisPort: 'use a port number from 1 to 65535',
  redisDb: 'use a database number from 0 to 15',
  vectorSize: "use the index's dimension (or leave it unset)",
  batchSize: 'use a whole number from 1 to 10000 (the seed uses 500)',
  maxMemoryPercent: 'use a percentage of total RAM such as 60 (or 60%, or the fraction 0.6), above 0 and at most 100',
  concurrency: 'use a whole number of requests in flight from 1 to 32',
  requestPoints: 'use a whole number of points per upsert request from 1 to 10000 (default 1000)',
  shardNumber: 'use a whole number from 1 to 1024',
  replicationFactor: 'use a whole number from 1 to 16',
  writeConsistencyFactor: 'use a whole number from 1 to 16',
  collection: 'use letters, digits, "_", "-" and "."',
  faissIndexPath: 'name a FAISS index file or a LangChain/LlamaIndex folder',
  stateStore: 'auto picks Redis when it is configured or answers on localhost:6379, else the embedded store',
};

export interface ConfigSources {
  env?: NodeJS.ProcessEnv;
  /** Path of a JSON config file. */
  file?: string;
  /** Raw flag values by field (strings as typed, or already typed values). */
  flags?: Partial<Record<Field, unknown>>;
  /** Check that the FAISS path exists and is readable (default true). */
  checkPath?: boolean;
}

/** Connection settings and the state key only (status, reset): the FAISS path is not needed. */
export function loadTarget(
  sources: Omit<ConfigSources, 'checkPath'> = {},
): Pick<MigrationConfig, 'qdrantUrl' | 'qdrantApiKey' | 'redisHost' | 'redisPort' | 'redisPassword' | 'redisDb' | 'stateStore' | 'dataDir' | 'collection' | 'stateKey' | 'logDir'> {
  const env = { ...(sources.env ?? {}) };
  if (!env.FAISS_INDEX_PATH && !sources.flags?.faissIndexPath) env.FAISS_INDEX_PATH = '(not needed)';
  const c = loadConfig({ ...sources, env, checkPath: false });
  return {
    qdrantUrl: c.qdrantUrl,
    qdrantApiKey: c.qdrantApiKey,
    redisHost: c.redisHost,
    redisPort: c.redisPort,
    redisPassword: c.redisPassword,
    redisDb: c.redisDb,
    stateStore: c.stateStore,
    dataDir: c.dataDir,
    collection: c.collection,
    stateKey: c.stateKey,
    logDir: c.logDir,
  };
}

interface Origin {
  label: string;
  /** The value as given (secrets are never echoed). */
  shown: string | null;
}

function coerce(field: Field, raw: unknown): { value?: unknown; problem?: string } {
  if (typeof raw !== 'string') return { value: raw };
  const s = raw.trim();
  if (PERCENT_FIELDS.has(field) && s.endsWith('%')) {
    // "60%" is a percentage whatever its size ("0.5%" is half a percent, not half the RAM)
    const n = coerce(field, s.slice(0, -1));
    return n.problem || typeof n.value !== 'number' ? n : { value: n.value / 100 };
  }
  if (NUMBER_FIELDS.has(field)) {
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return { problem: `is not a number` };
    const n = Number(s);
    if (INT_FIELDS.has(field) && !Number.isInteger(n)) return { problem: 'is not a whole number' };
    return { value: n };
  }
  if (BOOL_FIELDS.has(field)) {
    if (/^(true|1|yes|on)$/i.test(s)) return { value: true };
    if (/^(false|0|no|off)$/i.test(s)) return { value: false };
    return { problem: 'is not true or false' };
  }
  const allowed = ENUMS[field];
  if (allowed) {
    const hit = allowed.find((a) => a.toLowerCase() === s.toLowerCase());
    return hit ? { value: hit } : { problem: `is not one of ${allowed.join(', ')}` };
  }
  return { value: s };
}

function show(field: Field, raw: unknown): string | null {
  if ((SECRET_FIELDS as readonly string[]).includes(field)) return null;
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

function line(origin: Origin, problem: string, field: Field): string {
  const head = origin.shown === null ? origin.label : origin.label.startsWith('--') ? `${origin.label} ${origin.shown}` : `${origin.label}=${origin.shown}`;
  const hint = HINTS[field];
  return `${head}: ${problem}${hint ? `; ${hint}` : ''}`;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError('usage', `--config ${path}: cannot read the file (${code ?? 'error'}); pass a readable JSON file`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UserError('usage', `--config ${path}: not valid JSON (${(e as Error).message}); the file holds one JSON object of settings`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UserError('usage', `--config ${path}: must hold one JSON object of settings, e.g. {"batchSize": 500}`);
  }
  return parsed as Record<string, unknown>;
}

const FIELDS = new Set<string>(Object.keys(MigrationConfigSchema.shape));

/** Builds and validates the configuration, or throws one UserError listing every bad value (one per line). */
export function loadConfig(sources: ConfigSources = {}): MigrationConfig {
  const values: Partial<Record<Field, unknown>> = {};
  const origins: Partial<Record<Field, Origin>> = {};
  const problems: string[] = [];
  const put = (field: Field, raw: unknown, label: string) => {
    if (raw === undefined || raw === '') return;
    const origin: Origin = { label, shown: show(field, raw) };
    const { value, problem } = coerce(field, raw);
    origins[field] = origin;
    if (problem) {
      problems.push(line(origin, problem, field));
      delete values[field];
      return;
    }
    values[field] = value;
  };

  if (sources.file) {
    const obj = readConfigFile(sources.file);
    for (const [k, v] of Object.entries(obj)) {
      const field = (FIELDS.has(k) ? k : (ENV_NAMES as Record<string, string>)[k]) as Field | undefined;
      if (!field) {
        problems.push(`--config ${sources.file}: unknown setting "${k}"; use the names of the environment variables or of the config fields (e.g. BATCH_SIZE or batchSize)`);
        continue;
      }
      put(field, v, `${sources.file}: ${k}`);
    }
  }
  const env = sources.env ?? {};
  for (const [name, field] of Object.entries(ENV_NAMES)) put(field as Field, env[name], name);
  for (const [field, v] of Object.entries(sources.flags ?? {})) put(field as Field, v, FLAG_FOR_FIELD[field as Field] ?? field);

  if (values.faissIndexPath === undefined && !problems.some((p) => p.startsWith('FAISS_INDEX_PATH'))) {
    problems.push('FAISS_INDEX_PATH is not set: name the FAISS index file or LangChain/LlamaIndex folder to migrate (FAISS_INDEX_PATH=... or --index PATH)');
  }

  const parsed = MigrationConfigSchema.safeParse(values);
  if (!parsed.success) {
    const reported = new Set<Field>();
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as Field | undefined;
      if (!field) {
        problems.push(issue.message);
        continue;
      }
      // One line per bad value, even when it breaks several rules (e.g. neither a URL nor http(s)).
      if (reported.has(field)) continue;
      reported.add(field);
      if (field === 'faissIndexPath' && values.faissIndexPath === undefined) continue;
      const origin = origins[field] ?? { label: ENV_FOR_FIELD[field] ?? field, shown: show(field, values[field]) };
      let msg = issue.message;
      if (issue.code === 'too_big' || issue.code === 'too_small') msg = 'is out of range';
      else if (issue.code === 'invalid_type') msg = `has the wrong type (${String((issue as { expected?: unknown }).expected)} expected)`;
      else if (field === 'qdrantUrl' || field === 'qdrantGrpcUrl') msg = issue.code === 'invalid_format' && (issue as { format?: unknown }).format === 'regex' ? 'is not an http(s) URL' : 'is not a URL';
      problems.push(line(origin, msg, field));
    }
  }
  if (problems.length > 0) throw new UserError('usage', problems.join('\n'));
  const config = parsed.data!;
  // Redis given by hand (REDIS_HOST or REDIS_PORT, in any source) means Redis, exactly as before the embedded store
  if ((config.stateStore ?? 'auto') === 'auto' && (origins.redisHost || origins.redisPort)) config.stateStore = 'redis';
  if (sources.checkPath !== false) checkReadable(config.faissIndexPath, origins.faissIndexPath?.label ?? 'FAISS_INDEX_PATH');
  return config;
}

/** The source must exist and be readable before anything connects anywhere. */
export function checkReadable(path: string, label = 'FAISS_INDEX_PATH'): void {
  const head = label.startsWith('--') ? `${label} ${path}` : `${label}=${path}`;
  try {
    statSync(path);
  } catch {
    throw new UserError('badInput', `${head}: no such file or folder; name a FAISS index file or a LangChain/LlamaIndex folder`);
  }
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new UserError('badInput', `${head}: not readable by this user; fix its permissions`);
  }
}
