/**
 * Local services the app starts for the user when Qdrant or Redis does not answer: a Qdrant binary run on
 * loopback with its storage in the user's data folder, or the project's docker-compose.yml. Each one says
 * what was started, where its data lives and how to stop it.
 */
import { z } from 'zod';

export const LOCAL_SERVICE_NAMES = ['qdrant', 'redis'] as const;
export type LocalServiceName = (typeof LOCAL_SERVICE_NAMES)[number];

export const LocalServiceSchema = z.object({
  service: z.enum(LOCAL_SERVICE_NAMES),
  /** A binary this app spawned, or a container of the project's docker-compose.yml. */
  via: z.enum(['binary', 'docker']),
  /** Where it answers: http://127.0.0.1:6333 for Qdrant, redis://127.0.0.1:6379 for Redis. */
  url: z.string(),
  port: z.number().int(),
  pid: z.number().int().nullable(),
  version: z.string().nullable(),
  binary: z.string().nullable(),
  /** Its data: a folder in the user's data folder, or the Docker volume's name. */
  dataPath: z.string(),
  logFile: z.string().nullable(),
  /** Set when the usual port was taken and another was chosen: says which. */
  portNote: z.string().nullable(),
  /** How to stop it, as a command a user can type. */
  stopHint: z.string(),
  /** Kept running after the app (or command) that started it quits. */
  keep: z.boolean(),
  startedAt: z.string(),
  /** The process that started it and stops it when it quits (unless `keep`). */
  ownerPid: z.number().int().nullable(),
});
export type LocalService = z.infer<typeof LocalServiceSchema>;

export const DOCKER_STATES = ['absent', 'no-engine', 'no-compose', 'ready'] as const;
export const DockerStatusSchema = z.object({
  state: z.enum(DOCKER_STATES),
  /** One line for the user: what was found and, when it cannot be used, what to do. */
  message: z.string(),
});
export type DockerStatus = z.infer<typeof DockerStatusSchema>;

export const LocalServicesViewSchema = z.object({
  dataDir: z.string(),
  docker: DockerStatusSchema,
  /** The Qdrant binary found (QDRANT_BIN, else `qdrant` on PATH), or null. */
  qdrantBinary: z.object({ path: z.string(), from: z.enum(['QDRANT_BIN', 'PATH']) }).nullable(),
  /** How "start Qdrant for me" would do it, or null and `cannotStartQdrant` says why. */
  startQdrantVia: z.enum(['binary', 'docker']).nullable(),
  cannotStartQdrant: z.string().nullable(),
  startRedisVia: z.enum(['docker']).nullable(),
  cannotStartRedis: z.string().nullable(),
  /** Services this app started that are still running (its own and kept ones). */
  running: z.array(LocalServiceSchema),
});
export type LocalServicesView = z.infer<typeof LocalServicesViewSchema>;
