/**
 * documentOf reads a point's document back from payloads the frameworks' own Qdrant stores wrote
 * (langchain-qdrant, llama-index-vector-stores-qdrant: the fixtures' expected payloads, produced by the real
 * libraries) and from this tool's payloads with the seed's fields added.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentOf } from '../../electron/engine/payload/read-back';
import { buildPayload } from '../../electron/engine/payload';

const EXPECTED = join(__dirname, '../fixtures/stores/expected');

interface Row {
  document: { text: string; metadata: Record<string, unknown> } | null;
  langchain?: Record<string, unknown>;
  llamaindex?: Record<string, unknown>;
}

const fixtures = readdirSync(EXPECTED)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f, rows: (JSON.parse(readFileSync(join(EXPECTED, f), 'utf8')) as { rows: Row[] }).rows.filter((r) => r.document) }));

const seed = { source: 'faiss', faiss_id: 3, migrated_at: '2026-01-01T00:00:00.000Z', batch_num: 0 };

describe('documentOf', () => {
  it.each(fixtures)('$name: text and metadata paths of every row, as each framework wrote it', ({ rows }) => {
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const doc = r.document!;
      const safeKeys = Object.keys(doc.metadata).filter((k) => !/[.[\]]/.test(k) && k !== '');
      if (r.langchain) {
        expect(documentOf(r.langchain)).toEqual({ layout: 'langchain', text: doc.text, metadataPaths: safeKeys.map((k) => `metadata.${k}`) });
      }
      if (r.llamaindex) {
        expect(documentOf(r.llamaindex)).toEqual({ layout: 'llamaindex', text: doc.text, metadataPaths: safeKeys });
      }
    }
  });

  it("a LlamaIndex node's own `source` is the document's (the migration's fields are under _xnai); in an older collection where the seed's took the key, it stays out", () => {
    const p = buildPayload('llamaindex', { docId: 'n', text: 'body', metadata: { source: 'a.pdf', page: 2 } }, seed);
    expect(documentOf(p)).toEqual({ layout: 'llamaindex', text: 'body', metadataPaths: ['source', 'page'] });
    const { _xnai: own, ...older } = p as Record<string, unknown> & { _xnai: Record<string, unknown> };
    expect(documentOf({ ...older, ...own })).toEqual({ layout: 'llamaindex', text: 'body', metadataPaths: ['page'] });
    expect(documentOf(buildPayload('langchain', { docId: 'n', text: 'body', metadata: { source: 'a.pdf' } }, seed))).toEqual({ layout: 'langchain', text: 'body', metadataPaths: ['metadata.source'] });
    expect(documentOf(buildPayload('raw', { docId: 'n', text: 'body', metadata: { k: 1 } }, seed))).toEqual({ layout: 'raw', text: null, metadataPaths: ['metadata.k'] });
  });

  it('a seed-only payload holds no document; a node Python wrote with NaN keeps its paths, without text', () => {
    expect(documentOf(buildPayload('langchain', undefined, seed))).toBeNull();
    expect(documentOf(null)).toBeNull();
    expect(documentOf({ _node_content: '{"text": "x", "metadata": {"v": NaN}}', v: 1 })).toEqual({ layout: 'llamaindex', text: null, metadataPaths: [] });
  });
});
