/**
 * The desktop app's main process: one hardened window, the engine in a utilityProcess (restarted if it
 * dies, the run resumed from Redis), a MessagePort from the engine straight to the window for events, IPC
 * handlers that check the sender and validate every payload, native dialogs, safeStorage secrets and the
 * utility process's memory from app metrics. Main does no migration work itself.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Electron from 'electron';
import type { EngineEvent } from '../../shared/contract';
import { EngineHost, type ChildHandle, type EngineLauncher } from '../engine/rpc/engine-host';
import { PUSH_CHANNELS } from './channels';
import { desktopCapabilities } from './desktop';
import { registerIpc } from './ipc';
import { pollAppMetrics } from './metrics';
import { createSecretStore } from './secrets';
import { TrustedSenders } from './trusted';
import { utilityEngineLauncher, type UtilityChildHandle } from './utility-engine';
import { createMainWindow, hardenSession, hardenWebContents } from './window';

type ElectronModule = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'ipcMain' | 'dialog' | 'safeStorage' | 'utilityProcess' | 'MessageChannelMain' | 'session'
>;

export interface DesktopOptions {
  /** The folder holding main.cjs, preload.cjs, engine.js and renderer/. */
  distDir: string;
  env?: NodeJS.ProcessEnv;
  /** Tests fork the engine with Node instead of utilityProcess (no Electron binary here). */
  launcher?: EngineLauncher;
}

export interface DesktopApp {
  window: Electron.BrowserWindow;
  engine: EngineHost;
  stop(): Promise<void>;
}

function hasPortTransfer(child: ChildHandle): child is UtilityChildHandle {
  return typeof (child as Partial<UtilityChildHandle>).transferPort === 'function';
}

export async function startDesktopApp(electron: ElectronModule, options: DesktopOptions): Promise<DesktopApp | null> {
  const { app, BrowserWindow, ipcMain, dialog, safeStorage, utilityProcess, MessageChannelMain, session } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  app.enableSandbox();
  await app.whenReady();

  const rendererDir = join(options.distDir, 'renderer');
  const appRootUrl = pathToFileURL(rendererDir).href;
  hardenSession(session.defaultSession);
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, appRootUrl));

  const env = options.env ?? process.env;
  const secrets = createSecretStore(safeStorage, app.getPath('userData'));
  const trusted = new TrustedSenders(appRootUrl);
  const win = createMainWindow(BrowserWindow, join(options.distDir, 'preload.cjs'), appRootUrl);
  trusted.add(win.webContents);
  let maxMemoryPercent = 0.6;
  let direct = false;
  // A port posted before the page has loaded would be lost: send one per load and per engine start.
  let pageReady = false;

  const send = (channel: string, payload: unknown) => {
    if (!win.isDestroyed()) win.webContents.send(channel, payload);
  };
  const sendPort = (child: ChildHandle | null) => {
    if (!child || win.isDestroyed()) return;
    direct = hasPortTransfer(child);
    if (!direct) return;
    const { port1, port2 } = new MessageChannelMain();
    (child as UtilityChildHandle).transferPort(port1);
    win.webContents.postMessage(PUSH_CHANNELS.enginePort, null, [port2]);
  };

  const engine = new EngineHost({
    launch: options.launcher ?? utilityEngineLauncher(utilityProcess, join(options.distDir, 'engine.js'), env, app.getPath('userData')),
    onChild: (child) => {
      direct = hasPortTransfer(child);
      if (pageReady) sendPort(child);
    },
  });
  // With a direct port the engine's events reach the window without main; main adds only its own.
  engine.onEvent((e: EngineEvent) => {
    if (!direct) send(PUSH_CHANNELS.event, e);
  });
  engine.onHostEvent((e: EngineEvent) => {
    if (direct) send(PUSH_CHANNELS.event, e);
  });
  engine.onConnection((c) => send(PUSH_CHANNELS.connection, c));
  win.webContents.on('did-start-loading', () => (pageReady = false));
  win.webContents.on('did-finish-load', () => {
    pageReady = true;
    sendPort(engine.process);
  });

  registerIpc(ipcMain, {
    trusted,
    engine,
    secrets,
    desktop: desktopCapabilities({ dialog, BrowserWindow, parent: () => (win.isDestroyed() ? null : win), documentsDir: app.getPath('documents'), platform: process.platform }),
    onRunConfig: (c) => {
      if (typeof c.maxMemoryPercent === 'number') maxMemoryPercent = c.maxMemoryPercent;
    },
  });

  await engine.start();
  const stopMetrics = pollAppMetrics(
    () => app.getAppMetrics().map((m) => ({ pid: m.pid, type: m.type, name: m.name, memory: { workingSetSize: m.memory.workingSetSize, privateBytes: m.memory.privateBytes } })),
    () => engine.pid,
    () => maxMemoryPercent,
    (sample) => send(PUSH_CHANNELS.event, { type: 'memory', sample }),
  );

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    stopMetrics();
    await engine.stop();
  };
  app.on('window-all-closed', () => app.quit());
  // A second launch focuses this window instead of starting a second engine on the same Redis state.
  app.on('second-instance', () => {
    if (win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  // A crashed page is reloaded; the engine (and the run) is unaffected and a fresh port is handed over.
  win.webContents.on('render-process-gone', (_e, details) => {
    if (details.reason !== 'clean-exit' && !win.isDestroyed()) win.webContents.reload();
  });
  app.on('before-quit', (event) => {
    if (stopped) return;
    // Let the engine pause the run and release its lock before the process goes.
    event.preventDefault();
    void stop().then(() => app.quit());
  });

  await win.loadFile(join(rendererDir, 'index.html'));
  return { window: win, engine, stop };
}
