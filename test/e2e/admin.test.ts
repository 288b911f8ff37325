/**
 * The admin app people keep open (issue 13), driven in Chromium as a user would: a host started without
 * FAISS_INDEX_PATH (a new user), a LangChain folder and then a bare index migrated one after the other under
 * the seed's state key, both collections reachable from the picker, payload-key suggestions leading to a
 * filtered page and its exact count, conflicts with an existing collection shown before Start.
 *
 * Real redis-server and the real Qdrant binary (its outages are real kills, its number parsing real).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startUiEnv, artifact, ROOT, type UiEnv } from './harness';
import { open, setField, gotoTab, pointIds, startAndWait, stat, toInt, waitForProcessed, waitForStatus, processed, currentRunId } from './page';

const LANGCHAIN = join(ROOT, 'test/fixtures/stores/langchain-py');
const IDS = join(ROOT, 'test/fixtures/faiss/v1_15/idmap2_flat.faiss');
const LC = 'lc_docs';
const NUMBERS = 'lc_numbers';
const BARE = 'ids_euclid';

let env: UiEnv;
let page: Page;
let numbersDir = '';
/** Run ids, as the page showed them when each run started. */
const runs: Record<string, string> = {};

/**
 * A LangChain JS folder whose documents hold numbers Qdrant's REST JSON parser does not keep exactly: a
 * float with 17 significant digits and 2^64 (as in test/verify); 5.0 stays a float.
 */
function writeNumbersFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xnai-e2e-numbers-'));
  cpSync(join(ROOT, 'test/fixtures/stores/langchain-js/faiss.index'), join(dir, 'faiss.index'));
  const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const docs = ids.map((id) => `["${id}",{"pageContent":"document ${id}","metadata":{"x":0.22375380588830573,"big":18446744073709551616,"whole":5.0}}]`);
  writeFileSync(join(dir, 'docstore.json'), `[[${docs.join(',')}],{${ids.map((id, i) => `"${i}":"${id}"`).join(',')}}]`);
  return dir;
}

async function qdrantCount(collection: string, filter?: unknown): Promise<number> {
  const r = await fetch(`${env.qdrant.url}/collections/${collection}/points/count`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ exact: true, ...(filter ? { filter } : {}) }),
  });
  return ((await r.json()) as { result: { count: number } }).result.count;
}

/** Type a source path as a user does and leave the field: the source is read on blur. */
async function chooseSource(path: string): Promise<void> {
  await gotoTab(page, 'Set up');
  await setField(page, 'faissIndexPath', path);
  await page.locator('[name=faissIndexPath]').blur();
  await expect.poll(() => page.locator('[data-testid=source-summary] [data-testid=source-type]').count(), { timeout: 20_000 }).toBe(1);
}

beforeAll(async () => {
  env = await startUiEnv(null, {}, { qdrant: 'binary' });
  page = await env.browser.newPage({ width: 1280, height: 800 });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await open(page, env.host.url);
}, 90_000);

afterAll(async () => {
  await env?.dispose();
  if (numbersDir) rmSync(numbersDir, { recursive: true, force: true });
}, 30_000);

describe('admin app in Chromium', () => {
  it('shows a new user no red before anything is typed', async () => {
    await page.getByTestId('start-todo').waitFor({ timeout: 15_000 });
    expect(await page.locator('[name=faissIndexPath]').inputValue()).toBe('');
    expect(await page.getByTestId('field-error').count()).toBe(0);
    expect(await page.locator('.invalid-list').count()).toBe(0);
    expect(await page.getByTestId('start-todo').textContent()).toContain('Enter the path');
    await page.screenshot({ path: artifact('admin-setup-blank.png'), fullPage: true });
  });

  it('migrates a LangChain folder, then a bare index into another collection', async () => {
    await chooseSource(LANGCHAIN);
    expect(await stat(page, 'source-documents')).toContain('langchain');
    await setField(page, 'collection', LC);
    await setField(page, 'batchSize', '2');
    await setField(page, 'concurrency', '1');
    await setField(page, 'distance', 'Cosine');
    await expect.poll(() => page.getByTestId('start-plan').getAttribute('data-plan'), { timeout: 20_000 }).toBe('fresh');
    runs[LC] = await startAndWait(page, 'start', ['completed'], 60_000);
    expect(await qdrantCount(LC)).toBe(7);

    await chooseSource(IDS);
    await setField(page, 'collection', BARE);
    await setField(page, 'batchSize', '20');
    await setField(page, 'distance', 'Euclid');
    await expect.poll(() => page.getByTestId('start-plan').getAttribute('data-plan'), { timeout: 20_000 }).toBe('fresh');
    runs[BARE] = await startAndWait(page, 'start', ['completed'], 60_000);
    expect(await qdrantCount(BARE)).toBe(200);
  }, 180_000);

  it('keeps both runs: listed, each opened as recorded and its report exported', async () => {
    await gotoTab(page, 'Runs');
    const rows = page.getByTestId('run-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    for (const [collection, points] of [[LC, '7 / 7'], [BARE, '200 / 200']] as const) {
      const row = page.locator(`[data-testid=run-row][data-run-id="${runs[collection]}"]`);
      expect(await row.getByTestId('run-state').getAttribute('data-state')).toBe('completed');
      expect(await row.textContent()).toContain(collection);
      expect(await row.getByTestId('run-points').textContent()).toContain(points);
      await row.getByTestId('run-open').click();
      const record = page.getByTestId('run-record');
      await expect.poll(() => record.getAttribute('data-run-id')).toBe(runs[collection]);
      await expect.poll(() => record.getByTestId('record-processed').textContent(), { timeout: 15_000 }).toBe(points);
      // Its dashboard as recorded: samples, peak RSS (however short the run), timeline.
      expect(await record.getByTestId('record-peak-rss').textContent()).toMatch(/\d+ MB/);
      expect(await record.getByTestId('record-timeline').locator('li').count()).toBeGreaterThan(1);
      expect(Number(await record.getByTestId('record-charts').getAttribute('data-samples'))).toBeGreaterThan(0);
      await record.getByTestId('report-format').selectOption('md');
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), record.getByTestId('export-report').click()]);
      const text = readFileSync(await download.path(), 'utf8');
      expect(text).toContain(runs[collection]);
      expect(text.replace(/\\_/g, '_')).toContain(collection);
    }
    await page.screenshot({ path: artifact('admin-runs.png'), fullPage: true });
  });

  it('lists every collection of the server and shows any one of them', async () => {
    await gotoTab(page, 'Qdrant collection');
    const select = page.getByTestId('collection-select');
    await expect.poll(async () => (await select.locator('option').allTextContents()).join('\n'), { timeout: 15_000 }).toMatch(new RegExp(`${LC} · 7 points · 8 d Cosine`));
    expect((await select.locator('option').allTextContents()).join('\n')).toMatch(new RegExp(`${BARE} \\(Set up\\) · 200 points · 8 d Euclid`));
    const table = page.getByTestId('collections-table');
    expect(await table.locator(`tr[data-collection=${LC}]`).textContent()).toContain('7');
    expect(await table.locator(`tr[data-collection=${BARE}]`).textContent()).toContain('200');
    await select.selectOption(LC);
    await expect.poll(() => page.getByTestId('qdrant-points').textContent(), { timeout: 15_000 }).toBe('7');
    await page.screenshot({ path: artifact('admin-collections.png'), fullPage: true });
  });

  it('browses the LangChain collection: document columns, a suggested key, the filtered page and its exact count', async () => {
    await gotoTab(page, 'Points');
    // The picker is shared with the Qdrant page: still the LangChain collection.
    expect(await page.getByTestId('collection-select').inputValue()).toBe(LC);
    await expect.poll(async () => (await pointIds(page)).length, { timeout: 15_000 }).toBe(7);
    await expect.poll(() => page.getByTestId('match-count').textContent()).toBe('7 points in the collection');
    // Columns: the document's text and metadata, not the migration's own fields.
    const headers = () => page.locator('.points-table thead th').allTextContents();
    expect(await headers()).toEqual(expect.arrayContaining(['document text', 'metadata.source']));
    expect((await headers()).filter((h) => /faiss_id|batch_num|migrated_at|_xnai/.test(h))).toEqual([]);
    expect(await page.locator('[data-testid=point-list] td[data-column="@text"]').allTextContents()).toContain('Qdrant stores vectors on disk.');
    // Any other field is a column away (Attu's output fields).
    if (!(await headers()).includes('metadata.page')) {
      await page.getByTestId('column-picker').locator('summary').click();
      await page.locator('[data-column="metadata.page"][type=checkbox]').check();
    }
    await expect.poll(headers).toContain('metadata.page');

    // A point of this earlier run's collection is compared with that run's own FAISS file (the current run
    // migrated another source): the vectors agree.
    await page.locator('[data-testid=point-list] button', { hasText: 'Open' }).first().click();
    await expect.poll(() => page.getByTestId('vector-verdict').textContent(), { timeout: 15_000 }).toMatch(/bit-identical|Equal after normalising/);

    // Typing "page" offers metadata.page first (LangChain keeps metadata under "metadata").
    const input = page.getByTestId('filter-input');
    await input.fill('page');
    const suggestions = page.getByTestId('key-suggestions');
    await expect.poll(() => suggestions.locator('[role=option]').first().getAttribute('data-key'), { timeout: 15_000 }).toBe('metadata.page');
    expect(await suggestions.locator('[role=option]').first().textContent()).toMatch(/integer/);
    await page.screenshot({ path: artifact('admin-key-suggestion.png') });
    await suggestions.locator('[role=option]').first().click();
    expect(await input.inputValue()).toBe('metadata.page = ');
    await input.press('End');
    await input.type('1');
    await page.getByTestId('filter-add').click();
    const want = await qdrantCount(LC, { must: [{ key: 'metadata.page', match: { value: 1 } }] });
    expect(want).toBeGreaterThan(0);
    await expect.poll(async () => (await pointIds(page)).length, { timeout: 15_000 }).toBe(want);
    await expect.poll(() => page.getByTestId('match-count').textContent()).toBe(`${want} ${want === 1 ? 'point matches' : 'points match'} the filters`);
    for (const v of await page.locator('[data-testid=point-list] td[data-column="metadata.page"]').allTextContents()) expect(v).toBe('1');
    await page.screenshot({ path: artifact('admin-points-filtered.png'), fullPage: true });

    // The key as the user first thought of it finds nothing, and the page offers the documents' key.
    await page.getByRole('button', { name: 'Clear all' }).click();
    await input.fill('page = 1');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('match-count').textContent(), { timeout: 15_000 }).toBe('0 points match the filters');
    const offer = page.getByTestId('did-you-mean');
    await expect.poll(() => offer.textContent(), { timeout: 15_000 }).toContain('metadata.page');
    await offer.getByRole('button').click();
    await expect.poll(async () => (await pointIds(page)).length, { timeout: 15_000 }).toBe(want);
    expect(await page.getByTestId('chips').textContent()).toContain('metadata.page = 1');
  });

  it('shows a conflict with an existing collection in Set up, before Start', async () => {
    await chooseSource(LANGCHAIN);
    await setField(page, 'collection', BARE);
    await setField(page, 'distance', 'Cosine');
    const conflicts = page.getByTestId('target-conflicts');
    await expect.poll(() => conflicts.textContent().catch(() => ''), { timeout: 20_000 }).toContain(`collection "${BARE}" uses distance Euclid but this run asks for Cosine`);
    expect(await page.getByTestId('start').isDisabled()).toBe(true);
    await page.screenshot({ path: artifact('admin-conflict.png'), fullPage: true });
    await setField(page, 'distance', 'Euclid');
    await expect.poll(() => conflicts.count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('start-plan').textContent(), { timeout: 20_000 }).toContain('200 points');
    expect(await page.getByTestId('start').isDisabled()).toBe(false);
    expect(toInt(await stat(page, 'source-count'))).toBe(7);
  });

  it('keeps the earlier runs intact when a start fails', async () => {
    await chooseSource(IDS);
    await setField(page, 'collection', 'ids_refused');
    await setField(page, 'distance', 'Euclid');
    await expect.poll(() => page.getByTestId('start-plan').getAttribute('data-plan'), { timeout: 20_000 }).toBe('fresh');
    // Between the check and Start, someone creates the collection with another vector size (Set up would
    // show the conflict on its next check; Start is faster): the run is refused in its preflight.
    const created = await fetch(`${env.qdrant.url}/collections/ids_refused`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ vectors: { size: 16, distance: 'Euclid' } }),
    });
    expect(created.ok).toBe(true);
    runs.refused = await startAndWait(page, 'start', ['failed'], 60_000);
    expect(await page.getByTestId('run-error').textContent()).toMatch(/16-dimensional vectors but the index has 8/);
    // Nothing was written, so there is no checkpoint to offer.
    expect(await page.getByTestId('run-start').textContent()).toBe('Start again');
    await gotoTab(page, 'Runs');
    const rows = page.getByTestId('run-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    const refused = page.locator(`[data-testid=run-row][data-run-id="${runs.refused}"]`);
    expect(await refused.getByTestId('run-state').getAttribute('data-state')).toBe('refused before start');
    expect(await refused.getByTestId('run-resume-stored').count()).toBe(0);
    for (const c of [LC, BARE]) {
      expect(await page.locator(`[data-testid=run-row][data-run-id="${runs[c]}"]`).getByTestId('run-state').getAttribute('data-state')).toBe('completed');
    }
    // The earlier run's record is whole: open it and export it.
    await page.locator(`[data-testid=run-row][data-run-id="${runs[BARE]}"]`).getByTestId('run-open').click();
    const record = page.getByTestId('run-record');
    await expect.poll(() => record.getByTestId('record-processed').textContent(), { timeout: 15_000 }).toBe('200 / 200');
    await record.getByTestId('report-format').selectOption('json');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), record.getByTestId('export-report').click()]);
    expect(readFileSync(await download.path(), 'utf8')).toContain(runs[BARE]!);
    expect(await qdrantCount(BARE)).toBe(200);
  });

  it("explains a verification: Qdrant's own number parsing apart, then a real mismatch with both types", async () => {
    numbersDir = writeNumbersFolder();
    await chooseSource(numbersDir);
    await setField(page, 'collection', NUMBERS);
    await setField(page, 'distance', 'Cosine');
    await setField(page, 'batchSize', '50');
    await expect.poll(() => page.getByTestId('start-plan').getAttribute('data-plan'), { timeout: 20_000 }).toBe('fresh');
    const runId = await startAndWait(page, 'start', ['completed'], 60_000);
    runs[NUMBERS] = runId;

    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Report and verification' }) });
    await card.getByTestId('verify').click();
    // The result has the page's width to itself, under the log and the report card.
    const verification = page.getByTestId('verification');
    await verification.waitFor({ timeout: 60_000 });
    // Every sampled float was moved in its last digit by Qdrant's parser, as for any REST client: listed
    // apart, explained, and the verdict still passes.
    expect(await verification.getAttribute('data-run-id')).toBe(runId);
    expect(await verification.locator('p').first().textContent()).toMatch(/^PASS/);
    expect(await verification.getByTestId('parsing-note').textContent()).toContain('Not a migration error');
    const parsed = verification.getByTestId('parsing-mismatches');
    const xRow = parsed.locator('tbody tr', { hasText: 'metadata.x' }).first();
    expect(await xRow.textContent()).toMatch(/0\.22375380588830573\s*float.*0\.2237538058883057\s*float/);
    expect(await verification.getByTestId('mismatches').count()).toBe(0);

    // Someone edits a point in Qdrant: the next verification fails and shows both sides with their types.
    const scroll = (await (await fetch(`${env.qdrant.url}/collections/${NUMBERS}/points/scroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limit: 1 }) })).json()) as { result: { points: { id: string }[] } };
    const edited = scroll.result.points[0]!.id;
    const set = await fetch(`${env.qdrant.url}/collections/${NUMBERS}/points/payload?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ points: [edited], payload: { metadata: { x: '0.22375380588830573', big: 1, whole: 5.0 } } }),
    });
    expect(set.ok).toBe(true);
    await card.getByTestId('verify').click();
    await expect.poll(() => verification.locator('p').first().textContent(), { timeout: 60_000 }).toMatch(/^FAIL/);
    const real = verification.getByTestId('mismatches');
    const row = real.locator('tbody tr', { hasText: 'metadata.x' }).first();
    expect(await row.textContent()).toContain(edited);
    expect(await row.locator('td').nth(2).textContent()).toMatch(/0\.22375380588830573\s*float/);
    expect(await row.locator('td').nth(3).textContent()).toMatch(/"0\.22375380588830573"\s*str/);
    await verification.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact('admin-verification.png'), fullPage: true });
  }, 180_000);

  it('resumes an interrupted run from the Runs page; the Run page shows no other run\'s verification', async () => {
    // A slowed run into a new collection, cancelled part-way.
    await chooseSource(IDS);
    await setField(page, 'collection', 'ids_resumed');
    await setField(page, 'batchSize', '5');
    // one batch per request: the slowed run is still going when it is cancelled
    await setField(page, 'requestPoints', '5');
    await setField(page, 'concurrency', '1');
    await setField(page, 'distance', 'Euclid');
    await expect.poll(() => page.getByTestId('start-plan').getAttribute('data-plan'), { timeout: 20_000 }).toBe('fresh');
    env.qdrant.real!.throttle({ runMs: 5, stopMs: 60 });
    try {
      runs.resumed = await startAndWait(page, 'start', ['running'], 60_000);
      // The last run's FAIL (another run) is not on this run's page.
      expect(await page.getByTestId('verification').count()).toBe(0);
      await waitForProcessed(page, 20, 60_000);
      await page.getByTestId('run-cancel').click();
      await page.getByTestId('run-cancel-confirm').click();
      await waitForStatus(page, ['cancelled'], 60_000);
    } finally {
      env.qdrant.real!.throttle(null);
    }
    const atCancel = await processed(page);
    expect(atCancel).toBeLessThan(200);

    await gotoTab(page, 'Runs');
    const row = page.locator(`[data-testid=run-row][data-run-id="${runs.resumed}"]`);
    await expect.poll(() => row.getByTestId('run-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('cancelled');
    // The verification of the numbers run is under that run, FAIL, and nowhere else.
    const numbersRow = page.locator(`[data-testid=run-row][data-run-id="${runs[NUMBERS]}"]`);
    expect(await numbersRow.getByTestId('run-verdict').textContent()).toBe('FAIL');
    expect(await row.getByTestId('run-verdict').count()).toBe(0);

    await row.getByTestId('run-resume-stored').click();
    await expect.poll(() => page.getByRole('tab', { name: 'Run', exact: true }).getAttribute('aria-selected')).toBe('true');
    await waitForStatus(page, ['completed'], 90_000);
    await expect.poll(() => processed(page)).toBe(200);
    expect(await currentRunId(page)).toBe(runs.resumed);
    expect(await qdrantCount('ids_resumed')).toBe(200);
    await gotoTab(page, 'Runs');
    await expect.poll(() => row.getByTestId('run-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('completed');
  }, 180_000);

  it('deletes one run on request, after a confirmation', async () => {
    await gotoTab(page, 'Runs');
    const rows = page.getByTestId('run-row');
    const before = await rows.count();
    const refused = page.locator(`[data-testid=run-row][data-run-id="${runs.refused}"]`);
    await refused.getByTestId('run-delete').click();
    expect(await refused.getByRole('group').textContent()).toContain('points stay in Qdrant');
    await refused.getByRole('button', { name: 'Keep it' }).click();
    expect(await rows.count()).toBe(before);
    await refused.getByTestId('run-delete').click();
    await refused.getByTestId('run-delete-confirm').click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(before - 1);
    expect(await page.getByTestId('runs-message').textContent()).toContain(`Deleted the record of run ${runs.refused}`);
    // The others are all still there.
    for (const c of [LC, BARE, NUMBERS, 'resumed']) expect(await page.locator(`[data-testid=run-row][data-run-id="${runs[c]}"]`).count()).toBe(1);
  });

  it('shows a Redis outage and a Qdrant outage mid-run in the badge, banner, log, timeline and report, and the run completes', async () => {
    await chooseSource(IDS);
    await setField(page, 'collection', 'ids_outages');
    await setField(page, 'batchSize', '2');
    // one batch per request: the run is still going through both outages
    await setField(page, 'requestPoints', '2');
    await setField(page, 'concurrency', '1');
    await setField(page, 'distance', 'Euclid');
    await expect.poll(() => page.getByTestId('start-plan').getAttribute('data-plan'), { timeout: 20_000 }).toBe('fresh');
    const real = env.qdrant.real!;
    // Slowed so the run is still going through both outages (100 batches).
    real.throttle({ runMs: 5, stopMs: 60 });
    const badge = page.getByTestId('header-status');
    const banner = page.getByTestId('outage-banner');
    const log = page.getByTestId('log');
    let runId = '';
    try {
      runId = await startAndWait(page, 'start', ['running'], 60_000);
      await waitForProcessed(page, 10, 60_000);

      // The log follows new lines unless the user scrolled up to read: scrolled to the top it stays there.
      await expect.poll(() => log.evaluate((el) => el.scrollHeight > el.clientHeight + 20), { timeout: 30_000 }).toBe(true);
      await log.evaluate((el) => el.scrollTo(0, 0));
      const linesBefore = await log.locator('.log-line').count();

      // Redis stops: the job keeps running, waiting for Redis, with the countdown and the reason in words.
      await env.redis.stop();
      await expect.poll(() => badge.getAttribute('data-waiting'), { timeout: 30_000 }).toBe('redis');
      expect(await badge.getAttribute('data-status')).toBe('running');
      expect(await badge.textContent()).toMatch(/^Waiting for Redis( · (retry in \d+ s|retrying now))?$/);
      await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain(`Redis at 127.0.0.1:${env.redis.port} stopped answering`);
      expect(await banner.textContent()).not.toMatch(/^[A-Z_]+$/);
      await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain('Waiting for Redis');
      expect(await log.locator('.log-line').count()).toBeGreaterThan(linesBefore);
      expect(await log.evaluate((el) => el.scrollTop)).toBe(0);
      // Back at the bottom, it follows again.
      await log.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: artifact('admin-outage-redis.png') });
      await page.waitForTimeout(2_000);
      await env.redis.start();
      await expect.poll(() => badge.getAttribute('data-waiting'), { timeout: 30_000 }).toBeNull();
      await expect.poll(() => log.textContent(), { timeout: 15_000 }).toMatch(/Redis at 127\.0\.0\.1:\d+ answers again after [\d.]+ s/);
      expect(await log.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 8)).toBe(true);
      expect(await banner.count()).toBe(0);

      // Qdrant goes away (the real server killed) and comes back.
      real.throttle(null);
      await real.kill();
      await expect.poll(() => badge.getAttribute('data-waiting'), { timeout: 30_000 }).toBe('qdrant');
      const qdrantOrigin = new URL(env.qdrant.url).origin;
      await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain(`Qdrant at ${qdrantOrigin} stopped answering`);
      expect(await banner.textContent()).toMatch(/cannot be reached: (nothing is listening|it closed the connection)/);
      await page.screenshot({ path: artifact('admin-outage-qdrant.png') });
      await page.waitForTimeout(2_000);
      await real.start();
      await expect.poll(() => badge.getAttribute('data-waiting'), { timeout: 60_000 }).toBeNull();
    } finally {
      real.throttle(null);
      if (!real.running) await real.start();
    }
    await waitForStatus(page, ['completed'], 120_000);
    await expect.poll(() => processed(page)).toBe(200);
    expect(await qdrantCount('ids_outages')).toBe(200);
    // Timeline (the Run page's last entries) and the run's record carry both outages with their durations.
    const events = await page.getByTestId('run-timeline').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-event')));
    expect(events.filter((e) => e === 'outage-end')).toHaveLength(2);
    await gotoTab(page, 'Runs');
    const row = page.locator(`[data-testid=run-row][data-run-id="${runId}"]`);
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('2 outages');
    await row.getByTestId('run-open').click();
    const outages = page.getByTestId('run-outages');
    await expect.poll(() => outages.locator('li').count(), { timeout: 15_000 }).toBe(2);
    expect(await outages.textContent()).toMatch(/Redis at 127\.0\.0\.1:\d+: from [\d:]+ to [\d:]+ \(\d+:\d\d\)/);
    expect(await outages.textContent()).toMatch(/Qdrant at http:\/\/127\.0\.0\.1:\d+: from [\d:]+ to [\d:]+ \(\d+:\d\d\)/);
    const record = page.getByTestId('run-record');
    await record.getByTestId('report-format').selectOption('md');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), record.getByTestId('export-report').click()]);
    const report = readFileSync(await download.path(), 'utf8');
    expect(report).toMatch(/Outages/);
    expect(report).toMatch(/Redis/);
    expect(report).toMatch(/Qdrant at http/);
  }, 240_000);
});
