/**
 * Every RAG folder fixture, written by the real libraries (test/fixtures/gen_stores.py), opened through
 * openSource: the exact text and metadata of every document, joined by FAISS label, the mismatch counts,
 * and payloads equal to what langchain-qdrant's and llama-index's Qdrant stores write for the same
 * documents (so those stores configured on the migrated collection find the same keys and shapes).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../electron/engine/source';
import { buildPayload } from '../../electron/engine/payload';
import { parseDocstoreJson } from '../../electron/engine/docstore/json-file';
import { STORES, expected, plain } from './support';

const SEED = { source: 'faiss', migrated_at: '2026-11-24T05:00:00.000Z', batch_num: 3 };

const CASES: [folder: string, kind: string][] = [
  ['langchain-py', 'langchain-python'],
  ['langchain-py-custom', 'langchain-python'],
  ['langchain-py-ip', 'langchain-python'],
  ['langchain-py-deleted', 'langchain-python'],
  ['langchain-py-mismatch', 'langchain-python'],
  ['langchain-py-types', 'langchain-python'],
  ['langchain-py-proto0', 'langchain-python'],
  ['langchain-py-proto1', 'langchain-python'],
  ['langchain-py-proto2', 'langchain-python'],
  ['langchain-py-proto3', 'langchain-python'],
  ['langchain-py-proto4', 'langchain-python'],
  ['langchain-py-proto5', 'langchain-python'],
  ['langchain-0.0.150', 'langchain-python'],
  ['langchain-0.0.253', 'langchain-python'],
  ['langchain-core-0.1', 'langchain-python'],
  ['langchain-js', 'langchain-js'],
  ['llamaindex', 'llamaindex'],
  ['llamaindex-map', 'llamaindex-map'],
  ['llamaindex-map-repr', 'llamaindex-map'],
];

describe.each(CASES)('%s', (folder, kind) => {
  const exp = expected(folder);

  it('is detected, joined by label, and its mismatches counted', async () => {
    const source = await openSource(join(STORES, folder));
    try {
      expect(source.summary.kind).toBe(kind);
      expect(source.summary.index.count).toBe(exp.index_count);
      const docs = source.summary.documents!;
      expect(docs.count).toBe(exp.documents);
      expect(docs.vectorsWithoutDocument).toBe(exp.vectors_without_document);
      expect(docs.documentsWithoutVector).toBe(exp.documents_without_vector);
      expect(docs.defaultLayout).toBe(kind.startsWith('llamaindex') ? 'llamaindex' : 'langchain');
      // Labels come from the index itself, in order.
      const labels: bigint[] = [];
      for await (const b of source.index.batches({ batchSize: 4 })) labels.push(...b.ids);
      expect(labels.map(Number)).toEqual(exp.labels ?? exp.rows.map((r) => r.label));
      for (const row of exp.rows) {
        const doc = source.documents!.documentFor(BigInt(row.label));
        if (row.document === null) {
          expect(doc, `label ${row.label}`).toBeUndefined();
          continue;
        }
        expect(doc, `label ${row.label}`).toBeDefined();
        expect(doc!.docId).toBe(row.doc_id);
        expect(doc!.text).toBe(row.document.text);
        expect(plain(doc!.metadata)).toEqual(row.document.metadata);
      }
    } finally {
      await source.close();
    }
  });

  it('builds the payloads the framework writes, plus the seed fields', async () => {
    const source = await openSource(join(STORES, folder));
    try {
      for (const row of exp.rows) {
        const doc = source.documents!.documentFor(BigInt(row.label));
        const seed = { ...SEED, faiss_id: BigInt(row.label) };
        // The raw layout keeps the seed's top-level names; the framework layouts keep them under _xnai.
        const seedFields = { source: 'faiss', faiss_id: row.label, migrated_at: SEED.migrated_at, batch_num: 3 };
        const own = (docId?: string | null) => ({ _xnai: { ...seedFields, ...(docId ? { doc_id: docId } : {}) } });
        if (row.document === null) {
          // Nothing invented for a vector without a document: the migration's fields only.
          expect(plain(buildPayload('langchain', doc, seed))).toEqual(own());
          expect(plain(buildPayload('raw', doc, seed))).toEqual(seedFields);
          continue;
        }
        expect(plain(buildPayload('langchain', doc, seed))).toEqual({ ...row.langchain, ...own(row.doc_id) });
        expect(plain(buildPayload('raw', doc, seed))).toEqual({ metadata: row.langchain!.metadata, ...seedFields });

        // Every key llama-index writes, with its value (the node's own `source` included), plus _xnai.
        const li = plain(buildPayload('llamaindex', doc, seed)) as Record<string, unknown>;
        const want = row.llamaindex!;
        expect(Object.keys(li).sort()).toEqual([...Object.keys(want), '_xnai'].sort());
        for (const [k, v] of Object.entries(want)) {
          if (k === '_node_content') {
            // Byte-identical to Python's json.dumps, and so the same node when LlamaIndex parses it back.
            expect(li[k]).toBe(v);
            expect(parseDocstoreJson(li[k] as string)).toEqual(parseDocstoreJson(v as string));
          } else expect(li[k], k).toEqual(v);
        }
        expect(li._xnai).toEqual(own(row.doc_id)._xnai);

        // "auto" follows the source's framework.
        expect(plain(buildPayload('auto', doc, seed))).toEqual(plain(buildPayload(kind.startsWith('llamaindex') ? 'llamaindex' : 'langchain', doc, seed)));
      }
    } finally {
      await source.close();
    }
  });
});

describe('mismatch examples', () => {
  it('names the vectors and documents that do not join', async () => {
    const source = await openSource(join(STORES, 'langchain-py-mismatch'));
    try {
      expect(source.summary.documents!.examples).toEqual([
        'vector 7: no entry in index_to_docstore_id',
        'vector 8: no entry in index_to_docstore_id',
        'vector 9: index_to_docstore_id names document "ghost-doc", which the docstore does not hold',
        'document "lonely": no label in index_to_docstore_id points to it',
      ]);
    } finally {
      await source.close();
    }
  });

  it('has no flattened-field clash to warn about, and names unfamiliar-but-readable class paths', async () => {
    // The nodes' own `source` metadata is theirs in the llamaindex layout: the migration's fields are under _xnai.
    const li = await openSource(join(STORES, 'llamaindex'));
    try {
      expect(li.summary.warnings).toEqual([]);
      expect(li.summary.documents!.reservedKeyDocuments).toEqual([]);
      expect(li.summary.documents!.idCollisions).toEqual([]);
    } finally {
      await li.close();
    }
    const lc = await openSource(join(STORES, 'langchain-0.0.253'));
    try {
      expect(lc.summary.warnings).toEqual([]);
    } finally {
      await lc.close();
    }
  });
});
