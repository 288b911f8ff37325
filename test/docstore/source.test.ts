/**
 * openSource on every way a user may point FAISS_INDEX_PATH: lone files, folders of each framework,
 * a chosen index_name, ambiguous and empty folders; and the fingerprint that guards resumes.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSource } from '../../electron/engine/source';
import { SourceFingerprintSchema, SourceSummarySchema } from '../../shared/contract';
import { STORES } from './support';

const temps: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'xnai-src-'));
  temps.push(d);
  return d;
}
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openSource', () => {
  it('a lone FAISS file gives vectors only, and notes a LangChain pickle beside it', async () => {
    const path = join(STORES, 'langchain-py', 'index.faiss');
    const s = await openSource(path);
    try {
      expect(SourceSummarySchema.parse(s.summary)).toEqual(s.summary);
      expect(s.summary.kind).toBe('faiss-file');
      expect(s.documents).toBeNull();
      expect(s.summary.documents).toBeNull();
      expect(s.summary.warnings).toEqual([`${join(STORES, 'langchain-py', 'index.pkl')} beside this index holds LangChain documents; set FAISS_INDEX_PATH to the folder ${join(STORES, 'langchain-py')} to migrate their text and metadata too`]);
    } finally {
      await s.close();
    }
  });

  it('a custom index_name folder is found by its .faiss/.pkl pair', async () => {
    const s = await openSource(join(STORES, 'langchain-py-custom'));
    try {
      expect(s.summary.indexPath).toBe(join(STORES, 'langchain-py-custom', 'kb.faiss'));
      expect(s.summary.documents!.count).toBe(7);
    } finally {
      await s.close();
    }
  });

  it('several indexes in one folder: "index" wins with a warning, a .pkl path chooses, none named is an error', async () => {
    const dir = tempDir();
    for (const f of ['index.faiss', 'index.pkl']) copyFileSync(join(STORES, 'langchain-py', f), join(dir, f));
    for (const f of ['kb.faiss', 'kb.pkl']) copyFileSync(join(STORES, 'langchain-py-custom', f), join(dir, f));
    const a = await openSource(dir);
    expect(a.summary.indexPath).toBe(join(dir, 'index.faiss'));
    expect(a.summary.warnings[0]).toMatch(/holds several LangChain indexes \(index, kb\); migrating "index"/);
    await a.close();
    const b = await openSource(join(dir, 'kb.pkl'));
    expect(b.summary.kind).toBe('langchain-python');
    expect(b.summary.indexPath).toBe(join(dir, 'kb.faiss'));
    await b.close();
    rmSync(join(dir, 'index.faiss'));
    rmSync(join(dir, 'index.pkl'));
    copyFileSync(join(STORES, 'langchain-py-custom', 'kb.faiss'), join(dir, 'other.faiss'));
    copyFileSync(join(STORES, 'langchain-py-custom', 'kb.pkl'), join(dir, 'other.pkl'));
    await expect(openSource(dir)).rejects.toThrow(`${dir} holds several LangChain indexes (kb, other); set FAISS_INDEX_PATH to the .pkl of the one to migrate, e.g. ${join(dir, 'kb.pkl')}`);
  });

  it('a folder with one FAISS file and no docstore migrates vectors only, with a warning', async () => {
    const dir = tempDir();
    copyFileSync(join(STORES, 'langchain-js', 'faiss.index'), join(dir, 'vectors.bin'));
    const s = await openSource(dir);
    expect(s.summary.kind).toBe('faiss-file');
    expect(s.summary.warnings[0]).toMatch(/no LangChain or LlamaIndex docstore found beside vectors\.bin/);
    await s.close();
  });

  it('refuses a LlamaIndex SimpleVectorStore folder, a missing path and a .pkl without its index', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'docstore.json'), '{"docstore/data": {}}');
    writeFileSync(join(dir, 'index_store.json'), '{"index_store/data": {}}');
    writeFileSync(join(dir, 'default__vector_store.json'), '{"embedding_dict": {}}');
    await expect(openSource(dir)).rejects.toThrow(/uses a SimpleVectorStore \(default__vector_store\.json is JSON, not FAISS\)/);
    await expect(openSource(join(dir, 'nope'))).rejects.toThrow(`${join(dir, 'nope')}: no such file or folder; set FAISS_INDEX_PATH to a FAISS index file or a LangChain/LlamaIndex folder`);
    copyFileSync(join(STORES, 'langchain-py', 'index.pkl'), join(dir, 'lonely.pkl'));
    await expect(openSource(join(dir, 'lonely.pkl'))).rejects.toThrow(`a LangChain docstore needs its index beside it, but ${join(dir, 'lonely.faiss')} does not exist`);
  });

  it('a LangChain JS docstore.json that is not the [entries, mapping] pair is refused in one line', async () => {
    const dir = tempDir();
    copyFileSync(join(STORES, 'langchain-js', 'faiss.index'), join(dir, 'faiss.index'));
    writeFileSync(join(dir, 'docstore.json'), '[[["a", {"pageContent": 5}]], {"0": "a"}]');
    await expect(openSource(dir)).rejects.toThrow(`${join(dir, 'docstore.json')}: document "a" has no pageContent string; expected the [entries, mapping] pair FaissStore.save writes`);
    writeFileSync(join(dir, 'docstore.json'), '[[["a", {"pageContent": "x"}]], {"0": "a"');
    await expect(openSource(dir)).rejects.toThrow(/docstore\.json: the LangChain JS docstore is not valid JSON/);
  });

  it('JSON docstores keep __proto__ keys as data and big integers exact', async () => {
    const dir = tempDir();
    copyFileSync(join(STORES, 'langchain-js', 'faiss.index'), join(dir, 'faiss.index'));
    const entries = Array.from({ length: 7 }, (_, i) => `["d${i}", {"pageContent": "t${i}", "metadata": {"__proto__": {"polluted": true}, "n": 12345678901234567890}}]`);
    writeFileSync(join(dir, 'docstore.json'), `[[${entries.join(',')}], {${entries.map((_, i) => `"${i}": "d${i}"`).join(',')}}]`);
    const s = await openSource(dir);
    try {
      const doc = s.documents!.documentFor(6n)!;
      expect(Object.keys(doc.metadata)).toEqual(['__proto__', 'n']);
      expect(doc.metadata.n).toBe(12345678901234567890n);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('fingerprint: path, size, mtime and sha256 of the first 64 KiB of the FAISS file', async () => {
    const dir = tempDir();
    for (const f of ['index.faiss', 'index.pkl']) copyFileSync(join(STORES, 'langchain-py', f), join(dir, f));
    const s = await openSource(dir);
    const fp = SourceFingerprintSchema.parse(await s.fingerprint());
    await s.close();
    const file = join(dir, 'index.faiss');
    const bytes = readFileSync(file);
    expect(fp).toEqual({ path: file, size: bytes.length, mtimeMs: statSync(file).mtimeMs, headerSha256: createHash('sha256').update(bytes.subarray(0, 65536)).digest('hex') });
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(file, bytes);
    const s2 = await openSource(dir);
    expect((await s2.fingerprint()).headerSha256).not.toBe(fp.headerSha256);
    await s2.close();
  });
});

describe('LlamaIndex docstore variants', () => {
  function copyStore(): string {
    const dir = tempDir();
    for (const f of ['docstore.json', 'index_store.json', 'default__vector_store.json']) copyFileSync(join(STORES, 'llamaindex', f), join(dir, f));
    return dir;
  }
  type Docstore = { 'docstore/data': Record<string, { __type__: string; __data__: Record<string, unknown> | string }> };

  it('reads __data__ written as a JSON string and text kept under text_resource (newer Node/Document)', async () => {
    const dir = copyStore();
    const ds = JSON.parse(readFileSync(join(dir, 'docstore.json'), 'utf8')) as Docstore;
    const n0 = ds['docstore/data']['node-0']!;
    n0.__data__ = JSON.stringify(n0.__data__);
    const n1 = ds['docstore/data']['node-1']!.__data__ as Record<string, unknown>;
    n1.text_resource = { text: n1.text };
    delete n1.text;
    writeFileSync(join(dir, 'docstore.json'), JSON.stringify(ds));
    const s = await openSource(dir);
    try {
      expect(s.documents!.documentFor(0n)!.text).toBe('Qdrant stores vectors on disk.');
      expect(s.documents!.documentFor(1n)!.text).toBe('Ünïcödé: naïve café, 東京, עברית, emoji 🚀 and combining é.');
    } finally {
      await s.close();
    }
  });

  it('refuses a node nested deeper than 200 levels when the store opens, naming the node', async () => {
    const dir = copyStore();
    const text = readFileSync(join(dir, 'docstore.json'), 'utf8');
    const deep = `${'{"k": '.repeat(5000)}"bottom"${'}'.repeat(5000)}`;
    const at = text.indexOf('"metadata": {', text.indexOf('"id_": "node-2"'));
    writeFileSync(join(dir, 'docstore.json'), `${text.slice(0, at)}"metadata": {"deep": ${deep}, ${text.slice(at + '"metadata": {'.length)}`);
    // 5,000 levels: lossless-json (this docstore holds floats and integers beyond 2^53) gives out first.
    await expect(openSource(dir)).rejects.toThrow(`${join(dir, 'docstore.json')}: the LlamaIndex docstore is nested thousands of levels deep; no document nests deeper than 200`);
    // 300 levels: parsed, then the node is refused by name.
    const deeper = `${'{"k": '.repeat(300)}"bottom"${'}'.repeat(300)}`;
    writeFileSync(join(dir, 'docstore.json'), `${text.slice(0, at)}"metadata": {"deep": ${deeper}, ${text.slice(at + '"metadata": {'.length)}`);
    await expect(openSource(dir)).rejects.toThrow(`${join(dir, 'docstore.json')}: node "node-2" is nested deeper than 200 levels; expected a LlamaIndex docstore ("docstore/data")`);
  });
});
