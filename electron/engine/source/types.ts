/** A source a migration reads: one FAISS index, optionally with the documents saved beside it. */
import type { SourceFingerprint, SourceSummary } from '../../../shared/contract';
import type { DocumentStore } from '../docstore/types';
import type { FaissIndexReader } from '../faiss/types';

export interface MigrationSource {
  readonly summary: SourceSummary;
  readonly index: FaissIndexReader;
  readonly documents: DocumentStore | null;
  fingerprint(): Promise<SourceFingerprint>;
  close(): Promise<void>;
}
