/**
 * Qdrant payloads for migrated points, in the layout the RAG framework's own Qdrant store reads, so an
 * app can switch from FAISS to Qdrant without re-embedding:
 *
 * - `langchain`: `{page_content, metadata}`, what langchain-qdrant's QdrantVectorStore `_build_payloads`
 *   writes and `_document_from_point` reads (content key "page_content", metadata key "metadata").
 * - `llamaindex`: what llama-index-vector-stores-qdrant writes with `node_to_metadata_dict`: the node's
 *   metadata flattened to the top level, `_node_content` (the node as `json.dumps` writes it, embedding
 *   null), `_node_type`, and `document_id` / `doc_id` / `ref_doc_id` (the source document id, or "None").
 * - `raw`: `{metadata}` only, no text.
 *
 * The migration's own fields (see shared/contract/payload.ts): `source` ("faiss": the system the point came
 * from, not the document's own source), `faiss_id` (exact: a number when safe, else a bigint the body
 * writer prints digit for digit), `migrated_at`, `batch_num`. In the `raw` layout they are top-level keys
 * as the seed wrote them. In the framework layouts the document's metadata owns the payload, so they sit
 * under `_xnai` with `doc_id` (the framework's document id), and never overwrite or shadow a user's key.
 *
 * Numbers follow ../python-number: a Python float stays a PyFloat and is written `5.0`, never `5`.
 *
 * A vector without a document gets the migration's fields only (nothing invented); LangChain reads such a
 * point as a Document with empty text.
 */
import { MIGRATION_FIELDS_KEY, isFrameworkLayout, type PayloadLayout } from '../../../shared/contract';
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
  // "auto" without a run's resolution: the layout the document's framework reads.
  const concrete: ConcretePayloadLayout = layout === 'auto' ? (doc ? (doc.node ? 'llamaindex' : 'langchain') : 'raw') : layout;
  if (doc) {
    if (concrete === 'langchain') {
      out.page_content = doc.text;
      out.metadata = doc.metadata;
    } else if (concrete === 'llamaindex') {
      llamaIndexFields(doc, out);
    } else {
      out.metadata = doc.metadata;
    }
  }
  if (isFrameworkLayout(concrete)) {
    // Set last, as the whole `_xnai` object: a document's own `_xnai` key is refused before a run starts.
    const own = nullObject();
    own.source = seed.source;
    own.faiss_id = exactId(seed.faiss_id);
    own.migrated_at = seed.migrated_at;
    own.batch_num = seed.batch_num;
    if (doc) own.doc_id = doc.docId;
    out[MIGRATION_FIELDS_KEY] = own;
    return out;
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
