/**
 * The engine in an Electron utilityProcess (a Chromium service process with Node: it can crash or run out of
 * memory without taking the window down, and it can talk to the window over a MessagePort directly). This
 * adapts it to the EngineHost's ChildHandle; `transferPort` hands the engine the window's end of a channel.
 */
import type { MessagePortMain, UtilityProcess } from 'electron';
import { ENGINE_CHILD_ENV, type ChildHandle, type EngineLauncher } from '../engine/rpc/engine-host';
import { ATTACH_PORT } from '../engine/rpc/process-channel';
import { Listeners } from '../engine/rpc/transport';

export const ENGINE_SERVICE_NAME = 'xnai-engine';

export interface UtilityChildHandle extends ChildHandle {
  transferPort(port: MessagePortMain): void;
}

export function utilityChildHandle(child: UtilityProcess): UtilityChildHandle {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  const exits = new Listeners<[number | null, string | null]>();
  let exited = false;
  let pid: number | undefined = child.pid;
  child.on('spawn', () => {
    pid = child.pid;
  });
  child.on('message', (m: unknown) => messages.emit(m));
  child.on('exit', (code: number) => {
    if (exited) return;
    exited = true;
    closes.emit();
    exits.emit(code, null);
  });
  return {
    get pid() {
      return pid;
    },
    transport: {
      post: (m) => {
        if (!exited) child.postMessage(m);
      },
      onMessage: (l) => messages.add(l),
      onClose: (l) => closes.add(l),
      close: () => child.kill(),
    },
    onExit: (l) => exits.add(l),
    kill: () => {
      child.kill();
    },
    transferPort(port) {
      if (!exited) child.postMessage({ kind: ATTACH_PORT }, [port]);
    },
  };
}

export function utilityEngineLauncher(
  utilityProcess: { fork: (modulePath: string, args?: string[], options?: Electron.ForkOptions) => UtilityProcess },
  entry: string,
  env: NodeJS.ProcessEnv,
  /** Working folder: relative paths (logs/migration.log) land here; a packaged app's cwd may be read-only. */
  cwd?: string,
): EngineLauncher {
  return () =>
    utilityChildHandle(
      utilityProcess.fork(entry, [], {
        serviceName: ENGINE_SERVICE_NAME,
        stdio: 'inherit',
        env: { ...env, [ENGINE_CHILD_ENV]: '1' },
        ...(cwd ? { cwd } : {}),
      }),
    );
}
