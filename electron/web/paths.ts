/** Where the built renderer is: dist/renderer beside the bundle (dist/cli.js), or under the checkout's dist/. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function resolveRendererDir(moduleUrl: string = import.meta.url, env: Record<string, string | undefined> = process.env): string {
  if (env.XNAI_RENDERER_DIR) return env.XNAI_RENDERER_DIR;
  const here = fileURLToPath(moduleUrl);
  if (here.endsWith('.ts')) return join(dirname(here), '..', '..', 'dist', 'renderer');
  return join(dirname(here), 'renderer');
}
