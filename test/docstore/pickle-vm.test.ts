/**
 * The safe pickle machine on bytes Python's own pickler wrote (hex below, with the Python expression and
 * protocol that produced them) and on hand-made hostile sequences: exact ints of every width and sign,
 * protocol 0 text opcodes, sets, bytes, memo sharing, and the caps.
 */
import { describe, expect, it } from 'vitest';
import { parsePickle, PickleError } from '../../electron/engine/docstore/pickle/vm';
import { PyBytes, PyDict, PyGlobal, PyObject, PySet, PyTuple } from '../../electron/engine/docstore/pickle/values';
import { toJson } from '../../electron/engine/docstore/pickle/to-json';
import { PyFloat, pyFloatRepr } from '../../electron/engine/python-number';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

describe('values Python wrote', () => {
  it.each([
    ['-(2**63), protocol 2 (LONG1, negative)', '80028a0800000000000000802e', -(2n ** 63n)],
    ['2**64 + 1, protocol 2 (LONG1, 9 bytes)', '80028a090100000000000000012e', 2n ** 64n + 1n],
    ['-1, protocol 2 (BININT)', '80024affffffff2e', -1],
    ['-(2**31), protocol 0 (INT text)', '492d323134373438333634380a2e', -(2 ** 31)],
    ['1.5, protocol 0 (FLOAT text)', '46312e350a2e', new PyFloat(1.5)],
    ['1.5, protocol 2 (BINFLOAT)', '8002473ff80000000000002e', new PyFloat(1.5)],
  ])('%s', (_name, h, want) => {
    expect(parsePickle(hex(h))).toEqual(want);
  });

  it.each([
    ['5.0, protocol 0', '46352e300a2e', '5.0'],
    ['5.0, protocol 2', '80024740140000000000002e', '5.0'],
    ['-0.0, protocol 0', '462d302e300a2e', '-0.0'],
    ['-0.0, protocol 2', '80024780000000000000002e', '-0.0'],
  ])('a whole-number float stays a float: %s', (_name, h, repr) => {
    const v = parsePickle(hex(h));
    expect(v).toBeInstanceOf(PyFloat);
    expect(pyFloatRepr((v as PyFloat).value)).toBe(repr);
  });

  it('(-5, 2**53 + 1), protocol 0: TUPLE, INT and LONG text, PUT', () => {
    const v = parsePickle(hex('28492d350a4c393030373139393235343734303939334c0a7470300a2e'));
    expect(v).toBeInstanceOf(PyTuple);
    expect((v as PyTuple).items).toEqual([-5, 2n ** 53n + 1n]);
  });

  it("'é\\n\"q\"\\\\', protocol 0: UNICODE raw-unicode-escape", () => {
    expect(parsePickle(hex('56e95c75303030612271225c75303035630a70300a2e'))).toBe('é\n"q"\\');
  });

  it("{'a': [True, False, None]}, protocol 0: DICT, LIST, APPEND, INT 01/00", () => {
    const v = parsePickle(hex('286470300a56610a70310a286c70320a4930310a614930300a614e61732e')) as PyDict;
    expect(v).toBeInstanceOf(PyDict);
    expect(v.get('a')).toEqual([true, false, null]);
  });

  it("{'s': {1, 2}, 'f': frozenset([3])}, protocol 4: EMPTY_SET, ADDITEMS, FROZENSET, FRAME, MEMOIZE", () => {
    const v = parsePickle(hex('8004951a000000000000007d94288c0173948f94284b014b02908c016694284b039194752e')) as PyDict;
    expect(v.get('s')).toEqual(new PySet([1, 2], false));
    expect(v.get('f')).toEqual(new PySet([3], true));
    expect(toJson(v)).toEqual(Object.assign(Object.create(null), { s: [1, 2], f: [3] }));
  });

  it("[b'\\x00\\xff', bytearray(b'ab')], protocol 5: SHORT_BINBYTES, BYTEARRAY8", () => {
    const [a, b] = parsePickle(hex('80059516000000000000005d9428430200ff94960200000000000000616294652e')) as PyBytes[];
    expect([...a!.bytes]).toEqual([0, 255]);
    expect(a!.mutable).toBe(false);
    expect(Buffer.from(b!.bytes).toString()).toBe('ab');
    expect(b!.mutable).toBe(true);
  });

  it('l = [1]; [l, l], protocol 2: the memo shares one list', () => {
    const v = parsePickle(hex('80025d7100285d71014b01616801652e')) as unknown[][];
    expect(v).toEqual([[1], [1]]);
    expect(v[0]).toBe(v[1]);
  });
});

describe('nothing is executed', () => {
  it('GLOBAL + REDUCE + BUILD are recorded on an inert object', () => {
    // cos\nsystem\n(S'echo hi'\ntR}b.  — protocol 0 os.system('echo hi') with a BUILD state
    const bytes = Buffer.from("cos\nsystem\n(S'echo hi'\ntR}b.", 'latin1');
    const v = parsePickle(bytes) as PyObject;
    expect(v).toBeInstanceOf(PyObject);
    expect(v.callable).toEqual(new PyGlobal('os', 'system'));
    expect(v.args).toEqual(['echo hi']);
    expect(v.how).toBe('REDUCE');
    expect(v.state).toBeInstanceOf(PyDict);
  });

  it('INST and OBJ record their class and arguments', () => {
    const inst = parsePickle(Buffer.from("(I1\nimod\nKlass\n.", 'latin1')) as PyObject;
    expect([inst.classPath, inst.args, inst.how]).toEqual(['mod.Klass', [1], 'INST']);
    const obj = parsePickle(Buffer.from('(cmod\nK\nI2\no.', 'latin1')) as PyObject;
    expect([obj.classPath, obj.args, obj.how]).toEqual(['mod.K', [2], 'OBJ']);
  });
});

describe('refusals', () => {
  const fails = (bytes: Uint8Array, re: RegExp, options = {}) => {
    expect(() => parsePickle(bytes, options)).toThrow(PickleError);
    expect(() => parsePickle(bytes, options)).toThrow(re);
  };
  it('persistent ids, extensions and out-of-band buffers', () => {
    fails(Buffer.from('Pid\n.', 'latin1'), /persistent ids are not used by docstores/);
    fails(hex('8002820100'), /extension-registry references/);
    fails(hex('8005972e'), /out-of-band buffers/);
  });
  it('an unknown opcode, a missing STOP, stack underflow, a memo never stored', () => {
    fails(hex('8004ff'), /unknown opcode 0xff: not a pickle/);
    fails(hex('80044b01'), /ends before its STOP opcode/);
    fails(hex('800461'), /stack underflow/);
    fails(hex('8004680c2e'), /memo entry 12 was never stored/);
  });
  it('a stack beyond its cap', () => {
    fails(new Uint8Array([0x80, 4, ...new Array(2000).fill(0x4e), 0x2e]), /more than 1000 values on the pickle stack/, { maxStack: 1000 });
  });
  it('BUILD on something that is not an object, items on the wrong container', () => {
    fails(hex('80045d7d622e'), /BUILD on list/);
    fails(hex('8004294b01612e'), /cannot append to tuple/);
  });
});
