/**
 * The join of FAISS labels to documents, shared by every docstore format. Each format's loader hands over
 * its documents (ids plus a way to materialise document i) and its label → document id mapping; this
 * builds a compact lookup (a dense Int32Array when labels are the usual 0..n-1, a Map otherwise) and
 * counts mismatches in one pass over the index's labels with one-bit-per-document arrays, so memory beyond
 * the parsed docstore does not grow with the number of vectors.
 */
import type { DocumentsSummary, SourceKind } from '../../../shared/contract';
import type { DocumentStore, SourceDocument } from './types';

const MAX_EXAMPLES = 5;
/** Lookup value for "no entry"; values ≤ MISSING_BASE encode "names document id missingIds[MISSING_BASE - v]". */
const NO_ENTRY = -1;
const MISSING_BASE = -2;

export type Label = number | bigint;

/** A label as the key the lookup uses: a number when it is a safe integer, else the exact bigint. */
export function labelKey(label: Label): Label {
  if (typeof label === 'number') return label;
  return label >= -9007199254740991n && label <= 9007199254740991n ? Number(label) : label;
}

export interface JoinInput {
  kind: Exclude<SourceKind, 'faiss-file'>;
  /** What the mapping is called in this format, for messages (e.g. "index_to_docstore_id"). */
  mappingName: string;
  /** Ids of the documents the docstore holds, in its order. */
  documentIds: readonly string[];
  /** Document i (made on demand, so loaders can keep documents in compact columns). */
  documentAt(i: number): SourceDocument;
  /** FAISS label → document id, as the framework saved it. */
  mapping: Iterable<[Label, string]>;
  defaultLayout: DocumentsSummary['defaultLayout'];
  warnings?: string[];
}

/** documentAt over a Map of ready documents, in the Map's order (for JSON docstores). */
export function columns(documents: Map<string, SourceDocument>): (i: number) => SourceDocument {
  const list = [...documents.values()];
  return (i) => list[i]!;
}

const SEED_NAMES = ['source', 'faiss_id', 'migrated_at', 'batch_num'];

class Bits {
  readonly bytes: Uint8Array;
  constructor(n: number) {
    this.bytes = new Uint8Array((n + 7) >>> 3);
  }
  get(i: number): boolean {
    return (this.bytes[i >>> 3]! & (1 << (i & 7))) !== 0;
  }
  set(i: number): void {
    this.bytes[i >>> 3]! |= 1 << (i & 7);
  }
}

class LabelLookup {
  private dense: Int32Array | null = null;
  private sparse: Map<Label, number> | null = null;

  constructor(labels: Label[], values: Int32Array) {
    let max = -1;
    let denseOk = true;
    for (const l of labels) {
      if (typeof l !== 'number' || l < 0 || l > 0x7ffffffe) {
        denseOk = false;
        break;
      }
      if (l > max) max = l;
    }
    if (denseOk && max < 2 * labels.length + 1024) {
      this.dense = new Int32Array(max + 1).fill(NO_ENTRY);
      for (let i = 0; i < labels.length; i++) this.dense[labels[i] as number] = values[i]!;
    } else {
      this.sparse = new Map();
      for (let i = 0; i < labels.length; i++) this.sparse.set(labels[i]!, values[i]!);
    }
  }

  get(label: Label): number {
    const key = labelKey(label);
    if (this.dense) {
      if (typeof key !== 'number' || key < 0 || key >= this.dense.length) return NO_ENTRY;
      return this.dense[key]!;
    }
    return this.sparse!.get(key) ?? NO_ENTRY;
  }
}

export class JoinedDocuments implements DocumentStore {
  readonly kind: JoinInput['kind'];
  readonly count: number;
  readonly warnings: readonly string[];
  private readonly lookup: LabelLookup;
  private readonly ids: readonly string[];
  private readonly documentAt: (i: number) => SourceDocument;
  /** Ids the mapping names that the docstore does not hold. */
  private readonly missingIds: string[] = [];
  /** Documents at least one mapping entry names. */
  private readonly mapped: Bits;
  private readonly mappingName: string;
  private readonly defaultLayout: DocumentsSummary['defaultLayout'];
  /** Mapping entries naming a document an earlier label already names. */
  private readonly duplicateLabels: number;

  constructor(input: JoinInput) {
    this.kind = input.kind;
    this.mappingName = input.mappingName;
    this.defaultLayout = input.defaultLayout;
    this.ids = input.documentIds;
    this.documentAt = input.documentAt;
    this.count = input.documentIds.length;
    this.mapped = new Bits(this.count);

    // Temporary: id → position, dropped once the labels are resolved.
    const position = new Map<string, number>();
    input.documentIds.forEach((id, i) => position.set(id, i));
    const missingPos = new Map<string, number>();
    const labels: Label[] = [];
    let values = new Int32Array(1024);
    let duplicates = 0;
    for (const [label, id] of input.mapping) {
      let v = position.get(id);
      if (v === undefined) {
        let m = missingPos.get(id);
        if (m === undefined) {
          m = this.missingIds.length;
          this.missingIds.push(id);
          missingPos.set(id, m);
        }
        v = MISSING_BASE - m;
      } else if (this.mapped.get(v)) duplicates++;
      else this.mapped.set(v);
      if (labels.length === values.length) {
        const grown = new Int32Array(values.length * 2);
        grown.set(values);
        values = grown;
      }
      values[labels.length] = v;
      labels.push(labelKey(label));
    }
    this.duplicateLabels = duplicates;
    this.lookup = new LabelLookup(labels, values);

    const warnings = [...(input.warnings ?? [])];
    // Only LlamaIndex's layout flattens metadata, so only its sources warn by default.
    if (input.defaultLayout === 'llamaindex') {
      const names = new Set<string>();
      let documents = 0;
      for (let i = 0; i < this.count; i++) {
        const md = this.documentAt(i).metadata;
        const hits = SEED_NAMES.filter((n) => Object.prototype.hasOwnProperty.call(md, n));
        hits.forEach((n) => names.add(n));
        if (hits.length) documents++;
      }
      if (documents > 0) {
        warnings.push(
          `${documents} documents have metadata fields named ${[...names].join(', ')}: with the llamaindex payload layout (metadata flattened to the top level) the migration's own fields of those names take their place at the top level (the node's own values stay in _node_content, which LlamaIndex reads back)`,
        );
      }
    }
    this.warnings = warnings;
  }

  documentFor(label: bigint): SourceDocument | undefined {
    const v = this.lookup.get(label);
    return v >= 0 ? this.documentAt(v) : undefined;
  }

  async summarize(labels: AsyncIterable<BigInt64Array>): Promise<DocumentsSummary> {
    const seen = new Bits(this.count);
    const noEntry: string[] = [];
    const missingDoc: string[] = [];
    let vectorsWithoutDocument = 0;
    for await (const chunk of labels) {
      for (let i = 0; i < chunk.length; i++) {
        const label = chunk[i]!;
        const v = this.lookup.get(label);
        if (v >= 0) {
          seen.set(v);
          continue;
        }
        vectorsWithoutDocument++;
        if (v === NO_ENTRY) {
          if (noEntry.length < MAX_EXAMPLES) noEntry.push(`vector ${label}: no entry in ${this.mappingName}`);
        } else if (missingDoc.length < MAX_EXAMPLES) {
          missingDoc.push(`vector ${label}: ${this.mappingName} names document "${this.missingIds[MISSING_BASE - v]}", which the docstore does not hold`);
        }
      }
    }
    let documentsWithoutVector = 0;
    const notInIndex: string[] = [];
    const unmapped: string[] = [];
    for (let i = 0; i < this.count; i++) {
      if (seen.get(i)) continue;
      documentsWithoutVector++;
      if (this.mapped.get(i)) {
        if (notInIndex.length < MAX_EXAMPLES) notInIndex.push(`document "${this.ids[i]}": its label in ${this.mappingName} is not in the index`);
      } else if (unmapped.length < MAX_EXAMPLES) unmapped.push(`document "${this.ids[i]}": no label in ${this.mappingName} points to it`);
    }
    const examples = [...noEntry, ...missingDoc, ...[...notInIndex, ...unmapped].slice(0, MAX_EXAMPLES)];
    if (this.duplicateLabels > 0) examples.push(`${this.duplicateLabels} labels in ${this.mappingName} share a document with another label`);
    return { count: this.count, vectorsWithoutDocument, documentsWithoutVector, examples, defaultLayout: this.defaultLayout };
  }
}
