/**
 * `npm run bench ui`: does the dashboard stay responsive while a run streams? Real Chromium on
 * `xnai-migrate ui` (redis-server + Qdrant stand-in) migrates a generated flat index while the page
 * records every animation frame and every long task (PerformanceObserver 'longtask', > 50 ms on the main
 * thread), and the bench switches pages now and then, timing click → next frame. The same page sitting
 * idle is the reference.
 *
 * XNAI_BENCH_UI_POINTS (default 120000) and XNAI_BENCH_UI_DIM (384) size the source.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { loadavg } from 'node:os';
import type { BenchTable } from './table';
import { writeFlat } from './support';
import { startUiEnv, artifact } from '../test/e2e/harness';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const N = Number(process.env.XNAI_BENCH_UI_POINTS ?? 120_000);
const D = Number(process.env.XNAI_BENCH_UI_DIM ?? 384);
const IDLE_MS = 5_000;
/** XNAI_BENCH_UI_SWITCH=0: leave the Run page alone during the run (isolates chart/store cost from page mounts). */
const SWITCH = process.env.XNAI_BENCH_UI_SWITCH !== '0';

/** FAISS IndexFlatL2 of seeded pseudo-random rows. */
function writeFlatFile(path: string, n: number, d: number): void {
  let seed = 7;
  writeFlat(path, n, d, 2048, (chunk, _done, rows) => {
    for (let i = 0; i < rows * d; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      chunk[i] = seed / 2 ** 31 - 1;
    }
  });
}

/** Installed before the app loads: frame deltas and long tasks, recorded only while `recording`. */
const PROBE = `
  window.__bench = { recording: false, frames: [], longtasks: [] };
  try {
    new PerformanceObserver((list) => {
      if (!window.__bench.recording) return;
      for (const e of list.getEntries()) window.__bench.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: false });
  } catch (e) { window.__bench.noLongtask = String(e); }
  let last = 0;
  const loop = (t) => {
    if (window.__bench.recording && last) window.__bench.frames.push(t - last);
    last = t;
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
`;

interface Phase {
  longtaskAt?: number[];
  cpu: { thread: number; script: number; layout: number; style: number };
  frames: number[];
  longtasks: number[];
  ms: number;
  wsFrames: number;
  switches: number[];
}

type Metrics = Record<string, number>;

/** Chromium's own counters for the page's main thread: CPU time (ThreadTime) is immune to a loaded machine. */
async function metrics(cdp: CDPSession): Promise<Metrics> {
  const r = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(r.metrics.map((m) => [m.name, m.value]));
}

function perSecond(a: Metrics, b: Metrics, key: string, wallMs: number): number {
  return (((b[key] ?? 0) - (a[key] ?? 0)) * 1000 * 1000) / wallMs;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const b = (window as unknown as { __bench: { recording: boolean; frames: number[]; longtasks: number[] } }).__bench;
    b.frames = [];
    b.longtasks = [];
    b.recording = true;
    (b as unknown as { t0: number }).t0 = performance.now();
  });
}

async function stopRecording(page: Page): Promise<{ frames: number[]; longtasks: number[]; longtaskAt: number[] }> {
  return page.evaluate(() => {
    const b = (window as unknown as { __bench: { recording: boolean; frames: number[]; longtasks: [number, number][]; t0: number } }).__bench;
    b.recording = false;
    return { frames: b.frames, longtasks: b.longtasks.map((x) => x[1]), longtaskAt: b.longtasks.map((x) => x[0] - b.t0) };
  });
}

/** Click a tab in the page and wait for the frame that shows it: input-to-paint as the user feels it. */
async function switchTab(page: Page, testId: string): Promise<number> {
  return page.evaluate(
    (id) =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        (document.querySelector(`[data-testid="${id}"]`) as HTMLButtonElement).click();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
      }),
    testId,
  );
}

function row(name: string, idle: number | string, run: number | string, budget: string): (string | number)[] {
  return [name, typeof idle === 'number' ? Math.round(idle * 10) / 10 : idle, typeof run === 'number' ? Math.round(run * 10) / 10 : run, budget];
}

export async function run(): Promise<BenchTable[]> {
  const dataDir = join(HERE, '.data');
  mkdirSync(dataDir, { recursive: true });
  const source = join(dataDir, `ui-flat-${N}x${D}.faiss`);
  if (!existsSync(source)) writeFlatFile(source, N, D);

  const env = await startUiEnv(source);
  try {
    const page = await env.browser.newPage({ width: 1280, height: 800 });
    await page.addInitScript(PROBE);
    let wsFrames = 0;
    page.on('websocket', (ws) => ws.on('framereceived', () => wsFrames++));
    await page.goto(env.host.url);
    await page.getByTestId('source-summary').waitFor({ timeout: 60_000 });
    await page.locator('[name=collection]').fill('bench_ui');
    await page.locator('[name=stateKey]').fill('xnai:migration:bench_ui');
    await page.locator('[name=batchSize]').fill('256');
    await page.locator('[name=concurrency]').fill('2');
    await page.locator('[name=distance]').selectOption('Euclid');
    await page.getByRole('tab', { name: 'Run', exact: true }).click();

    // Reference: the same page, idle, for the same kind of window.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const cpuOf = (a: Metrics, b: Metrics, ms: number) => ({
      thread: perSecond(a, b, 'ThreadTime', ms),
      script: perSecond(a, b, 'ScriptDuration', ms),
      layout: perSecond(a, b, 'LayoutDuration', ms),
      style: perSecond(a, b, 'RecalcStyleDuration', ms),
    });
    const idle: Phase = { cpu: { thread: 0, script: 0, layout: 0, style: 0 }, frames: [], longtasks: [], ms: IDLE_MS, wsFrames: 0, switches: [] };
    const load0 = loadavg()[0]!;
    const m0 = await metrics(cdp);
    const i0 = Date.now();
    await startRecording(page);
    const w0 = wsFrames;
    for (const t of ['tab-qdrant', 'tab-points', 'tab-runs', 'tab-redis', 'tab-run']) {
      await page.waitForTimeout(IDLE_MS / 5);
      idle.switches.push(await switchTab(page, t));
    }
    Object.assign(idle, await stopRecording(page), { wsFrames: wsFrames - w0, ms: Date.now() - i0 });
    idle.cpu = cpuOf(m0, await metrics(cdp), idle.ms);

    // The run, started from the UI; page switches every 1.5 s while it streams.
    const busy: Phase = { cpu: { thread: 0, script: 0, layout: 0, style: 0 }, frames: [], longtasks: [], ms: 0, wsFrames: 0, switches: [] };
    await page.getByRole('tab', { name: 'Run', exact: true }).click();
    await startRecording(page);
    const w1 = wsFrames;
    const m1 = await metrics(cdp);
    const started = Date.now();
    await page.getByTestId('run-start').click();
    const order = ['tab-qdrant', 'tab-points', 'tab-runs', 'tab-redis', 'tab-run'];
    let i = 0;
    let midShot = false;
    const perTab: Record<string, number> = {};
    for (;;) {
      const status = await page.getByTestId('header-status').getAttribute('data-status');
      if (status === 'completed' || status === 'failed' || status === 'cancelled') {
        if (status !== 'completed') throw new Error(`bench run ended ${status}: ${await page.locator('main').innerText()}`);
        break;
      }
      if (Date.now() - started > 300_000) throw new Error('bench run did not finish in 5 minutes');
      await page.waitForTimeout(1_500);
      if (!SWITCH) continue;
      const target = order[i++ % order.length]!;
      const ms = await switchTab(page, target);
      busy.switches.push(ms);
      perTab[target] = Math.max(perTab[target] ?? 0, ms);
      const onRun = order[(i - 1) % order.length] === 'tab-run';
      const pctDone = onRun ? parseFloat((await page.getByTestId('progress-percent').textContent().catch(() => null)) ?? '0') : 0;
      if (!midShot && onRun && pctDone >= 35 && pctDone <= 90) {
        // The Run page half-way through, for docs/screenshot.png.
        await page.waitForTimeout(300);
        await page.screenshot({ path: artifact('bench-ui-midrun.png') });
        midShot = true;
      }
    }
    busy.ms = Date.now() - started;
    busy.cpu = cpuOf(m1, await metrics(cdp), busy.ms);
    const load1 = loadavg()[0]!;
    Object.assign(busy, await stopRecording(page), { wsFrames: wsFrames - w1 });
    await page.getByRole('tab', { name: 'Run', exact: true }).click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: artifact('bench-ui-run.png') });

    const stats = (p: Phase) => {
      const f = p.frames.slice().sort((a, b) => a - b);
      const s = p.switches.slice().sort((a, b) => a - b);
      return {
        frames: f.length,
        fps: f.length / (p.ms / 1000),
        p50: pct(f, 50),
        p95: pct(f, 95),
        p99: pct(f, 99),
        max: f[f.length - 1] ?? 0,
        janky: (100 * f.filter((x) => x > 50).length) / Math.max(1, f.length),
        lt: p.longtasks.length,
        ltMax: Math.max(0, ...p.longtasks),
        tbt: p.longtasks.reduce((a, d) => a + Math.max(0, d - 50), 0),
        ws: p.wsFrames / (p.ms / 1000),
        sw50: pct(s, 50),
        swMax: s[s.length - 1] ?? 0,
      };
    };
    const a = stats(idle);
    const b = stats(busy);
    return [
      {
        title: `UI responsiveness while a run streams (${N.toLocaleString('en-US')} x ${D}-d points, Chromium ${await page.evaluate(() => navigator.userAgent.match(/Chrome\/(\S+)/)?.[1] ?? '?')})`,
        reference: 'the same page idle (no run); budgets: 16.7 ms frames at 60 Hz, 50 ms long-task threshold (RAIL)',
        columns: ['metric', 'idle page', 'during run', 'budget'],
        rows: [
          row('window (s)', idle.ms / 1000, busy.ms / 1000, ''),
          row('main-thread CPU (ms per s)', idle.cpu.thread, busy.cpu.thread, '< 250'),
          row('  script (ms per s)', idle.cpu.script, busy.cpu.script, ''),
          row('  style + layout (ms per s)', idle.cpu.style + idle.cpu.layout, busy.cpu.style + busy.cpu.layout, ''),
          row('frames per second', a.fps, b.fps, '≈ 60'),
          row('frame time p50 (ms)', a.p50, b.p50, '16.7'),
          row('frame time p95 (ms)', a.p95, b.p95, '< 20'),
          row('frame time p99 (ms)', a.p99, b.p99, '< 50'),
          row('frame time max (ms)', a.max, b.max, ''),
          row('frames over 50 ms (%)', a.janky, b.janky, '< 1'),
          row('long tasks', a.lt, b.lt, ''),
          row('longest task (ms)', a.ltMax, b.ltMax, '< 200'),
          row('total blocking time (ms)', a.tbt, b.tbt, ''),
          row('page switch, click to frame p50 (ms)', a.sw50, b.sw50, '< 100'),
          row('page switch, click to frame max (ms)', a.swMax, b.swMax, '< 200'),
          row('WebSocket messages per second', a.ws, b.ws, ''),
          row('run throughput (points/s)', '', (N / busy.ms) * 1000, ''),
        ],
        notes: [
          'Headless Chromium with --disable-gpu: frames are software-composited, so absolute frame times are pessimistic.',
          `Machine load average ${load0.toFixed(1)} before, ${load1.toFixed(1)} after (2 cores): frame times and long tasks include time the main thread waited for a core; main-thread CPU (Chromium ThreadTime) does not.`,
          'Events are applied to the store once per animation frame; charts hold at most 600 samples with animation off.',
          `Slowest page switch during the run, per page: ${Object.entries(perTab).map(([k, v]) => `${k.replace('tab-', '')} ${Math.round(v)} ms`).join(', ') || 'none (XNAI_BENCH_UI_SWITCH=0)'}`,
          `Long tasks during the run, duration @ seconds after Start: ${busy.longtasks.map((d, k) => `${Math.round(d)} ms @ ${((busy.longtaskAt?.[k] ?? 0) / 1000).toFixed(1)} s`).join(', ') || 'none'}`,
          `Screenshots: ${artifact('bench-ui-midrun.png')} (half-way), ${artifact('bench-ui-run.png')} (after)`,
        ],
      },
    ];
  } finally {
    await env.dispose();
  }
}
