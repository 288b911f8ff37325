/**
 * The REST operations, keyed by the OpenAPI operationId they implement. Each handler gets the parsed path
 * params, query and body (already checked against the OpenAPI document when validation is on) and returns
 * the `result` value of Qdrant's `{result, status, time}` envelope, or a raw body for the few endpoints
 * Qdrant answers without one (`/`, health checks).
 */
import type { Schemas } from '@qdrant/js-client-rest';
import { Collection, type IncomingPoint } from './collection';
import { badInput, badRequest, collectionNotFound, formatError, QdrantHttpError, validationError } from './errors';
import type { FaultController } from './faults';
import { parsePointId, type StoredId } from './ids';
import { compileFilter } from './filter';
import type { Payload } from './point';
import type { Storage } from './storage';

export const QDRANT_VERSION = { '1.19.0': '1.19.0', '1.18.3': '1.18.3' } as const;

export interface RequestContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  storage: Storage;
  version: string;
  /** Per-test refusals of single points (FaultController.rejectPoints). */
  faults?: Pick<FaultController, 'refusalFor'>;
}

/** A handler's answer: the envelope's result, or a raw body (`/`, health checks). */
export type HandlerResult = { result: unknown } | { raw: unknown; contentType: string };

export type Handler = (ctx: RequestContext) => HandlerResult;

const ok = (result: unknown): HandlerResult => ({ result });

function collection(ctx: RequestContext): Collection {
  const name = ctx.params.collection_name!;
  const c = ctx.storage.collections.get(name);
  if (!c) throw collectionNotFound(name);
  return c;
}

function waitFlag(ctx: RequestContext): boolean {
  return ctx.query.get('wait') === 'true';
}

/**
 * Run a write the way Qdrant's update worker does: wait=true applies now (after anything still queued) and
 * reports "completed"; wait=false acknowledges and applies from the queue.
 */
function write(ctx: RequestContext, c: Collection, apply: () => number): HandlerResult {
  if (waitFlag(ctx)) {
    ctx.storage.drain();
    const op = apply();
    return ok({ operation_id: op, status: 'completed' });
  }
  const op = c.operationId + 1 + ctx.storage.pendingCount;
  ctx.storage.enqueue(() => {
    if (ctx.storage.collections.get(c.name) === c) apply();
  });
  return ok({ operation_id: op, status: 'acknowledged' });
}

/** A VectorStruct from a JSON body → named f32 vectors (numbers were range-checked by the parser). */
export function vectorsFromJson(v: unknown, where: string): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  if (Array.isArray(v)) {
    if (v.length > 0 && Array.isArray(v[0])) throw badRequest('multi-vectors are not supported by the stand-in');
    out.set('', toF32(v as number[], where));
    return out;
  }
  if (v !== null && typeof v === 'object') {
    for (const [name, val] of Object.entries(v as Record<string, unknown>)) {
      if (!Array.isArray(val)) throw badRequest(`${where}.${name}: sparse, document and inference vectors are not supported by the stand-in`);
      out.set(name, toF32(val as number[], `${where}.${name}`));
    }
    return out;
  }
  throw badRequest(`${where}: unsupported vector`);
}

/**
 * serde reads each JSON number into f32 with `as f32`: a value beyond f32 range becomes ±infinity, and Qdrant
 * 1.18.3 stores it (it reads back as null).
 */
function toF32(values: number[], where: string): Float32Array {
  const f = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const raw = values[i] as unknown;
    // Also refused by the OpenAPI schema; checked here so the stand-in holds without the document.
    if (typeof raw !== 'number' && typeof raw !== 'bigint') throw formatError(`invalid type: ${raw === null ? 'null' : typeof raw}, expected f32 at ${where}[${i}]`);
    f[i] = Number(raw);
  }
  return f;
}

/** PointInsertOperations (list or batch form) → points with parsed ids. */
export function pointsFromInsert(body: Schemas['PointInsertOperations']): IncomingPoint[] {
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.points)) {
    return (b.points as Record<string, unknown>[]).map((p, i) => ({
      id: parsePointId(p.id),
      vectors: vectorsFromJson(p.vector, `points[${i}].vector`),
      payload: (p.payload as Payload | null | undefined) ?? null,
    }));
  }
  const batch = b.batch as { ids: unknown[]; vectors: unknown; payloads?: (Payload | null)[] | null };
  const n = batch.ids.length;
  const vecs: Map<string, Float32Array>[] = Array.from({ length: n }, () => new Map());
  // Qdrant's validator checks the lengths before anything is read (422, field path `batch.batch`).
  const mismatch = (what: string, got: number) => validationError(`batch.batch: number of ids and ${what} must be equal (${n} != ${got})`);
  if (Array.isArray(batch.vectors)) {
    if (batch.vectors.length !== n) throw mismatch('vectors', batch.vectors.length);
    batch.vectors.forEach((v, i) => vecs[i]!.set('', toF32(v as number[], `batch.vectors[${i}]`)));
  } else {
    for (const [name, list] of Object.entries(batch.vectors as Record<string, unknown[]>)) {
      if (list.length !== n) throw mismatch('vectors', list.length);
      list.forEach((v, i) => vecs[i]!.set(name, toF32(v as number[], `batch.vectors.${name}[${i}]`)));
    }
  }
  if (batch.payloads && batch.payloads.length !== n) throw mismatch('payloads', batch.payloads.length);
  return batch.ids.map((id, i) => ({ id: parsePointId(id), vectors: vecs[i]!, payload: batch.payloads?.[i] ?? null }));
}

function upsertOp(ctx: RequestContext, c: Collection, body: Schemas['PointInsertOperations']): () => number {
  const prepared = c.prepareUpsert(pointsFromInsert(body));
  const refusal = ctx.faults?.refusalFor(prepared.map((p) => p.id));
  if (refusal) throw badInput(refusal);
  const b = body as Record<string, unknown>;
  const filter = b.update_filter ? compileFilter(b.update_filter as Schemas['Filter'], c.tokenizer) : null;
  return () => c.applyUpsert(prepared, b.update_mode as string | null | undefined, filter);
}

function selectorTargets(c: Collection, sel: Record<string, unknown>) {
  return () => c.selectIds({ points: sel.points as unknown[] | null | undefined, filter: sel.filter as Schemas['Filter'] | null | undefined });
}

/** One batch-update operation → the function that applies it (validated up front). */
function batchOp(ctx: RequestContext, c: Collection, op: Record<string, unknown>): () => number {
  if (op.upsert) return upsertOp(ctx, c, op.upsert as Schemas['PointInsertOperations']);
  if (op.delete) {
    const t = selectorTargets(c, op.delete as Record<string, unknown>);
    return () => c.deletePoints(t());
  }
  if (op.set_payload || op.overwrite_payload) {
    const sp = (op.set_payload ?? op.overwrite_payload) as Record<string, unknown>;
    const t = selectorTargets(c, sp);
    return () => c.setPayload(t(), sp.payload as Payload, sp.key as string | null, !!op.overwrite_payload);
  }
  if (op.delete_payload) {
    const dp = op.delete_payload as Record<string, unknown>;
    const t = selectorTargets(c, dp);
    return () => c.deletePayload(t(), dp.keys as string[]);
  }
  if (op.clear_payload) {
    const t = selectorTargets(c, op.clear_payload as Record<string, unknown>);
    return () => c.clearPayload(t());
  }
  if (op.update_vectors) {
    const uv = op.update_vectors as { points: { id: unknown; vector: unknown }[] };
    const updates = uv.points.map((p, i) => ({ id: parsePointId(p.id) as StoredId, vectors: vectorsFromJson(p.vector, `points[${i}].vector`) }));
    return () => c.updateVectors(updates);
  }
  if (op.delete_vectors) {
    const dv = op.delete_vectors as Record<string, unknown>;
    const t = selectorTargets(c, dv);
    return () => c.deleteVectors(t(), dv.vector as string[]);
  }
  throw badRequest('unknown update operation');
}

const COLLECTION_NAME = /^[^\0/\\:*?"<>|]{1,255}$/;

export const handlers: Record<string, Handler> = {
  root: (ctx) => ({ raw: { title: 'qdrant - vector search engine', version: ctx.version, commit: 'stand-in' }, contentType: 'application/json' }),
  healthz: () => ({ raw: 'healthz check passed', contentType: 'text/plain; charset=utf-8' }),
  livez: () => ({ raw: 'healthz check passed', contentType: 'text/plain; charset=utf-8' }),
  readyz: () => ({ raw: 'all shards are ready', contentType: 'text/plain; charset=utf-8' }),
  cluster_status: () => ok({ status: 'disabled' }),
  telemetry: (ctx) => ok({ id: 'qdrant-stand-in', collections: { number_of_collections: ctx.storage.collections.size } }),
  collection_cluster_info: (ctx) => {
    const c = collection(ctx);
    return ok({ peer_id: 0, shard_count: 1, local_shards: [{ shard_id: 0, points_count: c.points.size, state: 'Active' }], remote_shards: [], shard_transfers: [] });
  },
  get_collections_aliases: () => ok({ aliases: [] }),
  get_collection_aliases: (ctx) => {
    collection(ctx);
    return ok({ aliases: [] });
  },
  get_collections: (ctx) => ok({ collections: [...ctx.storage.collections.keys()].map((name) => ({ name })) }),
  get_collection: (ctx) => ok(collection(ctx).info()),
  collection_exists: (ctx) => ok({ exists: ctx.storage.collections.has(ctx.params.collection_name!) }),
  create_collection: (ctx) => {
    const name = ctx.params.collection_name!;
    if (!COLLECTION_NAME.test(name)) throw validationError(`collection_name: Collection name must not contain /, \\, :, *, ?, ", <, >, |, or null characters`);
    if (ctx.storage.collections.has(name)) throw new QdrantHttpError(409, `Wrong input: Collection \`${name}\` already exists!`);
    ctx.storage.collections.set(name, new Collection(name, (ctx.body ?? {}) as Schemas['CreateCollection']));
    return ok(true);
  },
  update_collection: (ctx) => {
    collection(ctx).update((ctx.body ?? {}) as Schemas['UpdateCollection']);
    return ok(true);
  },
  delete_collection: (ctx) => {
    ctx.storage.drain();
    return ok(ctx.storage.collections.delete(ctx.params.collection_name!));
  },
  get_optimizations: (ctx) => {
    collection(ctx);
    const want = (ctx.query.get('with') ?? '').split(',');
    return ok({
      summary: { queued_optimizations: 0, queued_segments: 0, queued_points: 0, idle_segments: 0 },
      running: [],
      ...(want.includes('queued') ? { queued: [] } : {}),
      ...(want.includes('completed') ? { completed: [] } : {}),
      ...(want.includes('idle_segments') ? { idle_segments: [] } : {}),
    });
  },
  create_field_index: (ctx) => {
    const c = collection(ctx);
    const b = ctx.body as Schemas['CreateFieldIndex'];
    if (b.field_schema === null || b.field_schema === undefined) throw badRequest('Can\'t auto-detect field type, please specify `field_schema` in the request');
    return write(ctx, c, () => {
      c.createIndex(b.field_name, b.field_schema);
      // Qdrant 1.18.3 spends two operation ids on an index change and answers the second.
      return (c.operationId += 2);
    });
  },
  delete_field_index: (ctx) => {
    const c = collection(ctx);
    const field = ctx.params.field_name!;
    return write(ctx, c, () => {
      c.deleteIndex(field);
      return (c.operationId += 2);
    });
  },
  upsert_points: (ctx) => {
    const c = collection(ctx);
    return write(ctx, c, upsertOp(ctx, c, ctx.body as Schemas['PointInsertOperations']));
  },
  delete_points: (ctx) => {
    const c = collection(ctx);
    const t = selectorTargets(c, ctx.body as Record<string, unknown>);
    return write(ctx, c, () => c.deletePoints(t()));
  },
  set_payload: (ctx) => {
    const c = collection(ctx);
    return write(ctx, c, batchOp(ctx, c, { set_payload: ctx.body }));
  },
  overwrite_payload: (ctx) => {
    const c = collection(ctx);
    return write(ctx, c, batchOp(ctx, c, { overwrite_payload: ctx.body }));
  },
  delete_payload: (ctx) => {
    const c = collection(ctx);
    return write(ctx, c, batchOp(ctx, c, { delete_payload: ctx.body }));
  },
  clear_payload: (ctx) => {
    const c = collection(ctx);
    return write(ctx, c, batchOp(ctx, c, { clear_payload: ctx.body }));
  },
  update_vectors: (ctx) => {
    const c = collection(ctx);
    return write(ctx, c, batchOp(ctx, c, { update_vectors: ctx.body }));
  },
  delete_vectors: (ctx) => {
    const c = collection(ctx);
    return write(ctx, c, batchOp(ctx, c, { delete_vectors: ctx.body }));
  },
  batch_update: (ctx) => {
    const c = collection(ctx);
    const ops = (ctx.body as Schemas['UpdateOperations']).operations.map((op) => batchOp(ctx, c, op as Record<string, unknown>));
    if (waitFlag(ctx)) {
      ctx.storage.drain();
      return ok(ops.map((apply) => ({ operation_id: apply(), status: 'completed' })));
    }
    const first = c.operationId + 1 + ctx.storage.pendingCount;
    ctx.storage.enqueue(() => {
      if (ctx.storage.collections.get(c.name) === c) for (const apply of ops) apply();
    });
    return ok(ops.map((_, i) => ({ operation_id: first + i, status: 'acknowledged' })));
  },
  get_point: (ctx) => {
    const c = collection(ctx);
    const raw = ctx.params.id!;
    const id = /^\d+$/.test(raw) ? BigInt(raw) : raw;
    const found = c.retrieve([id], true, true);
    if (found.length === 0) throw new QdrantHttpError(404, `Not found: No point with id ${raw} found`);
    return ok(found[0]);
  },
  get_points: (ctx) => {
    const c = collection(ctx);
    const b = ctx.body as Schemas['PointRequest'];
    return ok(c.retrieve(b.ids, b.with_payload as Schemas['WithPayloadInterface'], b.with_vector));
  },
  scroll_points: (ctx) => ok(collection(ctx).scroll((ctx.body ?? {}) as Schemas['ScrollRequest'])),
  count_points: (ctx) => ok({ count: collection(ctx).count(((ctx.body ?? {}) as Schemas['CountRequest']).filter as Schemas['Filter'] | null) }),
  facet: (ctx) => ok({ hits: collection(ctx).facet(ctx.body as Schemas['FacetRequest']) }),
  query_points: (ctx) => ok({ points: collection(ctx).query((ctx.body ?? {}) as Schemas['QueryRequest']) }),
  // Legacy search (in the 1.18.3 document; still routed by Qdrant 1.19): the same engine as query.
  search_points: (ctx) => {
    const b = ctx.body as Record<string, unknown>;
    const named = b.vector !== null && typeof b.vector === 'object' && !Array.isArray(b.vector) ? (b.vector as { name: string; vector: number[] }) : null;
    return ok(
      collection(ctx).query({
        query: named ? named.vector : (b.vector as number[]),
        using: named ? named.name : null,
        filter: b.filter as Schemas['Filter'],
        limit: b.limit as number,
        offset: b.offset as number,
        with_payload: b.with_payload as Schemas['WithPayloadInterface'],
        with_vector: b.with_vector as Schemas['WithVector'],
        score_threshold: b.score_threshold as number,
      }),
    );
  },
  query_batch_points: (ctx) => {
    const c = collection(ctx);
    return ok((ctx.body as Schemas['QueryRequestBatch']).searches.map((q) => ({ points: c.query(q) })));
  },
};
