/**
 * `xnai-migrate ui`: fork the engine, serve the renderer and the WebSocket bridge on 127.0.0.1, print the
 * tokened URL, and stop both cleanly on Ctrl-C (the engine pauses any run so it resumes later).
 */
import { EngineHost } from '../engine/rpc/engine-host';
import { nodeEngineLauncher } from '../engine/rpc/node-launcher';
import { resolveRendererDir } from './paths';
import { startWebHost, type WebHost } from './server';

export { startWebHost, type WebHost, type EngineLink } from './server';
export { resolveRendererDir } from './paths';

export interface BrowserUi {
  engine: EngineHost;
  web: WebHost;
  stop(): Promise<void>;
}

export async function startBrowserUi(options: { port?: number; rendererDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<BrowserUi> {
  const engine = new EngineHost({ launch: nodeEngineLauncher({ env: options.env ?? process.env }) });
  // Listen first: a port in use fails at once, before an engine process is forked for nothing.
  const web = await startWebHost({ engine, rendererDir: options.rendererDir ?? resolveRendererDir(), port: options.port ?? 0 });
  try {
    await engine.start();
  } catch (e) {
    await web.close();
    await engine.stop();
    throw e;
  }
  return {
    engine,
    web,
    async stop() {
      await web.close();
      await engine.stop();
    },
  };
}
