/**
 * The record of local services this app started: `services.json` in the user's data folder, rewritten
 * atomically. Any process (the CLI, the desktop engine after a restart, `xnai-migrate services`) reads it to
 * find a running Qdrant to reuse, to show what runs and to stop it. Entries whose process is gone are
 * dropped on read.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LocalServiceSchema, type LocalService, type LocalServiceName } from '../../../shared/contract/services';
import { UserError } from '../../../shared/errors';
import { writeFileAtomic } from '../files/atomic-write';
import { processAlive } from './process';

const RegistrySchema = z.object({ version: z.literal(1), services: z.array(LocalServiceSchema) });

export function registryPath(dataDir: string): string {
  return join(dataDir, 'services.json');
}

async function readRaw(dataDir: string): Promise<LocalService[]> {
  const path = registryPath(dataDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  let parsed: z.ZodSafeParseResult<z.infer<typeof RegistrySchema>>;
  try {
    parsed = RegistrySchema.safeParse(JSON.parse(text));
  } catch {
    parsed = { success: false } as never;
  }
  if (!parsed.success) {
    throw new UserError('badInput', `${path} is not a record of local services this version can read: delete it (any service it listed keeps running; stop it by its process id)`);
  }
  return parsed.data.services;
}

/** Running services (a Docker one counts as running while it is recorded: its process is not ours to see). */
export async function readServices(dataDir: string): Promise<LocalService[]> {
  const all = await readRaw(dataDir);
  const live = all.filter((s) => s.via === 'docker' || (s.pid !== null && processAlive(s.pid)));
  if (live.length !== all.length) await writeServices(dataDir, live);
  return live;
}

export async function writeServices(dataDir: string, services: readonly LocalService[]): Promise<void> {
  await writeFileAtomic(registryPath(dataDir), `${JSON.stringify({ version: 1, services }, null, 2)}\n`);
}

export async function findService(dataDir: string, name: LocalServiceName): Promise<LocalService | null> {
  return (await readServices(dataDir)).find((s) => s.service === name) ?? null;
}

/** Adds or replaces the record of `service.service`. */
export async function recordService(dataDir: string, service: LocalService): Promise<void> {
  const others = (await readServices(dataDir)).filter((s) => s.service !== service.service);
  await writeServices(dataDir, [...others, service]);
}

export async function forgetService(dataDir: string, name: LocalServiceName): Promise<void> {
  const all = await readServices(dataDir);
  const rest = all.filter((s) => s.service !== name);
  if (rest.length !== all.length) await writeServices(dataDir, rest);
}
