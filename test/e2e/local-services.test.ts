/**
 * The set-up view's "start it for me", in Chromium against `xnai-migrate ui` as a user starts it, with no
 * Redis and nothing at QDRANT_URL: the connection test says Qdrant does not answer and which store will keep
 * the state (the embedded one); "Start Qdrant for me" starts the real Qdrant binary (QDRANT_BIN), the page says
 * what was started, where its data lives and how to stop it, the form now points at it, a migration runs
 * into it, and quitting the host stops it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { processAlive } from '../../electron/engine/services/process';
import { anyFreePort, answersTcp } from '../../electron/engine/services/ports';
import { writeFlatIndex } from '../engine/support/flat-index';
import { countPoints } from '../engine/support/qdrant-read';
import { ARTIFACTS, ensureRendererBuilt, launchBrowser, startHost, type Browser, type Host } from './harness';
import { open, waitForStatus } from './page';

const QDRANT_BIN = resolve('../shared/qdrant/bin/qdrant');
const haveQdrant = existsSync(QDRANT_BIN);
if (!haveQdrant) process.stdout.write(`local-services.test.ts: skipped, no Qdrant binary at ${QDRANT_BIN}\n`);

let host: Host;
let browser: Browser;
let page: Page;
let work: string;
let port: number;
let pid = 0;

beforeAll(async () => {
  if (!haveQdrant) return;
  ensureRendererBuilt();
  work = mkdtempSync(join(tmpdir(), 'xnai-e2e-local-'));
  const index = join(work, 'index.faiss');
  writeFlatIndex(index, 2000, 16);
  port = await anyFreePort();
  // no REDIS_* at all: the state goes to the embedded store unless a Redis answers on localhost:6379
  const env: Record<string, string> = { QDRANT_BIN, DATA_DIR: join(work, 'data'), QDRANT_URL: `http://127.0.0.1:${port}`, FAISS_INDEX_PATH: index, DISTANCE: 'Euclid', QDRANT_COLLECTION: 'ui_local', LOG_DIR: join(work, 'logs') };
  const inherited = { ...process.env } as Record<string, string>;
  for (const k of Object.keys(inherited)) if (k.startsWith('REDIS_') || k.startsWith('QDRANT') || k === 'STATE_STORE') delete inherited[k];
  [host, browser] = await Promise.all([startHost({ ...inherited, ...env }), launchBrowser()]);
  page = await browser.newPage();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (pid && processAlive(pid)) process.kill(pid, 'SIGKILL');
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!haveQdrant)('set up: start Qdrant for me', () => {
  it('offers to start Qdrant, starts it, shows where its data is and how to stop it, migrates into it; the host stops it on quit', async () => {
    await open(page, host.url);
    await page.getByTestId('test-connection').click();
    const result = page.getByTestId('connection-result');
    await result.getByText('unreachable').first().waitFor();
    const store = page.getByTestId('store-in-use');
    const kind = await store.getAttribute('data-kind');
    if (kind === 'embedded') {
      await expect.poll(() => store.textContent()).toMatch(/^State store: embedded \(no Redis needed\): the embedded store in .*\/data\/state \(no Redis is configured and nothing answers on localhost:6379\)$/);
      // Redis is not needed, so its absence is shown as unused, not as a red failure
      const redisLine = page.getByTestId('connection-redis');
      expect(await redisLine.getAttribute('class')).toBe('unused');
      expect(await redisLine.textContent()).toMatch(/^Redis not used: the embedded store keeps the state \(set a Redis host to use Redis\)\. /);
      expect(await page.getByTestId('connection-qdrant').getAttribute('class')).toBe('bad');
    } else process.stdout.write('local-services.test.ts: a Redis answers on localhost:6379 here, so the state store shown is Redis\n');

    const startButton = page.getByTestId('start-local-qdrant');
    await startButton.waitFor();
    expect(await page.getByTestId('local-services').textContent()).toContain(`from ${QDRANT_BIN}, on this computer only, data in ${join(work, 'data')}/qdrant`);
    await startButton.click();
    const started = page.getByTestId('local-qdrant');
    await started.waitFor({ timeout: 30_000 });
    const text = (await started.textContent()) ?? '';
    expect(text).toMatch(new RegExp(`^Local Qdrant started at http://127\\.0\\.0\\.1:${port} \\(version 1\\.\\d+\\.\\d+\\) from ${QDRANT_BIN}\\.`));
    expect(text).toContain(`Data: ${join(work, 'data', 'qdrant')}. Stops when the app quits; stop it with xnai-migrate services stop qdrant or:`);
    // the form points at it and the new test passes
    expect(await page.locator('[name="qdrantUrl"]').inputValue()).toBe(`http://127.0.0.1:${port}`);
    await result.getByText(/Qdrant reachable/).waitFor({ timeout: 15_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'setup-local-qdrant.png'), fullPage: true });

    await page.getByTestId('start').click();
    await waitForStatus(page, ['completed'], 60_000);
    expect(await countPoints(`http://127.0.0.1:${port}`, 'ui_local')).toBe(2000);

    const { readServices } = await import('../../electron/engine/services/registry');
    pid = (await readServices(join(work, 'data')))[0]!.pid!;
    expect(processAlive(pid)).toBe(true);
    await host.stop();
    await expect.poll(() => processAlive(pid), { timeout: 20_000 }).toBe(false);
    expect(await answersTcp('127.0.0.1', port)).toBe(false);
  }, 180_000);
});
