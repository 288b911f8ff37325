/** Documents saved beside a FAISS index by a RAG framework, joined to vectors by FAISS label. */
import type { DocumentsSummary, SourceKind } from '../../../shared/contract';

export interface SourceDocument {
  /** The framework's own document/node id (LangChain docstore key, LlamaIndex node id). */
  docId: string;
  text: string;
  metadata: Record<string, unknown>;
  /** LlamaIndex: the node as the docstore holds it (for `_node_content`), otherwise undefined. */
  node?: Record<string, unknown>;
  /** LlamaIndex: `__type__` of the node ("1" TextNode, ...). */
  nodeType?: string;
  /** LlamaIndex: the source document id (ref_doc_id). */
  refDocId?: string | null;
}

export interface DocumentStore {
  readonly kind: Exclude<SourceKind, 'faiss-file'>;
  /** The document for a FAISS label, or undefined when the store has none (counted, not fatal). */
  documentFor(label: bigint): SourceDocument | undefined;
  /**
   * The point id of the document a FAISS label names (`pointIdForDocument` of its id, computed once per
   * document), or undefined when the label has no document: the framework layouts' point id.
   */
  pointIdFor(label: bigint): string | undefined;
  /** Counts and examples of mismatches, filled once the labels of the index are known. */
  summarize(labels: AsyncIterable<BigInt64Array>): Promise<DocumentsSummary>;
  readonly count: number;
  /** Things the user should know about the documents (unusual classes, shadowed fields...). */
  readonly warnings?: readonly string[];
}
