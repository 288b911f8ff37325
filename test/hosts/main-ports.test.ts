/**
 * The desktop's event path when the engine runs in a utilityProcess: main hands the engine one end of a
 * MessageChannelMain and the window the other, once per page load and again after an engine restart, and
 * then forwards only the host's own events (the engine's flow over the port). `electron` is replaced at its
 * boundary; the engine is a real Node fork whose handle also records the ports it is given.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PUSH_CHANNELS } from '../../electron/main/channels';
import { nodeEngineLauncher } from '../../electron/engine/rpc/node-launcher';
import type { ChildHandle } from '../../electron/engine/rpc/engine-host';
import { FakeBrowserWindow, FakeMessageChannelMain } from './electron-fake';

const fake = vi.hoisted(() => ({ current: null as null | ReturnType<typeof import('./electron-fake').createFakeElectron> }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./electron-fake');
  fake.current = createFakeElectron();
  return fake.current.electron;
});

describe('desktop event path over MessagePorts', () => {
  const transferred: Array<{ pid: number | undefined; port: unknown }> = [];
  let app: Awaited<ReturnType<typeof import('../../electron/main/app').startDesktopApp>>;
  let win: FakeBrowserWindow;

  beforeAll(async () => {
    const electron = await import('electron');
    const { startDesktopApp } = await import('../../electron/main/app');
    const node = nodeEngineLauncher();
    const launcher = (): ChildHandle => {
      const h = node();
      return Object.assign(h, { transferPort: (port: unknown) => transferred.push({ pid: h.pid, port }) });
    };
    app = await startDesktopApp(electron as never, { distDir: resolve('dist'), launcher });
    win = FakeBrowserWindow.created[0]!;
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('gives the engine and the loaded page the two ends of one channel', () => {
    const posted = win.webContents.posted.filter((p) => p.channel === PUSH_CHANNELS.enginePort);
    expect(posted).toHaveLength(1);
    expect(transferred).toHaveLength(1);
    const channel = FakeMessageChannelMain.created[0]!;
    expect(transferred[0]!.port).toBe(channel.port1);
    expect(posted[0]!.ports).toEqual([channel.port2]);
    expect(posted[0]!.ports[0]).toBe(channel.port2);
    expect(transferred[0]!.pid).toBe(app!.engine.pid);
  });

  it('sends a fresh pair when the page reloads and when the engine restarts', async () => {
    win.webContents.emit('did-start-loading');
    win.webContents.emit('did-finish-load');
    expect(transferred).toHaveLength(2);
    app!.engine.process!.kill('SIGKILL');
    const deadline = Date.now() + 20_000;
    while (transferred.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(transferred).toHaveLength(3);
    expect(transferred[2]!.pid).toBe(app!.engine.pid);
    expect(win.webContents.posted.filter((p) => p.channel === PUSH_CHANNELS.enginePort)).toHaveLength(3);
  });

  it("forwards only the host's own events (restart notices), not the engine's", () => {
    const events = win.webContents.sent.filter((s) => s.channel === PUSH_CHANNELS.event).map((s) => s.payload as { type: string; msg?: string });
    const notices = events.filter((e) => e.type === 'log');
    expect(notices.some((e) => e.msg?.includes('stopped unexpectedly'))).toBe(true);
    expect(events.every((e) => e.type === 'log' || e.type === 'error' || e.type === 'memory')).toBe(true);
  });
});
