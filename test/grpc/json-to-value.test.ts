/**
 * Payload JSON text → Qdrant's protobuf Value, read back with Qdrant's own generated schema: every JSON
 * shape, int vs float kept by the canonical rule, int64's edges and beyond, strings with escapes and
 * surrogate pairs, `__proto__` keys; and what Qdrant would refuse is refused with the reason. A random
 * round trip covers what the listed cases miss.
 */
import { describe, expect, it } from 'vitest';
import { payloadToJson } from '../../electron/engine/qdrant/payload-json';
import { PayloadEncodingError } from '../../electron/engine/qdrant/grpc/json-to-value';
import { transcode, type Plain } from './oracle';

const int = (v: bigint | number): Plain => ({ int: BigInt(v) });
const double = (v: number): Plain => ({ double: v });

describe('JSON text → protobuf Value', () => {
  it('every JSON shape, nested, with int and float told apart by the literal', () => {
    const got = transcode('{"s":"faiss","i":42,"n":-7,"f":1.0,"e":1e2,"E":-2.5E-3,"t":true,"F":false,"z":null,"l":[1,1.5,"x",[],{}],"o":{"a":{"b":[null]}}}');
    expect(got).toEqual({
      s: 'faiss',
      i: int(42),
      n: int(-7),
      f: double(1),
      e: double(100),
      E: double(-0.0025),
      t: true,
      F: false,
      z: null,
      l: [int(1), double(1.5), 'x', [], { struct: {} }],
      o: { struct: { a: { struct: { b: [null] } } } },
    });
  });

  it('integers exact across int64; -0 and integers beyond int64 as Qdrant REST stores them (documented)', () => {
    const got = transcode('{"max":9223372036854775807,"min":-9223372036854775808,"big53":9007199254740993,"neg":-9007199254740993,"zero":0,"negzero":-0,"over":9223372036854775808,"under":-9223372036854775809,"huge":123456789012345678901234567890}');
    expect(got.max).toEqual(int(9223372036854775807n));
    expect(got.min).toEqual(int(-9223372036854775808n));
    expect(got.big53).toEqual(int(9007199254740993n));
    expect(got.neg).toEqual(int(-9007199254740993n));
    expect(got.zero).toEqual(int(0));
    // Qdrant's REST stores -0 as the float -0.0
    expect(Object.is((got.negzero as { double: number }).double, -0)).toBe(true);
    // beyond int64: the nearest double (REST keeps 2^63…2^64−1 as u64, which gRPC's int64 cannot carry)
    expect(got.over).toEqual(double(2 ** 63));
    expect(got.under).toEqual(double(-(2 ** 63)));
    expect(got.huge).toEqual(double(1.2345678901234568e29));
  });

  it('floats are the exact double the literal names', () => {
    const values = [0.1, 1 / 3, 106.54046018912479, 5e-324, 1.7976931348623157e308, -2.2250738585072014e-308, 123456.789];
    const got = transcode(`{${values.map((v, i) => `"v${i}":${v.toExponential(17)}`).join(',')}}`);
    values.forEach((v, i) => expect(got[`v${i}`]).toEqual(double(v)));
  });

  it('strings: escapes, unicode escapes, surrogate pairs escaped and raw, keys with them', () => {
    const got = transcode('{"esc":"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t","u":"\\u00e9\\u4e2d","pair":"\\ud83d\\ude00","raw":"é中😀","k\\u00e9y":1,"":"empty key"}');
    expect(got.esc).toBe('a"b\\c/d\b\f\n\r\t');
    expect(got.u).toBe('é中');
    expect(got.pair).toBe('😀');
    expect(got.raw).toBe('é中😀');
    expect(got['kéy']).toEqual(int(1));
    expect(got['']).toBe('empty key');
  });

  it('"__proto__" and "constructor" are ordinary keys', () => {
    const got = transcode('{"__proto__":{"polluted":true},"constructor":"c","o":{"__proto__":1}}');
    expect(Object.keys(got)).toEqual(['__proto__', 'constructor', 'o']);
    expect(got.__proto__).toEqual({ struct: { polluted: true } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(got.o).toEqual({ struct: Object.fromEntries([['__proto__', int(1)]]) });
  });

  it('whitespace anywhere JSON allows it; null is no payload', () => {
    expect(transcode(' \n{ "a" : [ 1 , { "b" : null } ] }\t')).toEqual({ a: [int(1), { struct: { b: null } }] });
    expect(transcode('null')).toEqual({});
    expect(transcode('{}')).toEqual({});
  });

  it('long strings and keys (multi-byte length prefixes) and many members', () => {
    const long = 'x'.repeat(70_000) + 'é'.repeat(100);
    const members = Array.from({ length: 300 }, (_, i) => `"k${i}":${i}`).join(',');
    const got = transcode(`{"${'k'.repeat(200)}":"${long}",${members}}`);
    expect(got['k'.repeat(200)]).toBe(long);
    expect(got.k299).toEqual(int(299));
  });

  it('refuses what Qdrant refuses, naming the problem and where', () => {
    const refused: [string, RegExp][] = [
      ['{"s":"\\ud800"}', /lone surrogate/],
      ['{"s":"\\udc00x"}', /lone surrogate/],
      [`{"s":"${'\ud800'}"}`, /lone surrogate/],
      ['{"n":1e400}', /beyond the range of a double/],
      ['{"n":-1e400}', /beyond the range of a double/],
      ['{"n":01}', /malformed number/],
      ['{"n":1.}', /malformed number/],
      ['{"n":+1}', /unexpected character/],
      ['{"n":NaN}', /unexpected character/],
      ['{"s":"a\tb"}', /raw control character/],
      ['{"s":"\\x"}', /malformed string/],
      ['{"s":"abc', /ends inside a string/],
      ['{"a":1', /expects ',' or '}'/],
      ['{"a":1,}', /expects a quoted key/],
      ['{a:1}', /expects a quoted key/],
      ['{"a" 1}', /expects ':'/],
      ['[1,2]', /is not an object/],
      ['"text"', /is not an object/],
      ['{"a":[1 2]}', /expects ',' or ']'/],
      ['{"a":1} x', /text after the value/],
      ['{"a":tru}', /unexpected character/],
      [`{"a":${'['.repeat(200)}${']'.repeat(200)}}`, /nests deeper than 128/],
    ];
    for (const [text, why] of refused) {
      let err: unknown;
      try {
        transcode(text);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(PayloadEncodingError);
      expect((err as Error).message, text).toMatch(why);
      expect((err as Error).message, text).toMatch(/at character \d+/);
    }
  });

  it('random payloads rendered by payloadToJson come back value for value (ints as ints, floats as floats)', () => {
    let seed = 2024;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const keys = ['a', 'source', '__proto__', 'é', '😀', 'k"q', 'back\\slash', 'tab\t', 'ctl\u0001', 'line\u2028'];
    const gen = (depth: number): { value: unknown; want: Plain } => {
      const r = rnd();
      if (depth > 3 || r < 0.5) {
        const t = Math.floor(rnd() * 7);
        if (t === 0) return { value: null, want: null };
        if (t === 1) {
          const b = rnd() < 0.5;
          return { value: b, want: b };
        }
        if (t === 2) {
          const s = Array.from({ length: Math.floor(rnd() * 12) }, () => String.fromCodePoint([0x41, 0xe9, 0x4e2d, 0x1f600, 0x22, 0x5c, 0x0a, 0x07][Math.floor(rnd() * 8)]!)).join('');
          return { value: s, want: s };
        }
        if (t === 3) {
          const b = BigInt(Math.floor((rnd() - 0.5) * 2 ** 53)) * BigInt(Math.floor(rnd() * 1024) + 1);
          return { value: b, want: { int: b } };
        }
        if (t === 4) {
          const n = Math.floor((rnd() - 0.5) * 1e6);
          return { value: n, want: { int: BigInt(n) } };
        }
        // floats: payloadToJson writes non-integers with '.' or 'e'
        const d = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
        return Number.isInteger(d) ? { value: 0.5, want: { double: 0.5 } } : { value: d, want: { double: d } };
      }
      if (r < 0.75) {
        const items = Array.from({ length: Math.floor(rnd() * 4) }, () => gen(depth + 1));
        return { value: items.map((x) => x.value), want: items.map((x) => x.want) };
      }
      const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      const want: Record<string, Plain> = Object.create(null) as Record<string, Plain>;
      for (let i = 0; i < Math.floor(rnd() * 4); i++) {
        const k = keys[Math.floor(rnd() * keys.length)]!;
        const x = gen(depth + 1);
        obj[k] = x.value;
        want[k] = x.want;
      }
      return { value: obj, want: { struct: want } };
    };
    for (let n = 0; n < 500; n++) {
      const members = Object.create(null) as Record<string, unknown>;
      const want = Object.create(null) as Record<string, Plain>;
      for (let i = 0; i < 3; i++) {
        const x = gen(0);
        members[`m${i}`] = x.value;
        want[`m${i}`] = x.want;
      }
      const text = payloadToJson(members);
      expect(transcode(text), text).toEqual(want);
    }
  });
});
