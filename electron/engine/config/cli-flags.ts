/**
 * Command-line flags shared by `run`, `status` and `reset`: each maps to a config field and goes through the engine's
 * config loader (so `--batch-size abc` gets the same one-line reason as `BATCH_SIZE=abc`).
 */
import type { Command } from 'commander';
import type { MigrationConfig } from '../../../shared/contract';

export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'JSON file of settings (field or environment-variable names); env and flags override it')
    .option('--qdrant-url <url>', 'Qdrant REST URL (QDRANT_URL, default http://localhost:6333)')
    .option('--qdrant-peer-urls <urls>', "a cluster's other nodes' REST URLs, comma-separated, for per-replica counts (QDRANT_PEER_URLS)")
    .option('--redis-host <host>', 'Redis host (REDIS_HOST, default localhost)')
    .option('--redis-port <port>', 'Redis port (REDIS_PORT, default 6379)')
    .option('--redis-db <n>', 'Redis database (REDIS_DB, default 0)')
    .option('--collection <name>', 'Qdrant collection (QDRANT_COLLECTION, default xnai_knowledge)')
    .option('--state-key <key>', 'Redis key of the migration state (MIGRATION_STATE_KEY, default xnai:migration:faiss_to_qdrant)')
    .option('--state-store <store>', 'auto, redis or embedded (STATE_STORE, default auto: Redis when configured or answering on localhost:6379)')
    .option('--data-dir <dir>', "the user's data folder: embedded state store, services started for you (DATA_DIR)");
}

export function addRunOptions(cmd: Command): Command {
  return addConnectionOptions(cmd)
    .option('--index <path>', 'FAISS index file or LangChain/LlamaIndex folder (FAISS_INDEX_PATH)')
    .option('--vector-size <n>', "expected dimension, checked against the index's (VECTOR_SIZE)")
    .option('--batch-size <n>', 'points per batch (BATCH_SIZE, default 500)')
    .option('--concurrency <n>', 'upsert requests in flight (CONCURRENCY_FACTOR, default 2)')
    .option('--request-points <n>', 'points per upsert request: whole batches combined up to it (REQUEST_POINTS, default 1000)')
    .option('--max-memory-percent <fraction>', 'memory limit as a fraction of total RAM (MAX_MEMORY_PERCENT, default 0.6)')
    .option('--distance <name>', 'Cosine, Euclid, Dot or Manhattan (DISTANCE, default Cosine)')
    .option('--payload-layout <layout>', 'auto, langchain, llamaindex or raw (PAYLOAD_LAYOUT, default auto)')
    .option('--shard-number <n>', 'shards of a new collection (SHARD_NUMBER)')
    .option('--replication-factor <n>', 'replicas of a new collection (REPLICATION_FACTOR)')
    .option('--write-consistency-factor <n>', 'write consistency of a new collection (WRITE_CONSISTENCY_FACTOR)')
    .option('--write-ordering <ordering>', 'weak, medium or strong (default weak)')
    .option('--transport <transport>', 'auto, grpc or rest: how points travel (TRANSPORT, default auto: gRPC when its port answers)')
    .option('--qdrant-grpc-url <url>', "Qdrant's gRPC URL (QDRANT_GRPC_URL, default QDRANT_URL's host on 6334 when QDRANT_URL is on 6333)")
    .option('--log-dir <dir>', 'folder of migration.log (LOG_DIR, default logs)')
    .option('--no-resume', 'start over instead of resuming the saved state (RESUME_MODE=false)')
    .option('--shared', 'open the run to workers on this or other hosts ("xnai-migrate run --join"; SHARED_RUN=true)');
}

const FLAG_FIELDS: Record<string, keyof MigrationConfig> = {
  qdrantUrl: 'qdrantUrl',
  qdrantPeerUrls: 'qdrantPeerUrls',
  redisHost: 'redisHost',
  redisPort: 'redisPort',
  redisDb: 'redisDb',
  collection: 'collection',
  stateKey: 'stateKey',
  index: 'faissIndexPath',
  vectorSize: 'vectorSize',
  batchSize: 'batchSize',
  concurrency: 'concurrency',
  requestPoints: 'requestPoints',
  maxMemoryPercent: 'maxMemoryPercent',
  distance: 'distance',
  payloadLayout: 'payloadLayout',
  shardNumber: 'shardNumber',
  replicationFactor: 'replicationFactor',
  writeConsistencyFactor: 'writeConsistencyFactor',
  writeOrdering: 'writeOrdering',
  transport: 'transport',
  qdrantGrpcUrl: 'qdrantGrpcUrl',
  logDir: 'logDir',
  stateStore: 'stateStore',
  dataDir: 'dataDir',
  shared: 'sharedRun',
};

/** Only the flags the user typed (commander's defaults must not override the environment). */
export function flagsFrom(cmd: Command): Partial<Record<keyof MigrationConfig, unknown>> {
  const opts = cmd.opts<Record<string, unknown>>();
  const out: Partial<Record<keyof MigrationConfig, unknown>> = {};
  for (const [opt, field] of Object.entries(FLAG_FIELDS)) {
    if (opts[opt] !== undefined && cmd.getOptionValueSource(opt) === 'cli') out[field] = opts[opt];
  }
  if (cmd.getOptionValueSource('resume') === 'cli' && opts.resume === false) out.resumeMode = false;
  return out;
}
