/** buildPayload's seed fields and layouts on hand-made documents (the libraries' own payloads are in stores.test). */
import { describe, expect, it } from 'vitest';
import { buildPayload, resolvePayloadLayout } from '../../electron/engine/payload';
import { pythonJsonDumps } from '../../electron/engine/payload/python-json';
import { PyFloat } from '../../electron/engine/python-number';
import { payloadToJson } from '../../electron/engine/qdrant/payload-json';
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
    for (const layout of ['auto', 'raw'] as const) {
      expect(Object.keys(buildPayload(layout, undefined, seed(1)))).toEqual(['source', 'faiss_id', 'migrated_at', 'batch_num']);
    }
    for (const layout of ['langchain', 'llamaindex'] as const) {
      expect(plain(buildPayload(layout, undefined, seed(1)))).toEqual({ _xnai: { source: 'faiss', faiss_id: 1, migrated_at: '2026-01-01T00:00:00.000Z', batch_num: 7 } });
    }
  });

  it('the framework layouts: user metadata always wins, the migration\'s fields and the document id sit under _xnai', () => {
    const metadata = { source: 'a.pdf', faiss_id: 'mine', migrated_at: 1, batch_num: null, page: 2 };
    const p = buildPayload('llamaindex', { ...doc, metadata }, seed(5));
    expect([p.source, p.faiss_id, p.migrated_at, p.batch_num, p.page]).toEqual(['a.pdf', 'mine', 1, null, 2]);
    expect(JSON.parse(p._node_content as string).metadata).toEqual(metadata);
    expect([p._node_type, p.doc_id, p.document_id, p.ref_doc_id]).toEqual(['TextNode', 'None', 'None', 'None']);
    expect(plain(p._xnai)).toEqual({ source: 'faiss', faiss_id: 5, migrated_at: '2026-01-01T00:00:00.000Z', batch_num: 7, doc_id: 'a' });
    const l = buildPayload('langchain', { ...doc, metadata }, seed(5));
    expect(Object.keys(l)).toEqual(['page_content', 'metadata', '_xnai']);
    expect(l.metadata).toEqual(metadata);
  });

  it('Python floats stay floats in the payload text and in _node_content; ints stay exact', () => {
    const metadata = { whole: new PyFloat(5), negZero: new PyFloat(-0), big: new PyFloat(2 ** 60), huge: new PyFloat(1e300), int: 5, bigInt: 2n ** 60n, nan: new PyFloat(NaN) };
    const p = buildPayload('llamaindex', { ...doc, metadata }, seed(5));
    expect(payloadToJson(p.whole)).toBe('5.0');
    expect(payloadToJson(metadata)).toBe('{"whole":5.0,"negZero":-0.0,"big":1.152921504606847e+18,"huge":1e+300,"int":5,"bigInt":1152921504606846976,"nan":null}');
    expect(p._node_content).toContain('"metadata": {"whole": 5.0, "negZero": -0.0, "big": 1.152921504606847e+18, "huge": 1e+300, "int": 5, "bigInt": 1152921504606846976, "nan": NaN}');
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
    [new PyFloat(1e-5), '1e-05'],
    [new PyFloat(2.5e-7), '2.5e-07'],
    [new PyFloat(0.0001), '0.0001'],
    [2n ** 63n, '9223372036854775808'],
    [1e16, '10000000000000000'],
    [new PyFloat(1e16), '1e+16'],
    [new PyFloat(5), '5.0'],
    [new PyFloat(-0), '-0.0'],
    [new PyFloat(123456789012345.6), '123456789012345.6'],
    [new PyFloat(Infinity), 'Infinity'],
    ['é\n"', '"é\\n\\""'],
  ])('%s', (v, want) => {
    expect(pythonJsonDumps(v)).toBe(want);
  });
});
