/** buildPayload's seed fields and layouts on hand-made documents (the libraries' own payloads are in stores.test). */
import { describe, expect, it } from 'vitest';
import { buildPayload, resolvePayloadLayout } from '../../electron/engine/payload';
import { pythonJsonDumps } from '../../electron/engine/payload/python-json';
import { stringifyJson } from '../../shared/json';
import { plain } from './support';

const doc = { docId: 'a', text: 'hello', metadata: { k: 1 } };
const seed = (faiss_id: bigint | number) => ({ source: 'faiss', faiss_id, migrated_at: '2026-01-01T00:00:00.000Z', batch_num: 7 });

describe('buildPayload', () => {
  it('faiss_id is a number when safe and an exact bigint beyond 2^53 (either sign)', () => {
    expect(buildPayload('raw', undefined, seed(42n)).faiss_id).toBe(42);
    expect(buildPayload('raw', undefined, seed(2n ** 53n + 1n)).faiss_id).toBe(2n ** 53n + 1n);
    expect(buildPayload('raw', undefined, seed(-(2n ** 63n))).faiss_id).toBe(-(2n ** 63n));
    expect(stringifyJson(buildPayload('raw', undefined, seed(9223372036854775807n)))).toBe('{"source":"faiss","faiss_id":9223372036854775807,"migrated_at":"2026-01-01T00:00:00.000Z","batch_num":7}');
  });

  it('raw keeps the metadata without the text; a vector without a document gets the seed fields only', () => {
    expect(plain(buildPayload('raw', doc, seed(1)))).toEqual({ metadata: { k: 1 }, source: 'faiss', faiss_id: 1, migrated_at: '2026-01-01T00:00:00.000Z', batch_num: 7 });
    for (const layout of ['auto', 'langchain', 'llamaindex', 'raw'] as const) {
      expect(Object.keys(buildPayload(layout, undefined, seed(1)))).toEqual(['source', 'faiss_id', 'migrated_at', 'batch_num']);
    }
  });

  it('the llamaindex layout: seed fields win over same-named flattened metadata, the node keeps its own', () => {
    const p = buildPayload('llamaindex', { ...doc, metadata: { source: 'a.pdf', page: 2 } }, seed(5));
    expect(p.source).toBe('faiss');
    expect(p.page).toBe(2);
    expect(JSON.parse(p._node_content as string).metadata).toEqual({ source: 'a.pdf', page: 2 });
    expect([p._node_type, p.doc_id, p.document_id, p.ref_doc_id]).toEqual(['TextNode', 'None', 'None', 'None']);
  });

  it('a __proto__ metadata key stays a field of the payload', () => {
    const metadata = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    const p = buildPayload('llamaindex', { ...doc, metadata }, seed(1));
    expect(Object.keys(p)).toContain('__proto__');
    expect(Object.getPrototypeOf(p)).toBeNull();
  });

  it('resolvePayloadLayout: auto follows the source, raw without documents', () => {
    expect(resolvePayloadLayout('auto', 'llamaindex')).toBe('llamaindex');
    expect(resolvePayloadLayout('auto', undefined)).toBe('raw');
    expect(resolvePayloadLayout('langchain', 'llamaindex')).toBe('langchain');
  });
});

describe('pythonJsonDumps (json.dumps(..., ensure_ascii=False))', () => {
  it.each([
    [{ a: [1, 'x', null, true] }, '{"a": [1, "x", null, true]}'],
    [1e-5, '1e-05'],
    [2.5e-7, '2.5e-07'],
    [1e16, '1e+16'],
    [123456789012345.6, '123456789012345.6'],
    [0.0001, '0.0001'],
    [2n ** 63n, '9223372036854775808'],
    ['é\n"', '"é\\n\\""'],
  ])('%s', (v, want) => {
    expect(pythonJsonDumps(v)).toBe(want);
  });
});
