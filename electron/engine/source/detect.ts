/**
 * What a FAISS_INDEX_PATH points at: a lone FAISS file, or a folder a RAG framework saved (LangChain
 * Python `save_local`, LangChain JS `FaissStore.save`, LlamaIndex `StorageContext.persist` with a
 * FaissVectorStore or FaissMapVectorStore). Detection looks only at file names and a few leading bytes,
 * never at the whole files (see docs/sources.md, "How a folder is recognised").
 */
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { SourceKind } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';

export interface DetectedSource {
  kind: SourceKind;
  /** The FAISS file holding the vectors. */
  indexPath: string;
  /** The files holding documents (kind-specific names: see the docstore loaders). */
  files: Record<string, string>;
  warnings: string[];
}

/** First bytes of every FAISS index file start with a four-character code of printable ASCII starting "I". */
async function leadingBytes(path: string, n: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** True when the file begins like a FAISS index (fourcc "I..." of letters/digits), not like JSON or a pickle. */
export async function looksLikeFaiss(path: string): Promise<boolean> {
  const head = await leadingBytes(path, 4);
  return head.length === 4 && head[0] === 0x49 /* I */ && /^[A-Za-z0-9_]{4}$/.test(head.toString('latin1'));
}

async function firstNonSpaceChar(path: string): Promise<string | undefined> {
  const head = await leadingBytes(path, 4096);
  const m = /[^\s\uFEFF]/.exec(head.toString('utf8'));
  return m?.[0];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** A path the user gave: a file or a folder. */
export async function detectSource(path: string): Promise<DetectedSource> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError('badInput', `${path}: ${code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? String(e)})`}; set FAISS_INDEX_PATH to a FAISS index file or a LangChain/LlamaIndex folder`);
  }
  if (st.isDirectory()) return detectFolder(path);
  return detectFile(path);
}

async function detectFile(path: string): Promise<DetectedSource> {
  const ext = extname(path);
  // A LangChain pickle named directly selects that index_name in a folder holding several.
  if (ext === '.pkl') {
    const faiss = join(dirname(path), `${basename(path, ext)}.faiss`);
    if (!(await isFile(faiss))) {
      throw new UserError('badInput', `${path}: a LangChain docstore needs its index beside it, but ${faiss} does not exist`);
    }
    return { kind: 'langchain-python', indexPath: faiss, files: { pickle: path }, warnings: [] };
  }
  const warnings: string[] = [];
  if (ext === '.faiss') {
    const pkl = join(dirname(path), `${basename(path, ext)}.pkl`);
    if (await isFile(pkl)) {
      warnings.push(`${pkl} beside this index holds LangChain documents; set FAISS_INDEX_PATH to the folder ${dirname(path)} to migrate their text and metadata too`);
    }
  }
  return { kind: 'faiss-file', indexPath: path, files: {}, warnings };
}

async function detectFolder(dir: string): Promise<DetectedSource> {
  const names = new Set(await readdir(dir));
  const has = (n: string) => names.has(n);

  // LlamaIndex: StorageContext.persist writes "<namespace>__vector_store.json"; with a Faiss store it is a
  // binary FAISS file despite the name. The default namespace wins when there are several.
  if (has('docstore.json') && has('index_store.json')) {
    const vectorFiles = [...names].filter((n) => n.endsWith('__vector_store.json')).sort((a, b) => (a === 'default__vector_store.json' ? -1 : b === 'default__vector_store.json' ? 1 : a.localeCompare(b)));
    const faissFiles: string[] = [];
    for (const n of vectorFiles) if (await looksLikeFaiss(join(dir, n))) faissFiles.push(n);
    const chosen = faissFiles[0];
    if (chosen) {
      const warnings = faissFiles.length > 1 ? [`${dir} holds several FAISS vector stores (${faissFiles.join(', ')}); migrating ${chosen}`] : [];
      const files: Record<string, string> = { docstore: join(dir, 'docstore.json'), indexStore: join(dir, 'index_store.json') };
      if (has('id_map.json')) {
        files.idMap = join(dir, 'id_map.json');
        return { kind: 'llamaindex-map', indexPath: join(dir, chosen), files, warnings };
      }
      return { kind: 'llamaindex', indexPath: join(dir, chosen), files, warnings };
    }
    if (vectorFiles.length > 0) {
      throw new UserError('badInput', `${dir}: this LlamaIndex folder uses a SimpleVectorStore (${vectorFiles[0]} is JSON, not FAISS); only FaissVectorStore folders can be migrated`);
    }
  }

  // LangChain JS: FaissStore.save writes exactly "faiss.index" and "docstore.json" (a 2-element array).
  if (has('faiss.index') && has('docstore.json') && (await firstNonSpaceChar(join(dir, 'docstore.json'))) === '[') {
    return { kind: 'langchain-js', indexPath: join(dir, 'faiss.index'), files: { docstore: join(dir, 'docstore.json') }, warnings: [] };
  }

  // LangChain Python: "<index_name>.faiss" + "<index_name>.pkl" (index_name defaults to "index").
  const pairs = [...names].filter((n) => n.endsWith('.faiss') && has(`${n.slice(0, -'.faiss'.length)}.pkl`)).map((n) => n.slice(0, -'.faiss'.length)).sort();
  if (pairs.length > 1 && !pairs.includes('index')) {
    throw new UserError('badInput', `${dir} holds several LangChain indexes (${pairs.join(', ')}); set FAISS_INDEX_PATH to the .pkl of the one to migrate, e.g. ${join(dir, `${pairs[0]}.pkl`)}`);
  }
  const stem = pairs.includes('index') ? 'index' : pairs[0];
  if (stem !== undefined) {
    const warnings = pairs.length > 1 ? [`${dir} holds several LangChain indexes (${pairs.join(', ')}); migrating "index" (set FAISS_INDEX_PATH to another .pkl to choose)`] : [];
    return { kind: 'langchain-python', indexPath: join(dir, `${stem}.faiss`), files: { pickle: join(dir, `${stem}.pkl`) }, warnings };
  }

  // No docstore: a folder with exactly one FAISS file still migrates, vectors only.
  const faissLike: string[] = [];
  for (const n of [...names].sort()) {
    const p = join(dir, n);
    if ((await isFile(p)) && (await looksLikeFaiss(p))) faissLike.push(n);
  }
  if (faissLike.length === 1) {
    return { kind: 'faiss-file', indexPath: join(dir, faissLike[0]!), files: {}, warnings: [`${dir}: no LangChain or LlamaIndex docstore found beside ${faissLike[0]}; migrating vectors without documents`] };
  }
  if (faissLike.length > 1) {
    throw new UserError('badInput', `${dir} holds several FAISS files (${faissLike.join(', ')}) and no docstore naming one; set FAISS_INDEX_PATH to the file to migrate`);
  }
  throw new UserError('badInput', `${dir}: no FAISS index found (expected index.faiss + index.pkl, faiss.index + docstore.json, a LlamaIndex persist folder, or a FAISS file)`);
}
