/**
 * A parser for the Python literals older llama-index FaissMapVectorStore versions wrote as `str(dict)`
 * (read there with `ast.literal_eval`): dicts, lists, tuples, str (single or double quoted, backslash
 * escapes), int, float (a PyFloat, see ../python-number), True/False/None. Data only, nesting capped,
 * null-prototype objects.
 */
import { PyFloat } from '../python-number';

const MAX_DEPTH = 64;

export function parsePythonLiteral(text: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${i}`);
  };
  const str = (): string => {
    const q = text[i++]!;
    let out = '';
    while (i < text.length && text[i] !== q) {
      const c = text[i++]!;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[i++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
      if (e === 'x' || e === 'u' || e === 'U') {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = text.slice(i, i + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) fail('bad escape');
        out += String.fromCodePoint(parseInt(hex, 16));
        i += n;
      } else if (e !== undefined && e in simple) out += simple[e];
      else fail('unsupported escape');
    }
    if (text[i] !== q) fail('unterminated string');
    i++;
    return out;
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH}`);
    ws();
    const c = text[i];
    if (c === '{' || c === '[' || c === '(') {
      const close = c === '{' ? '}' : c === '[' ? ']' : ')';
      i++;
      const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      const arr: unknown[] = [];
      ws();
      while (text[i] !== close) {
        const k = value(depth + 1);
        ws();
        if (c === '{') {
          if (text[i++] !== ':') fail('expected ":"');
          obj[String(k)] = value(depth + 1);
        } else arr.push(k);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== close) fail(`expected "," or "${close}"`);
        ws();
      }
      i++;
      return c === '{' ? obj : arr;
    }
    if (c === "'" || c === '"') return str();
    const m = /^(True|False|None|[-+]?\d+(\.\d*)?([eE][-+]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!m) return fail('unexpected input');
    i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    if (/^[-+]?\d+$/.test(m[0])) {
      const b = BigInt(m[0]);
      return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    }
    return new PyFloat(Number(m[0]));
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing input');
  return v;
}
