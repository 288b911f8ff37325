/**
 * `startQdrant(options?)`: a Qdrant for a test, one of three kinds (`qdrant.kind`):
 * - `'stand-in'` (the default, `npm test`): the REST stand-in (this folder) on a free port, held to Qdrant's
 *   OpenAPI document, with fault injection.
 * - `'binary'` (`npm run test:live`, which sets XNAI_TEST_QDRANT=binary): the real Qdrant binary started for
 *   this test by `real-server.ts` on free ports with its own storage; `restart()` is a real SIGKILL and start,
 *   and `qdrant.real` offers `kill()`, `start()` and `freeze(ms)`.
 * - `'external'` (QDRANT_URL set): the server there; nothing is started and `restart()` throws.
 * Against either real server the injected faults (`qdrant.faults.*`) throw "faults need the stand-in", so a
 * test that needs them skips (see `needsStandIn()`).
 *
 *   const qdrant = await startQdrant();
 *   const client = new QdrantClient({ url: qdrant.url, apiKey: qdrant.apiKey });
 *   qdrant.faults.failNext(2, 503, { match: { operation: 'upsert_points' } });
 *   await qdrant.restart();      // a crash: same port, every acknowledged write kept (as Qdrant's WAL keeps them)
 *   await qdrant.stop();
 */
import { StandInServer, type ContractViolation, type StandInOptions } from './server';
import type { FaultController } from './faults';
import { startRealQdrant, type RealQdrant } from './real-server';

export { startRealQdrant, resolveQdrantBin, freePort, freePorts, type RealQdrant, type RealQdrantOptions } from './real-server';

export type { StandInOptions, ContractViolation } from './server';
export type { Match, FaultAction } from './faults';
export { StandInServer } from './server';

export type Faults = Pick<FaultController, 'latency' | 'failNext' | 'failRate' | 'dropNext' | 'stallNext' | 'asyncApplyDelay' | 'optimizing' | 'corruptNextResponse' | 'rejectPoints' | 'down' | 'up' | 'reset'> & {
  /** Requests seen so far (method, path, operationId, status answered; 0 = dropped/stalled). */
  readonly log: FaultController['log'];
};

export interface RestartOptions {
  /** Milliseconds the port stays closed between stop and start (default 0). */
  downMs?: number;
  /**
   * Stand-in only, a fault: lose the acknowledged wait=false writes still queued (see `faults.asyncApplyDelay`),
   * as if Qdrant's WAL tail had not reached the disk. Real Qdrant keeps them across a SIGKILL.
   */
  loseQueued?: boolean;
}

export type QdrantKind = 'stand-in' | 'binary' | 'external';

export interface TestQdrant {
  url: string;
  apiKey?: string;
  kind: QdrantKind;
  isStandIn: boolean;
  /** The Qdrant version it answers as: the real server's `GET /` version, or the stand-in's OpenAPI version. */
  version: string;
  faults: Faults;
  /** Stand-in only: requests/responses that broke the OpenAPI contract (a test may assert it is empty). */
  violations: ContractViolation[];
  /**
   * Stand-in: crash + start on the same port (`lostOperations`: queued writes lost, 0 unless `loseQueued`).
   * Launched binary: SIGKILL + start on the same ports and storage (`lostOperations` undefined: Qdrant's
   * write-ahead log decides). External server: throws.
   */
  restart(opts?: RestartOptions): Promise<{ lostOperations?: number }>;
  stop(): Promise<void>;
  /** The stand-in itself (undefined against a real server), for tests of the stand-in. */
  server?: StandInServer;
  /** The launched binary (kind `'binary'`): kill(), start(), freeze(ms), grpcUrl, storageDir… */
  real?: RealQdrant;
}

export class FaultsNeedStandInError extends Error {
  constructor(what: string) {
    super(`faults need the stand-in: ${what} is not available against a real Qdrant (skip this test when !qdrant.isStandIn)`);
  }
}

/** Which Qdrant `startQdrant()` gives in this process (QDRANT_URL wins, then XNAI_TEST_QDRANT=binary). */
export function qdrantKind(env: NodeJS.ProcessEnv = process.env): QdrantKind {
  if (env.QDRANT_URL) return 'external';
  if (env.XNAI_TEST_QDRANT === 'binary') return 'binary';
  return 'stand-in';
}

/** vitest's test context, as far as skipping goes. */
interface SkipContext {
  skip: (note?: string) => void;
}

/**
 * For a test that needs what only the stand-in can do (an injected fault, a corrupt response, its internals):
 * against a real server it skips, the note saying why (test:live prints one line per skipped test).
 *
 *   it('retries a 503', async (ctx) => { needsStandIn(ctx, 'failNext(503)'); … });
 *   describe('faults', () => { beforeEach((ctx) => needsStandIn(ctx, 'injected faults')); … });
 */
export function needsStandIn(ctx: SkipContext, what: string): void {
  if (qdrantKind() !== 'stand-in') ctx.skip(`needs the stand-in's ${what}, which a real Qdrant cannot produce`);
}

/**
 * For a test that must restart, freeze or configure (API key, size limit) its Qdrant: runs against the stand-in
 * and the launched binary, skips (saying why) against the shared server at QDRANT_URL.
 */
export function needsOwnQdrant(ctx: SkipContext, what: string): void {
  if (qdrantKind() === 'external') ctx.skip(`needs a Qdrant the test starts itself (${what}); the server at QDRANT_URL is not ours to change`);
}

/**
 * Slow a Qdrant down so a run lasts long enough to act on it mid-run (pause it, kill it, restart Redis):
 * - stand-in: every upsert first waits `ms` (`faults.latency`);
 * - launched binary: the server itself runs only in 5 ms slices between `ms`-long stops (`real.throttle`, as
 *   `cpulimit` does), so each request waits up to `ms` and works more slowly;
 * - QDRANT_URL: it cannot be slowed from here, so the test skips, saying so.
 * `qdrant.faults.reset()` undoes it.
 */
export function slowDown(ctx: SkipContext, qdrant: TestQdrant, ms: number): void {
  if (qdrant.kind === 'stand-in') qdrant.faults.latency(ms, { match: { operation: 'upsert_points' } });
  else if (qdrant.real) qdrant.real.throttle({ runMs: 5, stopMs: ms });
  else ctx.skip('needs a Qdrant the test can slow down; the server at QDRANT_URL is not ours to change');
}

function realServerFaults(real?: RealQdrant): Faults {
  const refuse = (name: string) => () => {
    throw new FaultsNeedStandInError(`faults.${name}()`);
  };
  return {
    latency: refuse('latency'),
    failNext: refuse('failNext'),
    failRate: refuse('failRate'),
    dropNext: refuse('dropNext'),
    stallNext: refuse('stallNext'),
    asyncApplyDelay: refuse('asyncApplyDelay'),
    optimizing: refuse('optimizing'),
    corruptNextResponse: refuse('corruptNextResponse'),
    rejectPoints: refuse('rejectPoints'),
    down: () => Promise.reject(new FaultsNeedStandInError('faults.down()')),
    up: () => Promise.reject(new FaultsNeedStandInError('faults.up()')),
    // What a test may have done to a launched server: end a throttle (slowDown).
    reset: () => real?.throttle(null),
    log: [],
  };
}

export async function startQdrant(options: StandInOptions = {}): Promise<TestQdrant> {
  const kind = qdrantKind();
  if (kind === 'external') {
    const url = process.env.QDRANT_URL!.replace(/\/+$/, '');
    const apiKey = process.env.QDRANT_API_KEY || undefined;
    let version = '';
    try {
      const info = (await (await fetch(`${url}/`, { headers: apiKey ? { 'api-key': apiKey } : {} })).json()) as { version?: string };
      version = info.version ?? '';
    } catch {
      /* unreachable: the test's own calls will say so */
    }
    return {
      url,
      apiKey,
      kind,
      isStandIn: false,
      version,
      faults: realServerFaults(),
      violations: [],
      restart: () => Promise.reject(new Error('restart() needs a Qdrant this test started (the stand-in, or the binary via npm run test:live without QDRANT_URL); the server at QDRANT_URL cannot be restarted from here')),
      stop: async () => undefined,
    };
  }
  if (kind === 'binary') {
    const env: Record<string, string> = {};
    if (options.maxRequestSizeMb !== undefined) env.QDRANT__SERVICE__MAX_REQUEST_SIZE_MB = String(options.maxRequestSizeMb);
    const real = await startRealQdrant({ apiKey: options.apiKey, env, httpPort: options.port || undefined });
    return {
      url: real.url,
      apiKey: options.apiKey,
      kind,
      isStandIn: false,
      get version() {
        return real.version;
      },
      faults: realServerFaults(real),
      violations: [],
      restart: async (opts) => {
        if (opts?.loseQueued) throw new FaultsNeedStandInError('restart({ loseQueued })');
        await real.restart(opts);
        return {};
      },
      stop: () => real.stop(),
      real,
    };
  }
  const server = new StandInServer(options);
  await server.listen();
  const f = server.faults;
  const faults: Faults = {
    latency: f.latency.bind(f),
    failNext: f.failNext.bind(f),
    failRate: f.failRate.bind(f),
    dropNext: f.dropNext.bind(f),
    stallNext: f.stallNext.bind(f),
    asyncApplyDelay: f.asyncApplyDelay.bind(f),
    optimizing: f.optimizing.bind(f),
    corruptNextResponse: f.corruptNextResponse.bind(f),
    rejectPoints: f.rejectPoints.bind(f),
    down: f.down.bind(f),
    up: f.up.bind(f),
    reset: f.reset.bind(f),
    get log() {
      return f.log;
    },
  };
  return {
    url: server.url,
    apiKey: options.apiKey,
    kind,
    isStandIn: true,
    version: server.version,
    faults,
    violations: server.violations,
    restart: (opts) => server.restart(opts?.downMs ?? 0, opts?.loseQueued ?? false),
    stop: () => server.close(),
    server,
  };
}
