/**
 * `npm start` checks the Electron binary's version against the one package.json asks for before launching it:
 * a binary of another version (or one that does not say its version) is never started (an old Electron
 * fails with an obscure load error and a process that never ends); one line says why and the browser UI
 * starts instead. A binary of the right version is started with the app. The binaries here are stand-ins
 * placed where Electron's own `ELECTRON_OVERRIDE_DIST_PATH` makes `require('electron')` look; each records
 * whether it ran.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const work = mkdtempSync(join(tmpdir(), 'xnai-npm-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const required = (JSON.parse(readFileSync('package.json', 'utf8')) as { optionalDependencies: { electron: string } }).optionalDependencies.electron;

/** A fake Electron dist folder: `electron` records that it ran (and how), then hangs or exits. */
function fakeElectron(name: string, version: string | null, behaviour: 'hang' | 'exit'): { dir: string; marker: string } {
  const dir = join(work, name);
  const marker = join(dir, 'ran');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const body = behaviour === 'hang' ? 'sleep 600' : 'exit 0';
  writeFileSync(join(dir, 'electron'), `#!/bin/sh\necho "$@" > '${marker}'\n${body}\n`);
  chmodSync(join(dir, 'electron'), 0o755);
  if (version !== null) writeFileSync(join(dir, 'version'), version);
  return { dir, marker };
}

async function npmStart(distPath: string, untilUrl: boolean): Promise<{ out: string; code: number | null }> {
  const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: distPath } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  if (untilUrl) {
    const deadline = Date.now() + 120_000;
    while (!/http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
  }
  return { out, code: await exited };
}

describe('npm start and the Electron version', () => {
  it('an Electron binary of another version is not started: one line, then the browser UI', async () => {
    const old = fakeElectron('old', '30.1.0', 'hang');
    const r = await npmStart(old.dir, true);
    expect(r.out).toContain(`the Electron binary in node_modules is 30.1.0, but this app needs ${required}; run "npm ci" to install the right one; starting the browser UI instead.\n`);
    expect(r.out).toMatch(/http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/);
    expect(r.code).toBe(0);
    expect(existsSync(old.marker)).toBe(false);
  }, 150_000);

  it('a binary that does not say its version is not started either', async () => {
    const unknown = fakeElectron('unknown', null, 'hang');
    const r = await npmStart(unknown.dir, true);
    expect(r.out).toMatch(new RegExp(`^the Electron binary at .*electron does not say its version \\(this app needs ${required.replace(/[.^]/g, '\\$&')}\\); run "npm ci" to reinstall it; starting the browser UI instead\\.$`, 'm'));
    expect(existsSync(unknown.marker)).toBe(false);
  }, 150_000);

  it('the version the app needs is started with the app', async () => {
    const right = fakeElectron('right', required.replace(/^[\^~>=v]+/, ''), 'exit');
    const r = await npmStart(right.dir, false);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('browser UI');
    expect(readFileSync(right.marker, 'utf8').trim()).toBe('. --port 0');
  }, 150_000);
});
