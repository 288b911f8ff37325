#!/usr/bin/env node
// Builds every host into dist/: node-side bundles with esbuild (the sandboxed preload must be one file,
// the CLI a single executable script) and the renderer with Vite.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
const external = ['electron', 'playwright-core'];

const entries = [
  { entryPoints: ['electron/cli/main.ts'], outfile: 'dist/cli.js', format: 'esm', banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } },
  { entryPoints: ['electron/engine/child.ts'], outfile: 'dist/engine.js', format: 'esm', banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } },
  { entryPoints: ['electron/main/index.ts'], outfile: 'dist/main.cjs', format: 'cjs' },
  { entryPoints: ['electron/preload/index.ts'], outfile: 'dist/preload.cjs', format: 'cjs' },
];

for (const e of entries) {
  if (!existsSync(e.entryPoints[0])) continue;
  await build({ ...common, external, ...e });
}
if (existsSync('dist/cli.js')) await chmod('dist/cli.js', 0o755);

if (existsSync('renderer/index.html')) {
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
