/**
 * The embedded `StateStore` (files in the data folder): the backend-agnostic contract (./store-contract) plus
 * what only files have: a damaged state file is refused with its path and never replaced, a checkpoint
 * interrupted by SIGKILL leaves the previous or the next document whole, a data folder that cannot be
 * written is one line, and two processes racing for the lock get it once.
 */
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedStateStore, embeddedStateDir } from '../../electron/engine/state/embedded-store';
import { openStateStore } from '../../electron/engine/state/open';
import { makeHolder } from '../../electron/engine/state/lock-holder';
import { describeStateStore, stateFor } from './store-contract';

const root = mkdtempSync(join(tmpdir(), 'xnai-embedded-'));

/** A child-process script bundled once with esbuild (starting tsx per child would take seconds on a busy machine). */
async function bundleScript(name: string, source: string): Promise<string> {
  const entry = join(root, `${name}.ts`);
  writeFileSync(entry, source);
  const outfile = join(root, `${name}.mjs`);
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'esm', logLevel: 'error', nodePaths: [join(process.cwd(), 'node_modules')] });
  return outfile;
}

function runScript(file: string, args: string[], stdin: 'ignore' | 'pipe' = 'ignore') {
  return spawn(process.execPath, [file, ...args], { stdio: [stdin, 'pipe', 'inherit'] });
}

const REPO = process.cwd();
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeStateStore('embedded', async (key) => ({
  store: await EmbeddedStateStore.open(root, key),
  corrupt: async (text) => writeFileSync(join(embeddedStateDir(root, key), 'state.json'), text),
}));

describe('the embedded store on disk', () => {
  it('is chosen when no Redis is configured and nothing answers, and says where and why', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xnai-data-'));
    // port 9 (discard) never answers Redis here; the host is the default, so auto may pick the embedded store
    const store = await openStateStore({ redisHost: 'localhost', redisPort: 6379, redisDb: 0, stateKey: 'xnai:migration:auto', dataDir }, { failFast: true });
    try {
      if (store.kind === 'redis') {
        // something answers on localhost:6379 on this machine: auto rightly picks it
        expect(store.reason).toMatch(/Redis answers on localhost:6379/);
        return;
      }
      expect(store.kind).toBe('embedded');
      expect(store.location).toBe(`the embedded store in ${embeddedStateDir(dataDir, 'xnai:migration:auto')}`);
      expect(store.reason).toBe('no Redis is configured and nothing answers on localhost:6379');
    } finally {
      await store.close();
    }
    const pinned = await openStateStore({ redisHost: 'localhost', redisPort: 6379, redisDb: 0, stateKey: 'k', dataDir, stateStore: 'embedded' });
    expect(pinned.reason).toBe('STATE_STORE=embedded');
  });

  it('refuses a damaged state file with its path and how to reset, and never replaces it', async () => {
    const store = await EmbeddedStateStore.open(root, 'xnai:migration:damaged');
    const file = join(embeddedStateDir(root, 'xnai:migration:damaged'), 'state.json');
    const holder = makeHolder('d');
    await store.acquireLock(holder, 10_000);
    expect(await store.checkpoint(holder, stateFor('d'))).toBe(true);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.slice(0, good.length / 2)); // torn by a broken disk or an editor
    await expect(store.readCurrent()).rejects.toThrow(`the state file ${file} of migration xnai:migration:damaged does not hold JSON; "xnai-migrate reset" clears it`);
    // a checkpoint does not paper over it either
    await expect(store.checkpoint(holder, stateFor('d'))).rejects.toThrow(/does not hold JSON/);
    expect(readFileSync(file, 'utf8')).toBe(good.slice(0, good.length / 2));
    // reset is the way out
    expect(await store.reset()).toBe(true);
    expect(await store.readCurrent()).toBeNull();
  });

  it('a data folder that cannot be written is one line naming it and what to do', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    await expect(openStateStore({ redisHost: 'localhost', redisPort: 6379, redisDb: 0, stateKey: 'k', dataDir: file, stateStore: 'embedded' })).rejects.toThrow(
      `DATA_DIR=${file}: is a file, not a folder; choose a writable folder with DATA_DIR=... (or --data-dir), or fix its permissions`,
    );
    // a folder this user may not write (root may write anywhere but sysfs)
    let locked = join(root, 'read-only');
    if (process.getuid?.() === 0) locked = '/sys/xnai-migrator-test';
    else {
      mkdirSync(locked);
      chmodSync(locked, 0o500);
    }
    await expect(openStateStore({ redisHost: 'localhost', redisPort: 6379, redisDb: 0, stateKey: 'k', dataDir: locked, stateStore: 'embedded' })).rejects.toThrow(
      new RegExp(`^DATA_DIR=${locked}: not writable \\((EACCES|EPERM|EROFS|ENOENT)\\); choose a writable folder`),
    );
  });

  it('SIGKILL in the middle of checkpoints leaves a whole document, never a torn one, and no lost progress', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xnai-kill-'));
    const key = 'xnai:migration:kill';
    // a child process writes checkpoints as fast as it can; it is killed at a random moment each time
    const writer = await bundleScript(
      'checkpoint-writer',
      `
      import { EmbeddedStateStore } from '${REPO}/electron/engine/state/embedded-store';
      import { readFileSync } from 'node:fs';
      import { makeHolder } from '${REPO}/electron/engine/state/lock-holder';
      const [dataDir, key, template] = process.argv.slice(2);
      const base = JSON.parse(readFileSync(template, 'utf8'));
      const store = await EmbeddedStateStore.open(dataDir, key);
      const holder = makeHolder('kill');
      const r = await store.acquireLock(holder, 60000);
      if (!r.ok) { console.error('lock', r); process.exit(3); }
      const start = (await store.readCurrent())?.processed_vectors ?? 0;
      for (let n = start + 1; ; n++) {
        const failed = n % 7 === 0 ? [{ faissId: String(n), pointId: String(n), batch: n, reason: 'x'.repeat(2000) }] : [];
        await store.checkpoint(holder, { ...base, processed_vectors: n, timeline: Array.from({ length: 200 }, (_, i) => ({ at: i, event: 'e' + n })) }, failed);
        // killed only after its first checkpoint: each round must have something to lose
        if (n === start + 1) process.stdout.write('ready\\n');
      }`,
    );
    const template = join(dataDir, 'template.json');
    writeFileSync(template, JSON.stringify(stateFor('kill')));
    let last = 0;
    for (let i = 0; i < 8; i++) {
      const child = runScript(writer, [dataDir, key, template]);
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 30 + Math.random() * 120));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
      const store = await EmbeddedStateStore.open(dataDir, key);
      const state = await store.readCurrent(); // parses: never torn
      expect(state).not.toBeNull();
      expect(state!.processed_vectors).toBeGreaterThanOrEqual(last);
      expect(state!.timeline.every((t) => t.event === `e${state!.processed_vectors}`)).toBe(true);
      last = state!.processed_vectors;
      // the killed writer's lock is taken over at once (its process is gone), not after the 60 s expiry
      const next = await store.acquireLock(makeHolder('after'), 1000);
      expect(next.ok).toBe(true);
      await store.releaseLock(makeHolder('after'));
    }
    expect(last).toBeGreaterThanOrEqual(8); // every round checkpointed at least once before its kill
    // temporary files of killed writers are cleared when the store is opened
    await EmbeddedStateStore.open(dataDir, key);
    expect(readdirSync(embeddedStateDir(dataDir, key)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  }, 60_000);

  it('two processes racing for the lock: exactly one gets it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xnai-race-'));
    const racer = await bundleScript(
      'lock-racer',
      `
      import { EmbeddedStateStore } from '${REPO}/electron/engine/state/embedded-store';
      import { makeHolder } from '${REPO}/electron/engine/state/lock-holder';
      const store = await EmbeddedStateStore.open(process.argv[2], 'race');
      // all four start at the next whole second
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
      const r = await store.acquireLock(makeHolder('racer'), 60000);
      process.stdout.write(JSON.stringify(r.ok) + '\\n');
      // stay alive (holding the lock) until the test has every answer: a racer that exited would leave a
      // lock of a dead process, which a late racer rightly takes over
      process.stdin.resume();
      process.stdin.on('end', () => process.exit(0));`,
    );
    const racers = [1, 2, 3, 4].map(() => runScript(racer, [dataDir], 'pipe'));
    const outs = await Promise.all(
      racers.map(
        (c) =>
          new Promise<string>((resolve) => {
            let out = '';
            c.stdout!.on('data', (d: Buffer) => {
              out += d.toString();
              if (out.endsWith('\n')) resolve(out.trim());
            });
            c.on('close', () => resolve(out.trim()));
          }),
      ),
    );
    await Promise.all(racers.map((c) => new Promise((r) => (c.stdin!.end(), c.once('close', r)))));
    expect(outs.filter((o) => o === 'true').length).toBe(1);
    expect(outs.filter((o) => o === 'false').length).toBe(3);
  }, 60_000);
});
