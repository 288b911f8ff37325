/**
 * The desktop main process without the Electron binary: `electron` is replaced at its boundary by a
 * recording fake (./electron-fake); main's code, the IPC handlers and a real forked engine run as they
 * would in the app. Asserts the window's security settings, navigation and window-open blocking, the CSP,
 * sender checks and payload validation on every channel, safeStorage secrets, and app-metrics memory.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES } from '../../shared/contract';
import { commandChannel, HOST_CHANNELS, PUSH_CHANNELS } from '../../electron/main/channels';
import { nodeEngineLauncher } from '../../electron/engine/rpc/node-launcher';
import { createFakeElectron, FakeBrowserWindow } from './electron-fake';
import { electronBridge } from '../../renderer/src/api/electron';
import type { XnaiPreloadApi } from '../../renderer/src/api/preload-types';
import type { Bridge } from '../../renderer/src/api/bridge';

const fake = vi.hoisted(() => ({ current: null as null | ReturnType<typeof import('./electron-fake').createFakeElectron> }));
vi.mock('electron', async () => {
  const { createFakeElectron: create } = await import('./electron-fake');
  fake.current = create();
  return fake.current.electron;
});

const DIST = resolve('dist');
const APP_URL = pathToFileURL(join(DIST, 'renderer', 'index.html')).href;
const FIXTURE = resolve('test/fixtures/faiss/v1_15/idmap2_flat.faiss');

type Envelope = { ok: boolean; payload?: unknown; error?: { message: string; exitCode: number } };

describe('desktop main process', () => {
  let app: Awaited<ReturnType<typeof import('../../electron/main/app').startDesktopApp>>;
  let f: ReturnType<typeof createFakeElectron>;
  let win: FakeBrowserWindow;

  const invoke = async (channel: string, args: unknown[], sender?: { id: number; url?: string }) => {
    const h = f.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    const event = { sender: { id: sender?.id ?? win.webContents.id }, senderFrame: { url: sender?.url ?? APP_URL } };
    return (await h(event, ...args)) as Envelope;
  };

  beforeAll(async () => {
    const electron = await import('electron');
    f = fake.current!;
    const { startDesktopApp } = await import('../../electron/main/app');
    app = await startDesktopApp(electron as never, { distDir: DIST, env: { ...process.env, QDRANT_URL: 'http://127.0.0.1:1' }, launcher: nodeEngineLauncher({ env: { ...process.env, QDRANT_URL: 'http://127.0.0.1:1' } }) });
    f.state.enginePid = app!.engine.pid;
    win = FakeBrowserWindow.created[0]!;
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(f.userData, { recursive: true, force: true });
  });

  it('opens one window with context isolation, sandbox and no Node integration', () => {
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(f.state.sandboxEnabled).toBe(true);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: join(DIST, 'preload.cjs'),
    });
    expect(win.loaded).toBe(join(DIST, 'renderer', 'index.html'));
  });

  it('blocks navigation away from the app, new windows and webviews', () => {
    const navigate = (url: string) => {
      const e = { preventDefault: vi.fn() };
      win.webContents.emit('will-navigate', e, url);
      return e.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(APP_URL)).toBe(false);
    expect(win.webContents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const attach = { preventDefault: vi.fn() };
    win.webContents.emit('will-attach-webview', attach);
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  it('focuses the window on a second launch and reloads a crashed page', () => {
    f.appEvents.emit('second-instance');
    expect(win.focused).toBe(1);
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(win.webContents.reloads).toBe(1);
    win.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(win.webContents.reloads).toBe(1);
  });

  it('puts a strict CSP on every response and grants no permission', () => {
    let headers: Record<string, string[]> = {};
    f.state.headersHook!({ responseHeaders: { 'content-type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    const csp = headers['Content-Security-Policy']![0]!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    let granted: boolean | null = null;
    f.state.permissionHandler!({}, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
  });

  it('registers one channel per command and per desktop capability', () => {
    for (const name of COMMAND_NAMES) expect(f.handlers.has(commandChannel(name))).toBe(true);
    for (const ch of Object.values(HOST_CHANNELS)) expect(f.handlers.has(ch)).toBe(true);
  });

  it('refuses every channel to an unknown sender or a foreign page', async () => {
    for (const channel of [...COMMAND_NAMES.map(commandChannel), ...Object.values(HOST_CHANNELS)]) {
      const r = await invoke(channel, [{}], { id: 9999 });
      expect(r).toEqual({ ok: false, error: { message: 'refused: the request did not come from the app window', exitCode: 2 } });
    }
    const foreign = await invoke(commandChannel('getDefaults'), [{}], { id: win.webContents.id, url: 'https://evil.example/' });
    expect(foreign.ok).toBe(false);
  });

  it('validates payloads and argument counts before the engine sees them', async () => {
    const bad = await invoke(commandChannel('scrollPoints'), [{ collection: 'c', limit: 0 }]);
    expect(bad).toEqual({ ok: false, error: { message: expect.stringMatching(/^scrollPoints: limit: /), exitCode: 2 } });
    const extra = await invoke(commandChannel('getDefaults'), [{}, 'extra']);
    expect(extra.error?.message).toContain('expected one request object');
    const badName = await invoke(HOST_CHANNELS.saveFile, ['../../etc/passwd', 'text/plain', 'x']);
    expect(badName.error?.message).toContain('must be a file name without a folder');
  });

  it('relays a valid command to the real engine process', async () => {
    const r = await invoke(commandChannel('inspectSource'), [{ path: FIXTURE }]);
    expect(r.ok).toBe(true);
    expect(r.payload).toMatchObject({ kind: 'faiss-file', index: { fourcc: 'IxM2' } });
    const missing = await invoke(commandChannel('inspectSource'), [{ path: '/nope/index.faiss' }]);
    expect(missing).toMatchObject({ ok: false, error: { exitCode: 3 } });
  });

  it('keeps secrets with safeStorage (never in clear on disk) and reports them as set', async () => {
    expect(await invoke(HOST_CHANNELS.saveSecrets, [{ qdrantApiKey: 'qk-123456', redisPassword: 'rp-654321' }])).toEqual({ ok: true, payload: undefined });
    const file = join(f.userData, 'secrets.bin');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).toString('utf8')).not.toContain('qk-123456');
    expect(await invoke(HOST_CHANNELS.loadSecrets, [])).toEqual({ ok: true, payload: { qdrantApiKey: 'qk-123456', redisPassword: 'rp-654321' } });
    const d = await invoke(commandChannel('getDefaults'), [{}]);
    expect(d.payload).toMatchObject({ secretsSet: { qdrantApiKey: true, redisPassword: true } });
    expect(JSON.stringify(d)).not.toContain('qk-123456');
    expect((await invoke(HOST_CHANNELS.saveSecrets, [{ qdrantApiKey: 'x', extra: 1 }])).ok).toBe(false);
  });

  it('saves a report where the save dialog says', async () => {
    const r = await invoke(HOST_CHANNELS.saveFile, ['report.md', 'text/markdown', '# Report\n']);
    expect(r).toEqual({ ok: true, payload: f.state.saveDialogPath });
    expect(readFileSync(f.state.saveDialogPath, 'utf8')).toBe('# Report\n');
    f.state.openDialogPaths = [FIXTURE];
    expect(await invoke(HOST_CHANNELS.pickSourcePath, [])).toEqual({ ok: true, payload: FIXTURE });
  });

  it('prints the HTML report to PDF in a hidden, script-less, sandboxed window and saves it', async () => {
    f.state.saveDialogPath = join(f.userData, 'report.pdf');
    const before = FakeBrowserWindow.created.length;
    const r = await invoke(HOST_CHANNELS.printToPdf, ['xnai-report.pdf', '<h1>Report</h1>']);
    expect(r).toEqual({ ok: true, payload: f.state.saveDialogPath });
    expect(readFileSync(f.state.saveDialogPath).subarray(0, 5).toString()).toBe('%PDF-');
    const hidden = FakeBrowserWindow.created[before]!;
    expect(hidden.options).toMatchObject({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false } });
    expect(hidden.loaded).toBe(`data:text/html;charset=utf-8;base64,${Buffer.from('<h1>Report</h1>').toString('base64')}`);
    expect(hidden.destroyed).toBe(true);
    expect(hidden.webContents.windowOpenHandler!({ url: 'https://x' })).toEqual({ action: 'deny' });
  });

  it("streams the engine process's memory from app metrics", async () => {
    const deadline = Date.now() + 15_000;
    const isMemory = (s: { channel: string; payload: unknown }) => s.channel === PUSH_CHANNELS.event && (s.payload as { type: string }).type === 'memory';
    while (!win.webContents.sent.some(isMemory) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const memory = win.webContents.sent.filter((s) => s.channel === PUSH_CHANNELS.event && (s.payload as { type: string }).type === 'memory');
    expect(memory.length).toBeGreaterThan(0);
    expect(memory[0]!.payload).toMatchObject({ type: 'memory', sample: { rssMb: 200, source: 'app-metrics', level: 'ok' } });
  });

  let bridge: Bridge;
  const bridgeConnection: boolean[] = [];
  it("the renderer's Bridge reaches the engine through the real preload and main (window.xnai → IPC → engine)", async () => {
    f.state.rendererFrameUrl = APP_URL;
    await import('../../electron/preload/index');
    const x = f.state.exposed.xnai as XnaiPreloadApi;
    expect(Object.keys(x.commands).sort()).toEqual([...COMMAND_NAMES].sort());
    expect(Object.keys(x)).not.toContain('ipcRenderer');
    bridge = electronBridge(x);
    bridge.onConnection((c) => bridgeConnection.push(c));
    expect(bridge.host.kind).toBe('electron');
    const summary = await bridge.api.inspectSource({ path: FIXTURE });
    expect(summary).toMatchObject({ kind: 'faiss-file', index: { fourcc: 'IxM2', count: 200 } });
    await expect(bridge.api.inspectSource({ path: '/nope/index.faiss' })).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('/nope/index.faiss') });
    await expect(bridge.api.scrollPoints({ collection: 'c', limit: 0 })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^scrollPoints: limit: /) });
    const events: string[] = [];
    bridge.onEvent((e) => events.push(e.type));
    const deadline = Date.now() + 15_000;
    while (!events.includes('memory') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(events).toContain('memory');
    expect(await bridge.host.secrets!.load()).toEqual({ qdrantApiKey: 'qk-123456', redisPassword: 'rp-654321' });
    await expect(bridge.host.saveFile('../evil', 'text/plain', 'x')).rejects.toThrow('must be a file name without a folder');
  });

  it('restarts the engine when it dies and tells the window', async () => {
    const before = app!.engine.pid;
    app!.engine.process!.kill('SIGKILL');
    const deadline = Date.now() + 20_000;
    while ((app!.engine.restarts < 1 || !app!.engine.connected) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(app!.engine.restarts).toBe(1);
    expect(app!.engine.pid).not.toBe(before);
    const conn = win.webContents.sent.filter((s) => s.channel === PUSH_CHANNELS.connection).map((s) => s.payload);
    expect(conn.slice(-2)).toEqual([false, true]);
    // The renderer saw it through the preload: disconnected, then connected again.
    expect(bridgeConnection.slice(-2)).toEqual([false, true]);
    const r = await invoke(commandChannel('getDefaults'), [{}]);
    expect(r.ok).toBe(true);
  });
});
