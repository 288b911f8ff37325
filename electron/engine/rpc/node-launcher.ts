/** Forking the engine with Node's child_process (CLI, browser host, tests): the desktop app uses utilityProcess. */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Listeners } from './transport';
import { ENGINE_CHILD_ENV, type ChildHandle, type EngineLauncher } from './engine-host';


/**
 * Where the engine entry is: beside this module in a checkout (run through tsx), or dist/engine.js beside
 * the bundle that contains this code (dist/cli.js).
 */
export function resolveEngineEntry(moduleUrl: string = import.meta.url): { entry: string; execArgv: string[] } {
  const here = fileURLToPath(moduleUrl);
  if (here.endsWith('.ts')) {
    // tsx resolved from this checkout, so the child works whatever the working directory.
    return { entry: join(dirname(here), '..', 'child.ts'), execArgv: ['--import', import.meta.resolve('tsx')] };
  }
  const built = join(dirname(here), 'engine.js');
  if (!existsSync(built)) throw new Error(`engine bundle missing at ${built}: run npm run build`);
  return { entry: built, execArgv: [] };
}

export function nodeChildHandle(child: ChildProcess): ChildHandle {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  const exits = new Listeners<[number | null, string | null]>();
  let exited = false;
  child.on('message', (m) => messages.emit(m));
  child.on('exit', (code, signal) => {
    if (exited) return;
    exited = true;
    closes.emit();
    exits.emit(code, signal);
  });
  child.on('error', () => {
    // spawn failure or a send on a dead channel: 'exit' follows or has fired; nothing else to do.
  });
  return {
    pid: child.pid,
    transport: {
      post: (m) => {
        if (child.connected) child.send(m as object);
      },
      onMessage: (l) => messages.add(l),
      onClose: (l) => closes.add(l),
      close: () => child.kill('SIGTERM'),
    },
    onExit: (l) => exits.add(l),
    kill: (signal = 'SIGTERM') => {
      child.kill(signal);
    },
  };
}

/** Fork the engine with Node (no Electron): stdio inherited for its logs, IPC with structured-clone semantics. */
export function nodeEngineLauncher(options: { env?: NodeJS.ProcessEnv; entry?: { entry: string; execArgv: string[] } } = {}): EngineLauncher {
  const { entry, execArgv } = options.entry ?? resolveEngineEntry();
  return () =>
    nodeChildHandle(
      fork(entry, [], {
        execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: { ...(options.env ?? process.env), [ENGINE_CHILD_ENV]: '1' },
      }),
    );
}
