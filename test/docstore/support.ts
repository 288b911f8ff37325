/** Shared helpers for the docstore tests: fixture paths and the libraries' expected payloads. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'lossless-json';
import { parseJsonNumber } from '../../electron/engine/python-number';

export const STORES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'stores');

export interface ExpectedRow {
  label: number;
  doc_id: string | null;
  document: { text: string; metadata: Record<string, unknown> } | null;
  langchain?: Record<string, unknown>;
  llamaindex?: Record<string, unknown>;
}

export interface Expected {
  store: string;
  kind: string;
  index_count: number;
  documents: number;
  vectors_without_document: number;
  documents_without_vector: number;
  labels?: number[];
  rows: ExpectedRow[];
}

/**
 * Written by test/fixtures/gen_stores.py with langchain-qdrant / llama-index / qdrant-client; ints exact,
 * and Python floats (every literal with "." or "e") as PyFloat, the engine's own convention, so a document
 * whose `5.0` became `5` fails to compare.
 */
export function expected(name: string): Expected {
  return parse(readFileSync(join(STORES, 'expected', `${name}.json`), 'utf8'), null, parseJsonNumber) as Expected;
}

/** A plain-object, JSON-comparable copy (null-prototype objects compare like any other). */
export function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: plain((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}
