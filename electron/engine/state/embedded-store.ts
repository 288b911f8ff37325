/**
 * `EmbeddedStateStore`: the `StateStore` (./types) in plain files in the user's data folder, for users with no
 * Redis. One folder per migration key, `<data folder>/state/<key>-<hash>/`:
 *
 *   state.json          the current document (the seed's fields) and the current run's failed points, together:
 *                       one checkpoint is one atomic file replacement (./files/atomic-write: temporary file,
 *                       fsync, rename, folder fsync), so SIGKILL or a power cut leaves the old or the new one
 *   lock.json           { holder, expiresAt }: one run at a time; expires unless renewed; a holder whose
 *                       process is gone (./lock-holder) is taken over at once
 *   runs/<run id>/      samples.json, verification.json; state.json and failed.json once another run is
 *                       current (the run history: every run kept until deleted)
 *   collections/<name>.verification.json   verifications of collections no run of ours wrote
 *
 * "Check the lock, then write" is one step, as Redis's Lua scripts make it: lock changes and checkpoints run
 * under a short cross-process mutex (./file-mutex). A file this version cannot read is refused with its path
 * and how to reset it; it is never silently replaced.
 *
 * Why files rather than SQLite: see the README's library table (no native addon to rebuild for Electron, and
 * a checkpoint is one small document).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  FailedPointSchema,
  MigrationStateSchema,
  ProgressSampleSchema,
  VerificationResultSchema,
  type FailedPoint,
  type LockInfo,
  type MigrationState,
  type ProgressSample,
  type VerificationResult,
} from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { parseJson, stringifyJson } from '../../../shared/json';
import { fsyncDir, removeStaleTemps, writeFileAtomic } from '../files/atomic-write';
import { processAlive } from '../services/process';
import { FileMutex } from './file-mutex';
import { holderIsDead } from './lock-holder';
import { SAMPLES_CAP, type LockResult, type StateStore, type StoreAvailability, type VerificationOwner } from './types';

const FORMAT = 'xnai-migrator-state';

const StateFileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  key: z.string(),
  state: MigrationStateSchema,
  /** The failed points of `state.run_id`, by exact FAISS label. */
  failed: z.record(z.string(), FailedPointSchema),
});
type StateFile = z.infer<typeof StateFileSchema>;

const LockFileSchema = z.object({ holder: z.string(), expiresAt: z.number() });
const SamplesFileSchema = z.object({ samples: z.array(ProgressSampleSchema) });
const FailedFileSchema = z.object({ failed: z.record(z.string(), FailedPointSchema) });

/** A file-system-safe, readable and collision-free folder name for a state key. */
export function folderForKey(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `${safe}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

/** The folder of `key`'s state inside the data folder. */
export function embeddedStateDir(dataDir: string, key: string): string {
  return join(dataDir, 'state', folderForKey(key));
}

const runDirName = (runId: string) => runId.replace(/[^A-Za-z0-9._-]+/g, '_');

export class EmbeddedStateStore implements StateStore {
  readonly kind = 'embedded' as const;
  readonly location: string;
  private readonly statePath: string;
  private readonly lockPath: string;
  private readonly mutex: FileMutex;

  private constructor(
    readonly dir: string,
    readonly key: string,
    readonly reason: string,
  ) {
    this.location = `the embedded store in ${dir}`;
    this.statePath = join(dir, 'state.json');
    this.lockPath = join(dir, 'lock.json');
    this.mutex = new FileMutex(join(dir, '.mutex'));
  }

  /** Opens (creating the folder) the store of `key` in `dataDir`; the caller has checked the folder is writable. */
  static async open(dataDir: string, key: string, reason = 'STATE_STORE=embedded'): Promise<EmbeddedStateStore> {
    const dir = embeddedStateDir(dataDir, key);
    await mkdir(join(dir, 'runs'), { recursive: true, mode: 0o700 });
    await removeStaleTemps(dir, processAlive);
    return new EmbeddedStateStore(dir, key, reason);
  }

  // ------------------------------------------------------------ files

  private async readText(path: string): Promise<string | null> {
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new UserError('badInput', `cannot read the state file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}); fix its permissions, or "xnai-migrate reset" to start over`);
    }
  }

  private async readStateFile(): Promise<StateFile | null> {
    const text = await this.readText(this.statePath);
    if (text === null) return null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UserError('badInput', `the state file ${this.statePath} of migration ${this.key} does not hold JSON; "xnai-migrate reset" clears it (the file is damaged: move it away first to keep it)`);
    }
    const parsed = StateFileSchema.safeParse(json);
    if (!parsed.success) {
      const doc = json as { state?: { status?: unknown }; status?: unknown } | null;
      const status = doc?.state?.status ?? doc?.status ?? null;
      throw new UserError(
        'badInput',
        `the state file ${this.statePath} of migration ${this.key} holds a state this version cannot resume (status ${JSON.stringify(status)}, written by another tool or version, or damaged); "xnai-migrate reset" clears it (or move the file away to keep it), or set MIGRATION_STATE_KEY to use another key`,
      );
    }
    return parsed.data;
  }

  /** A JSON file of this store that may be missing; an unreadable one is refused with its path. */
  private async readJsonFile<T>(path: string, schema: z.ZodType<T>): Promise<T | null> {
    const text = await this.readText(path);
    if (text === null) return null;
    let parsed: z.ZodSafeParseResult<T> | null = null;
    try {
      parsed = schema.safeParse(parseJson(text));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) throw new UserError('badInput', `the state file ${path} of migration ${this.key} is damaged or from another version; delete it (or "xnai-migrate reset")`);
    return parsed.data;
  }

  private runDir(runId: string): string {
    return join(this.dir, 'runs', runDirName(runId));
  }

  private async writeRunFile(runId: string, name: string, text: string): Promise<void> {
    const dir = this.runDir(runId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(dir, name), text);
  }

  // ------------------------------------------------------------ the current document

  async readCurrent(): Promise<MigrationState | null> {
    return (await this.readStateFile())?.state ?? null;
  }

  // ------------------------------------------------------------ the lock

  private async readLock(): Promise<z.infer<typeof LockFileSchema> | null> {
    const text = await this.readText(this.lockPath);
    if (text === null) return null;
    try {
      const parsed = LockFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      /* below */
    }
    // a damaged lock protects nothing: it is treated as expired (and replaced by the next run's)
    return { holder: 'unreadable lock', expiresAt: 0 };
  }

  async lockInfo(): Promise<LockInfo | null> {
    const lock = await this.readLock();
    if (!lock) return null;
    const ttl = lock.expiresAt - Date.now();
    if (ttl <= 0) return null;
    return { holder: lock.holder, ttlMs: Math.ceil(ttl) };
  }

  private async writeLock(holder: string, ttlMs: number): Promise<void> {
    await writeFileAtomic(this.lockPath, JSON.stringify({ holder, expiresAt: Date.now() + ttlMs }));
  }

  async acquireLock(holder: string, ttlMs: number): Promise<LockResult> {
    return this.mutex.run(async () => {
      const current = await this.readLock();
      if (!current || current.holder === holder) {
        await this.writeLock(holder, ttlMs);
        return { ok: true, tookOverFrom: null };
      }
      const expired = current.expiresAt <= Date.now();
      if (expired || holderIsDead(current.holder)) {
        await this.writeLock(holder, ttlMs);
        return { ok: true, tookOverFrom: expired ? null : current.holder };
      }
      return { ok: false, holder: current.holder, ttlMs: Math.ceil(current.expiresAt - Date.now()) };
    });
  }

  async renewLock(holder: string, ttlMs: number): Promise<boolean> {
    return this.mutex.run(async () => {
      const current = await this.readLock();
      if (current?.holder !== holder) return false;
      await this.writeLock(holder, ttlMs);
      return true;
    });
  }

  async releaseLock(holder: string): Promise<void> {
    await this.mutex.run(async () => {
      const current = await this.readLock();
      if (current?.holder !== holder) return;
      await rm(this.lockPath, { force: true });
      await fsyncDir(this.dir);
    });
  }

  // ------------------------------------------------------------ checkpoints

  async checkpoint(holder: string, state: MigrationState, failed: readonly FailedPoint[] = [], recovered: readonly string[] = []): Promise<boolean> {
    return this.mutex.run(async () => {
      const lock = await this.readLock();
      if (lock?.holder !== holder) return false;
      const previous = await this.readStateFile();
      let points: Record<string, FailedPoint> = {};
      if (previous && previous.state.run_id === state.run_id) points = previous.failed;
      else {
        if (previous) {
          // another run becomes current: the previous one's record and failed points move into its own
          // folder first (a crash in between leaves them in both places, never in neither)
          await this.writeRunFile(previous.state.run_id, 'failed.json', JSON.stringify({ failed: previous.failed }));
          await this.writeRunFile(previous.state.run_id, 'state.json', JSON.stringify(previous.state));
        }
        // a run resumed from the history brings back the failed points it had
        points = (await this.readJsonFile(join(this.runDir(state.run_id), 'failed.json'), FailedFileSchema))?.failed ?? {};
      }
      for (const f of failed) points[f.faissId] = f;
      for (const label of recovered) delete points[label];
      const file: StateFile = { format: FORMAT, version: 1, key: this.key, state, failed: points };
      await writeFileAtomic(this.statePath, JSON.stringify(file));
      return true;
    });
  }

  // ------------------------------------------------------------ what belongs to one run

  async pushSamples(runId: string, samples: readonly ProgressSample[]): Promise<void> {
    if (samples.length === 0) return;
    const path = join(this.runDir(runId), 'samples.json');
    let all = [...((await this.readJsonFile(path, SamplesFileSchema))?.samples ?? []), ...samples];
    if (all.length > SAMPLES_CAP) {
      // as Redis does: keep every other one, and always the newest
      const halved = all.filter((_, i) => i % 2 === 0);
      if (all.length % 2 === 0) halved.push(all[all.length - 1]!);
      all = halved;
    }
    await this.writeRunFile(runId, 'samples.json', JSON.stringify({ samples: all }));
  }

  async readSamples(runId: string): Promise<ProgressSample[]> {
    return (await this.readJsonFile(join(this.runDir(runId), 'samples.json'), SamplesFileSchema))?.samples ?? [];
  }

  private async failedOf(runId: string): Promise<Record<string, FailedPoint>> {
    const current = await this.readStateFile();
    if (current && current.state.run_id === runId) return current.failed;
    return (await this.readJsonFile(join(this.runDir(runId), 'failed.json'), FailedFileSchema))?.failed ?? {};
  }

  async failedCount(runId: string): Promise<number> {
    return Object.keys(await this.failedOf(runId)).length;
  }

  async readFailed(runId: string, limit = Infinity): Promise<FailedPoint[]> {
    return Object.values(await this.failedOf(runId)).slice(0, limit);
  }

  private verificationPath(of: VerificationOwner): string {
    if ('runId' in of) return join(this.runDir(of.runId), 'verification.json');
    return join(this.dir, 'collections', `${runDirName(of.collection)}.verification.json`);
  }

  async saveVerification(result: VerificationResult): Promise<void> {
    const path = this.verificationPath(result.runId ? { runId: result.runId } : { collection: result.collection });
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, stringifyJson(result));
  }

  async readVerification(of: VerificationOwner): Promise<VerificationResult | null> {
    const text = await this.readText(this.verificationPath(of));
    if (text === null) return null;
    try {
      const parsed = VerificationResultSchema.safeParse(parseJson(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  // ------------------------------------------------------------ run history

  /** The current document when it reads, else null (an unreadable one is the business of readCurrent/reset). */
  private async currentOrNull(): Promise<MigrationState | null> {
    try {
      return (await this.readStateFile())?.state ?? null;
    } catch {
      return null;
    }
  }

  private async readRunFile(dirName: string): Promise<MigrationState | null> {
    const path = join(this.dir, 'runs', dirName, 'state.json');
    const text = await this.readText(path);
    if (text === null) return null;
    let parsed: ReturnType<typeof MigrationStateSchema.safeParse> | null = null;
    try {
      parsed = MigrationStateSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) throw new UserError('badInput', `the run record ${path} of migration ${this.key} is damaged or from another version; "xnai-migrate runs delete ${dirName}" removes it`);
    return parsed.data;
  }

  async listRuns(limit = Infinity): Promise<{ runs: MigrationState[]; unreadable: { runId: string; problem: string }[] }> {
    const current = await this.currentOrNull();
    const runs: MigrationState[] = current ? [current] : [];
    const unreadable: { runId: string; problem: string }[] = [];
    let names: string[] = [];
    try {
      names = await readdir(join(this.dir, 'runs'));
    } catch {
      names = [];
    }
    for (const name of names) {
      if (current && name === runDirName(current.run_id)) continue;
      try {
        const run = await this.readRunFile(name);
        if (run) runs.push(run);
      } catch (e) {
        unreadable.push({ runId: name, problem: (e as Error).message });
      }
    }
    runs.sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0));
    return { runs: runs.slice(0, limit), unreadable };
  }

  async readRun(runId: string): Promise<MigrationState | null> {
    const current = await this.currentOrNull();
    if (current?.run_id === runId) return current;
    return this.readRunFile(runDirName(runId));
  }

  async recordRun(state: MigrationState): Promise<void> {
    await this.mutex.run(() => this.writeRunFile(state.run_id, 'state.json', JSON.stringify(state)));
  }

  async deleteRun(runId: string): Promise<boolean> {
    return this.mutex.run(async () => {
      let existed = false;
      const current = await this.currentOrNull();
      if (current?.run_id === runId) {
        await rm(this.statePath, { force: true });
        existed = true;
      }
      const dir = this.runDir(runId);
      const had = await readdir(dir).then(
        (n) => n.length > 0,
        () => false,
      );
      await rm(dir, { recursive: true, force: true });
      await fsyncDir(this.dir);
      return existed || had;
    });
  }

  // ------------------------------------------------------------ housekeeping

  async reset(): Promise<boolean> {
    return this.mutex.run(async () => {
      let runId: string | null = null;
      let existed = false;
      try {
        const current = await this.readStateFile();
        runId = current?.state.run_id ?? null;
        existed = current !== null;
      } catch {
        existed = true; // an unreadable state file is exactly what reset is for
      }
      await rm(this.statePath, { force: true });
      if (runId) {
        const dir = this.runDir(runId);
        const had = (await this.readText(join(dir, 'samples.json'))) !== null || (await this.readText(join(dir, 'verification.json'))) !== null;
        existed ||= had;
        await rm(dir, { recursive: true, force: true });
      }
      await fsyncDir(this.dir);
      return existed;
    });
  }

  onAvailability(_listener: (change: StoreAvailability) => void): () => void {
    return () => undefined; // files do not come and go like a connection
  }

  async close(): Promise<void> {
    /* nothing is held open between calls */
  }
}
