/**
 * `xnai-migrate inspect <path> [--json]`: what a FAISS file holds, before anything is migrated. Opening the
 * index runs the reader's structure pass, so a broken file is refused here with the reader's one-line error.
 */
import type { Command } from 'commander';
import type { IndexSummary } from '../../../shared/contract';
import { stringifyJson } from '../../../shared/json';
import { openFaissIndex } from '../../engine/faiss';
import { action } from '../run-action';

export function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

export function formatIndexSummary(path: string, s: IndexSummary, details: readonly string[] = []): string {
  const rows: [string, string][] = [
    ['File', path],
    ['Index type', s.indexType],
    ['Type code', s.chain.length > 1 ? `${s.fourcc} (${s.chain.join(' > ')})` : s.fourcc],
    ['Dimension', String(s.dimension)],
    ['Vectors', s.count.toLocaleString('en-US')],
    ['Metric', s.metric === 'ip' ? 'ip (inner product; Qdrant Dot, or Cosine if vectors are normalized)' : 'l2 (Qdrant Euclid)'],
    ['Exact', s.exact ? 'yes (stored float32 vectors, bit for bit)' : 'no (decoded from quantized codes, as FAISS reconstructs them)'],
    ['File size', `${formatBytes(s.fileSize)} (${s.fileSize.toLocaleString('en-US')} bytes)`],
    ['In Qdrant', `about ${formatBytes(s.qdrantBytesEstimate)} (vectors, HNSW graph and the seed's payload fields)`],
  ];
  for (const f of s.dataFiles) rows.push(['Data file', f]);
  for (const d of details) rows.push(['Detail', d]);
  for (const w of s.warnings) rows.push(['Warning', w]);
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}`).join('\n');
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('Show what a FAISS index file holds: type, dimension, count, metric, exactness, size in Qdrant')
    .argument('<path>', 'FAISS index file')
    .option('--json', 'print one JSON object instead of text')
    .action(
      action(async (path: string, opts: { json?: boolean }) => {
        const reader = await openFaissIndex(path);
        try {
          const out = opts.json
            ? stringifyJson({ path, ...reader.summary, details: reader.details ?? [] }, 2)
            : formatIndexSummary(path, reader.summary, reader.details);
          process.stdout.write(`${out}\n`);
        } finally {
          await reader.close();
        }
      }),
    );
}
