/**
 * Qdrant payloads for migrated points, in the layout the RAG framework's own Qdrant store reads, so an
 * app can switch from FAISS to Qdrant without re-embedding:
 *
 * - `langchain`: `{page_content, metadata}`, what langchain-qdrant's QdrantVectorStore `_build_payloads`
 *   writes and `_document_from_point` reads (content key "page_content", metadata key "metadata").
 * - `llamaindex`: what llama-index-vector-stores-qdrant writes with `node_to_metadata_dict`: the node's
 *   metadata flattened to the top level, `_node_content` (the node as JSON, embedding null), `_node_type`,
 *   and `document_id` / `doc_id` / `ref_doc_id` (the source document id, or "None").
 * - `raw`: `{metadata}` only, no text.
 *
 * Every layout also carries the seed's fields: `source` (the engine passes "faiss", the value the seed's
 * keyword index expects: it names the system the point came from, not the document's own source,
 * which stays in `metadata.source`), `faiss_id` (exact: a number when safe, else a bigint that the body
 * writer prints digit for digit), `migrated_at`, `batch_num`. When a document's flattened metadata
 * (llamaindex layout) has a field with one of these names, the seed's value takes that place and the
 * node's own value stays in `_node_content`, which is what LlamaIndex reads back.
 *
 * A vector without a document gets the seed's fields only (nothing invented); LangChain reads such a
 * point as a Document with empty text.
 */
import type { PayloadLayout } from '../../../shared/contract';
import type { SourceDocument } from '../docstore/types';
import { pythonJsonDumps } from './python-json';

export type ConcretePayloadLayout = Exclude<PayloadLayout, 'auto'>;

export interface PayloadSeed {
  source: string;
  faiss_id: bigint | number;
  migrated_at: string;
  batch_num: number;
}

export type Payload = Record<string, unknown>;

export const SEED_FIELDS = ['source', 'faiss_id', 'migrated_at', 'batch_num'] as const;

/** LlamaIndex's `__type__` codes in docstore.json → `class_name()`. */
const LLAMA_NODE_TYPES: Record<string, string> = { '1': 'TextNode', '2': 'ImageNode', '3': 'IndexNode', '4': 'Document' };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function exactId(id: bigint | number): bigint | number {
  if (typeof id === 'number') return id;
  return id >= -MAX_SAFE && id <= MAX_SAFE ? Number(id) : id;
}

function nullObject(): Payload {
  return Object.create(null) as Payload;
}

function copyInto(target: Payload, source: Record<string, unknown>): void {
  // Own keys copied as data: a "__proto__" key in the metadata stays a field.
  for (const k of Object.keys(source)) target[k] = source[k];
}

/** The node LlamaIndex would store for a document that did not come from LlamaIndex (a TextNode). */
export function textNodeFor(doc: SourceDocument): Record<string, unknown> {
  return {
    id_: doc.docId,
    embedding: null,
    metadata: doc.metadata,
    excluded_embed_metadata_keys: [],
    excluded_llm_metadata_keys: [],
    relationships: {},
    metadata_template: '{key}: {value}',
    metadata_separator: '\n',
    text: doc.text,
    mimetype: 'text/plain',
    start_char_idx: null,
    end_char_idx: null,
    text_template: '{metadata_str}\n\n{content}',
    class_name: 'TextNode',
  };
}

function llamaIndexFields(doc: SourceDocument, out: Payload): void {
  const node = doc.node ? { ...doc.node, embedding: null } : textNodeFor(doc);
  copyInto(out, doc.metadata);
  out._node_content = pythonJsonDumps(node);
  const className = typeof node.class_name === 'string' ? node.class_name : LLAMA_NODE_TYPES[doc.nodeType ?? '1'] ?? 'TextNode';
  out._node_type = className;
  const ref = doc.refDocId ?? 'None';
  out.document_id = ref;
  out.doc_id = ref;
  out.ref_doc_id = ref;
}

export function buildPayload(layout: PayloadLayout, doc: SourceDocument | undefined, seed: PayloadSeed): Payload {
  const out = nullObject();
  if (doc) {
    const concrete: ConcretePayloadLayout = layout === 'auto' ? (doc.node ? 'llamaindex' : 'langchain') : layout;
    if (concrete === 'langchain') {
      out.page_content = doc.text;
      out.metadata = doc.metadata;
    } else if (concrete === 'llamaindex') {
      llamaIndexFields(doc, out);
    } else {
      out.metadata = doc.metadata;
    }
  }
  out.source = seed.source;
  out.faiss_id = exactId(seed.faiss_id);
  out.migrated_at = seed.migrated_at;
  out.batch_num = seed.batch_num;
  return out;
}

/** The layout a run uses: the setting, or for "auto" the one the source's framework reads. */
export function resolvePayloadLayout(layout: PayloadLayout, defaultLayout: ConcretePayloadLayout | undefined): ConcretePayloadLayout {
  return layout === 'auto' ? (defaultLayout ?? 'raw') : layout;
}
