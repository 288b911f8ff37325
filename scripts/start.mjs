#!/usr/bin/env node
// `npm start`: build what is missing or out of date, then open the desktop app. Where the Electron binary
// is not installed (CI, servers, ELECTRON_SKIP_BINARY_DOWNLOAD=1) say so in one line and start the browser
// UI instead (`xnai-migrate ui`), which prints its URL. Extra arguments go to `ui` (e.g. --port 8080).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const OUTPUTS = ['dist/main.cjs', 'dist/preload.cjs', 'dist/engine.js', 'dist/cli.js', 'dist/renderer/index.html'];
const SOURCES = ['electron', 'shared', 'renderer', 'vite.config.ts', 'scripts/build.mjs'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function needsBuild() {
  if (OUTPUTS.some((f) => !existsSync(f))) return true;
  const built = Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs));
  return Math.max(...SOURCES.map(newestMtime)) > built;
}

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

if (needsBuild()) {
  process.stdout.write('Building (npm run build)...\n');
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const electron = electronBinary();
const args = process.argv.slice(2);
const child = electron
  ? spawn(electron, ['.', ...args], { stdio: 'inherit' })
  : (process.stdout.write('Electron is not installed here (no binary in node_modules/electron); starting the browser UI instead.\n'),
    spawn(process.execPath, ['dist/cli.js', 'ui', ...args], { stdio: 'inherit' }));

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
