/**
 * `openSource(path)`: the one entry point the engine, CLI and verifier use to read what they migrate.
 * A lone FAISS file gives vectors only; a RAG folder also gives each vector's document, joined by FAISS
 * label, with mismatches counted in `summary.documents` (never fatal).
 */
import { resolve } from 'node:path';
import type { SourceSummary } from '../../../shared/contract';
import { openDocumentStore } from '../docstore';
import type { DocumentStore } from '../docstore/types';
import { openFaissIndex } from '../faiss/index';
import type { FaissIndexReader } from '../faiss/types';
import { autoDistance } from './auto-distance';
import { detectSource } from './detect';
import { fingerprintFile } from './fingerprint';
import { indexLabels } from './labels';
import type { MigrationSource } from './types';

export type { MigrationSource } from './types';
export { detectSource } from './detect';

export async function openSource(path: string): Promise<MigrationSource> {
  const detected = await detectSource(path);
  const indexPath = resolve(detected.indexPath);
  const index = await openFaissIndex(indexPath);
  let documents: DocumentStore | null = null;
  try {
    if (detected.kind !== 'faiss-file') {
      documents = await openDocumentStore(detected.kind, detected.files);
    }
    const summary: SourceSummary = {
      path,
      kind: detected.kind,
      indexPath,
      index: index.summary,
      documents: documents ? await documents.summarize(indexLabels(index)) : null,
      warnings: [...detected.warnings, ...(documents?.warnings ?? [])],
      autoDistance: await autoDistance(index),
    };
    return new OpenedSource(summary, index, documents);
  } catch (e) {
    await index.close();
    throw e;
  }
}

class OpenedSource implements MigrationSource {
  constructor(
    readonly summary: SourceSummary,
    readonly index: FaissIndexReader,
    readonly documents: DocumentStore | null,
  ) {}

  fingerprint() {
    return fingerprintFile(this.summary.indexPath);
  }

  close() {
    return this.index.close();
  }
}
