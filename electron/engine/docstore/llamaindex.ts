/**
 * LlamaIndex `StorageContext.persist()` with a FaissVectorStore or FaissMapVectorStore:
 * - `docstore.json`: `{"docstore/data": {node_id: {"__type__": "1", "__data__": {...node...}}}, "docstore/metadata": {node_id: {ref_doc_id,...}}}`
 * - `index_store.json`: `{"index_store/data": {index_id: {"__type__": "vector_store", "__data__": "<JSON text>"}}}`,
 *   whose `nodes_dict` maps the vector store's id to the node id. FaissVectorStore's ids are the FAISS
 *   row numbers ("0", "1", ...), which are its labels.
 * - FaissMapVectorStore: `id_map.json` `{"faiss_id_to_node_id_map": {"<label>": node_id}, ...}` (older
 *   versions wrote Python's `str(dict)`, read here by a literal parser) gives label → node id.
 */
import { UserError } from '../../../shared/errors';
import { JoinedDocuments, columns, type Label } from './join';
import { MAX_DOCUMENT_DEPTH, isPlainObject, jsonDepthExceeds, parseDocstoreJson, readJsonFile } from './json-file';
import { parsePythonLiteral } from './python-literal';
import { MAX_JSON_BYTES, maxDocstoreBytes, readBoundedFile } from './limits';
import type { SourceDocument } from './types';

const INT = /^-?\d+$/;
/** NodeRelationship.SOURCE: the relationship naming the document a node was cut from. */
const SOURCE_RELATIONSHIP = '1';

function parseMaybeJsonText(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return parseDocstoreJson(v);
  } catch {
    return undefined;
  }
}

function nodeText(data: Record<string, unknown>): string | undefined {
  if (typeof data.text === 'string') return data.text;
  const res = data.text_resource;
  if (isPlainObject(res) && typeof res.text === 'string') return res.text;
  return undefined;
}

function refDocIdOf(data: Record<string, unknown>, meta: unknown): string | null {
  const rel = isPlainObject(data.relationships) ? data.relationships[SOURCE_RELATIONSHIP] : undefined;
  if (isPlainObject(rel) && typeof rel.node_id === 'string') return rel.node_id;
  if (isPlainObject(meta) && typeof meta.ref_doc_id === 'string') return meta.ref_doc_id;
  return null;
}

async function readDocuments(file: string, warnings: string[]): Promise<Map<string, SourceDocument>> {
  const root = await readJsonFile(file, 'LlamaIndex docstore');
  const bad = (detail: string) => new UserError('badInput', `${file}: ${detail}; expected a LlamaIndex docstore ("docstore/data")`);
  if (!isPlainObject(root) || !isPlainObject(root['docstore/data'])) throw bad('no "docstore/data" object');
  const data = root['docstore/data'];
  const metadataById = isPlainObject(root['docstore/metadata']) ? root['docstore/metadata'] : {};
  const documents = new Map<string, SourceDocument>();
  let withoutText = 0;
  for (const [nodeId, entry] of Object.entries(data)) {
    if (!isPlainObject(entry)) throw bad(`entry "${nodeId}" is not an object`);
    const node = parseMaybeJsonText(entry.__data__);
    if (!isPlainObject(node)) throw bad(`entry "${nodeId}" has no __data__ node`);
    const text = nodeText(node);
    if (text === undefined) withoutText++;
    const metadata = node.metadata ?? {};
    if (!isPlainObject(metadata)) throw bad(`node "${nodeId}" has metadata that is not an object`);
    if (jsonDepthExceeds(node)) throw bad(`node "${nodeId}" is nested deeper than ${MAX_DOCUMENT_DEPTH} levels`);
    documents.set(nodeId, {
      docId: nodeId,
      text: text ?? '',
      metadata,
      node,
      nodeType: typeof entry.__type__ === 'string' ? entry.__type__ : undefined,
      refDocId: refDocIdOf(node, metadataById[nodeId]),
    });
  }
  if (withoutText) warnings.push(`${file}: ${withoutText} nodes have no text (image or index nodes); their text is empty`);
  return documents;
}

/** `nodes_dict` of every vector-store index in index_store.json: vector id → node id. */
async function readNodesDict(file: string, warnings: string[]): Promise<Map<string, string>> {
  const root = await readJsonFile(file, 'LlamaIndex index store');
  const bad = (detail: string) => new UserError('badInput', `${file}: ${detail}; expected a LlamaIndex index store ("index_store/data")`);
  if (!isPlainObject(root) || !isPlainObject(root['index_store/data'])) throw bad('no "index_store/data" object');
  const out = new Map<string, string>();
  let conflicts = 0;
  for (const [indexId, entry] of Object.entries(root['index_store/data'])) {
    if (!isPlainObject(entry) || entry.__type__ !== 'vector_store') continue;
    const inner = parseMaybeJsonText(entry.__data__);
    if (!isPlainObject(inner) || !isPlainObject(inner.nodes_dict)) throw bad(`index "${indexId}" has no nodes_dict`);
    for (const [vectorId, nodeId] of Object.entries(inner.nodes_dict)) {
      if (typeof nodeId !== 'string') throw bad(`nodes_dict["${vectorId}"] is not a node id`);
      if (out.has(vectorId) && out.get(vectorId) !== nodeId) conflicts++;
      out.set(vectorId, nodeId);
    }
  }
  if (conflicts) warnings.push(`${file}: ${conflicts} vector ids are claimed by several indexes; the last one wins`);
  return out;
}

async function readIdMap(file: string): Promise<Record<string, unknown>> {
  const bad = (detail: string) => new UserError('badInput', `${file}: ${detail}; expected FaissMapVectorStore's id_map.json`);
  const text = (await readBoundedFile(file, Math.min(MAX_JSON_BYTES, maxDocstoreBytes()), 'id map')).toString('utf8');
  let root: unknown;
  if (/^\s*\{\s*"/.test(text) || /^\s*\{\s*\}/.test(text)) root = await readJsonFile(file, 'id map');
  else {
    try {
      root = parsePythonLiteral(text);
    } catch (e) {
      throw bad(`neither JSON nor a Python dict literal (${(e as Error).message})`);
    }
  }
  if (!isPlainObject(root)) throw bad('top level is not an object');
  const map = root.faiss_id_to_node_id_map;
  if (!isPlainObject(map)) throw bad('no faiss_id_to_node_id_map');
  return map;
}

export async function openLlamaIndex(files: Record<string, string>, kind: 'llamaindex' | 'llamaindex-map'): Promise<JoinedDocuments> {
  const warnings: string[] = [];
  const documents = await readDocuments(files.docstore!, warnings);
  const pairs: [Label, string][] = [];
  if (kind === 'llamaindex-map') {
    const file = files.idMap!;
    for (const [label, nodeId] of Object.entries(await readIdMap(file))) {
      if (!INT.test(label) || typeof nodeId !== 'string') throw new UserError('badInput', `${file}: faiss_id_to_node_id_map entry "${label.slice(0, 40)}" is not a FAISS label → node id`);
      pairs.push([BigInt(label), nodeId]);
    }
    return new JoinedDocuments({ kind, mappingName: 'id_map.json', documentIds: [...documents.keys()], documentAt: columns(documents), mapping: pairs, defaultLayout: 'llamaindex', warnings });
  }
  const file = files.indexStore!;
  for (const [vectorId, nodeId] of await readNodesDict(file, warnings)) {
    if (!INT.test(vectorId)) throw new UserError('badInput', `${file}: nodes_dict key "${vectorId.slice(0, 40)}" is not a FAISS row number; is this a FaissMapVectorStore folder missing its id_map.json?`);
    pairs.push([BigInt(vectorId), nodeId]);
  }
  return new JoinedDocuments({ kind, mappingName: 'index_store.json nodes_dict', documentIds: [...documents.keys()], documentAt: columns(documents), mapping: pairs, defaultLayout: 'llamaindex', warnings });
}
