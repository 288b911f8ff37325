/**
 * Pickles from a user's disk are untrusted: every hostile fixture (test/fixtures/stores/hostile, written
 * by gen_stores.py) is refused with one line naming the file, or neutralised into inert data. Nothing
 * runs, no prototype changes, memory stays bounded.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openLangChainPython } from '../../electron/engine/docstore/langchain-python';
import { MemoReleasedError, parsePickle } from '../../electron/engine/docstore/pickle/vm';
import { PyDict } from '../../electron/engine/docstore/pickle/values';
import { openSource } from '../../electron/engine/source';
import { isUserError } from '../../shared/errors';
import { STORES, plain } from './support';

const HOSTILE = join(STORES, 'hostile');
/** What os-system*.pkl would create if anything executed them. */
const MARKER = '/tmp/xnai-pickle-pwned';

async function refusal(file: string): Promise<string> {
  try {
    await openLangChainPython(file);
  } catch (e) {
    expect(isUserError(e), String(e)).toBe(true);
    const msg = (e as Error).message;
    expect(msg.split('\n')).toHaveLength(1);
    expect(msg.startsWith(`${file}: `)).toBe(true);
    return msg;
  }
  throw new Error(`${file} was accepted`);
}

beforeAll(() => rmSync(MARKER, { force: true }));
afterEach(() => {
  delete process.env.XNAI_DOCSTORE_MEMORY_MB;
  delete process.env.XNAI_DOCSTORE_MAX_MB;
});

describe('hostile pickles', () => {
  it.each([
    ['os-system.pkl', /the docstore is a call to posix\.system \(recorded, never run\)/],
    ['deep-nesting.pkl', /metadata is nested deeper than 200 levels/],
    ['deep-marks.pkl', /more than 10000 nested MARKs/],
    ['huge-unicode8.pkl', /truncated: \d+ bytes declared but only 4 left in the file \(BINUNICODE8 at byte 2\)/],
    ['huge-binbytes.pkl', /truncated: 2147483647 bytes declared but only 4 left/],
    ['huge-long4.pkl', /an integer of 1073741824 bytes/],
    ['truncated.pkl', /truncated/],
    ['billion-laughs.pkl', /more than 1000000 values in one document/],
    ['plain-dict.pkl', /holds a dict, expected the pair \(docstore, index_to_docstore_id\)/],
    ['not-a-pickle.pkl', /not a readable LangChain docstore pickle/],
    ['protocol-6.pkl', /pickle protocol 6 is newer than 5/],
  ])('%s is refused in one line', async (name, reason) => {
    expect(await refusal(join(HOSTILE, name))).toMatch(reason);
    expect(existsSync(MARKER)).toBe(false);
  });

  it('a folder whose index.pkl calls os.system is refused by openSource, and nothing runs', async () => {
    await expect(openSource(join(HOSTILE, 'exploit-folder'))).rejects.toThrow(/index\.pkl: the docstore is a call to posix\.system \(recorded, never run\)/);
    expect(existsSync(MARKER)).toBe(false);
  });

  it('a call hidden in metadata is neutralised to a named, inert string', async () => {
    const store = await openLangChainPython(join(HOSTILE, 'os-system-in-metadata.pkl'));
    expect(plain(store.documentFor(0n)!.metadata)).toEqual({ payload: 'posix.system(…) (not run)' });
    expect(store.warnings!.join('\n')).toMatch(/posix\.system/);
    expect(existsSync(MARKER)).toBe(false);
  });

  it('__proto__, constructor and prototype are plain keys and ids, and no prototype changes', async () => {
    const store = await openLangChainPython(join(HOSTILE, 'proto-keys.pkl'));
    const a = store.documentFor(0n)!;
    const b = store.documentFor(1n)!;
    expect(a.docId).toBe('__proto__');
    expect(b.docId).toBe('constructor');
    expect(Object.keys(a.metadata)).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(JSON.stringify(a.metadata)).toBe('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":1}');
    expect(b.metadata.toString).toBe('not a function');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(a.metadata, '__proto__')!.value).toEqual({ polluted: true });
  });

  it('two documents sharing one metadata dict (a memo reference back into a released state) still load', async () => {
    // The lean pass refuses this pickle (it refers back to the first document's released metadata)...
    const bytes = readFileSync(join(STORES, 'edge', 'shared-metadata.pkl'));
    const compact = (_o: unknown, st: unknown) => (st instanceof PyDict && st.has('__dict__') ? 'compacted' : st);
    expect(() => parsePickle(bytes, { onBuild: compact, releaseBuiltState: true })).toThrow(MemoReleasedError);
    // ...and the loader parses again keeping everything.
    const store = await openLangChainPython(join(STORES, 'edge', 'shared-metadata.pkl'));
    expect(plain(store.documentFor(0n)!.metadata)).toEqual({ source: 'shared.md', tags: ['a', 'b'] });
    expect(store.documentFor(1n)!.text).toBe('two');
    expect(plain(store.documentFor(1n)!.metadata)).toEqual({ source: 'shared.md', tags: ['a', 'b'] });
  });

  it('memory is bounded: a parse needing more than XNAI_DOCSTORE_MEMORY_MB stops with the setting named', async () => {
    process.env.XNAI_DOCSTORE_MEMORY_MB = '1';
    expect(await refusal(join(HOSTILE, 'deep-nesting.pkl'))).toMatch(/needs more than 1 MiB of memory to load/);
  });

  it('files above XNAI_DOCSTORE_MAX_MB are refused before being read', async () => {
    process.env.XNAI_DOCSTORE_MAX_MB = '0.1';
    expect(await refusal(join(HOSTILE, 'deep-nesting.pkl'))).toMatch(/MiB limit; raise XNAI_DOCSTORE_MAX_MB/);
  });
});
