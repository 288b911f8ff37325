/**
 * The join of FAISS labels to documents, shared by every docstore format. Each format's loader hands over
 * its documents and its label → document id mapping; this builds a compact lookup (a dense Int32Array when
 * labels are the usual 0..n-1, a Map otherwise) and counts mismatches in one pass over the index's labels
 * with a one-bit-per-document "seen" array, so memory beyond the parsed docstore does not grow with the
 * number of vectors.
 */
import type { DocumentsSummary, SourceKind } from '../../../shared/contract';
import type { DocumentStore, SourceDocument } from './types';

const MAX_EXAMPLES = 5;

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
  /** Documents the docstore holds, by their id. */
  documents: Map<string, SourceDocument>;
  /** FAISS label → document id, as the framework saved it. */
  mapping: Iterable<[Label, string]>;
  defaultLayout: DocumentsSummary['defaultLayout'];
  warnings?: string[];
}

const SEED_NAMES = ['source', 'faiss_id', 'migrated_at', 'batch_num'];

function countSeedNamedFields(docs: Iterable<SourceDocument>): { documents: number; names: string[] } {
  let documents = 0;
  const names = new Set<string>();
  for (const d of docs) {
    let hit = false;
    for (const n of SEED_NAMES) {
      if (Object.prototype.hasOwnProperty.call(d.metadata, n)) {
        names.add(n);
        hit = true;
      }
    }
    if (hit) documents++;
  }
  return { documents, names: [...names] };
}

class LabelLookup {
  private dense: Int32Array | null = null;
  private sparse: Map<Label, number> | null = null;

  constructor(pairs: [Label, number][]) {
    let max = -1;
    let denseOk = true;
    for (const [l] of pairs) {
      if (typeof l !== 'number' || l < 0 || l > 0x7ffffffe) {
        denseOk = false;
        break;
      }
      if (l > max) max = l;
    }
    if (denseOk && max < 2 * pairs.length + 1024) {
      this.dense = new Int32Array(max + 1).fill(-1);
      for (const [l, e] of pairs) this.dense[l as number] = e;
    } else {
      this.sparse = new Map(pairs);
    }
  }

  get(label: Label): number | undefined {
    const key = labelKey(label);
    if (this.dense) {
      if (typeof key !== 'number' || key < 0 || key >= this.dense.length) return undefined;
      const e = this.dense[key]!;
      return e < 0 ? undefined : e;
    }
    return this.sparse!.get(key);
  }
}

/** Entries are document ids the mapping names; `docs[e]` is undefined when the docstore lacks that id. */
export class JoinedDocuments implements DocumentStore {
  readonly kind: JoinInput['kind'];
  readonly count: number;
  private readonly lookup: LabelLookup;
  private readonly entryIds: string[];
  private readonly docs: (SourceDocument | undefined)[];
  /** Documents no label maps to at all. */
  private readonly unmapped: string[];
  private readonly mappingName: string;
  private readonly defaultLayout: DocumentsSummary['defaultLayout'];
  readonly warnings: readonly string[];
  /** Mapping entries naming a document id already named by an earlier label. */
  private readonly duplicateLabels: number;

  constructor(input: JoinInput) {
    this.kind = input.kind;
    this.mappingName = input.mappingName;
    this.defaultLayout = input.defaultLayout;
    this.warnings = input.warnings ?? [];
    this.count = input.documents.size;
    const entryOf = new Map<string, number>();
    this.entryIds = [];
    this.docs = [];
    const pairs: [Label, number][] = [];
    let duplicates = 0;
    for (const [label, id] of input.mapping) {
      let e = entryOf.get(id);
      if (e === undefined) {
        e = this.entryIds.length;
        entryOf.set(id, e);
        this.entryIds.push(id);
        this.docs.push(input.documents.get(id));
      } else duplicates++;
      pairs.push([labelKey(label), e]);
    }
    this.duplicateLabels = duplicates;
    this.lookup = new LabelLookup(pairs);
    this.unmapped = [];
    for (const id of input.documents.keys()) if (!entryOf.has(id)) this.unmapped.push(id);
    // Only LlamaIndex's layout flattens metadata, so only its sources warn by default.
    const shadowed = input.defaultLayout === 'llamaindex' ? countSeedNamedFields(input.documents.values()) : { documents: 0, names: [] };
    if (shadowed.documents > 0) {
      this.warnings = [
        ...this.warnings,
        `${shadowed.documents} documents have metadata fields named ${shadowed.names.join(', ')}: with the llamaindex payload layout (metadata flattened to the top level) the migration's own fields of those names take their place at the top level (the node's own values stay in _node_content, which LlamaIndex reads back)`,
      ];
    }
  }

  documentFor(label: bigint): SourceDocument | undefined {
    const e = this.lookup.get(label);
    return e === undefined ? undefined : this.docs[e];
  }

  async summarize(labels: AsyncIterable<BigInt64Array>): Promise<DocumentsSummary> {
    const seen = new Uint8Array((this.entryIds.length + 7) >>> 3);
    const noEntry: string[] = [];
    const missingDoc: string[] = [];
    let vectorsWithoutDocument = 0;
    for await (const chunk of labels) {
      for (let i = 0; i < chunk.length; i++) {
        const label = chunk[i]!;
        const e = this.lookup.get(label);
        if (e === undefined) {
          vectorsWithoutDocument++;
          if (noEntry.length < MAX_EXAMPLES) noEntry.push(`vector ${label}: no entry in ${this.mappingName}`);
          continue;
        }
        seen[e >>> 3]! |= 1 << (e & 7);
        if (this.docs[e] === undefined) {
          vectorsWithoutDocument++;
          if (missingDoc.length < MAX_EXAMPLES) missingDoc.push(`vector ${label}: ${this.mappingName} names document "${this.entryIds[e]}", which the docstore does not hold`);
        }
      }
    }
    let documentsWithoutVector = 0;
    const orphans: string[] = [];
    for (let e = 0; e < this.entryIds.length; e++) {
      if (this.docs[e] !== undefined && !(seen[e >>> 3]! & (1 << (e & 7)))) {
        documentsWithoutVector++;
        if (orphans.length < MAX_EXAMPLES) orphans.push(`document "${this.entryIds[e]}": its label in ${this.mappingName} is not in the index`);
      }
    }
    documentsWithoutVector += this.unmapped.length;
    for (const id of this.unmapped.slice(0, MAX_EXAMPLES)) orphans.push(`document "${id}": no label in ${this.mappingName} points to it`);
    const examples = [...noEntry, ...missingDoc, ...orphans.slice(0, MAX_EXAMPLES)];
    if (this.duplicateLabels > 0) examples.push(`${this.duplicateLabels} labels in ${this.mappingName} share a document with another label`);
    return { count: this.count, vectorsWithoutDocument, documentsWithoutVector, examples, defaultLayout: this.defaultLayout };
  }
}
