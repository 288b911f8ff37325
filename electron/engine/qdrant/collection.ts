/**
 * The target collection as the seed lays it out: one unnamed dense vector on disk, the run's distance
 * (DISTANCE=auto's choice unless set: ../source/auto-distance), cluster settings when given, and the seed's
 * payload indexes created (wait=true) before the first point, at the paths the payload layout puts the
 * migration's fields (`source` top level in the raw layout, `_xnai.source` in the framework layouts). An
 * existing collection is used only when its vector size and distance match.
 */
import type { QdrantClient } from '@qdrant/js-client-rest';
import { migrationFieldPath, type Distance, type MigrationConfig } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { qdrantError } from './client';
import { collectionConflicts } from './collection-conflicts';

/** The seed's payload indexes: field → schema. */
export const SEED_PAYLOAD_INDEXES = [
  { field: 'source', schema: 'keyword' },
  { field: 'faiss_id', schema: 'integer' },
  { field: 'migrated_at', schema: 'keyword' },
  { field: 'batch_num', schema: 'integer' },
] as const;

/** The seed's payload indexes at the paths a layout puts them (e.g. `_xnai.faiss_id`). */
export function payloadIndexes(layout: string): { field: string; schema: (typeof SEED_PAYLOAD_INDEXES)[number]['schema'] }[] {
  return SEED_PAYLOAD_INDEXES.map((i) => ({ field: migrationFieldPath(layout, i.field), schema: i.schema }));
}

export interface CollectionSetup {
  created: boolean;
  indexesCreated: string[];
}

type CollectionSettings = Pick<MigrationConfig, 'collection' | 'shardNumber' | 'replicationFactor' | 'writeConsistencyFactor' | 'qdrantUrl'> & {
  /** The run's distance, resolved (never "auto"). */
  distance: Distance;
  /** The run's payload layout, resolved: where the payload indexes go. */
  layout: string;
};

export async function ensureCollection(client: QdrantClient, config: CollectionSettings, dimension: number): Promise<CollectionSetup> {
  const url = config.qdrantUrl;
  const name = config.collection;
  let exists: boolean;
  try {
    exists = (await client.collectionExists(name)).exists;
  } catch (e) {
    throw qdrantError(e, url, `check collection "${name}"`);
  }
  let created = false;
  let schema: Record<string, unknown> = {};
  if (exists) {
    let info;
    try {
      info = await client.getCollection(name);
    } catch (e) {
      throw qdrantError(e, url, `read collection "${name}"`);
    }
    // the same lines the Set-up view shows before Start (checkTarget)
    const conflict = collectionConflicts(name, info.config.params.vectors, { dimension, distance: config.distance })[0];
    if (conflict) throw new UserError('usage', conflict.message);
    const differ = clusterSettingsDiffer(info.config.params as ExistingParams, config);
    if (differ) throw new UserError('usage', `collection "${name}" exists with ${differ.existing} but this run asks for ${differ.requested}: unset SHARD_NUMBER / REPLICATION_FACTOR / WRITE_CONSISTENCY_FACTOR to use it as it is, or migrate into another collection (QDRANT_COLLECTION=...)`);
    schema = (info.payload_schema ?? {}) as Record<string, unknown>;
  } else {
    try {
      await client.createCollection(name, {
        vectors: { size: dimension, distance: config.distance, on_disk: true },
        on_disk_payload: true,
        ...(config.shardNumber !== undefined ? { shard_number: config.shardNumber } : {}),
        ...(config.replicationFactor !== undefined ? { replication_factor: config.replicationFactor } : {}),
        ...(config.writeConsistencyFactor !== undefined ? { write_consistency_factor: config.writeConsistencyFactor } : {}),
      });
      created = true;
    } catch (e) {
      throw qdrantError(e, url, `create collection "${name}"`);
    }
  }
  const indexesCreated: string[] = [];
  for (const idx of payloadIndexes(config.layout)) {
    if (schema[idx.field]) continue;
    try {
      await client.createPayloadIndex(name, { field_name: idx.field, field_schema: idx.schema, wait: true });
      indexesCreated.push(idx.field);
    } catch (e) {
      throw qdrantError(e, url, `create the payload index "${idx.field}"`);
    }
  }
  return { created, indexesCreated };
}

type ExistingParams = { shard_number?: number; replication_factor?: number; write_consistency_factor?: number };

/**
 * The cluster settings this run asks for (only those set) against an existing collection's: null when they
 * agree, else both sides in Qdrant's words. Resharding an existing collection is not a migration's job, and
 * quietly writing into a collection with fewer replicas than asked for would lose the safety the user chose.
 */
export function clusterSettingsDiffer(params: ExistingParams, config: Pick<MigrationConfig, 'shardNumber' | 'replicationFactor' | 'writeConsistencyFactor'>): { existing: string; requested: string } | null {
  const pairs: [string, number | undefined, number][] = [
    ['shard_number', config.shardNumber, params.shard_number ?? 1],
    ['replication_factor', config.replicationFactor, params.replication_factor ?? 1],
    ['write_consistency_factor', config.writeConsistencyFactor, params.write_consistency_factor ?? 1],
  ];
  const wrong = pairs.filter(([, want, have]) => want !== undefined && want !== have);
  if (wrong.length === 0) return null;
  return { existing: wrong.map(([k, , have]) => `${k} ${have}`).join(', '), requested: wrong.map(([k, want]) => `${k} ${want}`).join(', ') };
}
