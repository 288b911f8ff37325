/**
 * `npx tsx test/e2e/screenshots.ts`: the documentation's screenshots, taken in Chromium on the real app so
 * they show what the code does. Writes docs/screenshot.png (the Run page half-way through a run, for the
 * README), docs/runs.png (the Runs page with one run opened) and docs/points.png (the points browser on a
 * LangChain collection). Real redis-server and the Qdrant stand-in (slowed down so the run can be caught
 * mid-way); sources are copied to a temporary folder first, so no path of this machine shows; no secret is
 * set anywhere.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startUiEnv, ROOT } from './harness';
import { open, setField, gotoTab, startAndWait, waitForStatus } from './page';
import { writeFlat } from '../../bench/support';

const DOCS = join(ROOT, 'docs');

async function chooseSource(page: Page, path: string): Promise<void> {
  await gotoTab(page, 'Set up');
  await setField(page, 'faissIndexPath', path);
  await page.locator('[name=faissIndexPath]').blur();
  await page.locator('[data-testid=source-summary] [data-testid=source-type]').waitFor({ timeout: 60_000 });
}

async function settings(page: Page, s: Record<string, string>): Promise<void> {
  await gotoTab(page, 'Set up');
  for (const [k, v] of Object.entries(s)) await setField(page, k, v);
  await page.getByTestId('start-plan').waitFor({ timeout: 30_000 });
}

async function main(): Promise<void> {
  const demo = mkdtempSync(join(tmpdir(), 'xnai-demo-'));
  const docsFolder = join(demo, 'notes_langchain');
  cpSync(join(ROOT, 'test/fixtures/stores/langchain-py'), docsFolder, { recursive: true });
  const big = join(demo, 'knowledge.faiss');
  let seed = 11;
  writeFlat(big, 40_000, 128, 1024, (chunk, _done, rows) => {
    for (let i = 0; i < rows * 128; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      chunk[i] = seed / 2 ** 31 - 1;
    }
  });
  const env = await startUiEnv(null);
  try {
    const page = await env.browser.newPage({ width: 1280, height: 800 });
    await open(page, env.host.url);

    // 1. A LangChain folder, migrated and verified.
    await chooseSource(page, docsFolder);
    await settings(page, { collection: 'notes', batchSize: '4', concurrency: '1', distance: 'Cosine' });
    await startAndWait(page, 'start', ['completed'], 60_000);
    await page.getByTestId('verify').click();
    await page.getByTestId('verification').waitFor({ timeout: 60_000 });

    // 2. A refused start (the vector size check says 384, the index has 8): kept as a run of its own.
    await chooseSource(page, join(ROOT, 'test/fixtures/faiss/v1_15/idmap2_flat.faiss'));
    await settings(page, { collection: 'ids', vectorSize: '384', distance: 'Euclid' });
    await page.getByTestId('start').click();
    await page.waitForTimeout(2_000);

    // 3. A larger index, cancelled half-way (resumable from the Runs page).
    env.qdrant.faults.latency(40, { match: { operation: 'upsert_points' } });
    await chooseSource(page, big);
    await settings(page, { collection: 'knowledge_v1', vectorSize: '', batchSize: '500', concurrency: '2', distance: 'Euclid' });
    await startAndWait(page, 'start', ['running'], 60_000);
    await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid=progress-percent]')?.textContent ?? '0') >= 30, undefined, { timeout: 120_000 });
    await page.getByTestId('run-cancel').click();
    await page.getByTestId('run-cancel-confirm').click();
    await waitForStatus(page, ['cancelled'], 60_000);

    // 4. The same index into another collection, with a pause: the README's Run page, half-way through.
    env.qdrant.faults.reset();
    env.qdrant.faults.latency(60, { match: { operation: 'upsert_points' } });
    await settings(page, { collection: 'knowledge' });
    await startAndWait(page, 'start', ['running'], 60_000);
    await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid=progress-percent]')?.textContent ?? '0') >= 25, undefined, { timeout: 120_000 });
    await page.getByTestId('run-pause').click();
    await waitForStatus(page, ['paused'], 60_000);
    await page.waitForTimeout(3_000);
    await page.getByTestId('run-resume').click();
    await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid=progress-percent]')?.textContent ?? '0') >= 55, undefined, { timeout: 120_000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(DOCS, 'screenshot.png') });
    await waitForStatus(page, ['completed'], 300_000);
    env.qdrant.faults.reset();

    // 5. The Runs page, the LangChain run opened.
    await gotoTab(page, 'Runs');
    const rows = page.getByTestId('run-row');
    await rows.first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=run-row]', { hasText: 'notes' }).first().getByTestId('run-open').click();
    await page.getByTestId('record-charts').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(800);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.screenshot({ path: join(DOCS, 'runs.png') });

    // 6. The points browser: the LangChain collection, a suggested key, a point opened, its neighbours.
    await page.setViewportSize({ width: 1280, height: 900 });
    await gotoTab(page, 'Points');
    await page.getByTestId('collection-select').selectOption('notes');
    await page.getByTestId('point-list').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=point-list] button', { hasText: 'Open' }).first().click();
    await page.getByTestId('vector-verdict').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=point-detail] button', { hasText: 'metadata' }).first().click().catch(() => undefined);
    await page.evaluate(() => {
      window.scrollTo(0, 0);
      for (const el of document.querySelectorAll('.table-wrap')) el.scrollLeft = 0;
    });
    await page.getByTestId('filter-input').fill('sour');
    await page.getByTestId('key-suggestions').locator('[role=option]').first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(DOCS, 'points.png') });
    console.log(`wrote ${['screenshot.png', 'runs.png', 'points.png'].map((f) => join(DOCS, f)).join(', ')}`);
  } finally {
    await env.dispose();
    rmSync(demo, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
