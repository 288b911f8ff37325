/**
 * "Start Qdrant for me" through the product, with the real Qdrant binary (`../shared/qdrant/bin/qdrant` as
 * QDRANT_BIN) and no Redis at all: `xnai-migrate run --start-services` starts it on loopback with its storage
 * in the data folder, migrates into it, says what it started, where its data is and how to stop it, and stops
 * it at the end; `services start` brings the same data back; a taken port is replaced and shown; the engine
 * the UI talks to stops what it started when it is disposed, unless kept; bad QDRANT_BIN and data folders are
 * one line each.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService } from '../../electron/engine/handlers';
import { processAlive } from '../../electron/engine/services/process';
import { anyFreePort, answersTcp } from '../../electron/engine/services/ports';
import { bundleCli, runCli } from '../engine/support/cli';
import { writeFlatIndex } from '../engine/support/flat-index';
import { countPoints } from '../engine/support/qdrant-read';

const QDRANT_BIN = resolve('../shared/qdrant/bin/qdrant');
const haveQdrant = existsSync(QDRANT_BIN);
if (!haveQdrant) process.stdout.write(`local-qdrant.test.ts: skipped, no Qdrant binary at ${QDRANT_BIN}\n`);

let cli: string;
let work: string;
let index: string;
const COUNT = 3000;

beforeAll(async () => {
  if (!haveQdrant) return;
  cli = await bundleCli();
  work = mkdtempSync(join(tmpdir(), 'xnai-local-qdrant-'));
  index = join(work, 'index.faiss');
  writeFlatIndex(index, COUNT, 16);
}, 120_000);
// every Qdrant a test saw started: killed at the end even when an assertion failed half-way
const seen = new Set<number>();
afterAll(() => {
  for (const pid of seen) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  if (work) rmSync(work, { recursive: true, force: true });
});

const pidOf = (text: string) => {
  const pid = Number(/\(pid (\d+)\)/.exec(text)?.[1]);
  if (pid) seen.add(pid);
  return pid;
};

describe.skipIf(!haveQdrant)('a local Qdrant started for the user', () => {
  it('run --start-services with no Redis: starts Qdrant from QDRANT_BIN, migrates into it, shows where, stops it; services start brings the data back', async () => {
    const dataDir = join(work, 'data-run');
    const port = await anyFreePort();
    const env = { QDRANT_BIN, DATA_DIR: dataDir, QDRANT_URL: `http://localhost:${port}`, FAISS_INDEX_PATH: index, QDRANT_COLLECTION: 'local', DISTANCE: 'Euclid', STATE_STORE: 'embedded' };

    // without --start-services (and no terminal to ask on) the run fails with its one line, which now says how
    const refused = await runCli(cli, ['run'], env, work);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toBe(`xnai-migrate: Qdrant at http://localhost:${port} cannot be reached: nothing is listening there: start Qdrant, or fix QDRANT_URL if it runs elsewhere (ECONNREFUSED); --start-services starts one from ${QDRANT_BIN} (data in ${dataDir})\n`);

    const r = await runCli(cli, ['run', '--start-services'], env, work);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Started Qdrant 1\\.\\d+\\.\\d+ from ${QDRANT_BIN} at http://127\\.0\\.0\\.1:${port} \\(pid \\d+\\)$`, 'm'));
    expect(r.stdout).toContain(`  data: ${join(dataDir, 'qdrant')}\n  log: ${join(dataDir, 'qdrant', 'qdrant.log')}\n  stops when this command quits; stop it sooner with: xnai-migrate services stop qdrant\n`);
    expect(r.stdout).toMatch(/^State: the embedded store in .*\/state\/xnai_migration_faiss_to_qdrant-[0-9a-f]{8} \(STATE_STORE=embedded\)$/m);
    expect(r.stdout).toContain(`Migrated ${COUNT} of ${COUNT} points into collection "local"`);
    expect(r.stdout).toContain(`Stopped Qdrant at http://127.0.0.1:${port}; its data stays in ${join(dataDir, 'qdrant')}`);
    // it is gone: process and port
    expect(processAlive(pidOf(r.stdout))).toBe(false);
    expect(await answersTcp('127.0.0.1', port)).toBe(false);

    // the state is in the data folder, and status says so
    const status = await runCli(cli, ['status'], env, work);
    expect(status.stdout).toMatch(/^Migration xnai:migration:faiss_to_qdrant: completed$/m);
    expect(status.stdout).toMatch(/^ {2}store: +the embedded store in .* \(STATE_STORE=embedded\)$/m);

    // started again (kept) on the same storage: the points are there
    const again = await runCli(cli, ['services', 'start', 'qdrant', '--port', String(port)], env, work);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('kept running after xnai-migrate quits; stop it with: xnai-migrate services stop qdrant');
    expect(await countPoints(`http://127.0.0.1:${port}`, 'local')).toBe(COUNT);
    const listed = await runCli(cli, ['services'], env, work);
    expect(listed.stdout).toMatch(new RegExp(`Using the Qdrant 1\\.\\d+\\.\\d+ already running at http://127\\.0\\.0\\.1:${port} \\(pid ${pidOf(again.stdout)}\\)`));
    // a run with --start-services finds it answering: nothing is started, and nothing stopped afterwards
    const reuse = await runCli(cli, ['run', '--start-services'], env, work);
    expect(reuse.code, reuse.stderr).toBe(0);
    expect(reuse.stdout).not.toMatch(/Started Qdrant|Stopped Qdrant/);
    expect(processAlive(pidOf(again.stdout))).toBe(true);

    const stop = await runCli(cli, ['services', 'stop'], env, work);
    expect(stop.stdout).toBe(`Stopped Qdrant at http://127.0.0.1:${port}; its data stays in ${join(dataDir, 'qdrant')}\n`);
    expect(processAlive(pidOf(again.stdout))).toBe(false);
    expect((await runCli(cli, ['services', 'stop', 'qdrant'], env, work)).stdout).toBe(`No Qdrant started by xnai-migrate is running (data folder ${dataDir})\n`);
  }, 180_000);

  it('a port already taken: another is chosen and shown', async () => {
    const taken = await anyFreePort();
    const squatter: Server = createServer(() => undefined);
    await new Promise<void>((r) => squatter.listen(taken, '127.0.0.1', r));
    const env = { QDRANT_BIN, DATA_DIR: join(work, 'data-port') };
    try {
      const r = await runCli(cli, ['services', 'start', 'qdrant', '--port', String(taken)], env, work);
      expect(r.code, r.stderr).toBe(0);
      pidOf(r.stdout);
      const chosen = Number(/ at http:\/\/127\.0\.0\.1:(\d+) /.exec(r.stdout)?.[1]);
      expect(chosen).not.toBe(taken);
      expect(r.stdout).toContain(`  port ${taken} was taken: Qdrant listens on ${chosen}\n`);
      expect(r.stdout).toContain(`  later commands: QDRANT_URL=http://127.0.0.1:${chosen}\n`);
      expect(await answersTcp('127.0.0.1', chosen)).toBe(true);
    } finally {
      squatter.close();
      await runCli(cli, ['services', 'stop'], env, work);
    }
  }, 60_000);

  it('the engine behind the UI stops what it started when the app quits, unless the user keeps it', async () => {
    const dataDir = join(work, 'data-ui');
    const engine = createEngineService({ env: { ...process.env, QDRANT_BIN, DATA_DIR: dataDir } });
    const view = await engine.handlers.getLocalServices({});
    expect(view).toMatchObject({ dataDir, startQdrantVia: 'binary', qdrantBinary: { path: QDRANT_BIN, from: 'QDRANT_BIN' }, running: [] });
    const started = await engine.handlers.startLocalService({ service: 'qdrant', keep: false });
    seen.add(started.service.pid!);
    expect(started.reused).toBe(false);
    expect(started.lines[0]).toMatch(new RegExp(`^Started Qdrant 1\\.\\d+\\.\\d+ from ${QDRANT_BIN} at http://127\\.0\\.0\\.1:\\d+ \\(pid ${started.service.pid}\\)$`));
    expect(started.lines).toContain('  stops when the app quits; stop it sooner with: xnai-migrate services stop qdrant');
    expect((await engine.handlers.getLocalServices({})).running.map((s) => s.url)).toEqual([started.service.url]);
    await engine.dispose();
    expect(processAlive(started.service.pid!)).toBe(false);

    const engine2 = createEngineService({ env: { ...process.env, QDRANT_BIN, DATA_DIR: dataDir } });
    const kept = await engine2.handlers.startLocalService({ service: 'qdrant', keep: true });
    seen.add(kept.service.pid!);
    await engine2.dispose();
    expect(processAlive(kept.service.pid!)).toBe(true);
    const engine3 = createEngineService({ env: { ...process.env, QDRANT_BIN, DATA_DIR: dataDir } });
    expect(await engine3.handlers.stopLocalService({ service: 'qdrant' })).toEqual({ stopped: true, message: `Stopped Qdrant at ${kept.service.url}; its data stays in ${join(dataDir, 'qdrant')}` });
    expect(processAlive(kept.service.pid!)).toBe(false);
    await engine3.dispose();
  }, 60_000);

  it('bad input: a QDRANT_BIN that is not there, a data folder that is a file: one line each, exit 2', async () => {
    const file = join(work, 'not-a-folder');
    writeFileSync(file, 'x');
    const noBin = await runCli(cli, ['services', 'start', 'qdrant'], { QDRANT_BIN: join(work, 'nope', 'qdrant'), DATA_DIR: join(work, 'd') }, work);
    expect(noBin.code).toBe(2);
    expect(noBin.stderr).toBe(`xnai-migrate: QDRANT_BIN=${join(work, 'nope', 'qdrant')}: no such file; point it at a qdrant executable (https://github.com/qdrant/qdrant/releases) or unset it\n`);
    const badDir = await runCli(cli, ['services', 'start', 'qdrant'], { QDRANT_BIN, DATA_DIR: file }, work);
    expect(badDir.code).toBe(2);
    expect(badDir.stderr).toBe(`xnai-migrate: DATA_DIR=${file}: is a file, not a folder; choose a writable folder with DATA_DIR=... (or --data-dir), or fix its permissions\n`);
  }, 60_000);
});
