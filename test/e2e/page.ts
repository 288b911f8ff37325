/** What the tests read and do on the page, in the user's terms: fields by name, stats by label, job state. */
import type { Page } from 'playwright-core';
import type { JobStatus } from '../../shared/contract/run';

export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('tab', { name: 'Set up' }).waitFor();
}

export async function setField(page: Page, name: string, value: string): Promise<void> {
  const el = page.locator(`[name="${name}"]`);
  const tag = await el.evaluate((e) => e.tagName);
  if (tag === 'SELECT') await el.selectOption(value);
  else await el.fill(value);
}

export async function fieldError(page: Page, name: string): Promise<string | null> {
  const desc = await page.locator(`[name="${name}"]`).getAttribute('aria-describedby');
  if (!desc) return null;
  const err = page.locator(`[id="${desc}"] [data-testid=field-error]`);
  return (await err.count()) ? (await err.textContent())?.trim() ?? null : null;
}

export async function jobStatus(page: Page): Promise<JobStatus> {
  return (await page.getByTestId('header-status').getAttribute('data-status')) as JobStatus;
}

export async function waitForStatus(page: Page, wanted: JobStatus[], timeoutMs = 30_000): Promise<JobStatus> {
  await page.waitForFunction(
    (w: string[]) => w.includes(document.querySelector('[data-testid=header-status]')?.getAttribute('data-status') ?? ''),
    wanted as string[],
    { timeout: timeoutMs, polling: 100 },
  );
  return jobStatus(page);
}

export function toInt(text: string | null): number {
  const digits = (text ?? '').replace(/[^\d-]/g, '');
  if (digits === '') throw new Error(`not a number: ${JSON.stringify(text)}`);
  return Number(digits);
}

export async function stat(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').trim();
}

export async function processed(page: Page): Promise<number> {
  return toInt(await stat(page, 'stat-processed'));
}

export async function waitForProcessed(page: Page, atLeast: number, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(
    (n) => Number((document.querySelector('[data-testid=stat-processed]')?.textContent ?? '').replace(/\D/g, '') || '-1') >= n,
    atLeast,
    { timeout: timeoutMs, polling: 100 },
  );
}

export async function gotoTab(page: Page, name: 'Set up' | 'Run' | 'Runs' | 'Redis state' | 'Qdrant collection' | 'Points'): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
}

export async function pointIds(page: Page, within = '[data-testid=point-list]'): Promise<string[]> {
  return page.locator(`${within} [data-testid=point-id]`).allTextContents();
}

/** The engine's current run id, as the header knows it ('' before any run). */
export async function currentRunId(page: Page): Promise<string> {
  return (await page.locator('.header-status').getAttribute('data-run-id')) ?? '';
}

/**
 * Press a Start button and wait until a new run (another id than before) reaches one of `wanted`: the
 * previous run's final status is still on screen for a moment, and must not count.
 */
export async function startAndWait(page: Page, button: string, wanted: JobStatus[], timeoutMs = 30_000): Promise<string> {
  const before = await currentRunId(page);
  await page.getByTestId(button).click();
  await page.waitForFunction(
    ([prev, w]) => {
      const el = document.querySelector('.header-status');
      const id = el?.getAttribute('data-run-id') ?? '';
      const status = document.querySelector('[data-testid=header-status]')?.getAttribute('data-status') ?? '';
      return id !== '' && id !== prev && (w as string[]).includes(status);
    },
    [before, wanted as string[]] as const,
    { timeout: timeoutMs, polling: 100 },
  );
  return currentRunId(page);
}
