/**
 * The renderer end to end, as a user drives it: real Chromium on `xnai-migrate ui`, a real redis-server and
 * the Qdrant stand-in. One environment for the file (starting Chromium and the host costs seconds on 2
 * cores); each scenario uses its own collection and Redis state key so none depends on another's state,
 * except browsing and the report, which look at what the full run migrated.
 *
 * The source is the IDMap2 fixture written by faiss 1.15.1: 200 vectors of 8 dimensions whose labels
 * include 2^53 + 1 and 2^63 - 1, so ids must stay exact through engine, WebSocket and UI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startUiEnv, artifact, ROOT, type UiEnv } from './harness';
import { open, setField, fieldError, waitForStatus, processed, waitForProcessed, stat, toInt, gotoTab, pointIds, startAndWait } from './page';
import { parseJson } from '../../shared/json';

const FIXTURE = join(ROOT, 'test/fixtures/faiss/v1_15/idmap2_flat.faiss');
const TRUTH = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/faiss/v1_15/idmap2_flat.truth.json'), 'utf8')) as { labels: string[]; ntotal: number };
const BIG_IDS = ['9007199254740993', '9223372036854775807'];
const FULL = 'e2e_full';

let env: UiEnv;
let page: Page;

async function qdrantCount(collection: string): Promise<number> {
  const r = await fetch(`${env.qdrant.url}/collections/${collection}/points/count`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ exact: true }),
  });
  const body = (await r.json()) as { result: { count: number } };
  return body.result.count;
}

async function qdrantHasIds(collection: string, ids: string[]): Promise<string[]> {
  // Raw JSON text so the u64 ids are sent and read back exactly.
  const r = await fetch(`${env.qdrant.url}/collections/${collection}/points`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"ids":[${ids.join(',')}],"with_payload":false}`,
  });
  const body = parseJson<{ result: { id: bigint | number | string }[] }>(await r.text());
  return body.result.map((p) => String(p.id)).sort();
}

/** Fill the run settings for one scenario: its own collection and state key, small batches, one per request (so runs last long enough to act on). */
async function configure(collection: string, opts: { batchSize: number; concurrency: number; distance?: string }): Promise<void> {
  await gotoTab(page, 'Set up');
  await setField(page, 'collection', collection);
  await setField(page, 'stateKey', `xnai:migration:${collection}`);
  await setField(page, 'batchSize', String(opts.batchSize));
  await setField(page, 'requestPoints', String(opts.batchSize));
  await setField(page, 'concurrency', String(opts.concurrency));
  await setField(page, 'distance', opts.distance ?? 'Euclid');
}

beforeAll(async () => {
  env = await startUiEnv(FIXTURE);
  page = await env.browser.newPage({ width: 1280, height: 800 });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await open(page, env.host.url);
}, 90_000);

afterAll(async () => {
  await env?.dispose();
}, 30_000);

describe('renderer in Chromium against xnai-migrate ui', () => {
  it('starts from the host environment, inspects the source and validates settings as they are typed', async () => {
    // getDefaults: the host's FAISS_INDEX_PATH / QDRANT_URL / REDIS_PORT prefill the form; inspect runs on it.
    await expect.poll(() => page.locator('[name=faissIndexPath]').inputValue()).toBe(FIXTURE);
    expect(await page.locator('[name=qdrantUrl]').inputValue()).toBe(env.qdrant.url);
    expect(await page.locator('[name=redisPort]').inputValue()).toBe(String(env.redis.port));
    const summary = page.getByTestId('source-summary');
    await summary.waitFor({ timeout: 20_000 });
    expect(await stat(page, 'source-type')).toContain('IndexIDMap2');
    expect(toInt(await stat(page, 'source-count'))).toBe(TRUTH.ntotal);
    expect(await stat(page, 'source-dimension')).toBe('8');
    expect(await stat(page, 'source-exact')).toBe('bit-exact');

    // The contract's schema speaks through the field, as the user types.
    await setField(page, 'batchSize', '0');
    expect(await fieldError(page, 'batchSize')).toBe('must be at least 1');
    await setField(page, 'batchSize', '12.5');
    expect(await fieldError(page, 'batchSize')).toBe('must be a whole number');
    await setField(page, 'collection', 'my collection');
    expect(await fieldError(page, 'collection')).toContain('may only contain letters');
    await setField(page, 'maxMemoryPercent', '150');
    expect(await fieldError(page, 'maxMemoryPercent')).toBe('must be at most 100 (percent) or 1 (fraction)');
    await setField(page, 'qdrantUrl', 'localhost:6333');
    expect(await fieldError(page, 'qdrantUrl')).toContain('must start with http://');
    await setField(page, 'qdrantUrl', 'http://');
    expect(await fieldError(page, 'qdrantUrl')).toContain('must be a URL');
    // Start with invalid settings lists what to fix instead of calling the engine.
    await page.getByTestId('start').click();
    await expect.poll(() => page.getByTestId('start-error').textContent()).toContain('Some settings are not valid');
    await page.screenshot({ path: artifact('setup-invalid.png'), fullPage: true });

    await setField(page, 'qdrantUrl', env.qdrant.url);
    // A percent setting takes the percentage its name promises, and the fraction the seed used.
    await setField(page, 'maxMemoryPercent', '60');
    expect(await fieldError(page, 'maxMemoryPercent')).toBeNull();
    expect(await page.getByTestId('memory-limit-meaning').textContent()).toMatch(/^60% of RAM/);
    await setField(page, 'maxMemoryPercent', '0.6');
    expect(await page.getByTestId('memory-limit-meaning').textContent()).toMatch(/^60% of RAM/);
    await setField(page, 'collection', FULL);
    await setField(page, 'batchSize', '10');
    for (const f of ['batchSize', 'collection', 'maxMemoryPercent', 'qdrantUrl']) expect(await fieldError(page, f)).toBeNull();

    // A path that is not a FAISS index: one line naming it, and what to do.
    await setField(page, 'faissIndexPath', join(ROOT, 'test/fixtures/faiss/broken/not_faiss.faiss'));
    await page.getByRole('button', { name: 'Inspect' }).click();
    await expect.poll(() => page.getByTestId('inspect-error').textContent(), { timeout: 15_000 }).toContain('not_faiss.faiss');
    // Nothing to migrate from an unreadable source: Start waits until the path is fixed.
    expect(await page.getByTestId('start').isDisabled()).toBe(true);
    expect(await page.getByTestId('start-blocked').textContent()).toContain('cannot be read');
    // Fixing the path takes the old error away at once; leaving the field reads the new path.
    await setField(page, 'faissIndexPath', FIXTURE);
    expect(await page.getByTestId('inspect-error').count()).toBe(0);
    expect(await page.getByTestId('start').isDisabled()).toBe(false);
    await page.locator('[name=faissIndexPath]').blur();
    await page.getByTestId('source-summary').waitFor();

    await page.getByTestId('test-connection').click();
    const result = page.getByTestId('connection-result');
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toMatch(/Qdrant reachable.*Redis reachable/s);
    await page.screenshot({ path: artifact('setup.png'), fullPage: true });
  });

  it('runs a full migration with pause and resume, and every point arrives', async () => {
    // Slow upserts down so the run is still going when Pause lands, even on a loaded machine (20 batches of
    // 10 at 800 ms each); once paused, Qdrant speeds up again for the rest.
    env.qdrant.faults.latency(800, { match: { operation: 'upsert_points' } });
    await configure(FULL, { batchSize: 10, concurrency: 1 });
    await startAndWait(page, 'start', ['running'], 30_000);
    await waitForProcessed(page, 10, 30_000);

    await page.getByTestId('run-pause').click();
    await waitForStatus(page, ['paused'], 30_000);
    const atPause = await processed(page);
    expect(atPause).toBeGreaterThan(0);
    expect(atPause).toBeLessThan(TRUTH.ntotal);
    expect(await stat(page, 'stat-rate')).toBe('paused');
    expect(await stat(page, 'stat-eta')).toContain('(paused)');
    // the stand-in speaks only REST, so TRANSPORT=auto sent the points over REST
    expect(await stat(page, 'stat-transport')).toBe('REST');
    // Paused means no batch goes out: the count stays put.
    await page.waitForTimeout(1500);
    expect(await processed(page)).toBe(atPause);
    // What the page says is what Qdrant holds (the last in-flight batches were acknowledged before "paused").
    await expect.poll(() => qdrantCount(FULL), { timeout: 5_000 }).toBe(atPause);
    await page.waitForTimeout(1000);
    expect(await qdrantCount(FULL)).toBe(atPause);
    await page.screenshot({ path: artifact('run-paused.png') });
    env.qdrant.faults.reset();
    env.qdrant.faults.latency(60, { match: { operation: 'upsert_points' } });

    await page.getByTestId('run-resume').click();
    await waitForStatus(page, ['running', 'completed'], 30_000);
    await waitForStatus(page, ['completed'], 60_000);
    env.qdrant.faults.reset();
    await expect.poll(() => processed(page)).toBe(TRUTH.ntotal);
    expect(toInt(await stat(page, 'stat-failed'))).toBe(0);
    expect(toInt(await stat(page, 'stat-total'))).toBe(TRUTH.ntotal);
    expect(await page.getByTestId('progress-percent').textContent()).toBe('100%');
    // Live charts drew lines (and no animation left them half-drawn).
    expect(await page.locator('[data-testid=charts] .recharts-line path.recharts-curve').count()).toBeGreaterThanOrEqual(3);
    // The pause is a gap in the throughput line, not a straight line across it: the path has two pieces.
    // (A stretch of one sample, if the run was paused within its first second, is drawn as a dot.)
    const throughput = await page.locator('[data-testid=charts] .series-throughput path.recharts-curve').getAttribute('d');
    const loneDots = await page.getByRole('figure', { name: /^Throughput/ }).locator('circle.lone-dot').count();
    expect((throughput ?? '').match(/M/g)!.length + loneDots).toBeGreaterThanOrEqual(2);
    // The memory axis is scaled to the engine's RSS (about 100 MB), not to the multi-GB limit, and the
    // caption says how far the limit is.
    // (Its y ticks are the figure's numeric tick labels; the x ticks are clock times.)
    const ticks = (await page.getByRole('figure', { name: 'Engine RSS against the memory limit' }).locator('.recharts-cartesian-axis-tick-value').allTextContents())
      .map((t) => Number(t.replace(/,/g, '')))
      .filter((n) => Number.isFinite(n));
    const rssMb = toInt(await stat(page, 'stat-rss'));
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(rssMb);
    expect(Math.max(...ticks)).toBeLessThan(rssMb * 3);
    expect(await page.getByTestId('memory-limit-note').textContent()).toMatch(/limit [\d.]+ GB, peak [\d.]+% of it/);
    // The log shows its newest line.
    const log = page.getByTestId('log');
    await expect.poll(() => log.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 8)).toBe(true);
    await page.screenshot({ path: artifact('run-completed.png') });

    // What Qdrant holds: every source id once, the ones above 2^53 exactly.
    expect(await qdrantCount(FULL)).toBe(TRUTH.ntotal);
    expect(await qdrantHasIds(FULL, BIG_IDS)).toEqual([...BIG_IDS].sort());

    // The panels agree.
    await gotoTab(page, 'Qdrant collection');
    await expect.poll(() => page.getByTestId('qdrant-points').textContent(), { timeout: 15_000 }).toBe('200');
    expect(await page.getByTestId('payload-schema').textContent()).toContain('faiss_id');
    await page.screenshot({ path: artifact('qdrant-panel.png'), fullPage: true });
    await gotoTab(page, 'Redis state');
    await expect.poll(() => page.getByTestId('redis-status').textContent(), { timeout: 15_000 }).toBe('completed');
    expect(await page.getByTestId('redis-processed').textContent()).toBe('200 / 200');
    expect(await page.getByTestId('redis-lock').textContent()).toContain('No run holds the lock');
    await page.screenshot({ path: artifact('redis-panel.png'), fullPage: true });
  });

  it('browses points by scroll cursor, filters by payload, looks up exact ids and compares with the FAISS vector', async () => {
    await gotoTab(page, 'Points');
    const list = page.getByTestId('point-list');
    await list.waitFor({ timeout: 15_000 });
    expect(await pointIds(page)).toHaveLength(25);

    await page.getByTestId('page-size').selectOption('10');
    await expect.poll(async () => (await pointIds(page)).length).toBe(10);
    const first = await pointIds(page);
    await page.getByTestId('page-next').click();
    await expect.poll(() => page.getByTestId('page-number').textContent()).toBe('Page 2');
    await expect.poll(async () => (await pointIds(page)).join()).not.toBe(first.join());
    const second = await pointIds(page);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    await page.getByTestId('page-prev').click();
    await expect.poll(async () => (await pointIds(page)).join()).toBe(first.join());

    // Walking every page with the cursor visits each source id exactly once.
    await page.getByTestId('page-size').selectOption('50');
    const seen: string[] = [];
    for (let p = 0; p < 10; p++) {
      await expect.poll(async () => (await pointIds(page)).length).toBeGreaterThan(0);
      seen.push(...(await pointIds(page)));
      if (await page.getByTestId('page-next').isDisabled()) break;
      await page.getByTestId('page-next').click();
      await expect.poll(() => page.getByTestId('page-number').textContent()).toBe(`Page ${p + 2}`);
    }
    // Non-negative FAISS labels are the point ids themselves; negative ones become UUIDs (DESIGN.md).
    expect(new Set(seen).size).toBe(TRUTH.ntotal);
    const unsigned = TRUTH.labels.filter((l) => !l.startsWith('-'));
    expect(seen.filter((id) => /^\d+$/.test(id)).sort()).toEqual(unsigned.slice().sort());
    expect(seen.filter((id) => !/^\d+$/.test(id))).toHaveLength(TRUTH.ntotal - unsigned.length);
    for (const id of seen.filter((x) => !/^\d+$/.test(x))) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    // A filter chip narrows the scroll; removing it restores the pages.
    const label = TRUTH.labels.find((l) => Number.isSafeInteger(Number(l)))!;
    await page.getByTestId('filter-input').fill(`faiss_id = ${label}`);
    await page.getByTestId('filter-add').click();
    await expect.poll(() => page.getByTestId('chips').textContent()).toContain(`faiss_id = ${label}`);
    await expect.poll(() => pointIds(page)).toEqual([label]);
    await page.getByTestId('filter-input').fill('nonsense');
    await page.getByTestId('filter-add').click();
    expect(await page.locator('#filter-error').textContent()).toContain('key = value');
    await page.getByRole('button', { name: `Remove filter faiss_id = ${label}` }).click();
    await expect.poll(async () => (await pointIds(page)).length).toBe(50);

    // Lookup by an id above 2^53: shown exactly, with the FAISS source vector beside Qdrant's.
    await page.getByTestId('id-input').fill(BIG_IDS[0]!);
    await page.getByTestId('id-open').click();
    await expect.poll(() => page.getByTestId('detail-id').textContent(), { timeout: 15_000 }).toBe(BIG_IDS[0]);
    await expect.poll(() => page.getByTestId('vector-verdict').textContent(), { timeout: 15_000 }).toContain('All 8 components are bit-identical');
    // The vector starts collapsed in the JSON tree.
    expect(await page.getByTestId('point-detail').textContent()).toContain('[8 numbers]');
    await page.screenshot({ path: artifact('points-lookup.png') });

    await page.getByTestId('id-input').fill(BIG_IDS[1]!);
    await page.getByTestId('id-open').click();
    await expect.poll(() => page.getByTestId('detail-id').textContent(), { timeout: 15_000 }).toBe(BIG_IDS[1]);
    await page.getByTestId('id-input').fill('12x');
    await page.getByTestId('id-open').click();
    expect(await page.locator('#id-error').textContent()).toContain('unsigned integer');

    // The JSON tree keeps the shape the user gave it: the vector opened on one point is open on the next.
    const detail = page.getByTestId('point-detail');
    await detail.getByRole('button', { name: /vector/ }).click();
    expect(await detail.getByRole('button', { name: /vector/ }).getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('id-input').fill(BIG_IDS[0]!);
    await page.getByTestId('id-open').click();
    await expect.poll(() => page.getByTestId('detail-id').textContent(), { timeout: 15_000 }).toBe(BIG_IDS[0]);
    expect(await detail.getByRole('button', { name: /vector/ }).getAttribute('aria-expanded')).toBe('true');
    await detail.getByRole('button', { name: /vector/ }).click();
    await page.getByTestId('id-input').fill(BIG_IDS[1]!);
    await page.getByTestId('id-open').click();
    await expect.poll(() => page.getByTestId('detail-id').textContent(), { timeout: 15_000 }).toBe(BIG_IDS[1]);
    expect(await detail.getByRole('button', { name: /vector/ }).getAttribute('aria-expanded')).toBe('false');

    // Find similar from the detail pane: the point itself is its own nearest neighbour.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByRole('button', { name: 'Find similar', exact: true }).click();
    const similar = page.getByTestId('similar');
    await expect.poll(async () => similar.locator('[data-testid=point-id]').count(), { timeout: 15_000 }).toBe(10);
    expect(await similar.locator('[data-testid=point-id]').first().textContent()).toBe(BIG_IDS[1]);
    // The results are brought into view (they open below the point's details), and each score says which
    // way is better for this Euclid collection.
    await expect.poll(() => similar.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; })).toBe(true);
    const scores = await similar.getByTestId('point-score').allTextContents();
    expect(scores).toHaveLength(10);
    for (const sc of scores) expect(sc).toMatch(/^\d+\.\d{4} lower is better$/);
    expect(Number(scores[0]!.split(' ')[0])).toBe(0);
    await page.screenshot({ path: artifact('points-similar.png'), fullPage: true });
  });

  it('exports the run report as a download', async () => {
    await gotoTab(page, 'Run');
    await page.getByTestId('report-format').selectOption('md');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId('export-report').click()]);
    const path = await download.path();
    const text = readFileSync(path, 'utf8');
    expect(download.suggestedFilename()).toMatch(/\.md$/);
    // Markdown escapes the underscore in the collection name.
    expect(text).toMatch(/e2e\\?_full/);
    expect(text).toContain('200');
    // Secrets never reach a report; this run had none, and the Redis password field stayed empty.
    expect(await page.getByTestId('report-outcome').textContent()).toContain(download.suggestedFilename());

    // Verification from the same card: every check listed with its verdict.
    await page.getByTestId('verify').click();
    const verification = page.getByTestId('verification');
    await verification.waitFor({ timeout: 60_000 });
    expect(await verification.textContent()).toMatch(/PASS/);
    expect(await verification.locator('.checks li.bad').count()).toBe(0);
    expect(await verification.locator('.checks li.ok').count()).toBeGreaterThan(0);
    await page.screenshot({ path: artifact('report-verified.png'), fullPage: true });
  }, 120_000);

  it('shows a Qdrant outage mid-run, pauses through it and resumes to exactly the source points', async () => {
    const collection = 'e2e_outage';
    env.qdrant.faults.latency(300, { match: { operation: 'upsert_points' } });
    await configure(collection, { batchSize: 10, concurrency: 2 });
    await startAndWait(page, 'start', ['running'], 30_000);
    await waitForProcessed(page, 20, 30_000);

    // Qdrant goes away: the engine retries with backoff and the page says so, with what the user can do.
    await env.qdrant.faults.down();
    // The job is still running (data-status), and the badge and banner say what it waits for, in words.
    const badge = page.getByTestId('header-status');
    await expect.poll(() => badge.getAttribute('data-waiting'), { timeout: 30_000 }).toBe('qdrant');
    expect(await badge.getAttribute('data-status')).toBe('running');
    expect(await badge.textContent()).toMatch(/^Waiting for Qdrant/);
    const banner = page.getByTestId('outage-banner');
    const url = new URL(env.qdrant.url).origin;
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain(`Qdrant at ${url} stopped answering`);
    expect(await banner.textContent()).toContain('acknowledged are safe');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: artifact('outage.png') });
    const during = await processed(page);
    expect(during).toBeLessThan(TRUTH.ntotal);

    // Pausing does not wait for the outage to end: batches in retry go back to the queue.
    await page.getByTestId('run-pause').click();
    await waitForStatus(page, ['paused'], 30_000);
    expect(await processed(page)).toBeLessThan(TRUTH.ntotal);

    await env.qdrant.faults.up();
    env.qdrant.faults.reset();
    await page.getByTestId('run-resume').click();
    await waitForStatus(page, ['completed'], 90_000);
    await expect.poll(() => processed(page)).toBe(TRUTH.ntotal);
    expect(toInt(await stat(page, 'stat-failed'))).toBe(0);
    expect(await qdrantCount(collection)).toBe(TRUTH.ntotal);
    expect(await qdrantHasIds(collection, BIG_IDS)).toEqual([...BIG_IDS].sort());
    await page.screenshot({ path: artifact('outage-resumed.png') });
  }, 180_000);

  it('is keyboard reachable, themed and readable at 1920x1080', async () => {
    const wide = await env.browser.newPage({ width: 1920, height: 1080 }, 'dark');
    await open(wide, env.host.url);
    // A second window follows the engine's current run (its collection and state key), not the env defaults.
    await expect.poll(() => wide.locator('[name=collection]').inputValue()).toBe('e2e_outage');
    expect(await wide.locator('[name=stateKey]').inputValue()).toBe('xnai:migration:e2e_outage');
    // Tab from the top reaches the tabs; arrows move between them; Enter/Space act on real buttons.
    await wide.keyboard.press('Tab'); // skip link
    await wide.keyboard.press('Tab'); // header status
    let focused = '';
    for (let i = 0; i < 8 && !focused.startsWith('tab'); i++) {
      await wide.keyboard.press('Tab');
      focused = (await wide.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? '')) as string;
    }
    expect(focused).toBe('tab-setup');
    await wide.keyboard.press('ArrowRight');
    expect(await wide.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('tab-run');
    expect(await wide.getByRole('tab', { name: 'Run', exact: true }).getAttribute('aria-selected')).toBe('true');
    // Focus is visible: the focused tab draws an outline.
    const outline = await wide.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');
    // No clickable div: every control is a button, link, input or select.
    expect(await wide.locator('div[onclick], span[onclick]').count()).toBe(0);
    // Dark by system preference; the toggle overrides it.
    const bg = () => wide.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const darkBg = await bg();
    await wide.getByTestId('theme-light').click();
    expect(await bg()).not.toBe(darkBg);
    await wide.getByTestId('theme-dark').click();
    expect(await bg()).toBe(darkBg);
    // Nothing overflows horizontally at either size.
    for (const size of [{ width: 1920, height: 1080 }, { width: 1280, height: 800 }]) {
      await wide.setViewportSize(size);
      for (const tab of ['Set up', 'Run', 'Runs', 'Redis state', 'Qdrant collection', 'Points'] as const) {
        await gotoTab(wide, tab);
        await wide.waitForTimeout(300);
        const overflow = await wide.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${tab} at ${size.width}x${size.height}`).toBeLessThanOrEqual(0);
      }
    }
    await wide.setViewportSize({ width: 1920, height: 1080 });
    await gotoTab(wide, 'Run');
    await wide.waitForTimeout(500);
    await wide.screenshot({ path: artifact('run-dark-1920.png') });
    await wide.close();
  });

  it('lists the points Qdrant refuses with the reason, and sends them again with Retry failed points', async () => {
    const collection = 'e2e_refused';
    // Two ordinary ids (their batches hold eight good points each, which must still arrive).
    const refused = TRUTH.labels.filter((l) => /^\d+$/.test(l) && Number.isSafeInteger(Number(l))).slice(3, 5);
    env.qdrant.faults.rejectPoints(refused.map((l) => BigInt(l)), { reason: 'refused by the e2e test' });
    await configure(collection, { batchSize: 10, concurrency: 2 });
    await startAndWait(page, 'start', ['completed', 'failed'], 90_000);
    await expect.poll(() => stat(page, 'stat-failed').then(toInt), { timeout: 15_000 }).toBe(2);
    expect(await qdrantCount(collection)).toBe(TRUTH.ntotal - 2);
    expect(await qdrantHasIds(collection, refused)).toEqual([]);

    await gotoTab(page, 'Redis state');
    const table = page.getByTestId('failed-table');
    await table.waitFor({ timeout: 15_000 });
    const rows = await table.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    for (const id of refused) expect(rows.some((r) => r.includes(id) && r.includes('refused by the e2e test')), `row for ${id}: ${rows.join(' | ')}`).toBe(true);
    await page.screenshot({ path: artifact('failed-points.png'), fullPage: true });

    // Whatever made Qdrant refuse them is fixed: one click sends exactly those points again.
    env.qdrant.faults.reset();
    await page.getByTestId('retry-failed').click();
    // the Run page opens once the engine took the retry (the badge may still say the last run's "completed" before)
    await expect.poll(() => page.getByTestId('tab-run').getAttribute('aria-selected'), { timeout: 30_000 }).toBe('true');
    await waitForStatus(page, ['completed'], 60_000);
    await gotoTab(page, 'Redis state');
    await expect.poll(() => page.getByTestId('redis-processed').textContent(), { timeout: 15_000 }).toBe('200 / 200');
    await expect.poll(() => page.getByText('No point failed.').count(), { timeout: 15_000 }).toBe(1);
    expect(await qdrantCount(collection)).toBe(TRUTH.ntotal);
    expect(await qdrantHasIds(collection, refused)).toEqual([...refused].sort());
    await page.screenshot({ path: artifact('failed-points-retried.png'), fullPage: true });
  }, 180_000);

  it('says so when the engine goes away, and that the run is safe (last: stops the host)', async () => {
    await gotoTab(page, 'Run');
    await env.host.stop();
    const banner = page.getByTestId('connection-banner');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toMatch(/Connection to the engine lost.*checkpoints stay in Redis.*xnai-migrate ui/s);
    await page.screenshot({ path: artifact('connection-lost.png') });
  });
});
