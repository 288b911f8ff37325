/**
 * The host's handle on the engine process: forks it (through a launcher: utilityProcess in Electron,
 * child_process.fork under Node), talks to it over the RPC layer, and restarts it when it dies. A run that
 * was preparing or running when the engine died is started again with resume, so it continues from the
 * checkpoint in Redis (upserts are idempotent, so at most the in-flight batches are sent twice). A run that
 * was paused stays paused; "resume" on the fresh engine starts it from Redis the same way.
 *
 * Every command from every client (window, WebSocket) goes through `api`, which is how the host knows the
 * configuration of the current run without asking the (possibly dead) engine.
 */
import { TERMINAL_STATUSES, type CommandRequest, type EngineApi, type EngineEvent, type JobStatus } from '../../../shared/contract';
import { ExitCode, isUserError } from '../../../shared/errors';
import { createRpcClient, type RpcClient } from './client';
import { Listeners, type RpcTransport } from './transport';
import { HostMessageSchema } from './wire';

export interface ChildHandle {
  readonly pid: number | undefined;
  readonly transport: RpcTransport;
  /** Exit code, or null with the signal that ended it. Fires once. */
  onExit(listener: (code: number | null, signal: string | null) => void): () => void;
  kill(signal?: NodeJS.Signals): void;
}

export type EngineLauncher = () => ChildHandle;

/** Marks the process as the engine so child.ts starts serving (it is also imported by tests and bundles). */
export const ENGINE_CHILD_ENV = 'XNAI_ENGINE_CHILD';

export interface EngineHostOptions {
  launch: EngineLauncher;
  /** Pause before a restart (a crash loop must not spin the CPU). Default 500 ms. */
  restartDelayMs?: number;
  /** Give up after this many crashes within a minute. Default 5. */
  maxCrashesPerMinute?: number;
  /** How long a resumed run waits for the dead engine's Redis lock to expire. Default 120 s. */
  lockWaitMs?: number;
  /** How long a fresh engine may take to say it is ready. Default 30 s. */
  readyTimeoutMs?: number;
  /** Called with every engine process once it is ready (Electron main hands it the window's port). */
  onChild?: (child: ChildHandle) => void;
}

type RunMethod = 'startRun' | 'retryFailed';
/** How the current run is started again after the engine died: its own command, resuming. */
type RunAgain = { method: RunMethod; config: CommandRequest<'startRun'>['config'] } | { method: 'resumeStoredRun'; request: CommandRequest<'resumeStoredRun'> };
const ACTIVE: readonly JobStatus[] = ['preparing', 'running', 'pausing'];

export class EngineHost {
  readonly api: EngineApi;
  private readonly client: RpcClient;
  private readonly events = new Listeners<[EngineEvent]>();
  private readonly restarted = new Listeners<[number]>();
  private readonly hostEvents = new Listeners<[EngineEvent]>();
  private child: ChildHandle | null = null;
  private stopping = false;
  private crashTimes: number[] = [];
  private status: JobStatus = 'idle';
  private run: RunAgain | null = null;
  private recovering: Promise<void> | null = null;
  private readonly runsSeen = new Set<string>();
  /** Engine processes started so far minus one: how many times it was restarted after dying. */
  restarts = 0;

  constructor(private readonly options: EngineHostOptions) {
    this.client = createRpcClient({ queueWhileDisconnected: true, queueTimeoutMs: (options.readyTimeoutMs ?? 30_000) + 5_000 });
    this.client.onEvent((e) => {
      if (e.type === 'state') {
        this.status = e.status;
        if (e.runId) this.runsSeen.add(e.runId);
      }
      this.events.emit(e);
    });
    const c = this.client.api;
    this.api = {
      ...c,
      startRun: async (req) => {
        const r = await c.startRun(req);
        this.run = { method: 'startRun', config: req.config };
        // A crash before the run's first state event must still count as "in progress".
        if (!this.runsSeen.has(r.runId)) this.status = 'preparing';
        return r;
      },
      retryFailed: async (req) => {
        const r = await c.retryFailed(req);
        this.run = { method: 'retryFailed', config: req.config };
        if (!this.runsSeen.has(r.runId)) this.status = 'preparing';
        return r;
      },
      resumeStoredRun: async (req) => {
        const r = await c.resumeStoredRun(req);
        this.run = { method: 'resumeStoredRun', request: req };
        if (!this.runsSeen.has(r.runId)) this.status = 'preparing';
        return r;
      },
      resumeRun: async (req) => {
        // After a restart the fresh engine has no run in memory: a paused run resumes from Redis.
        const snap = await c.getSnapshot({});
        if (snap.status === 'idle' && this.run && this.status === 'paused') {
          await this.resumeFromRedis();
          return { status: this.status };
        }
        return c.resumeRun(req);
      },
    };
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.events.add(listener);
  }
  /** Only the events the host itself raises (restart notices): a window fed by a direct port needs just these. */
  onHostEvent(listener: (event: EngineEvent) => void): () => void {
    return this.hostEvents.add(listener);
  }
  onConnection(listener: (connected: boolean) => void): () => void {
    return this.client.onConnection(listener);
  }
  /** Fires after the engine was restarted (argument: restarts so far). */
  onRestart(listener: (restarts: number) => void): () => void {
    return this.restarted.add(listener);
  }
  get connected(): boolean {
    return this.client.connected;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
  /** The live engine process (tests kill it to prove recovery). */
  get process(): ChildHandle | null {
    return this.child;
  }
  /** Resolves once an in-progress crash recovery has re-started the run (or given up). */
  async recovered(): Promise<void> {
    await this.recovering;
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.launch();
  }

  /** Ask the engine to stop (it pauses a run cleanly and releases its lock), then wait for it to exit. */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    this.client.close();
    if (!child) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, timeoutMs);
      child.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
    this.child = null;
  }

  private launch(): Promise<void> {
    const child = this.options.launch();
    this.child = child;
    return new Promise((resolve, reject) => {
      let ready = false;
      const readyMs = this.options.readyTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        off();
        child.kill('SIGKILL');
        reject(new Error(`the engine process did not start within ${Math.round(readyMs / 1000)} s`));
      }, readyMs);
      const off = child.transport.onMessage((m) => {
        const host = HostMessageSchema.safeParse(m);
        if (!host.success || !host.data.engineConnected) return;
        clearTimeout(timer);
        off();
        ready = true;
        this.client.attach(child.transport);
        this.options.onChild?.(child);
        resolve();
      });
      child.onExit((code, signal) => {
        clearTimeout(timer);
        off();
        if (this.child === child) this.child = null;
        // Only a process that was serving counts as a crash here; one that never came up fails its launch.
        if (ready) this.onCrash(code, signal);
        else reject(new Error(`the engine process exited before it was ready (${signal ? `signal ${signal}` : `exit code ${code}`}; see its log above)`));
      });
    });
  }

  private emitHost(type: 'log' | 'error', msg: string) {
    const at = Date.now();
    const event: EngineEvent = type === 'log' ? { type: 'log', level: 'warn', msg, at } : { type: 'error', message: msg, code: ExitCode.internal, at };
    this.events.emit(event);
    this.hostEvents.emit(event);
  }

  /** Record a crash; true when there were too many in the last minute to keep trying. */
  private tooManyCrashes(): boolean {
    const now = Date.now();
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < 60_000), now];
    return this.crashTimes.length > (this.options.maxCrashesPerMinute ?? 5);
  }

  private onCrash(code: number | null, signal: string | null) {
    this.client.detach('the engine process exited');
    if (this.stopping) return;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const giveUp = (why: string) =>
      this.emitHost('error', `the engine process keeps stopping (${why}); not restarting it. The run's state in Redis is kept: restart the app to resume.`);
    if (this.tooManyCrashes()) return giveUp(`${how}, ${this.crashTimes.length} times in a minute`);
    const wasActive = this.run !== null && ACTIVE.includes(this.status);
    this.emitHost('log', `the engine process stopped unexpectedly (${how}); restarting it${wasActive ? ' and resuming the run from Redis' : ''}`);
    this.recovering = (async () => {
      for (;;) {
        await new Promise((r) => setTimeout(r, this.options.restartDelayMs ?? 500));
        if (this.stopping) return;
        try {
          await this.launch();
          break;
        } catch (e) {
          if (this.tooManyCrashes()) return giveUp(e instanceof Error ? e.message : String(e));
        }
      }
      this.restarts++;
      this.restarted.emit(this.restarts);
      if (wasActive) await this.resumeFromRedis();
    })();
  }

  /** Start the last run again with resume; waits out the dead engine's lock (exit code 7) while it expires. */
  private async resumeFromRedis(): Promise<void> {
    const run = this.run;
    if (!run) return;
    const deadline = Date.now() + (this.options.lockWaitMs ?? 120_000);
    for (;;) {
      try {
        if (run.method === 'resumeStoredRun') await this.client.api.resumeStoredRun(run.request);
        else await this.client.api[run.method]({ config: { ...run.config, resumeMode: true } });
        this.emitHost('log', 'the run resumed from its checkpoint in Redis');
        return;
      } catch (e) {
        const locked = isUserError(e) && e.exitCode === ExitCode.locked;
        if (!locked || Date.now() > deadline || this.stopping) {
          this.status = 'failed';
          this.emitHost('error', `the run could not be resumed after the engine restart: ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  /** For hosts that track terminal states (tests, CLI). */
  get lastStatus(): JobStatus {
    return this.status;
  }
  get hasActiveRun(): boolean {
    return this.run !== null && !TERMINAL_STATUSES.includes(this.status);
  }
}
