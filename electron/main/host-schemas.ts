/** zod schemas for the desktop-only IPC payloads (the contract's commands have theirs in shared/contract). */
import { z } from 'zod';

/** A bare file name: the user chooses the folder in the save dialog, the renderer never names a path. */
const FileName = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !/[\\/\0]/.test(s) && s !== '.' && s !== '..', 'must be a file name without a folder');

export const SaveFileArgs = z.tuple([FileName, z.string().min(1).max(200), z.string().max(256 * 1024 * 1024)]);
export const PrintToPdfArgs = z.tuple([FileName, z.string().max(64 * 1024 * 1024)]);
export const SecretsSchema = z.object({ qdrantApiKey: z.string().max(4096).optional(), redisPassword: z.string().max(4096).optional() }).strict();
export const NoArgs = z.tuple([]);
