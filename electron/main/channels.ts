/**
 * IPC channel names between the preload and main: one per contract command plus the desktop's own
 * capabilities. The preload and main import these; nothing else names a channel.
 */
import type { CommandName } from '../../shared/contract';

export const commandChannel = (name: CommandName): string => `xnai:cmd:${name}`;

export const HOST_CHANNELS = {
  pickSourcePath: 'xnai:host:pick-source-path',
  saveFile: 'xnai:host:save-file',
  printToPdf: 'xnai:host:print-to-pdf',
  loadSecrets: 'xnai:host:load-secrets',
  saveSecrets: 'xnai:host:save-secrets',
} as const;

/** main → window */
export const PUSH_CHANNELS = {
  /** A MessagePort straight to the engine (events stream over it). */
  enginePort: 'xnai:engine-port',
  /** Events main produces itself (utility-process memory from app metrics, restart notices). */
  event: 'xnai:event',
  /** Whether the engine is reachable (false while it restarts). */
  connection: 'xnai:connection',
} as const;
