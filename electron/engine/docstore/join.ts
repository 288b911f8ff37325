/**
 * The join of FAISS labels to documents, shared by every docstore format. Each format's loader hands over
 * its documents (ids plus a way to materialise document i) and its label → document id mapping; this
 * builds a compact lookup (a dense Int32Array when labels are the usual 0..n-1, a Map otherwise) and
 * counts mismatches in one pass over the index's labels with one-bit-per-document arrays, so memory beyond
 * the parsed docstore does not grow with the number of vectors.
 */
import { MIGRATION_FIELDS_KEY, type DocumentsSummary, type SourceKind } from '../../../shared/contract';
import { isCanonicalUuid, pointIdForDocument } from '../point-id';
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
  mapping: readonly (readonly [Label, string])[];
  defaultLayout: DocumentsSummary['defaultLayout'];
  warnings?: string[];
}

/** documentAt over a Map of ready documents, in the Map's order (for JSON docstores). */
export function columns(documents: Map<string, SourceDocument>): (i: number) => SourceDocument {
  const list = [...documents.values()];
  return (i) => list[i]!;
}


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
  /** Point ids of documents whose id is not already a canonical UUID (document index → point id). */
  private readonly derivedIds = new Map<number, string>();
  /** Two documents whose ids map to one point id (spellings of one UUID, or a crafted UUIDv5). */
  private readonly idCollisions: string[] = [];
  /** Labels that share a document with another label: label → the other (first) label, checked in summarize. */
  private readonly sharedLabels = new Map<Label, Label>();
  /** Documents whose metadata has the key the migration reserves (`_xnai`). */
  private readonly reservedKeyDocuments: string[] = [];

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
    if (duplicates > 0) this.findSharedLabels(input.mapping, position);
    this.findIdCollisions(position);
    for (let i = 0; i < this.count && this.reservedKeyDocuments.length < MAX_EXAMPLES; i++) {
      if (Object.prototype.hasOwnProperty.call(this.documentAt(i).metadata, MIGRATION_FIELDS_KEY)) this.reservedKeyDocuments.push(this.ids[i]!);
    }
    this.warnings = [...(input.warnings ?? [])];
  }

  /** Labels naming a document an earlier label names: each becomes the same point in the framework layouts. */
  private findSharedLabels(mapping: JoinInput['mapping'], position: Map<string, number>): void {
    const first = new Map<number, Label>();
    for (const [label, id] of mapping) {
      const v = position.get(id);
      if (v === undefined) continue;
      const key = labelKey(label);
      const earlier = first.get(v);
      if (earlier === undefined) first.set(v, key);
      else if (earlier !== key) this.sharedLabels.set(key, earlier);
    }
  }

  /**
   * Documents whose ids give one point id. Distinct ids that are already canonical UUIDs give distinct
   * point ids, so only the others (other UUID spellings, non-UUID ids) are computed and compared: memory
   * grows with those alone, and the usual LangChain store (uuid4 ids) costs nothing here.
   */
  private findIdCollisions(position: Map<string, number>): void {
    const byDerived = new Map<string, number>();
    for (let i = 0; i < this.count; i++) {
      const id = this.ids[i]!;
      if (isCanonicalUuid(id)) continue;
      const pid = pointIdForDocument(id);
      this.derivedIds.set(i, pid);
      const other = position.get(pid) ?? byDerived.get(pid);
      if (other !== undefined) {
        if (this.idCollisions.length < MAX_EXAMPLES) this.idCollisions.push(`documents "${this.ids[other]}" and "${id}" both become point ${pid}`);
      } else byDerived.set(pid, i);
    }
  }

  pointIdFor(label: bigint): string | undefined {
    const v = this.lookup.get(label);
    if (v < 0) return undefined;
    return this.derivedIds.get(v) ?? this.ids[v];
  }

  documentFor(label: bigint): SourceDocument | undefined {
    const v = this.lookup.get(label);
    return v >= 0 ? this.documentAt(v) : undefined;
  }

  async summarize(labels: AsyncIterable<BigInt64Array>): Promise<DocumentsSummary> {
    const seen = new Bits(this.count);
    // Labels that share a document, both sides, and those of them the index holds.
    const watched = new Set<Label>([...this.sharedLabels.keys(), ...this.sharedLabels.values()]);
    const present = new Set<Label>();
    const noEntry: string[] = [];
    const missingDoc: string[] = [];
    let vectorsWithoutDocument = 0;
    for await (const chunk of labels) {
      for (let i = 0; i < chunk.length; i++) {
        const label = chunk[i]!;
        const v = this.lookup.get(label);
        if (v >= 0) {
          seen.set(v);
          if (watched.size > 0 && watched.has(labelKey(label))) present.add(labelKey(label));
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
    const idCollisions = [...this.idCollisions];
    // Two labels of the index naming one document are two vectors for one point id. A label the mapping
    // names but the index does not hold is only a stale entry, not a collision.
    for (const [label, earlier] of this.sharedLabels) {
      if (!present.has(label) || !present.has(earlier) || idCollisions.length >= MAX_EXAMPLES) continue;
      const docIndex = this.lookup.get(label);
      idCollisions.push(`vectors ${earlier} and ${label} both name document "${this.ids[docIndex]}" in ${this.mappingName}, so both would become point ${this.pointIdFor(BigInt(label))}`);
    }
    return {
      count: this.count,
      vectorsWithoutDocument,
      documentsWithoutVector,
      examples,
      defaultLayout: this.defaultLayout,
      idCollisions,
      reservedKeyDocuments: [...this.reservedKeyDocuments],
    };
  }
}
