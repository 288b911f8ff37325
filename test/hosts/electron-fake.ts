/**
 * A stand-in for the `electron` module at its boundary only (the binary is not installed here): records
 * what main asks of BrowserWindow, webContents, ipcMain, session, dialog and safeStorage, so tests can
 * assert the security settings and drive the IPC handlers as a window would. Main's own code runs as is.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Handler = (...args: unknown[]) => unknown;

/** What main sends to a window arrives here for the preload's ipcRenderer listeners. */
export const rendererBus = new EventEmitter();

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  readonly posted: Array<{ channel: string; ports: unknown[] }> = [];
  setWindowOpenHandler(h: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
    rendererBus.emit(channel, { sender: null, ports: [] }, structuredClone(payload));
  }
  postMessage(channel: string, _msg: unknown, ports: unknown[] = []) {
    this.posted.push({ channel, ports });
  }
  reloads = 0;
  reload() {
    this.reloads++;
  }
  async printToPDF() {
    return Buffer.from('%PDF-1.7 fake');
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loaded: string | null = null;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  async loadFile(file: string) {
    this.loaded = file;
    this.webContents.emit('did-finish-load');
  }
  async loadURL(url: string) {
    this.loaded = url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
  }
  show() {}
  focused = 0;
  focus() {
    this.focused++;
  }
  isMinimized() {
    return false;
  }
  restore() {}
}

export class FakeMessageChannelMain {
  static created: FakeMessageChannelMain[] = [];
  readonly port1 = { end: 1 };
  readonly port2 = { end: 2 };
  constructor() {
    FakeMessageChannelMain.created.push(this);
  }
}

export function createFakeElectron() {
  const userData = mkdtempSync(join(tmpdir(), 'xnai-userdata-'));
  const handlers = new Map<string, Handler>();
  const appEvents = new EventEmitter();
  const state = {
    enginePid: undefined as number | undefined,
    sandboxEnabled: false,
    headersHook: null as null | ((details: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
    permissionHandler: null as null | ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void),
    saveDialogPath: join(userData, 'saved-report.html'),
    /** The preload's side: what contextBridge exposed, and the window/page its invokes come from. */
    exposed: {} as Record<string, unknown>,
    rendererFrameUrl: 'file:///unset',
    openDialogPaths: [] as string[],
  };
  const electron = {
    app: {
      requestSingleInstanceLock: () => true,
      enableSandbox: () => {
        state.sandboxEnabled = true;
      },
      whenReady: async () => undefined,
      on: (event: string, h: Handler) => appEvents.on(event, h),
      quit: () => undefined,
      exit: () => undefined,
      getPath: (name: string) => (name === 'userData' ? userData : tmpdir()),
      getAppMetrics: () => (state.enginePid ? [{ pid: state.enginePid, type: 'Utility', name: 'xnai-engine', memory: { workingSetSize: 200 * 1024, privateBytes: 150 * 1024 } }] : []),
    },
    BrowserWindow: FakeBrowserWindow,
    contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (state.exposed[name] = api) },
    // The preload's ipcRenderer: invoke reaches main's handler as the first window's page would.
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        const h = handlers.get(channel);
        if (!h) throw new Error(`No handler registered for '${channel}'`);
        const win = FakeBrowserWindow.created[0]!;
        return structuredClone(await h({ sender: { id: win.webContents.id }, senderFrame: { url: state.rendererFrameUrl } }, ...args.map((a) => structuredClone(a))));
      },
      on: (channel: string, listener: Handler) => rendererBus.on(channel, listener),
    },
    ipcMain: { handle: (channel: string, h: Handler) => handlers.set(channel, h) },
    dialog: {
      showOpenDialog: async () => ({ canceled: state.openDialogPaths.length === 0, filePaths: state.openDialogPaths }),
      showSaveDialog: async () => ({ canceled: false, filePath: state.saveDialogPath }),
      showErrorBox: () => undefined,
    },
    // Reversible but not plain text, so a test can tell the file on disk is not the secret in clear.
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
      decryptString: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
    },
    utilityProcess: {
      fork: () => {
        throw new Error('tests inject a Node launcher');
      },
    },
    MessageChannelMain: FakeMessageChannelMain,
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (h: typeof state.headersHook) => (state.headersHook = h) },
        setPermissionRequestHandler: (h: typeof state.permissionHandler) => (state.permissionHandler = h),
        setPermissionCheckHandler: () => undefined,
      },
    },
  };
  return { electron, handlers, appEvents, state, userData };
}
