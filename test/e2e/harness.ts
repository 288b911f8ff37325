/**
 * End-to-end environment for the renderer: a real redis-server, the Qdrant stand-in, the browser host
 * (`xnai-migrate ui`, as a user starts it, with the seed's environment variables) serving the built
 * renderer, and Debian's Chromium driven by playwright-core with a fresh profile.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startRedis, type TestRedis } from '../support/redis';
import { startQdrant, type TestQdrant } from '../support/qdrant';
import { freePort } from '../support/free-port';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

/** The browser host serves dist/renderer: build it once if `npm test` (which builds first) did not. */
export function ensureRendererBuilt(): void {
  if (existsSync(join(ROOT, 'dist', 'renderer', 'index.html')) && !process.env.XNAI_E2E_REBUILD) return;
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build of the renderer failed');
}

export interface Host {
  url: string;
  proc: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** `xnai-migrate ui --port N` exactly as a user runs it from a checkout; resolves with the URL it prints. */
export async function startHost(env: Record<string, string>): Promise<Host> {
  const port = await freePort();
  const proc = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['electron/cli/main.ts', 'ui', '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group, so stop() ends tsx and the engine child it forks together.
    detached: true,
  });
  let out = '';
  proc.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`xnai-migrate ui printed no URL in 40 s:\n${out}`)), 40_000);
    const check = () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    proc.stdout?.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`xnai-migrate ui exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.pid === undefined) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        return;
      }
      const t = setTimeout(() => {
        try {
          process.kill(-proc.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export interface Browser {
  context: BrowserContext;
  newPage(viewport?: { width: number; height: number }, colorScheme?: 'light' | 'dark'): Promise<Page>;
  close(): Promise<void>;
}

/** Debian's Chromium with a fresh user-data-dir, removed on close. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'xnai-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  return {
    context,
    async newPage(viewport, colorScheme) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      if (colorScheme) await page.emulateMedia({ colorScheme });
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface UiEnv {
  redis: TestRedis;
  qdrant: TestQdrant;
  host: Host;
  browser: Browser;
  faissPath: string | null;
  dispose(): Promise<void>;
}

/**
 * The Qdrant binary for this environment even under `npm test` (where `startQdrant()` gives the stand-in),
 * through the support module's own 'binary' path, so kill/start and Qdrant's own number parsing are real.
 * A QDRANT_URL in the environment still wins (the server at that address is used).
 */
async function startBinaryQdrant(): Promise<TestQdrant> {
  const before = process.env.XNAI_TEST_QDRANT;
  process.env.XNAI_TEST_QDRANT = 'binary';
  try {
    return await startQdrant();
  } finally {
    if (before === undefined) delete process.env.XNAI_TEST_QDRANT;
    else process.env.XNAI_TEST_QDRANT = before;
  }
}

export interface UiEnvOptions {
  /** 'binary': the real Qdrant server (see startBinaryQdrant); default: whatever startQdrant() gives. */
  qdrant?: 'binary';
}

/** `faissPath` null: the host has no FAISS_INDEX_PATH, so the form starts empty, as for a new user. */
export async function startUiEnv(faissPath: string | null, extraEnv: Record<string, string> = {}, options: UiEnvOptions = {}): Promise<UiEnv> {
  ensureRendererBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  const redis = await startRedis();
  const qdrant = options.qdrant === 'binary' ? await startBinaryQdrant() : await startQdrant();
  const logDir = mkdtempSync(join(tmpdir(), 'xnai-e2e-logs-'));
  let host: Host | null = null;
  try {
    host = await startHost({
      QDRANT_URL: qdrant.url,
      REDIS_HOST: redis.host,
      REDIS_PORT: String(redis.port),
      ...(faissPath ? { FAISS_INDEX_PATH: faissPath } : {}),
      LOG_DIR: logDir,
      ...extraEnv,
    });
    const browser = await launchBrowser();
    const h = host;
    return {
      redis,
      qdrant,
      host: h,
      browser,
      faissPath,
      async dispose() {
        await browser.close().catch(() => undefined);
        await h.stop();
        await qdrant.stop();
        await redis.dispose();
        rmSync(logDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await host?.stop();
    await qdrant.stop();
    await redis.dispose();
    throw e;
  }
}

export function artifact(name: string): string {
  return join(ARTIFACTS, name);
}
