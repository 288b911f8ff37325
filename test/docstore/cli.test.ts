/**
 * `xnai-migrate inspect` / `export` on RAG folders as a user runs them (a real child process): the store
 * kind, document count and mismatches; a `document` object on every exported row; one-line refusals.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../shared/json';
import { parseDocstoreJson } from '../../electron/engine/docstore/json-file';
import { STORES, expected } from './support';

const ROOT = join(__dirname, '..', '..');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, XNAI_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

describe('xnai-migrate inspect on folders', () => {
  it('shows the kind, the document count and every mismatch', () => {
    const r = cli('inspect', join(STORES, 'langchain-py-mismatch'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Source: +LangChain Python folder \(FAISS\.save_local\)$/m);
    expect(r.stdout).toMatch(/^Documents: +8 \(payload layout "langchain"/m);
    expect(r.stdout).toMatch(/^Mismatches: +3 vectors without a document, 1 document without a vector$/m);
    expect(r.stdout).toMatch(/^Example: +vector 9: index_to_docstore_id names document "ghost-doc", which the docstore does not hold$/m);
    expect(r.stdout).toMatch(/^Example: +document "lonely": no label in index_to_docstore_id points to it$/m);
    expect(r.stdout).toMatch(/^Vectors: +10$/m);
  });

  it('--json carries the kind and the documents summary', () => {
    const r = cli('inspect', join(STORES, 'llamaindex-map'), '--json');
    expect(r.code).toBe(0);
    const j = parseJson<Record<string, unknown>>(r.stdout);
    expect(j).toMatchObject({ kind: 'llamaindex-map', fourcc: 'IxM2', count: 7 });
    expect(j.documents).toMatchObject({ count: 7, vectorsWithoutDocument: 0, documentsWithoutVector: 0, defaultLayout: 'llamaindex' });
  });

  it('refuses a hostile pickle in one line with exit code 3, naming the file', () => {
    const r = cli('inspect', join(STORES, 'hostile', 'exploit-folder'));
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`xnai-migrate: ${join(STORES, 'hostile', 'exploit-folder', 'index.pkl')}: the docstore is a call to posix.system (recorded, never run); this is not a LangChain FAISS docstore this tool can read`);
  });

  it('says what it looked for in a folder with no index', () => {
    const empty = mkdtempSync(join(tmpdir(), 'xnai-empty-'));
    try {
      const r = cli('inspect', empty);
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(`xnai-migrate: ${empty}: no FAISS index found (expected index.faiss + index.pkl, faiss.index + docstore.json, a LlamaIndex persist folder, or a FAISS file)`);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});

describe('xnai-migrate export on folders', () => {
  it.each(['langchain-py', 'langchain-py-mismatch', 'langchain-js', 'llamaindex-map'])('%s: every row carries its document, exact', (folder) => {
    const exp = expected(folder);
    const r = cli('export', join(STORES, folder), '--format', 'jsonl');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Parsed keeping Python's int/float distinction: a float written as 5 instead of 5.0 fails.
    const rows = r.stdout.trim().split('\n').map((l) => parseDocstoreJson(l) as { id: number; vector: unknown[]; document: { id: string; text: string; metadata: unknown } | null });
    expect(rows.map((x) => x.id)).toEqual(exp.labels ?? exp.rows.map((x) => x.label));
    for (const row of exp.rows) {
      const got = rows.find((x) => x.id === row.label)!;
      if (row.document === null) expect(got.document).toBeNull();
      else expect(got.document).toEqual({ id: row.doc_id, text: row.document.text, metadata: row.document.metadata });
    }
  });

  it('a lone FAISS file exports vectors only, as before', () => {
    const r = cli('export', join(STORES, 'langchain-py', 'index.faiss'), '--format', 'jsonl', '--limit', '1');
    expect(r.code).toBe(0);
    expect(Object.keys(parseJson<object>(r.stdout.trim()))).toEqual(['id', 'vector']);
  });
});
