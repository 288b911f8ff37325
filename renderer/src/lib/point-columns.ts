/**
 * The points table's columns: the document's text and metadata when the payload holds a document (the
 * engine reads it back: PointView.document), otherwise the payload's own top-level fields. Columns are
 * payload paths ("metadata.category", which is also what a filter chip takes) plus one virtual column for
 * the document text, which LlamaIndex keeps inside `_node_content`.
 */
import type { PointView } from '../../../shared/contract/qdrant';

export const TEXT_COLUMN = '@text';
/** Metadata columns shown by default beside the text (more are a click away in the column picker). */
const DEFAULT_METADATA_COLUMNS = 3;
const DEFAULT_PLAIN_COLUMNS = 4;

export function columnLabel(column: string): string {
  return column === TEXT_COLUMN ? 'document text' : column;
}

/** Every column the page's points offer: text, the documents' metadata, then the rest of the payload. */
export function availableColumns(points: readonly PointView[]): string[] {
  const out = new Set<string>();
  if (points.some((p) => p.document?.text)) out.add(TEXT_COLUMN);
  for (const p of points) for (const m of p.document?.metadataPaths ?? []) out.add(m);
  for (const p of points) {
    for (const [k, v] of Object.entries(p.payload ?? {})) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        for (const sub of Object.keys(v)) if (!/[.[\]]/.test(sub)) out.add(`${k}.${sub}`);
      } else out.add(k);
    }
  }
  return [...out];
}

/**
 * What a page shows before the user picks: for documents, their text and most common metadata fields (never
 * the migration's own fields, under `_xnai` in these layouts, nor LlamaIndex's internals); for bare payloads,
 * their first top-level fields.
 */
export function defaultColumns(points: readonly PointView[]): string[] {
  const withDocs = points.filter((p) => p.document);
  if (withDocs.length > 0) {
    // The metadata fields most documents of the page have first (first seen wins a tie).
    const seen = new Map<string, number>();
    for (const p of withDocs) for (const m of p.document!.metadataPaths) seen.set(m, (seen.get(m) ?? 0) + 1);
    const meta = [...seen.entries()].sort((a, b) => b[1] - a[1]).map(([m]) => m);
    const text = withDocs.some((p) => p.document!.text !== null) ? [TEXT_COLUMN] : [];
    return [...text, ...meta.slice(0, DEFAULT_METADATA_COLUMNS)];
  }
  return availableColumns(points).slice(0, DEFAULT_PLAIN_COLUMNS);
}

/** The value at a column's path, or undefined when the point has none there. */
export function cellValue(p: PointView, column: string): unknown {
  if (column === TEXT_COLUMN) return p.document?.text ?? undefined;
  let v: unknown = p.payload;
  for (const part of column.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    // Own keys only: a payload key named "constructor" is data, not Object.prototype's.
    if (!Object.prototype.hasOwnProperty.call(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** One line for a cell: strings as they are, numbers exactly as received, objects as compact JSON. */
export function cellText(value: unknown, max = 160): string {
  if (value === undefined) return '';
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
