/**
 * LangChain Python `FAISS.save_local`: `<index_name>.pkl` is a pickle of
 * `(docstore, index_to_docstore_id)`, the docstore an `InMemoryDocstore` whose state is
 * `{'_dict': {doc_id: Document}}`, the mapping `{faiss_label: doc_id}`. Documents are pydantic models:
 * v1 state `{'__dict__': {...}, '__fields_set__', ['__private_attribute_values__']}` or v2 state
 * `{'__dict__': {...}, '__pydantic_extra__', '__pydantic_fields_set__', '__pydantic_private__'}`; the
 * fields are `page_content`, `metadata` and (newer) `id`, `type`. Classes are recognised by duck typing
 * (a `page_content` field), so every class path LangChain has used works, and unfamiliar ones are named
 * in a warning. Nothing in the pickle is executed (see ./pickle/vm).
 */
import { UserError } from '../../../shared/errors';
import { PyFloat } from '../python-number';
import { JoinedDocuments, type Label } from './join';
import { maxDocstoreBytes, maxParseMemoryBytes, readBoundedFile } from './limits';
import { ConversionError, toJson, type JsonOut } from './pickle/to-json';
import { MemoReleasedError, PickleError, parsePickleAsync, type PickleOptions } from './pickle/vm';
import { PyDict, PyObject, PyTuple, pyTypeName } from './pickle/values';

/** Class paths real `index.pkl` files carry (faiss-format.md §3.1.1). */
export const KNOWN_DOCSTORE_CLASSES = ['langchain.docstore.in_memory.InMemoryDocstore', 'langchain_community.docstore.in_memory.InMemoryDocstore'];
export const KNOWN_DOCUMENT_CLASSES = [
  'langchain.schema.Document',
  'langchain.docstore.document.Document',
  'langchain.schema.document.Document',
  'langchain_core.documents.base.Document',
];

/** What BUILD keeps of a Document: its fields, already converted to JSON values. */
class DocumentFields {
  constructor(
    readonly text: string,
    readonly metadata: Record<string, JsonOut>,
    readonly id: string | null,
    readonly classPath: string,
  ) {}
}

function fieldsOf(state: unknown): PyDict | undefined {
  if (!(state instanceof PyDict)) return undefined;
  const inner = state.get('__dict__');
  if (inner instanceof PyDict) return inner;
  // Objects pickled without pydantic (a plain __dict__ as state).
  return state.has('page_content') ? state : undefined;
}

function docError(file: string, detail: string): UserError {
  return new UserError('badInput', `${file}: ${detail}; this is not a LangChain FAISS docstore this tool can read`);
}

export async function openLangChainPython(file: string): Promise<JoinedDocuments> {
  let data: Buffer | null = await readBoundedFile(file, maxDocstoreBytes(), 'LangChain docstore (.pkl)');
  const unfamiliar = new Set<string>();
  const unknownValues = new Set<string>();
  const noteUnknown = (c: string) => void unknownValues.add(c);
  let root: unknown;
  const options: PickleOptions = {
    maxMemoryBytes: maxParseMemoryBytes(),
    // Each Document's raw pydantic state is dropped once compacted (see releaseBuiltState).
    releaseBuiltState: true,
    onBuild: (obj, state) => {
      // Compact each Document as soon as its state arrives, so the raw pydantic state can be collected.
      const fields = fieldsOf(state);
      if (!fields || typeof fields.get('page_content') !== 'string') return state;
      const classPath = obj.classPath ?? 'unknown';
      if (!KNOWN_DOCUMENT_CLASSES.includes(classPath)) unfamiliar.add(classPath);
      let metadata: JsonOut;
      try {
        metadata = toJson(fields.get('metadata') ?? new PyDict(), { onUnknownClass: noteUnknown });
      } catch (e) {
        if (e instanceof ConversionError) throw new PickleError(`a document's metadata is ${e.message}`, 0);
        throw e;
      }
      if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata) || metadata instanceof PyFloat) {
        throw new PickleError(`a document's metadata is a ${pyTypeName(fields.get('metadata'))}, not a dict`, 0);
      }
      const id = fields.get('id');
      return new DocumentFields(fields.get('page_content') as string, metadata, typeof id === 'string' ? id : null, classPath);
    },
  };
  try {
    try {
      root = await parsePickleAsync(data, options);
    } catch (e) {
      if (!(e instanceof MemoReleasedError)) throw e;
      unfamiliar.clear();
      unknownValues.clear();
      root = await parsePickleAsync(data, { ...options, releaseBuiltState: false });
    }
    data = null;
  } catch (e) {
    if (e instanceof PickleError) throw new UserError('badInput', `${file}: ${e.message}; not a readable LangChain docstore pickle`);
    throw e;
  }

  if (!(root instanceof PyTuple) || root.items.length !== 2) {
    if (root instanceof PyTuple && root.items.length === 3) throw docError(file, 'holds 3 values (FAISS.serialize_to_bytes output, index inside the pickle)');
    throw docError(file, `holds a ${pyTypeName(root)}, expected the pair (docstore, index_to_docstore_id) that FAISS.save_local writes`);
  }
  const [docstore, mapping] = root.items;
  if (!(docstore instanceof PyObject)) throw docError(file, `the docstore is a ${pyTypeName(docstore)}, not an object`);
  const dsClass = docstore.classPath ?? 'unknown';
  const dsState = docstore.state instanceof PyDict && docstore.state.get('__dict__') instanceof PyDict ? (docstore.state.get('__dict__') as PyDict) : docstore.state;
  const dict = dsState instanceof PyDict ? dsState.get('_dict') : undefined;
  if (docstore.how === 'REDUCE' && !(dict instanceof PyDict)) throw docError(file, `the docstore is a call to ${dsClass} (recorded, never run)`);
  if (!(dict instanceof PyDict)) throw docError(file, `the docstore (${dsClass}) has no _dict of documents; only InMemoryDocstore is supported`);
  if (!(mapping instanceof PyDict)) throw docError(file, `index_to_docstore_id is a ${pyTypeName(mapping)}, not a dict`);

  const warnings: string[] = [];
  if (!KNOWN_DOCSTORE_CLASSES.includes(dsClass)) unfamiliar.add(dsClass);
  // Columns, not one object per document: a million documents cost their strings and metadata only.
  const ids: string[] = [];
  const texts: string[] = [];
  const metadatas: Record<string, unknown>[] = [];
  const notDocuments: string[] = [];
  for (const [key, value] of dict.entries()) {
    const docId = String(key);
    const fields = value instanceof PyObject ? value.state : undefined;
    if (!(fields instanceof DocumentFields)) {
      notDocuments.push(`"${docId}" (${pyTypeName(value)})`);
      continue;
    }
    ids.push(docId);
    texts.push(fields.text);
    metadatas.push(fields.metadata as Record<string, unknown>);
  }
  if (notDocuments.length) warnings.push(`${file}: ${notDocuments.length} docstore entries are not Documents and are skipped, e.g. ${notDocuments.slice(0, 3).join(', ')}`);
  if (unfamiliar.size) warnings.push(`${file}: unfamiliar class paths read by their fields: ${[...unfamiliar].join(', ')}`);
  if (unknownValues.size) warnings.push(`${file}: metadata values of classes with no JSON form were stored as their contents: ${[...unknownValues].slice(0, 5).join(', ')}`);

  const pairs: [Label, string][] = [];
  for (const [label, id] of mapping.entries()) {
    if (typeof label !== 'bigint' && !(typeof label === 'number' && Number.isInteger(label))) throw docError(file, `index_to_docstore_id has a ${pyTypeName(label)} key, expected FAISS labels (int)`);
    if (typeof id !== 'string' && typeof id !== 'number' && typeof id !== 'bigint') throw docError(file, `index_to_docstore_id maps ${label} to a ${pyTypeName(id)}, expected a document id`);
    pairs.push([label, String(id)]);
  }
  return new JoinedDocuments({
    kind: 'langchain-python',
    mappingName: 'index_to_docstore_id',
    documentIds: ids,
    documentAt: (i) => ({ docId: ids[i]!, text: texts[i]!, metadata: metadatas[i]! }),
    mapping: pairs,
    defaultLayout: 'langchain',
    warnings,
  });
}
