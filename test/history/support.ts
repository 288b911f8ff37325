/** Shared by the history suites: a run's configuration against this suite's redis-server and Qdrant. */
import { join } from 'node:path';
import { MigrationConfigSchema, type MigrationConfig } from '../../shared/contract';
import type { TestRedis } from '../support/redis';
import type { TestQdrant } from '../support/qdrant/index';

/** Euclid keeps vectors as sent; logs go to `work`. */
export function runConfig(services: { qdrant: TestQdrant; redis: TestRedis; work: string; stateKey: string }, over: Partial<MigrationConfig>): MigrationConfig {
  return MigrationConfigSchema.parse({
    qdrantUrl: services.qdrant.url,
    qdrantApiKey: services.qdrant.apiKey,
    redisHost: services.redis.host,
    redisPort: services.redis.port,
    stateKey: services.stateKey,
    logDir: join(services.work, 'logs'),
    distance: 'Euclid',
    ...over,
  });
}
