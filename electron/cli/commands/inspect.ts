/**
 * `xnai-migrate inspect <path> [--json]`: what a FAISS file holds, before anything is migrated. Opening the
 * index runs the reader's structure pass, so a broken file is refused here with the reader's one-line error.
 */
import type { Command } from 'commander';
import { migrationFieldsLine, type IndexSummary, type SourceSummary } from '../../../shared/contract';
import { stringifyJson } from '../../../shared/json';
import { openSource } from '../../engine/source';
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

const KIND_NAMES: Record<SourceSummary['kind'], string> = {
  'faiss-file': 'FAISS index file (vectors only)',
  'langchain-python': 'LangChain Python folder (FAISS.save_local)',
  'langchain-js': 'LangChain JS folder (FaissStore.save)',
  llamaindex: 'LlamaIndex folder (FaissVectorStore)',
  'llamaindex-map': 'LlamaIndex folder (FaissMapVectorStore)',
};

/** The source's kind and documents, above the index's own summary (issue 3). */
export function formatSourceSummary(s: SourceSummary): string {
  const rows: [string, string][] = [['Source', KIND_NAMES[s.kind]]];
  const d = s.documents;
  if (d) {
    rows.push(['Documents', `${d.count.toLocaleString('en-US')} (payload layout "${d.defaultLayout}" unless PAYLOAD_LAYOUT says otherwise)`]);
    const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;
    rows.push(['Mismatches', d.vectorsWithoutDocument + d.documentsWithoutVector === 0 ? 'none: every vector has its document' : `${plural(d.vectorsWithoutDocument, 'vector')} without a document, ${plural(d.documentsWithoutVector, 'document')} without a vector`]);
    for (const e of d.examples) rows.push(['Example', e]);
    for (const c of d.idCollisions) rows.push(['Id clash', `${c} (a run in the ${d.defaultLayout} layout refuses this)`]);
    for (const r of d.reservedKeyDocuments) rows.push(['Reserved', `document "${r}" uses the metadata key _xnai (the llamaindex layout refuses this)`]);
  }
  rows.push(['Fields', `the migration's own: ${migrationFieldsLine(d?.defaultLayout ?? 'raw')}`]);
  if (s.autoDistance) rows.push(['Distance', `${s.autoDistance.distance} with DISTANCE=auto (the default): ${s.autoDistance.reason}`]);
  for (const w of s.warnings) rows.push(['Warning', w]);
  const width = 'Index type:'.length;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}`).join('\n');
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('Show what a FAISS index file or a LangChain/LlamaIndex folder holds: kind, documents and mismatches, index type, dimension, count, metric, exactness, size in Qdrant')
    .argument('<path>', 'FAISS index file, or a LangChain/LlamaIndex folder')
    .option('--json', 'print one JSON object instead of text')
    .action(
      action(async (path: string, opts: { json?: boolean }) => {
        const source = await openSource(path);
        const reader = source.index;
        try {
          const s = source.summary;
          const out = opts.json
            ? stringifyJson({ path, ...reader.summary, details: reader.details ?? [], kind: s.kind, indexPath: s.indexPath, documents: s.documents, sourceWarnings: s.warnings, autoDistance: s.autoDistance ?? null }, 2)
            : `${formatSourceSummary(s)}\n${formatIndexSummary(s.kind === 'faiss-file' ? path : s.indexPath, reader.summary, reader.details)}`;
          process.stdout.write(`${out}\n`);
        } finally {
          await source.close();
        }
      }),
    );
}
