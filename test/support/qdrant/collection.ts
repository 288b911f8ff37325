/**
 * One collection: its configuration as Qdrant reports it, its points, payload indexes and the operations
 * the REST API performs on them. Requests reach this module already schema-checked and with ids parsed;
 * the semantic checks Qdrant makes after deserialisation (vector sizes, unknown vector names, ranges)
 * happen here, with Qdrant's messages.
 */
import type { Schemas } from '@qdrant/js-client-rest';
import { badInput, badRequest, formatError, pointNotFound, QdrantHttpError, validationError } from './errors';
import { compareIds, idKey, parsePointId, type StoredId } from './ids';
import { compileFilter, wordTokens, type Predicate, type TextTokenizer } from './filter';
import { normalize, score, higherIsBetter, type Distance } from './distance';
import { parsePath, valuesAt } from './payload-path';
import type { Payload, StoredPoint } from './point';
import { F32 } from './json-out';
import { JsonFloat } from './json-in';

export const MAX_VECTOR_DIM = 65536;

export interface VectorSpec {
  size: number;
  distance: Distance;
  /** The VectorParams as configured (echoed in collection info). */
  params: Record<string, unknown>;
}

/** A point ready to store: id parsed, vectors as f32 (not yet normalised), payload parsed. */
export interface IncomingPoint {
  id: StoredId;
  vectors: Map<string, Float32Array>;
  payload: Payload | null;
}

export interface PayloadIndex {
  dataType: Schemas['PayloadSchemaType'];
  params: Record<string, unknown> | null;
  /** Points holding at least one value this index takes (kept up to date on every write). */
  points: number;
}

type WithPayload = Schemas['WithPayloadInterface'] | null | undefined;
type WithVector = Schemas['WithVector'] | null | undefined;

const DEFAULT_HNSW = { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false };
const DEFAULT_OPTIMIZERS = {
  deleted_threshold: 0.2,
  vacuum_min_vector_number: 1000,
  default_segment_number: 0,
  max_segment_size: null,
  memmap_threshold: null,
  indexing_threshold: 10000,
  flush_interval_sec: 5,
  max_optimization_threads: null,
};
const DEFAULT_WAL = { wal_capacity_mb: 32, wal_segments_ahead: 0, wal_retain_closed: 1 };

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

const DISTANCES = ['Cosine', 'Euclid', 'Dot', 'Manhattan'];

function vectorSpecFrom(name: string, raw: Record<string, unknown>): VectorSpec {
  const size = raw.size as number;
  // Also checked by the OpenAPI schema; repeated so the stand-in holds without the document.
  if (typeof raw.distance !== 'string' || !DISTANCES.includes(raw.distance)) {
    throw formatError(`unknown variant \`${String(raw.distance)}\`, expected one of ${DISTANCES.map((d) => `\`${d}\``).join(', ')}`);
  }
  if (typeof size !== 'number' || !Number.isInteger(size)) throw formatError(`invalid type: ${JSON.stringify(size) ?? 'nothing'}, expected u64 at vectors.size`);
  const where = name === '' ? 'vectors.size' : `vectors.${name}.size`;
  if (size < 1 || size > MAX_VECTOR_DIM) throw validationError(`${where}: value ${size} invalid, must be from 1 to ${MAX_VECTOR_DIM}`);
  return { size, distance: raw.distance as Distance, params: defined(raw) };
}

/** Deep copy of JSON-ish payload values (bigint kept). */
function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object' || v instanceof JsonFloat) return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  const o: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) o[k] = clone(val);
  return o as T;
}

export class Collection {
  readonly vectors = new Map<string, VectorSpec>();
  /** true when created with a map of named vectors (responses then carry vectors as maps). */
  readonly namedVectors: boolean;
  readonly points = new Map<string, StoredPoint>();
  readonly payloadIndexes = new Map<string, PayloadIndex>();
  hnsw: Record<string, unknown>;
  optimizers: Record<string, unknown>;
  wal: Record<string, unknown>;
  quantization: unknown;
  params: Record<string, unknown>;
  strictMode: Record<string, unknown>;
  metadata: Payload | null;
  /** Sequential operation number (Qdrant's operation_id). */
  operationId = 0;
  /** While > now the collection reports status yellow (a fault: optimisation running). */
  optimizingUntil = 0;
  private sortedCache: StoredPoint[] | null = null;

  constructor(
    readonly name: string,
    body: Schemas['CreateCollection'],
  ) {
    const b = body as Record<string, unknown>;
    const vectors = obj(b.vectors);
    this.namedVectors = !('size' in vectors && 'distance' in vectors);
    if (this.namedVectors) for (const [n, p] of Object.entries(vectors)) this.vectors.set(n, vectorSpecFrom(n, obj(p)));
    else this.vectors.set('', vectorSpecFrom('', vectors));
    this.hnsw = { ...DEFAULT_HNSW, ...defined(obj(b.hnsw_config)) };
    this.optimizers = { ...DEFAULT_OPTIMIZERS, ...defined(obj(b.optimizers_config)) };
    this.wal = { ...DEFAULT_WAL, ...defined(obj(b.wal_config)) };
    this.quantization = b.quantization_config ?? null;
    this.params = {
      shard_number: b.shard_number ?? 1,
      ...(b.sharding_method ? { sharding_method: b.sharding_method } : {}),
      replication_factor: b.replication_factor ?? 1,
      write_consistency_factor: b.write_consistency_factor ?? 1,
      on_disk_payload: b.on_disk_payload ?? true,
      ...(b.sparse_vectors ? { sparse_vectors: b.sparse_vectors } : {}),
    };
    this.strictMode = { enabled: false, ...defined(obj(b.strict_mode_config)) };
    this.metadata = (b.metadata as Payload | undefined) ?? null;
  }

  // ---- configuration -------------------------------------------------------------------------------

  update(body: Schemas['UpdateCollection']): void {
    const b = body as Record<string, unknown>;
    if (b.optimizers_config) this.optimizers = { ...this.optimizers, ...defined(obj(b.optimizers_config)) };
    if (b.hnsw_config) this.hnsw = { ...this.hnsw, ...defined(obj(b.hnsw_config)) };
    if (b.quantization_config !== undefined && b.quantization_config !== null) this.quantization = b.quantization_config === 'Disabled' ? null : b.quantization_config;
    if (b.params) {
      for (const [k, v] of Object.entries(defined(obj(b.params)))) this.params[k] = v;
    }
    if (b.strict_mode_config) this.strictMode = { ...this.strictMode, ...defined(obj(b.strict_mode_config)) };
    if (b.metadata) this.metadata = { ...(this.metadata ?? {}), ...(b.metadata as Payload) };
    if (b.vectors) {
      for (const [name, diff] of Object.entries(obj(b.vectors))) {
        const spec = this.vectors.get(name);
        if (!spec) throw badInput(`Not existing vector name error: ${name}`);
        for (const [k, v] of Object.entries(defined(obj(diff)))) spec.params[k] = v;
      }
    }
  }

  private vectorsConfigOut(): unknown {
    if (!this.namedVectors) return { ...this.vectors.get('')!.params };
    return Object.fromEntries([...this.vectors].map(([n, s]) => [n, { ...s.params }]));
  }

  info(): Record<string, unknown> {
    const count = this.points.size;
    const dims = [...this.vectors.values()].reduce((a, s) => a + s.size, 0);
    const kb = (count * dims * 4) / 1024;
    const threshold = this.optimizers.indexing_threshold as number | null;
    // Vectors count as indexed once a segment outgrows indexing_threshold (KB); 0 disables indexing.
    const indexed = threshold !== null && threshold > 0 && kb >= threshold ? count * Math.max(1, this.vectors.size) : 0;
    const payloadSchema: Record<string, unknown> = {};
    for (const [field, idx] of this.payloadIndexes) {
      payloadSchema[field] = { data_type: idx.dataType, ...(idx.params ? { params: idx.params } : {}), points: idx.points };
    }
    return {
      status: this.optimizingUntil > Date.now() ? 'yellow' : 'green',
      optimizer_status: 'ok',
      indexed_vectors_count: indexed,
      points_count: count,
      segments_count: 2,
      config: {
        params: { vectors: this.vectorsConfigOut(), ...this.params },
        hnsw_config: { ...this.hnsw },
        optimizer_config: { ...this.optimizers },
        wal_config: { ...this.wal },
        quantization_config: this.quantization,
        strict_mode_config: { ...this.strictMode },
        ...(this.metadata ? { metadata: this.metadata } : {}),
      },
      payload_schema: payloadSchema,
    };
  }

  private indexedPoints(field: string, dataType: PayloadIndex['dataType']): number {
    let n = 0;
    for (const p of this.points.values()) if (indexHolds(p.payload, field, dataType)) n++;
    return n;
  }

  /** Keep each index's point count current: `before`/`after` are a point's payload around a write. */
  private reindex(before: Payload | undefined, after: Payload | undefined): void {
    if (before === after) return;
    for (const [field, idx] of this.payloadIndexes) {
      const had = before !== undefined && indexHolds(before, field, idx.dataType);
      const has = after !== undefined && indexHolds(after, field, idx.dataType);
      if (had !== has) idx.points += has ? 1 : -1;
    }
  }

  createIndex(field: string, schema: unknown): void {
    if (schema === null || schema === undefined) throw badRequest('Can\'t create field index without schema: field_schema is required');
    const dataType = (typeof schema === 'string' ? schema : (obj(schema).type as string)) as Schemas['PayloadSchemaType'];
    this.payloadIndexes.set(field, { dataType, params: typeof schema === 'string' ? null : { ...obj(schema) }, points: this.indexedPoints(field, dataType) });
  }

  deleteIndex(field: string): void {
    this.payloadIndexes.delete(field);
  }

  readonly tokenizer: TextTokenizer = (field) => {
    const idx = this.payloadIndexes.get(field);
    return idx?.dataType === 'text' ? wordTokens : undefined;
  };

  // ---- writes ----------------------------------------------------------------------------------------

  /** Check sizes and names, normalise Cosine vectors: throws before anything is stored. */
  prepareVectors(vectors: Map<string, Float32Array>, where: string, owned = false): Map<string, Float32Array> {
    // An owned map (parsed for this request) is normalised in place and kept: no second map per point.
    const out = owned ? vectors : new Map<string, Float32Array>();
    for (const [name, v] of vectors) {
      const spec = this.vectors.get(name);
      if (!spec) throw badInput(`Not existing vector name error: ${name}`);
      // Qdrant's validator runs before the dimension check: an empty vector is a 422, named as Qdrant names it.
      if (v.length === 0) throw validationError(`${where}.vector: dense vector must not be empty`);
      if (v.length !== spec.size) throw badInput(`Vector dimension error: expected dim: ${spec.size}, got ${v.length}`);
      const stored = spec.distance === 'Cosine' ? normalize(v, owned) : v;
      if (!owned) out.set(name, stored);
    }
    return out;
  }

  private stamp(): number {
    return ++this.operationId;
  }

  private put(p: StoredPoint, key = idKey(p.id), old = this.points.get(key)): void {
    if (!old) this.sortedCache = null;
    if (this.payloadIndexes.size > 0) this.reindex(old?.payload, p.payload);
    this.points.set(key, p);
  }

  /** Change a stored point's payload, keeping index counts. */
  private setPointPayload(p: StoredPoint, payload: Payload): void {
    if (this.payloadIndexes.size > 0) this.reindex(p.payload, payload);
    p.payload = payload;
  }

  /** Prepared points (see prepareUpsert) → stored; honours update_mode and update_filter. */
  applyUpsert(points: IncomingPoint[], mode: string | null | undefined, updateFilter: Predicate | null): number {
    const op = this.stamp();
    for (const p of points) {
      const key = idKey(p.id);
      const existing = this.points.get(key);
      if (existing) {
        if (mode === 'insert_only') continue;
        if (updateFilter && !updateFilter({ payload: existing.payload, point: existing })) continue;
      } else if (mode === 'update_only') continue;
      this.put({ id: p.id, vectors: p.vectors, payload: p.payload ?? {}, version: op }, key, existing);
    }
    return op;
  }

  /** Validate and normalise a batch before it is acknowledged (nothing is stored on error). The points' vectors are owned by the batch (parsed for it) and normalised in place. */
  prepareUpsert(points: IncomingPoint[]): IncomingPoint[] {
    // The batch owns its points: they are checked and normalised in place and returned as they are.
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      if (!this.namedVectors && !p.vectors.has('') && p.vectors.size > 0) {
        const name = [...p.vectors.keys()][0]!;
        throw badInput(`Not existing vector name error: ${name}`);
      }
      if (!this.namedVectors && p.vectors.size === 0) throw validationError(`points[${i}].vector: must specify vectors to update for point`);
      this.prepareVectors(p.vectors, `points[${i}].vector`, true);
    }
    return points;
  }

  selectIds(selector: { points?: unknown[] | null; filter?: Schemas['Filter'] | null }): StoredPoint[] {
    if (selector.points) {
      const out: StoredPoint[] = [];
      for (const raw of selector.points) {
        const p = this.points.get(idKey(parsePointId(raw)));
        if (p) out.push(p);
      }
      return out;
    }
    const pred = compileFilter(selector.filter ?? null, this.tokenizer);
    return [...this.points.values()].filter((p) => pred({ payload: p.payload, point: p }));
  }

  deletePoints(targets: StoredPoint[]): number {
    const op = this.stamp();
    for (const p of targets) {
      if (this.points.delete(idKey(p.id)) && this.payloadIndexes.size > 0) this.reindex(p.payload, undefined);
      this.sortedCache = null;
    }
    return op;
  }

  setPayload(targets: StoredPoint[], payload: Payload, key: string | null | undefined, overwrite: boolean): number {
    const op = this.stamp();
    for (const p of targets) {
      let next: Payload;
      if (overwrite) next = clone(payload);
      else if (key) {
        const holder = p.payload[key];
        next = { ...p.payload, [key]: { ...(holder !== null && typeof holder === 'object' && !Array.isArray(holder) ? holder : {}), ...clone(payload) } };
      } else next = { ...p.payload, ...clone(payload) };
      this.setPointPayload(p, next);
      p.version = op;
    }
    return op;
  }

  deletePayload(targets: StoredPoint[], keys: string[]): number {
    const op = this.stamp();
    for (const p of targets) {
      const next = { ...p.payload };
      for (const k of keys) delete next[k];
      this.setPointPayload(p, next);
      p.version = op;
    }
    return op;
  }

  clearPayload(targets: StoredPoint[]): number {
    const op = this.stamp();
    for (const p of targets) {
      this.setPointPayload(p, {});
      p.version = op;
    }
    return op;
  }

  updateVectors(updates: { id: StoredId; vectors: Map<string, Float32Array> }[]): number {
    const prepared = updates.map((u, i) => {
      const p = this.points.get(idKey(u.id));
      if (!p) throw pointNotFound(idKey(u.id));
      return { p, vectors: this.prepareVectors(u.vectors, `points[${i}].vector`) };
    });
    const op = this.stamp();
    for (const { p, vectors } of prepared) {
      for (const [n, v] of vectors) p.vectors.set(n, v);
      p.version = op;
    }
    return op;
  }

  deleteVectors(targets: StoredPoint[], names: string[]): number {
    for (const n of names) if (!this.vectors.has(n)) throw badInput(`Not existing vector name error: ${n}`);
    const op = this.stamp();
    for (const p of targets) {
      for (const n of names) p.vectors.delete(n);
      p.version = op;
    }
    return op;
  }

  // ---- reads ----------------------------------------------------------------------------------------

  sorted(): StoredPoint[] {
    if (!this.sortedCache) this.sortedCache = [...this.points.values()].sort((a, b) => compareIds(a.id, b.id));
    return this.sortedCache;
  }

  /** A point as a Record body part. Qdrant leaves `payload` and `vector` out when not selected (skip_serializing_if none). */
  render(p: StoredPoint, withPayload: WithPayload, withVector: WithVector, defaultPayload: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = { id: p.id };
    const payload = selectPayload(p.payload, withPayload ?? defaultPayload);
    if (payload !== null) out.payload = payload;
    const vector = this.selectVector(p, withVector ?? false);
    if (vector !== null) out.vector = vector;
    return out;
  }

  private selectVector(p: StoredPoint, sel: Schemas['WithVector']): unknown {
    if (sel === false) return null;
    if (!this.namedVectors) {
      if (sel === true || (Array.isArray(sel) && sel.includes(''))) return p.vectors.get('') ?? null;
      return null;
    }
    const names = sel === true ? [...p.vectors.keys()] : (sel as string[]);
    const out: Record<string, Float32Array> = {};
    for (const n of names) {
      const v = p.vectors.get(n);
      if (v) out[n] = v;
    }
    return out;
  }

  retrieve(ids: unknown[], withPayload: WithPayload, withVector: WithVector): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    for (const raw of ids) {
      const key = idKey(parsePointId(raw));
      if (seen.has(key)) continue;
      seen.add(key);
      const p = this.points.get(key);
      // POST /points leaves the payload out unless asked (Qdrant 1.18.3); GET /points/{id} passes true.
      if (p) out.push(this.render(p, withPayload, withVector, false));
    }
    return out;
  }

  scroll(req: Schemas['ScrollRequest']): { points: Record<string, unknown>[]; next_page_offset: StoredId | null } {
    const limit = req.limit ?? 10;
    const pred = compileFilter(req.filter as Schemas['Filter'] | null, this.tokenizer);
    const withPayload = req.with_payload as WithPayload;
    const withVector = req.with_vector as WithVector;
    if (req.order_by !== undefined && req.order_by !== null) {
      const ob = typeof req.order_by === 'string' ? { key: req.order_by } : (req.order_by as Schemas['OrderBy']);
      if (req.offset !== undefined && req.offset !== null) throw badRequest('Cannot use an `offset` when using `order_by`. The alternative for paging is to use `order_by.start_from` and a filter to exclude the IDs that you\'ve already seen for the `order_by.start_from` value');
      const idx = this.payloadIndexes.get(ob.key);
      if (!idx || !['integer', 'float', 'datetime'].includes(idx.dataType)) {
        throw badRequest(`No range index for \`order_by\` key: \`${ob.key}\`. Please create one to use \`order_by\`. Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which payload schemas support Range conditions`);
      }
      const desc = ob.direction === 'desc';
      const startRaw = ob.start_from as unknown;
      const start = startRaw === null || startRaw === undefined ? undefined : typeof startRaw === 'string' ? Date.parse(startRaw) : Number(startRaw);
      const rows: { p: StoredPoint; v: number }[] = [];
      for (const p of this.points.values()) {
        if (!pred({ payload: p.payload, point: p })) continue;
        for (const raw of valuesAt(p.payload, ob.key)) {
          const v = typeof raw === 'number' || raw instanceof JsonFloat ? Number(raw) : typeof raw === 'bigint' ? Number(raw) : typeof raw === 'string' && idx.dataType === 'datetime' ? Date.parse(raw) : NaN;
          if (Number.isNaN(v)) continue;
          if (start !== undefined && (desc ? v > start : v < start)) continue;
          rows.push({ p, v });
        }
      }
      rows.sort((a, b) => (desc ? b.v - a.v : a.v - b.v) || compareIds(a.p.id, b.p.id));
      return {
        points: rows.slice(0, limit).map(({ p, v }) => ({ ...this.render(p, withPayload, withVector, true), order_value: v })),
        next_page_offset: null,
      };
    }
    const sorted = this.sorted();
    let i = 0;
    if (req.offset !== undefined && req.offset !== null) {
      const from = parsePointId(req.offset);
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareIds(sorted[mid]!.id, from) < 0) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    const page: Record<string, unknown>[] = [];
    let next: StoredId | null = null;
    for (; i < sorted.length; i++) {
      const p = sorted[i]!;
      if (!pred({ payload: p.payload, point: p })) continue;
      if (page.length === limit) {
        next = p.id;
        break;
      }
      page.push(this.render(p, withPayload, withVector, true));
    }
    return { points: page, next_page_offset: next };
  }

  count(filter: Schemas['Filter'] | null | undefined): number {
    if (!filter) return this.points.size;
    const pred = compileFilter(filter, this.tokenizer);
    let n = 0;
    for (const p of this.points.values()) if (pred({ payload: p.payload, point: p })) n++;
    return n;
  }

  facet(req: Schemas['FacetRequest']): { value: unknown; count: number }[] {
    const idx = this.payloadIndexes.get(req.key);
    if (!idx || !['keyword', 'integer', 'bool', 'uuid'].includes(idx.dataType)) {
      throw badRequest(`Index required but not found for "${req.key}" of one of the following types: [keyword, integer, bool, uuid]. Help: Create an index for this key or use a different filter.`);
    }
    const pred = compileFilter(req.filter as Schemas['Filter'] | null, this.tokenizer);
    const counts = new Map<string, { value: unknown; count: number }>();
    for (const p of this.points.values()) {
      if (!pred({ payload: p.payload, point: p })) continue;
      const seen = new Set<string>();
      for (const v of valuesAt(p.payload, req.key)) {
        if (!fitsIndex(idx.dataType, v)) continue;
        const k = `${typeof v}:${String(v)}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const e = counts.get(k) ?? { value: v, count: 0 };
        e.count++;
        counts.set(k, e);
      }
    }
    const hits = [...counts.values()].sort((a, b) => b.count - a.count || (String(a.value) < String(b.value) ? -1 : 1));
    return hits.slice(0, req.limit ?? 10);
  }

  /** The vector a query names: a raw vector, or a stored point's vector (excluded from the results). */
  resolveQueryVector(input: unknown, using: string): { vector: Float32Array; exclude: string | null } {
    const spec = this.vectors.get(using);
    if (!spec) throw badInput(`Not existing vector name error: ${using}`);
    if (Array.isArray(input)) {
      if (input.length > 0 && Array.isArray(input[0])) throw badRequest('multi-vector queries are not supported by the stand-in');
      const v = Float32Array.from(input as number[]);
      if (v.length !== spec.size) throw badInput(`Vector dimension error: expected dim: ${spec.size}, got ${v.length}`);
      return { vector: spec.distance === 'Cosine' ? normalize(v) : v, exclude: null };
    }
    const id = parsePointId(input);
    const p = this.points.get(idKey(id));
    if (!p) throw pointNotFound(idKey(id));
    const v = p.vectors.get(using);
    if (!v) throw badInput(`Vector ${using === '' ? 'default' : using} is not found for point ${idKey(id)}`);
    return { vector: v, exclude: idKey(id) };
  }

  query(req: Schemas['QueryRequest']): Record<string, unknown>[] {
    const r = req as Record<string, unknown>;
    if (r.prefetch) throw badRequest('prefetch is not supported by the stand-in');
    const limit = (r.limit as number | null | undefined) ?? 10;
    const offset = (r.offset as number | null | undefined) ?? 0;
    const using = (r.using as string | null | undefined) ?? '';
    const pred = compileFilter(r.filter as Schemas['Filter'] | null, this.tokenizer);
    const withPayload = (r.with_payload as WithPayload) ?? false;
    const withVector = (r.with_vector as WithVector) ?? false;
    const q = r.query as unknown;
    const asScored = (p: StoredPoint, s: number, extra: Record<string, unknown> = {}) => ({
      id: p.id,
      version: p.version,
      score: new F32(s),
      ...this.renderScoredParts(p, withPayload, withVector),
      ...extra,
    });
    if (q === undefined || q === null) {
      // No query: points in id order, score 0.
      const out: Record<string, unknown>[] = [];
      for (const p of this.sorted()) if (pred({ payload: p.payload, point: p })) out.push(asScored(p, 0));
      return out.slice(offset, offset + limit);
    }
    const qo = obj(q);
    if ('order_by' in qo) {
      const res = this.scroll({ order_by: qo.order_by as Schemas['OrderByInterface'], filter: r.filter as Schemas['Filter'], limit: offset + limit, with_payload: withPayload, with_vector: withVector });
      return res.points.slice(offset).map((rec) => ({ ...rec, version: this.points.get(idKey(rec.id as StoredId))!.version, score: new F32(0) }));
    }
    if ('sample' in qo || 'fusion' in qo || 'rrf' in qo || 'formula' in qo || 'recommend' in qo || 'discover' in qo || 'context' in qo || 'relevance_feedback' in qo) {
      throw badRequest(`query type ${Object.keys(qo)[0]} is not supported by the stand-in`);
    }
    const input = 'nearest' in qo ? qo.nearest : q;
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) throw badRequest('sparse/document/image queries are not supported by the stand-in');
    const { vector, exclude } = this.resolveQueryVector(input, using);
    const spec = this.vectors.get(using)!;
    const better = higherIsBetter(spec.distance);
    const threshold = r.score_threshold as number | null | undefined;
    const hits: { p: StoredPoint; s: number }[] = [];
    for (const p of this.points.values()) {
      if (exclude !== null && idKey(p.id) === exclude) continue;
      const v = p.vectors.get(using);
      if (!v || !pred({ payload: p.payload, point: p })) continue;
      const s = score(spec.distance, vector, v);
      if (threshold !== undefined && threshold !== null && (better ? s < threshold : s > threshold)) continue;
      hits.push({ p, s });
    }
    // Qdrant ranks by an ordered float where distances are negated and NaN is the greatest value: a NaN
    // score (a vector holding infinity) comes first, an infinite distance last.
    const rank = (s: number) => (Number.isNaN(s) ? Infinity : better ? s : -s);
    hits.sort((a, b) => rank(b.s) - rank(a.s) || compareIds(a.p.id, b.p.id));
    return hits.slice(offset, offset + limit).map(({ p, s }) => asScored(p, s));
  }

  /** ScoredPoint carries payload/vector only when asked for (Qdrant skips them otherwise). */
  private renderScoredParts(p: StoredPoint, withPayload: WithPayload, withVector: WithVector): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const pl = selectPayload(p.payload, withPayload ?? false);
    if (pl !== null) out.payload = pl;
    const v = withVector ? this.selectVector(p, withVector) : null;
    if (v !== null) out.vector = v;
    return out;
  }
}

/**
 * Whether a payload holds a value an index of this type takes at `field`. Runs for every index on every
 * stored point, so a plain top-level key (the usual index field) is read directly; other paths go through
 * valuesAt (same answer: one key, then a trailing array flattened).
 */
function indexHolds(payload: Payload, field: string, type: Schemas['PayloadSchemaType']): boolean {
  const segs = parsePath(field);
  const only = segs.length === 1 ? segs[0]! : undefined;
  if (only?.kind === 'key') {
    if (!Object.prototype.hasOwnProperty.call(payload, only.key)) return false;
    const v = payload[only.key];
    if (!Array.isArray(v)) return fitsIndex(type, v);
    for (const x of v) if (fitsIndex(type, x)) return true;
    return false;
  }
  return valuesAt(payload, segs).some((v) => fitsIndex(type, v));
}

/** Whether a payload value is one a payload index of this type holds. */
export function fitsIndex(type: Schemas['PayloadSchemaType'], v: unknown): boolean {
  switch (type) {
    case 'keyword':
      return typeof v === 'string';
    case 'integer':
      // An i64 index: a u64 beyond i64::MAX is not indexed (and not counted in payload_schema).
      return (typeof v === 'bigint' && v >= -(1n << 63n) && v < 1n << 63n) || (typeof v === 'number' && Number.isInteger(v));
    case 'float':
      return typeof v === 'number' || typeof v === 'bigint' || v instanceof JsonFloat;
    case 'bool':
      return typeof v === 'boolean';
    case 'text':
      return typeof v === 'string';
    case 'datetime':
      return typeof v === 'string' && !Number.isNaN(Date.parse(v));
    case 'uuid':
      return typeof v === 'string' && /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v);
    case 'geo':
      return v !== null && typeof v === 'object' && 'lat' in v && 'lon' in v;
  }
}

/** with_payload: true/false, a list of keys, {include}, {exclude}. */
export function selectPayload(payload: Payload, sel: Schemas['WithPayloadInterface']): Payload | null {
  if (sel === false) return null;
  if (sel === true) return clone(payload);
  const pick = (keys: string[]) => {
    const out: Payload = {};
    for (const k of keys) {
      const top = k.split('.')[0]!;
      if (top in payload) out[top] = clone(payload[top]);
    }
    return out;
  };
  if (Array.isArray(sel)) return pick(sel);
  const s = sel as Record<string, unknown>;
  if (Array.isArray(s.include)) return pick(s.include as string[]);
  if (Array.isArray(s.exclude)) {
    const out = clone(payload);
    for (const k of s.exclude as string[]) delete out[k];
    return out;
  }
  throw new QdrantHttpError(400, 'Bad request: invalid with_payload selector');
}
