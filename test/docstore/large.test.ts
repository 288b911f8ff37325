/**
 * A larger LangChain store (20,000 documents, generated in save_local's exact pickle shape): every document
 * joins, and the parse yields to the event loop while it runs, so a host stays responsive and cancellable.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { generateLangChainStore } from '../../bench/docstore-join';
import { parsePickleAsync } from '../../electron/engine/docstore/pickle/vm';
import { openSource } from '../../electron/engine/source';

const dir = mkdtempSync(join(tmpdir(), 'xnai-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('20,000 documents: the parse yields to the event loop, and every document joins', async () => {
  const n = 20_000;
  generateLangChainStore(dir, n);
  // parsePickleAsync works in slices: a callback queued after it starts runs before it finishes.
  let ranDuringParse = false;
  const parsing = parsePickleAsync(readFileSync(join(dir, 'index.pkl')));
  setImmediate(() => (ranDuringParse = true));
  await parsing;
  expect(ranDuringParse).toBe(true);

  const source = await openSource(dir);
  try {
    expect(source.summary.documents).toMatchObject({ count: n, vectorsWithoutDocument: 0, documentsWithoutVector: 0 });
    const last = source.documents!.documentFor(BigInt(n - 1))!;
    expect(last.docId).toBe(`00000000-0000-4000-8000-${(n - 1).toString(16).padStart(12, '0')}`);
    expect(last.text).toBe(`Chunk ${n - 1} of the benchmark corpus: a small document's text.`);
    expect({ ...last.metadata }).toEqual({ source: `file-${(n - 1) % 1000}.txt`, page: (n - 1) % 500 });
  } finally {
    await source.close();
  }
});
