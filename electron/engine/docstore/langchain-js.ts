/**
 * LangChain JS `FaissStore.save(dir)`: `docstore.json` is
 * `[[[docId, {pageContent, metadata, id?}], ...], {"<faiss label>": docId, ...}]`
 * (`JSON.stringify([Array.from(docstore._docs.entries()), this._mapping])`).
 */
import { UserError } from '../../../shared/errors';
import { JoinedDocuments, columns, type Label } from './join';
import { MAX_DOCUMENT_DEPTH, isPlainObject, jsonDepthExceeds, readJsonFile } from './json-file';
import type { SourceDocument } from './types';

const INT = /^-?\d+$/;

export async function openLangChainJs(file: string): Promise<JoinedDocuments> {
  const root = await readJsonFile(file, 'LangChain JS docstore');
  const bad = (detail: string) => new UserError('badInput', `${file}: ${detail}; expected the [entries, mapping] pair FaissStore.save writes`);
  if (!Array.isArray(root) || root.length !== 2) throw bad(`top level is ${Array.isArray(root) ? `an array of ${root.length}` : typeof root}`);
  const [entries, mapping] = root as [unknown, unknown];
  if (!Array.isArray(entries)) throw bad('the first element is not an array of [id, document] entries');
  if (!isPlainObject(mapping)) throw bad('the second element is not an object mapping FAISS labels to ids');

  const documents = new Map<string, SourceDocument>();
  const warnings: string[] = [];
  entries.forEach((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || !isPlainObject(entry[1])) {
      throw bad(`entry ${i} is not an [id, {pageContent, metadata}] pair`);
    }
    const [docId, doc] = entry as [string, Record<string, unknown>];
    if (typeof doc.pageContent !== 'string') throw bad(`document "${docId}" has no pageContent string`);
    const metadata = doc.metadata ?? {};
    if (!isPlainObject(metadata)) throw bad(`document "${docId}" has metadata that is not an object`);
    if (jsonDepthExceeds(metadata)) throw bad(`document "${docId}" has metadata nested deeper than ${MAX_DOCUMENT_DEPTH} levels`);
    documents.set(docId, { docId, text: doc.pageContent, metadata });
  });

  const pairs: [Label, string][] = [];
  for (const [key, id] of Object.entries(mapping)) {
    if (!INT.test(key)) throw bad(`mapping key "${key.slice(0, 40)}" is not a FAISS label`);
    if (typeof id !== 'string') throw bad(`mapping ${key} → ${typeof id}, expected a document id string`);
    pairs.push([BigInt(key), id]);
  }
  return new JoinedDocuments({ kind: 'langchain-js', mappingName: 'the docstore.json mapping', documentIds: [...documents.keys()], documentAt: columns(documents), mapping: pairs, defaultLayout: 'langchain', warnings });
}
