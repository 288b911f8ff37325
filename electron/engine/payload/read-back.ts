/**
 * The inverse of `buildPayload` for display: which document a point's payload holds and where its parts
 * are, recognised by the keys each layout writes (see index.ts). Works on any collection, not only ones this
 * tool wrote: LangChain's and LlamaIndex's own Qdrant stores write the same keys.
 */
import { MIGRATION_FIELDS, MIGRATION_FIELDS_KEY, type PointDocument } from '../../../shared/contract';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Metadata keys that can be named as one payload path (a key holding "." or "[" cannot). */
const pathable = (k: string) => k !== '' && !/[.[\]]/.test(k);

/** The text of a LlamaIndex node: `text` (up to 0.11) or `text_resource.text` (0.12 and later). */
function nodeText(node: Record<string, unknown>): string | null {
  if (typeof node.text === 'string') return node.text;
  const res = node.text_resource;
  return isObject(res) && typeof res.text === 'string' ? res.text : null;
}

const SEED = new Set<string>(MIGRATION_FIELDS);

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function parseNode(json: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(json);
    return isObject(v) ? v : null;
  } catch {
    // Python's json.dumps writes NaN/Infinity, which JSON.parse refuses: the text is then not shown.
    return null;
  }
}

export function documentOf(payload: Record<string, unknown> | null): PointDocument | null {
  if (!payload) return null;
  if (typeof payload._node_content === 'string') {
    const node = parseNode(payload._node_content);
    const meta = node && isObject(node.metadata) ? node.metadata : {};
    // LlamaIndex flattens the node's metadata to the top level. Collections migrated before the migration's
    // fields moved under `_xnai` had the seed's fields take such a key (`source`): the node keeps its own
    // value and the top level holds the seed's, which is not the document's path.
    const seedOnTop = !(MIGRATION_FIELDS_KEY in payload);
    const isDocs = (k: string) => k in payload && (!seedOnTop || !SEED.has(k) || sameJson(payload[k], meta[k]));
    return { layout: 'llamaindex', text: node ? nodeText(node) : null, metadataPaths: Object.keys(meta).filter((k) => pathable(k) && isDocs(k)) };
  }
  const metadata = isObject(payload.metadata) ? Object.keys(payload.metadata).filter(pathable).map((k) => `metadata.${k}`) : null;
  if ('page_content' in payload) {
    return { layout: 'langchain', text: typeof payload.page_content === 'string' ? payload.page_content : null, metadataPaths: metadata ?? [] };
  }
  if (metadata) return { layout: 'raw', text: null, metadataPaths: metadata };
  return null;
}
