/**
 * `buildReport(target, format)`: the run's report as a file's name, MIME type and content (HTML, JSON or
 * Markdown). Secrets never reach it: the config is redacted, URLs lose their user info, and as a last
 * guard any occurrence of the target's API key or Redis password in the rendered text is replaced.
 */
import type { ReportFormat } from '../../../shared/contract';
import { stringifyJson } from '../../../shared/json';
import { gatherReportData, type ReportData, type ReportTarget } from './data';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';

export type { ReportData, ReportTarget } from './data';

export interface BuiltReport {
  filename: string;
  mimeType: string;
  content: string;
}

const MIME: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  md: 'text/markdown; charset=utf-8',
};

export function renderReport(data: ReportData, format: ReportFormat): string {
  switch (format) {
    case 'html':
      return renderHtml(data);
    case 'md':
      return renderMarkdown(data);
    case 'json':
      return `${stringifyJson({ format: 'xnai-migration-report', version: 1, ...data }, 2)}\n`;
  }
}

/** Replace any secret value that slipped into the text (too-short values would clobber ordinary words). */
export function scrubSecrets(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 6) out = out.split(s).join('(redacted)');
  }
  return out;
}

export function reportFilename(collection: string, format: ReportFormat, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
  return `xnai-report-${collection.replace(/[^A-Za-z0-9_.-]/g, '_')}-${stamp}.${format}`;
}

/** The report of the current run, or of `runId` (any run of the history). */
export async function buildReport(target: ReportTarget, format: ReportFormat, runId?: string): Promise<BuiltReport> {
  const now = new Date();
  const data = await gatherReportData(target, now, runId);
  return {
    filename: reportFilename(data.target.collection, format, now),
    mimeType: MIME[format],
    content: scrubSecrets(renderReport(data, format), [target.qdrantApiKey, target.redisPassword]),
  };
}
