#!/usr/bin/env node
// `npm start`: build what is missing or out of date, then open the desktop app. Where the Electron binary
// is not installed (CI, servers, ELECTRON_SKIP_BINARY_DOWNLOAD=1), or is not the version this app needs
// (package.json; an old binary fails with an obscure load error and a process that never ends), say so in
// one line and start the browser UI instead (`xnai-migrate ui`), which prints its URL. Extra arguments go to
// `ui` (e.g. --port 8080). Version ranges are compared with semver (npm's own rules).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import semver from 'semver';

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

/** The Electron version range the app declares (package.json), e.g. "^39.8.10". */
function requiredElectron() {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  return pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron ?? pkg.dependencies?.electron ?? null;
}

/**
 * Why the binary cannot be used, or null when it can: its version (the `version` file Electron's archive
 * puts beside the binary) must satisfy the declared range.
 */
function electronMismatch(binary) {
  const range = requiredElectron();
  if (!range) return null;
  let found = null;
  try {
    found = semver.clean(readFileSync(join(dirname(binary), 'version'), 'utf8').trim());
  } catch {
    found = null;
  }
  if (!found) return `the Electron binary at ${binary} does not say its version (this app needs ${range}); run "npm ci" to reinstall it`;
  if (!semver.satisfies(found, range)) return `the Electron binary in node_modules is ${found}, but this app needs ${range}; run "npm ci" to install the right one`;
  return null;
}

if (needsBuild()) {
  process.stdout.write('Building (npm run build)...\n');
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const found = electronBinary();
const mismatch = found ? electronMismatch(found) : null;
const electron = mismatch ? null : found;
const args = process.argv.slice(2);
if (!electron) {
  process.stdout.write(mismatch ? `${mismatch}; starting the browser UI instead.\n` : 'Electron is not installed here (no binary in node_modules/electron); starting the browser UI instead.\n');
}
const child = electron ? spawn(electron, ['.', ...args], { stdio: 'inherit' }) : spawn(process.execPath, ['dist/cli.js', 'ui', ...args], { stdio: 'inherit' });

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
