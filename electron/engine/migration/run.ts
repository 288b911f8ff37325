/**
 * One migration run: preflight (source, Qdrant, Redis, lock, state, collection), then N batches in flight
 * from the streaming reader into the PointSink, a checkpoint after every acknowledged batch, pause /
 * resume / cancel, memory throttling and progress. The controller (./index) owns at most one Run.
 *
 * This class is the orchestrator: the state machine (preparing → running ⇄ pausing/paused → an end), the
 * preflight that opens the run's resources, and the scheduling loop. The parts with a job of their own
 * live beside it: the resume decision (./resume-plan), checkpoint writes (./checkpoint-writer), memory
 * throttling (./memory-throttle), --retry-failed (./retry-failed), the stored history (./sample-history),
 * batch → points (./prepare, ./point-slices), points/s and ETA (./progress), failure messages (./errors).
 * The preflight stays here because it records each resource on the Run as soon as it is open, so that a
 * failure half-way (Qdrant down after the source is open, a lock held by another run) still releases
 * exactly what was opened in teardown.
 *
 * Scheduling is a small pull loop of our own rather than p-limit: the loop must stop taking batches on
 * pause or memory pressure while in-flight ones finish, change its concurrency at run time, put abandoned
 * batches back first, and cancel siblings through one AbortController when one batch fails fatally.
 */
import { randomUUID } from 'node:crypto';
import type { QdrantClient } from '@qdrant/js-client-rest';
import {
  redactConfig,
  type EngineEvent,
  type FailedPoint,
  type JobStatus,
  type MemorySample,
  type MigrationConfig,
  type MigrationState,
  type Progress,
  type SourceFingerprint,
  type TimelineEntry,
  type TransportKind,
  type Distance,
  type WorkerRecord,
} from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import type { VectorBatch } from '../faiss/types';
import { resolvePayloadLayout, type ConcretePayloadLayout } from '../payload/index';
import { openSource, type MigrationSource } from '../source/index';
import { checkQdrant, createQdrantClient } from '../qdrant/client';
import { ensureCollection } from '../qdrant/collection';
import { readClusterView } from '../qdrant/cluster';
import { writeWithRecovery } from '../qdrant/recovery';
import { openBulkTransport } from '../qdrant/transport';
import { SinkError, type PointSink, type PreparedPoints } from '../qdrant/types';
import { openStateStore } from '../state/open';
import { makeHolder } from '../state/lock-holder';
import type { SharedRunStore, StateStore } from '../state/types';
import type { MemoryProbe } from '../memory/index';
import { openEngineLog, type EngineLog } from '../logging/index';
import { CheckpointWriter } from './checkpoint-writer';
import { ClusterHold } from './cluster-hold';
import { BatchLedger } from './ledger';
import { MemoryThrottle } from './memory-throttle';
import { Cancelled, classifyError } from './errors';
import { joinPoints, slicePoints, splitBatch } from './point-slices';
import { preparePoints } from './prepare';
import { RateTracker } from './progress';
import { freshState, planResume, resumedState, sameSource } from './resume-plan';
import { SharedRun } from './shared-run';
import { keepRefusedStart } from './run-history';
import { OutageTracker } from './outages';
import { safeUrl } from '../qdrant/rest-reads';
import { requireRun } from '../state/history';
import { retryFailedPoints } from './retry-failed';
import { checkDocumentIds, decideDistance, migrationFieldsNote } from './run-choices';
import { SampleHistory } from './sample-history';
import { withTimeout } from './timeout';

export interface RunDeps {
  /** Build the bulk transport (default: the one TRANSPORT chooses, ../qdrant/transport.ts). */
  sinkFactory?: (config: MigrationConfig) => PointSink;
  memoryProbe?: MemoryProbe;
  /** Lock expiry; renewed every third of it. */
  lockTtlMs?: number;
  /** How long one batch keeps retrying a Qdrant outage before the run fails. */
  outageBudgetMs?: number;
  /** Qdrant's max_request_size_mb in bytes. */
  maxRequestBytes?: number;
  /** Progress events at most this often, ms. */
  progressIntervalMs?: number;
  memoryIntervalMs?: number;
  /** A shared run's batch lease, ms (renewed every third of it; a dead worker's batches go back after it). */
  leaseMs?: number;
  /** A shared run's workers report themselves and read Pause / Resume / Cancel this often, ms. */
  heartbeatMs?: number;
}

type Emit = (e: EngineEvent) => void;

/** The batches one upsert request carries: consecutive ones from the reader, or one lease of a shared run. */
interface RequestGroup {
  numbers: number[];
  batches: VectorBatch[];
}

/** "Batch 4" or "Batches 4, 5": how the log names a request's batches. */
function batchesLabel(numbers: readonly number[]): string {
  return numbers.length === 1 ? `Batch ${numbers[0]}` : `Batches ${numbers.join(', ')}`;
}

const TIMELINE_CAP = 200;

export class Run {
  /** This process's attempt at the run: names the lock's holder, and a new run's id. */
  private readonly sessionId = randomUUID();
  /** The run's id: a resumed run keeps its own (final once the preflight has read the state). */
  get runId(): string {
    return this.state?.run_id ?? this.sessionId;
  }
  status: JobStatus = 'preparing';
  progress: Progress | null = null;
  lastMemory: MemorySample | null = null;
  readonly timeline: TimelineEntry[] = [];
  readonly warnings: string[] = [];
  lastError: string | null = null;
  /** Set when the run ends with an error: the exit code hosts use. */
  exitCode = 0;
  source: MigrationSource | null = null;

  private log: EngineLog | null = null;
  private client: QdrantClient | null = null;
  private store: StateStore | null = null;
  private sink: PointSink | null = null;
  private transportKind: TransportKind | undefined;
  private holder = makeHolder(this.sessionId);
  /** A run of the history to resume (`resumeStoredRun`) instead of the current document's. */
  private resumeRunId: string | null = null;
  private state: MigrationState | null = null;
  private ledger: BatchLedger | null = null;
  private fingerprint: SourceFingerprint | null = null;
  private layout: ConcretePayloadLayout = 'raw';
  /** The run's distance, resolved from DISTANCE (auto by default) in the preflight. */
  private distance: Distance = 'Cosine';
  private rate = new RateTracker(Date.now());
  private lastLatencyMs = 0;
  /** Batches in flight, points per request and the memory pause: adapted to memory samples. */
  private throttle: MemoryThrottle;
  private userPaused = false;
  private cancelled = false;
  private fatal: unknown = null;
  private abort = new AbortController();
  /** Requests in flight, by their first batch's number. */
  private inflight = new Map<number, { batches: VectorBatch[]; abort: AbortController; retrying: boolean }>();
  private requeue: VectorBatch[] = [];
  private wake: (() => void) | null = null;
  private checkpoints: CheckpointWriter;
  private timers: NodeJS.Timeout[] = [];
  private history = new SampleHistory();
  private lastProgressAt = 0;
  private sessionBatches = 0;
  private settledPromise: Promise<JobStatus>;
  private settle!: (s: JobStatus) => void;
  private pausedWaiters: (() => void)[] = [];
  private retryMode = false;
  private pauseEntered = false;
  /** Several workers on one run (./shared-run): this process's part, or null for a run of one process. */
  private shared: SharedRun | null = null;
  private joining = false;
  /** A joined worker leaving (Ctrl-C): it pauses itself only, and says nothing to the document. */
  private leaving = false;
  /** This worker's own points, batches and rate (a shared run's document counts everyone's). */
  private own = { processed: 0, batches: 0, rate: new RateTracker(Date.now()), peakRssMb: 0 };
  private workers: WorkerRecord[] = [];
  /** Into a cluster: holds the run while shards have no live replica (./cluster-hold). */
  private clusterHold: ClusterHold | null = null;
  private disposing = false;
  /** Redis and Qdrant outages the run waits out, in plain sight (./outages). */
  readonly outages: OutageTracker;

  constructor(
    public config: MigrationConfig,
    private readonly emit: Emit,
    private readonly deps: RunDeps = {},
  ) {
    this.throttle = new MemoryThrottle(config, deps.memoryProbe, {
      sampled: (sample) => this.recordMemory(sample),
      mark: (event, detail) => this.mark(event, detail),
      say: (level, msg) => this.say(level, msg),
      released: () => this.poke(),
    });
    this.outages = new OutageTracker({
      emit: (e) => this.emit(e),
      say: (level, msg) => this.say(level, msg),
      mark: (event, detail) => this.mark(event, detail),
      state: () => this.state,
      runId: () => this.runId,
    });
    this.settledPromise = new Promise((r) => (this.settle = r));
    // created now so every path can await a checkpoint; it reads the store and state set by the preflight
    this.checkpoints = new CheckpointWriter({
      store: () => this.store!,
      state: () => this.state!,
      holder: this.holder,
      lockTtlMs: deps.lockTtlMs ?? 30_000,
      onLockRetaken: (message) => this.say('warn', message),
      onWritten: () => this.outages.recovered('redis'),
      sharedCommit: () => (this.shared ? (failed, recovered) => this.commitShared(failed, recovered) : null),
    });
  }

  // ---------------------------------------------------------------- events and bookkeeping

  private setStatus(status: JobStatus, reason?: string): void {
    this.status = status;
    this.emit({ type: 'state', runId: this.runId, status, at: Date.now(), ...(reason ? { reason } : {}) });
  }

  private say(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
    this.log?.logger[level]({ runId: this.runId, ...fields }, msg);
    this.emit({ type: 'log', level, msg, at: Date.now() });
  }

  private mark(event: string, detail?: string): void {
    const entry: TimelineEntry = { at: Date.now(), event, ...(detail ? { detail } : {}) };
    this.timeline.push(entry);
    this.shared?.recordTimeline(entry);
    if (this.state) {
      this.state.timeline.push(entry);
      if (this.state.timeline.length > TIMELINE_CAP) this.state.timeline.splice(1, this.state.timeline.length - TIMELINE_CAP);
    }
  }

  /** Resolves when the run is paused or has ended (the contract's `settled`). */
  settled(): Promise<JobStatus> {
    return this.whenPausedOrEnded();
  }

  /** Resolves when the run is paused or ended. */
  private whenPausedOrEnded(): Promise<JobStatus> {
    if (this.isPausedByUser() || this.isEnded()) return Promise.resolve(this.status);
    return new Promise((resolve) => {
      this.pausedWaiters.push(() => resolve(this.status));
    });
  }

  /** Paused, and not only held by the cluster (that hold ends by itself, so waiters keep waiting). */
  private isPausedByUser(): boolean {
    return this.status === 'paused' && (!this.clusterHold?.held || this.pauseEntered);
  }

  isEnded(): boolean {
    return this.status === 'completed' || this.status === 'failed' || this.status === 'cancelled';
  }

  // ---------------------------------------------------------------- preflight

  async prepare(options: { retryFailed?: boolean; join?: boolean; resumeRunId?: string } = {}): Promise<void> {
    const config = this.config;
    this.retryMode = options.retryFailed === true;
    this.joining = options.join === true;
    this.resumeRunId = options.resumeRunId ?? null;
    this.setStatus('preparing');
    this.log = openEngineLog(config.logDir);
    this.log.addSecrets(config.qdrantApiKey, config.redisPassword);
    this.say('info', `Preparing migration of ${config.faissIndexPath} into ${config.qdrantUrl} collection "${config.collection}"`, { config: redactConfig(config) });
    try {
      if (this.joining) await this.joinPreflight();
      else await this.preflight();
    } catch (e) {
      const err = classifyError(e);
      this.lastError = err.message;
      this.exitCode = err.code;
      this.say('error', err.message);
      await keepRefusedStart(this.store, this.state, this.sessionId, err.message, (m) => this.say('debug', m));
      await this.teardown();
      this.setStatus('failed', err.message);
      this.settle('failed');
      throw err.error;
    }
  }

  private async preflight(): Promise<void> {
    const config = this.config;
    // 1. the source: readable, supported (the dimension the user expects is checked once the history can keep the refusal)
    this.source = await openSource(config.faissIndexPath);
    const summary = this.source.summary.index;
    for (const w of [...summary.warnings, ...this.source.summary.warnings]) this.warn(w);
    if (!summary.exact) this.warn(`${summary.indexType} stores quantized codes: Qdrant receives the decoded approximations, not the original vectors`);
    this.layout = resolvePayloadLayout(config.payloadLayout, this.source.summary.documents?.defaultLayout);
    checkDocumentIds(this.layout, this.source.summary);
    const distance = decideDistance(config, this.source.summary);
    this.distance = distance.distance;
    this.say('info', distance.line);
    if (distance.warning) this.warn(distance.warning);
    this.say('info', migrationFieldsNote(this.layout));
    this.fingerprint = await this.source.fingerprint();

    // 2. Qdrant: reachable, the right key
    this.client = createQdrantClient(config);
    const { version } = await checkQdrant(this.client, config.qdrantUrl);
    this.say('info', `Connected to Qdrant ${version} at ${config.qdrantUrl}`);

    // 3. the state store (Redis) and the lock
    this.store = await openStateStore(config);
    this.outages.watchStore(this.store, `${config.redisHost}:${config.redisPort}`);
    this.say('info', `State: ${this.store.location} (${this.store.reason})`);
    const ttl = this.deps.lockTtlMs ?? 30_000;
    if (config.sharedRun) this.requireSharedStore('a shared run (SHARED_RUN, --shared)');
    const lock = await this.store.acquireLock(this.holder, ttl);
    if (!lock.ok) {
      throw new UserError('locked', `Migration ${config.stateKey} is locked by ${lock.holder}, expires in ${lock.ttlMs === null ? '?' : Math.ceil(lock.ttlMs / 1000)}s: wait for that run to finish, or stop it`);
    }
    if (lock.tookOverFrom) this.say('warn', `Took over the lock left by ${lock.tookOverFrom} (that process no longer exists)`);
    this.timers.push(
      setInterval(() => {
        void this.store?.renewLock(this.holder, ttl).catch(() => undefined);
      }, Math.max(1000, Math.floor(ttl / 3))),
    );

    // 4. state: resume, start over, or refuse
    const total = summary.count;
    const previous = this.resumeRunId ? await requireRun(this.store, this.resumeRunId) : await this.store.readCurrent();
    const now = new Date().toISOString();
    const plan = planResume(previous, config, this.fingerprint, this.retryMode);
    const batchSize = plan.batchSize;
    if (plan.kind === 'resume' && plan.warning) this.warn(plan.warning);
    // a new run never deletes another: the previous one stays in the history
    if (plan.kind === 'fresh' && plan.notice) this.say('info', plan.notice);
    const totalBatches = Math.ceil(total / batchSize);
    if (plan.kind === 'resume') {
      const previous = plan.previous;
      // The payload layout decides point ids: a resumed run writes exactly as the run it continues did.
      if (previous.payload_layout !== this.layout && (['langchain', 'llamaindex', 'raw'] as const).includes(previous.payload_layout as ConcretePayloadLayout)) {
        this.warn(`resuming in the payload layout the run started with (${previous.payload_layout}); PAYLOAD_LAYOUT applies to new runs`);
        this.layout = previous.payload_layout as ConcretePayloadLayout;
      }
      this.state = resumedState(previous, { config, total, totalBatches, now });
      this.ledger = new BatchLedger(previous.watermark, previous.completed_above, totalBatches);
      this.mark(this.retryMode ? 'retry-failed' : previous.status === 'completed' ? 'start' : 'resume', `from batch ${previous.watermark} of ${totalBatches}`);
      if (!this.retryMode && previous.status !== 'completed') this.say('info', `Resuming at batch ${previous.watermark} of ${totalBatches} (${previous.processed_vectors} points already migrated)`);
    } else {
      this.startFresh(total, batchSize, now);
    }
    // a new run refused from here on is kept in the run history as never started (./run-history)
    if (config.vectorSize !== undefined && config.vectorSize !== summary.dimension) {
      throw new UserError('usage', `VECTOR_SIZE=${config.vectorSize} but ${this.source.summary.indexPath} holds ${summary.dimension}-dimensional vectors: set VECTOR_SIZE=${summary.dimension} or leave it unset`);
    }

    // 5. the collection and a look at the vectors' norms
    const setup = await ensureCollection(this.client, { ...config, distance: this.distance, layout: this.layout }, summary.dimension);
    if (setup.created) this.say('info', `Created collection "${config.collection}" (${summary.dimension}-d, ${this.distance}, vectors on disk)`);
    if (setup.created && this.ledger!.doneCount() > 0) {
      // the state says batches are done, but the collection they went to is gone: resuming would skip them
      this.warn(`collection "${config.collection}" did not exist although the saved state counts ${this.state!.processed_vectors} points in it (deleted?): starting over`);
      this.retryMode = false;
      this.startFresh(total, this.state!.batch_size, new Date().toISOString());
    }
    if (setup.indexesCreated.length) this.say('info', `Created payload indexes: ${setup.indexesCreated.join(', ')}`);
    await this.prepareCluster();
    // 6. the bulk transport, then (a shared run) the queue
    await this.openSink(version);
    const share = config.sharedRun && !this.retryMode && !this.ledger!.allDone();
    this.state!.shared = share;
    // written as the lock holder's checkpoint first: from then on the document is the shared run's
    await this.writeState();
    if (share) await this.openShared('seed');
  }

  /** The bulk transport (TRANSPORT): gRPC checks the collection exists, so it is chosen once the collection is there. */
  private async openSink(restVersion: string): Promise<void> {
    const config = this.config;
    if (this.deps.sinkFactory) {
      this.sink = this.deps.sinkFactory(config);
      this.say('info', `Bulk transport: ${this.sink.transport}`);
    } else {
      const bulk = await openBulkTransport(config, { restVersion, maxRequestBytes: this.deps.maxRequestBytes });
      this.sink = bulk.sink;
      this.transportKind = bulk.kind;
      this.state!.transport = bulk.line.replace(/^Bulk transport: /, '');
      this.mark('transport', this.state!.transport);
      this.say('info', bulk.line);
    }
  }

  /** Workers share a run through Redis: a store that cannot be shared (the embedded one) refuses in one line. */
  private requireSharedStore(what: string): SharedRunStore {
    const store = this.store!;
    if (store.shared) return store.shared;
    throw new UserError('usage', `${what} needs Redis for the state (STATE_STORE=redis): ${store.location} cannot be shared by workers on other processes or hosts`);
  }

  /** The seed opens its run to workers, or a worker takes part in one (./shared-run). */
  private async openShared(role: 'seed' | 'worker'): Promise<void> {
    const shared = this.requireSharedStore(role === 'seed' ? 'a shared run (SHARED_RUN, --shared)' : '--join');
    const state = this.state!;
    this.shared = new SharedRun({ store: shared, runId: state.run_id, role, workerId: this.holder, leaseMs: this.deps.leaseMs ?? 30_000 });
    if (role === 'seed') {
      await this.shared.open(state);
      this.say('info', `Shared run ${state.run_id}: other processes that see ${this.source!.summary.indexPath} join it with "xnai-migrate run --join" (same REDIS_* settings and MIGRATION_STATE_KEY)`);
    }
  }

  /**
   * `xnai-migrate run --join`: take part in the shared run under the state key. No lock (the seed holds it) and
   * no state of its own: the source must be the run's (same fingerprint), and the collection, batch size and
   * payload layout are the run's.
   */
  private async joinPreflight(): Promise<void> {
    this.source = await openSource(this.config.faissIndexPath);
    this.fingerprint = await this.source.fingerprint();
    this.client = createQdrantClient(this.config);
    const { version } = await checkQdrant(this.client, this.config.qdrantUrl);
    this.say('info', `Connected to Qdrant ${version} at ${this.config.qdrantUrl}`);
    this.store = await openStateStore(this.config);
    this.outages.watchStore(this.store, `${this.config.redisHost}:${this.config.redisPort}`);
    this.requireSharedStore('--join');
    const doc = await this.store.readCurrent();
    const key = this.config.stateKey;
    if (!doc || !doc.shared || doc.status === 'completed' || doc.status === 'cancelled') {
      const what = !doc ? 'no migration state' : !doc.shared ? `a run (${doc.status}) that is not shared` : `a shared run that is ${doc.status}`;
      throw new UserError('usage', `nothing to join under ${key}: it holds ${what}; start a shared run with "xnai-migrate run --shared" first`);
    }
    if (!sameSource(doc.source, this.fingerprint)) {
      const show = (f: typeof doc.source) => `${f.path}, ${f.size} bytes, modified ${new Date(f.mtimeMs).toISOString()}, header sha256 ${f.headerSha256.slice(0, 16)}`;
      throw new UserError('usage', `this worker's FAISS store differs from the shared run's: the run's is ${show(doc.source)}; this one is ${show(this.fingerprint)}; every worker must see the same store (same file, or a shared filesystem)`);
    }
    this.config = { ...this.config, collection: doc.collection };
    this.layout = doc.payload_layout as ConcretePayloadLayout;
    this.state = doc;
    this.ledger = new BatchLedger(doc.watermark, doc.completed_above, doc.total_batches);
    this.mark('join', `worker ${this.holder}`);
    this.say('info', `Joined shared run ${doc.run_id}: ${doc.processed_vectors} of ${doc.total_vectors} points done, collection "${doc.collection}"`);
    await this.prepareCluster();
    await this.openSink(version);
    await this.openShared('worker');
  }

  /** A shared run's checkpoint: this worker's batches, status and timeline merged into the document. */
  private async commitShared(failed: FailedPoint[], recovered: string[]): Promise<void> {
    const merged = await this.shared!.commit(failed, recovered);
    if (!merged) throw new UserError('usage', `the shared run ${this.shared!.runId} is no longer the state under ${this.config.stateKey} (reset, or restarted by its seed): this worker stops; join again`);
    // the document is the truth: counts, ledger and status follow it
    this.state = merged;
    this.ledger = new BatchLedger(merged.watermark, merged.completed_above, merged.total_batches);
  }

  /**
   * On a cluster: say its shape, keep at least one batch in flight per shard (each shard has its own WAL and
   * update worker, and every batch of sequential ids is spread over all of them), and watch for shards left
   * without a live replica.
   */
  private async prepareCluster(): Promise<void> {
    const config = this.config;
    const view = await readClusterView(config, config.collection, { counts: false }).catch(() => null);
    const c = view?.collection;
    if (!view?.enabled || !c) return;
    const inFlight = Math.min(32, Math.max(config.concurrency, c.shardCount));
    this.throttle.raiseCeiling(inFlight);
    this.say('info', `Qdrant cluster: ${view.peers.length} peers; "${c.name}" has ${c.shardCount} shards, replication factor ${c.replicationFactor ?? 1}, write consistency ${c.writeConsistencyFactor ?? 1}; ${inFlight} requests in flight`);
    this.clusterHold = new ClusterHold({
      read: () => readClusterView(config, config.collection, { counts: false }),
      changed: (reason) => this.clusterChanged(reason),
    });
    if (c.withoutLiveReplica.length > 0) void this.clusterHold.check();
  }

  private clusterChanged(reason: string | null): void {
    if (reason) {
      this.mark('cluster-wait', reason);
      this.say('warn', reason);
      // batches stuck retrying are put back: they are sent again when the shards are back
      for (const entry of this.inflight.values()) if (entry.retrying) entry.abort.abort(new Cancelled());
      if (!this.userPaused && !this.isEnded()) this.setStatus('paused', reason);
      return;
    }
    this.mark('cluster-resume');
    this.say('info', 'Every shard has a live replica again: taking batches again');
    if (!this.userPaused && !this.cancelled && !this.isEnded()) this.setStatus('running');
    this.poke();
  }

  private startFresh(total: number, batchSize: number, now: string): void {
    const totalBatches = Math.ceil(total / batchSize);
    this.state = freshState({ runId: this.sessionId, config: this.config, total, batchSize, now, fingerprint: this.fingerprint!, layout: this.layout, distance: this.distance });
    this.ledger = new BatchLedger(0, [], totalBatches);
    this.mark('start', `${total} vectors in ${totalBatches} batches of ${batchSize}`);
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.say('warn', message);
  }

  // ---------------------------------------------------------------- the loop

  /** Runs to the end (or pause/cancel/failure) in the background; errors end up in the status. */
  execute(): void {
    this.setStatus('running');
    this.rate = new RateTracker(Date.now());
    this.startTimers();
    void this.loop().then(
      () => this.finish(),
      (e) => this.finish(e),
    );
  }

  private startTimers(): void {
    // one sample now: however short the run, its history and peak RSS are recorded
    this.throttle.sample();
    const every = this.deps.progressIntervalMs ?? 250;
    this.timers.push(setInterval(() => this.emitProgress(), every));
    this.timers.push(setInterval(() => this.throttle.sample(), this.deps.memoryIntervalMs ?? 1000));
    this.timers.push(setInterval(() => void this.flushSamples(), 5000));
    // a store that stops answering without closing the connection (a frozen Redis) is an outage too
    this.timers.push(setInterval(() => this.outages.silentStore(this.checkpoints.waitingMs(), `${this.config.redisHost}:${this.config.redisPort}`), 1000));
    if (this.shared) this.timers.push(setInterval(() => void this.heartbeat().catch(() => undefined), this.deps.heartbeatMs ?? 1000));
  }

  /** A shared run's worker: report itself, read the others, and follow Pause / Resume / Cancel given anywhere. */
  private async heartbeat(final?: string): Promise<void> {
    const shared = this.shared!;
    const rssMb = Math.round(process.memoryUsage.rss() / 1048576);
    this.own.peakRssMb = Math.max(this.own.peakRssMb, rssMb);
    this.own.rate.tick(this.own.processed);
    const cpu = process.cpuUsage();
    await shared.report({
      status: final ?? this.status,
      processed: this.own.processed,
      batches: this.own.batches,
      pointsPerSec: Math.round(this.own.rate.pointsPerSec()),
      rssMb,
      peakRssMb: this.own.peakRssMb,
      cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    });
    if (final) return;
    this.workers = await shared.workers();
    const control = await shared.control();
    if (this.isEnded() || this.leaving || this.status === 'preparing') return;
    if (control === 'pause' && !this.userPaused) void this.pause(true);
    else if (control === 'run' && this.userPaused && this.pauseEntered) void this.resume(true);
    else if (control === 'cancel' && !this.cancelled) void this.cancel(true);
  }

  /** The seed's status of the document; in a shared run merged with the others' (./shared-run). */
  private setDocStatus(status: MigrationState['status']): void {
    this.state!.status = status;
    if (!this.leaving) this.shared?.recordStatus(status);
  }

  private async loop(): Promise<void> {
    const source = this.source!;
    const ledger = this.ledger!;
    const bs = this.state!.batch_size;
    if (this.retryMode) return this.retryLoop();
    if (this.shared) return this.sharedLoop();
    if (ledger.allDone()) return;
    // one read per request: REQUEST_POINTS worth of whole batches, split into batches that share its memory
    const perRead = Math.max(1, Math.floor(this.config.requestPoints / bs));
    const iterator = source.index.batches({ batchSize: bs * perRead, start: ledger.watermark * bs })[Symbol.asyncIterator]();
    const ahead: VectorBatch[] = [];
    let exhausted = false;
    try {
      await this.schedule(async () => {
        // as many batches as one request takes (REQUEST_POINTS, lowered under memory pressure), put-back ones first
        const group: RequestGroup = { numbers: [], batches: [] };
        const wanted = Math.max(1, Math.floor(this.throttle.requestPoints / bs));
        while (group.batches.length < wanted) {
          let batch = this.requeue.shift() ?? ahead.shift();
          if (!batch && !exhausted) {
            const next = await iterator.next();
            if (next.done) exhausted = true;
            else {
              ahead.push(...splitBatch(next.value, bs));
              batch = ahead.shift();
            }
          }
          if (!batch) break;
          const number = Math.floor(batch.start / bs);
          if (ledger.isDone(number)) continue;
          group.numbers.push(number);
          group.batches.push(batch);
        }
        if (group.batches.length > 0) return group;
        return this.inflight.size === 0 ? 'end' : { idleMs: null };
      });
    } finally {
      await iterator.return?.();
    }
  }

  /** A shared run: batches come from the queue as leases; the loop ends when the document says all are done. */
  private sharedLoop(): Promise<void> {
    const shared = this.shared!;
    const bs = this.state!.batch_size;
    return this.schedule(async () => {
      for (;;) {
        // one batch per request: each is a lease of its own, completed on its own
        const batch = this.requeue.shift();
        if (batch) return { numbers: [Math.floor(batch.start / bs)], batches: [batch] };
        const lease = await shared.take();
        if (lease === null) return this.inflight.size === 0 && (await this.sharedDrained()) ? 'end' : { idleMs: 250 };
        const n = lease.batch;
        if (lease.handedBack) this.say('info', `Batch ${n}: its lease expired (its worker stopped answering); this worker takes it over`);
        // already counted (its lease expired while its worker was only slow): nothing to redo
        if (!this.ledger!.isDone(n)) return { numbers: [n], batches: [await this.source!.index.readRange(n * bs, bs)] };
        await shared.done(n);
      }
    });
  }

  /**
   * The scheduling loop both kinds of run share: wait for a slot (not paused, not over memory, the cluster not
   * holding, fewer than `concurrency` requests in flight), take the next request's batches from `next`, send
   * them; `idleMs` waits for a request to finish (or that long), `end` stops. On a fatal failure or a cancel
   * the siblings are aborted; the others finish.
   */
  private async schedule(next: () => Promise<RequestGroup | { idleMs: number | null } | 'end'>): Promise<void> {
    const workers = new Set<Promise<void>>();
    while (!this.fatal && !this.cancelled) {
      while (!this.fatal && !this.cancelled && (this.userPaused || this.throttle.paused || this.clusterHold?.held || this.inflight.size >= this.throttle.concurrency)) {
        if (this.userPaused && this.inflight.size === 0 && !this.pauseEntered) this.enterPaused();
        await new Promise<void>((r) => (this.wake = r));
      }
      if (this.fatal || this.cancelled) break;
      const item = await next();
      if (item === 'end') break;
      if ('idleMs' in item) {
        const ms = item.idleMs;
        await new Promise<void>((r) => {
          const t = ms === null ? null : setTimeout(r, ms);
          this.wake = () => {
            if (t) clearTimeout(t);
            r();
          };
        });
        continue;
      }
      const p = this.runRequest(item).finally(() => {
        workers.delete(p);
        this.poke();
      });
      workers.add(p);
    }
    if (this.fatal || this.cancelled) this.abort.abort(new Cancelled());
    await Promise.allSettled([...workers]);
    if (this.fatal) throw this.fatal;
  }

  /** Nothing waiting and nothing in flight here: is the whole run done (or cancelled elsewhere)? */
  private async sharedDrained(): Promise<boolean> {
    const doc = await this.store!.readCurrent();
    if (!doc || doc.run_id !== this.shared!.runId) {
      throw new UserError('usage', `the shared run ${this.shared!.runId} is no longer the state under ${this.config.stateKey} (reset, or restarted by its seed): this worker stops; join again`);
    }
    this.state = doc;
    this.ledger = new BatchLedger(doc.watermark, doc.completed_above, doc.total_batches);
    if (doc.status === 'cancelled') {
      this.cancelled = true;
      return true;
    }
    return this.shared!.drained(doc);
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Sends one request's batches (in slices when memory is short), then checkpoints each of them. */
  private async runRequest({ numbers, batches }: RequestGroup): Promise<void> {
    const abort = new AbortController();
    const onAbort = () => abort.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener('abort', onAbort, { once: true });
    const entry = { batches, abort, retrying: false };
    const key = numbers[0]!;
    const label = batchesLabel(numbers);
    this.inflight.set(key, entry);
    const started = Date.now();
    try {
      const prepared = joinPoints(batches.map((b, i) => this.preparePoints(numbers[i]!, b)));
      const count = prepared.ids.length;
      const failed: FailedPoint[] = [];
      // the request size shrinks under memory pressure; the checkpoint unit (the batch) never changes
      const step = Math.max(1, Math.min(this.throttle.requestPoints, count));
      for (let from = 0; from < count; from += step) {
        const part = from === 0 && step >= count ? prepared : slicePoints(prepared, from, Math.min(count, from + step));
        const result = await writeWithRecovery(this.sink!, part, {
          signal: abort.signal,
          outageBudgetMs: this.deps.outageBudgetMs,
          onRetry: ({ attempt, delayMs, error }) => {
            entry.retrying = true;
            this.outages.waiting('qdrant', safeUrl(this.config.qdrantUrl), error.message, Date.now() + delayMs);
            if (attempt === 1 || attempt % 5 === 0) this.say('warn', `${label}: ${error.message}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt})`);
            // a pause during an outage does not wait for it to end: the batch is put back for later
            if (this.userPaused || this.cancelled || this.clusterHold?.held) abort.abort(new Cancelled());
            else void this.clusterHold?.check();
          },
        });
        entry.retrying = false;
        this.outages.recovered('qdrant');
        failed.push(...result.failed);
      }
      this.lastLatencyMs = Date.now() - started;
      for (const f of failed) this.say('warn', `Point ${f.pointId} (FAISS id ${f.faissId}) failed: ${f.reason}`);
      // every batch of the request is acknowledged: each is counted once, with its own failed points
      await Promise.all(numbers.map((n, i) => this.complete(n, batches[i]!.count, failed.filter((f) => f.batch === n))));
    } catch (e) {
      if (e instanceof Cancelled || abort.signal.aborted) {
        // abandoned, not failed: they are redone after a resume (now or in a later run)
        if (!this.cancelled && !this.fatal) this.requeue.push(...batches);
        return;
      }
      if (!this.fatal) {
        this.fatal = e instanceof SinkError ? new UserError('connection', `Failed to upsert ${label.toLowerCase()}: ${e.message}`) : e;
      }
      this.poke();
    } finally {
      this.abort.signal.removeEventListener('abort', onAbort);
      this.inflight.delete(key);
    }
  }

  private preparePoints(number: number, batch: VectorBatch): PreparedPoints {
    return preparePoints(number, batch, this.layout, this.source!.documents);
  }

  /** Records an acknowledged batch and waits until a checkpoint that includes it is in Redis. */
  private complete(number: number, count: number, failed: FailedPoint[]): Promise<void> {
    if (this.shared) {
      const shared = this.shared;
      shared.recordBatch(number, count - failed.length, failed.length);
      this.own.processed += count - failed.length;
      this.own.batches++;
      this.sessionBatches++;
      // the lease is completed only once the document counts the batch
      return this.writeState(failed).then(() => shared.done(number));
    }
    const state = this.state!;
    const ledger = this.ledger!;
    if (ledger.complete(number)) {
      state.processed_vectors += count - failed.length;
      state.failed_vectors += failed.length;
      state.batches_processed = ledger.doneCount();
      state.last_batch_id = number;
      this.sessionBatches++;
    }
    state.watermark = ledger.watermark;
    state.completed_above = ledger.completedAbove();
    return this.writeState(failed);
  }

  /** Resolves once a checkpoint including the state as it is now (and these points) is in Redis. */
  private writeState(failed: FailedPoint[] = [], recovered: string[] = []): Promise<void> {
    return this.checkpoints.write(failed, recovered);
  }

  /** `--retry-failed`: only the recorded failed points, batch by batch (./retry-failed). */
  private retryLoop(): Promise<void> {
    return retryFailedPoints({
      store: this.store!,
      source: this.source!,
      sink: this.sink!,
      state: () => this.state!,
      prepare: (number, batch) => this.preparePoints(number, batch),
      signal: this.abort.signal,
      outageBudgetMs: this.deps.outageBudgetMs,
      onRetry: ({ delayMs, error }) => this.outages.waiting('qdrant', safeUrl(this.config.qdrantUrl), error.message, Date.now() + delayMs),
      onWritten: () => this.outages.recovered('qdrant'),
      stopped: () => this.cancelled || Boolean(this.fatal),
      say: (level, msg) => this.say(level, msg),
      checkpoint: (failed, recovered) => this.writeState(failed, recovered),
    });
  }

  // ---------------------------------------------------------------- progress, memory, samples

  private currentProgress(): Progress {
    const state = this.state;
    const processed = state?.processed_vectors ?? 0;
    this.rate.tick(processed);
    const total = state?.total_vectors ?? 0;
    const failed = state?.failed_vectors ?? 0;
    return {
      runId: this.runId,
      processed,
      failed,
      total,
      batchesDone: this.ledger?.doneCount() ?? 0,
      batchesTotal: state?.total_batches ?? 0,
      pointsPerSec: Math.round(this.rate.pointsPerSec()),
      etaSeconds: this.sessionBatches >= 2 ? this.rate.etaSeconds(Math.max(0, total - processed - failed)) : null,
      batchLatencyMs: this.lastLatencyMs,
      concurrency: this.throttle.concurrency,
      batchSize: state?.batch_size ?? this.config.batchSize,
      rssMb: Math.round(process.memoryUsage.rss() / 1048576),
      elapsedMs: this.rate.elapsedMs(),
      at: Date.now(),
      transport: this.transportKind,
      ...(this.shared ? { workers: this.workers } : {}),
    };
  }

  private emitProgress(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastProgressAt < (this.deps.progressIntervalMs ?? 250) * 0.8) return;
    this.lastProgressAt = now;
    this.progress = this.currentProgress();
    this.emit({ type: 'progress', progress: this.progress });
  }

  /** Every memory sample: the snapshot's last one, the memory event, and a point of the stored history. */
  private recordMemory(s: MemorySample): void {
    this.lastMemory = s;
    if (this.state) this.state.peak_rss_mb = Math.max(this.state.peak_rss_mb ?? 0, s.rssMb);
    this.emit({ type: 'memory', sample: s });
    this.history.record(s, this.progress);
  }

  private flushSamples(): Promise<void> {
    if (this.shared?.role === 'worker') return Promise.resolve(); // the run's history is the seed's
    return this.history.flush(this.store, this.state?.run_id ?? this.runId, (msg) => this.say('debug', msg));
  }

  // ---------------------------------------------------------------- control

  /** Pauses every worker of a shared run (`fromControl`: this worker only follows the run's control word). */
  pause(fromControl = false): Promise<JobStatus> {
    if (this.isPausedByUser() || this.isEnded()) return Promise.resolve(this.status);
    if (this.shared && !fromControl && !this.leaving) void this.shared.setControl('pause').catch(() => undefined);
    if (this.status === 'preparing') {
      // paused as soon as the loop starts (after the preflight), before any batch is sent
      this.userPaused = true;
      return this.whenPausedOrEnded();
    }
    this.userPaused = true;
    if (!this.clusterHold?.held) this.setStatus('pausing');
    this.say('info', `Pausing: ${this.inflight.size} requests in flight finish first`);
    // batches stuck retrying an outage are put back rather than waited for
    for (const entry of this.inflight.values()) if (entry.retrying) entry.abort.abort(new Cancelled());
    this.poke();
    return this.whenPausedOrEnded();
  }

  private enterPaused(): void {
    if (this.pauseEntered) return;
    this.pauseEntered = true;
    this.rate.pause();
    this.mark('pause');
    this.setDocStatus('paused');
    void this.writeState().then(
      () => {
        this.setStatus('paused');
        this.emitProgress(true);
        this.say('info', `Paused at ${this.state!.processed_vectors} of ${this.state!.total_vectors} points (batch ${this.ledger!.watermark} of ${this.state!.total_batches}); resume continues from here`);
        for (const w of this.pausedWaiters.splice(0)) w();
      },
      (e) => {
        this.fatal ??= e;
        this.poke();
      },
    );
  }

  async resume(fromControl = false): Promise<JobStatus> {
    if (this.status !== 'paused' && this.status !== 'pausing') return this.status;
    if (this.shared && !fromControl) await this.shared.setControl('run');
    this.userPaused = false;
    this.pauseEntered = false;
    this.rate.resume();
    this.mark('resume');
    this.setDocStatus('in_progress');
    await this.writeState();
    if (this.clusterHold?.reason) this.setStatus('paused', this.clusterHold.reason);
    else this.setStatus('running');
    this.poke();
    return this.status;
  }

  async cancel(fromControl = false): Promise<JobStatus> {
    if (this.isEnded()) return this.status;
    if (this.shared && !fromControl) await this.shared.setControl('cancel').catch(() => undefined);
    this.cancelled = true;
    this.userPaused = false;
    this.abort.abort(new Cancelled());
    this.poke();
    await this.settledPromise;
    return this.status;
  }

  // ---------------------------------------------------------------- the end

  private async finish(error?: unknown): Promise<void> {
    const state = this.state!;
    let status: JobStatus;
    if (error || this.fatal) {
      const err = classifyError(error ?? this.fatal);
      this.lastError = err.message;
      this.exitCode = err.code;
      status = 'failed';
      this.setDocStatus('failed');
      state.error = err.message;
      this.mark('failed', err.message);
      this.say('error', err.message);
      this.emit({ type: 'error', message: err.message, code: err.code, at: Date.now() });
    } else if (this.cancelled && this.disposing) {
      // shut down while paused: the state stays paused and resumable
      status = 'paused';
      this.setDocStatus('paused');
      this.exitCode = 130;
    } else if (this.cancelled) {
      status = 'cancelled';
      this.setDocStatus('cancelled');
      this.mark('cancelled');
      this.exitCode = 130;
      this.say('info', `Cancelled at ${state.processed_vectors} of ${state.total_vectors} points; run again to resume`);
    } else {
      status = 'completed';
      this.setDocStatus('completed');
      state.completed_at ??= new Date().toISOString();
      if (this.retryMode) state.completed_at = new Date().toISOString();
      this.mark('end', `${state.processed_vectors} migrated, ${state.failed_vectors} failed`);
      this.exitCode = state.failed_vectors > 0 ? 6 : 0;
      this.say('info', `Migration completed: ${state.processed_vectors} points migrated, ${state.failed_vectors} failed`);
    }
    this.outages.closeAll();
    // the last sample and progress: a run shorter than a sampling interval still has both
    this.emitProgress(true);
    this.throttle.sample();
    try {
      await this.writeState();
    } catch (e) {
      this.say('error', `final state not written: ${(e as Error).message}`);
    }
    if (this.shared) {
      const s = this.state!;
      if (status === 'completed') this.say('info', `Shared run: ${s.processed_vectors} of ${s.total_vectors} points in all; this worker wrote ${this.own.processed} in ${this.own.batches} batches`);
      await this.heartbeat(status === 'paused' && this.leaving ? 'left' : status).catch(() => undefined);
    }
    this.emitProgress(true);
    await this.flushSamples();
    await this.teardown();
    this.setStatus(status, status === 'failed' ? (this.lastError ?? undefined) : undefined);
    for (const w of this.pausedWaiters.splice(0)) w();
    this.settle(status);
  }

  private async teardown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.clusterHold?.stop();
    try {
      if (this.store) await withTimeout(this.store.releaseLock(this.holder), 2000);
    } catch {
      // the lock expires by itself
    }
    await this.shared?.close().catch(() => undefined);
    await this.store?.close().catch(() => undefined);
    await this.sink?.close().catch(() => undefined);
    await this.source?.close().catch(() => undefined);
    this.log?.close();
  }

  /** For process shutdown: pause cleanly when running, then release everything. */
  async dispose(): Promise<void> {
    // a worker of a shared run leaves it (its in-flight batches finish); the others go on
    if (this.shared?.role === 'worker') this.leaving = true;
    if (this.status === 'running' || this.status === 'pausing') await this.pause();
    if (this.status === 'paused') {
      this.disposing = true;
      this.cancelled = true;
      this.poke();
      // the loop exits on `cancelled`; mark the state paused (not cancelled) so it reads as resumable
      await this.settledPromise;
    }
  }
}
