/**
 * Every IPC handler of the main process: one channel per contract command (relayed to the engine host) and
 * one per desktop capability. Each checks the sender (trusted window, app page), the argument count and the
 * payload (the contract's zod schema) before doing anything, and answers with the wire's envelope
 * `{ok, payload} | {ok:false, error:{message, exitCode}}`: Electron would otherwise rewrite error messages.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { COMMAND_NAMES, type CommandName, type EngineApi } from '../../shared/contract';
import { ExitCode } from '../../shared/errors';
import { parseRequest } from '../engine/rpc/server';
import { formatZodError, toErrorEnvelope } from '../engine/rpc/errors';
import { withHostSecrets } from '../engine/rpc/defaults';
import type { ReplyEnvelope } from '../../renderer/src/api/preload-types';
import { commandChannel, HOST_CHANNELS } from './channels';
import { NoArgs, PrintToPdfArgs, SaveFileArgs, SecretsSchema } from './host-schemas';
import type { SecretStore } from './secrets';
import type { TrustedSenders } from './trusted';

export interface DesktopCapabilities {
  pickSourcePath(): Promise<string | null>;
  saveFile(filename: string, mimeType: string, content: string): Promise<string | null>;
  printToPdf(filename: string, html: string): Promise<string | null>;
}

export interface IpcDeps {
  trusted: TrustedSenders;
  engine: { api: EngineApi };
  secrets: SecretStore;
  desktop: DesktopCapabilities;
  /** Called with the configuration of each run started, e.g. for the memory limit of app-metrics samples. */
  onRunConfig?: (config: { maxMemoryPercent?: number }) => void;
}

export const UNTRUSTED: ReplyEnvelope = { ok: false, error: { message: 'refused: the request did not come from the app window', exitCode: ExitCode.usage } };

function fail(message: string, exitCode: number = ExitCode.usage): ReplyEnvelope {
  return { ok: false, error: { message, exitCode } };
}

async function answer(fn: () => Promise<unknown>): Promise<ReplyEnvelope> {
  try {
    return { ok: true, payload: await fn() };
  } catch (e) {
    return { ok: false, error: toErrorEnvelope(e) };
  }
}

export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, deps: IpcDeps): void {
  const guard =
    (run: (args: unknown[]) => Promise<ReplyEnvelope>) =>
    async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<ReplyEnvelope> => {
      if (!deps.trusted.check(event)) return UNTRUSTED;
      return run(args);
    };

  for (const name of COMMAND_NAMES) {
    ipcMain.handle(
      commandChannel(name),
      guard(async (args) => {
        if (args.length !== 1) return fail(`${name}: expected one request object, got ${args.length} arguments`);
        const parsed = parseRequest(name, args[0]);
        if (!parsed.ok) return { ok: false, error: parsed.error };
        return answer(() => runCommand(name, parsed.value, deps));
      }),
    );
  }

  const host = <S extends z.ZodType>(channel: string, schema: S, run: (args: z.output<S>) => Promise<unknown>) =>
    ipcMain.handle(
      channel,
      guard(async (args) => {
        const parsed = schema.safeParse(args);
        if (!parsed.success) return fail(formatZodError(parsed.error, channel.replace('xnai:host:', '')));
        return answer(() => run(parsed.data));
      }),
    );

  host(HOST_CHANNELS.pickSourcePath, NoArgs, () => deps.desktop.pickSourcePath());
  host(HOST_CHANNELS.saveFile, SaveFileArgs, ([filename, mimeType, content]) => deps.desktop.saveFile(filename, mimeType, content));
  host(HOST_CHANNELS.printToPdf, PrintToPdfArgs, ([filename, html]) => deps.desktop.printToPdf(filename, html));
  host(HOST_CHANNELS.loadSecrets, NoArgs, async () => deps.secrets.load());
  host(HOST_CHANNELS.saveSecrets, z.tuple([SecretsSchema]), async ([secrets]) => deps.secrets.save(secrets));
}

/** Relay one validated command to the engine, filling empty secrets from the ones saved with safeStorage. */
async function runCommand(name: CommandName, request: unknown, deps: IpcDeps): Promise<unknown> {
  const saved = deps.secrets.load();
  const filled = withHostSecrets(request, saved);
  const call = deps.engine.api[name] as (r: unknown) => Promise<unknown>;
  const reply = await call(filled);
  if (name === 'startRun' || name === 'retryFailed' || name === 'joinRun') deps.onRunConfig?.((request as { config: { maxMemoryPercent?: number } }).config);
  if (name === 'getDefaults') {
    const d = reply as { secretsSet: { qdrantApiKey: boolean; redisPassword: boolean } };
    return { ...d, secretsSet: { qdrantApiKey: d.secretsSet.qdrantApiKey || Boolean(saved.qdrantApiKey), redisPassword: d.secretsSet.redisPassword || Boolean(saved.redisPassword) } };
  }
  return reply;
}
