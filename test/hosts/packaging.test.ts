/**
 * electron-builder.yml against electron-builder's own JSON schema (app-builder-lib/scheme.json), plus the
 * metadata each target needs: deb a maintainer with an e-mail, the desktop entry, NSIS and dmg settings,
 * and the fuses that harden the binary. `npm start`'s fallback is exercised here too: without the Electron
 * binary it says so in one line and serves the browser UI.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);

describe('electron-builder.yml', () => {
  const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, Record<string, unknown>>;

  it("is valid for electron-builder's schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('builds AppImage + deb, NSIS and dmg with the metadata each needs', () => {
    expect(config.linux!.target).toEqual(['AppImage', 'deb']);
    expect(config.linux!.maintainer).toMatch(/<[^@>]+@[^>]+>/);
    expect(config.linux!.category).toBe('Development');
    expect(config.win!.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, allowToChangeInstallationDirectory: true });
    expect(config.mac!.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(config.mac!.category).toBe('public.app-category.developer-tools');
    expect(config.extraMetadata).toEqual({ main: 'dist/main.cjs', productName: 'XNAi Migrator' });
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false });
  });
});

describe('npm start without the Electron binary', () => {
  it('says so in one line and serves the browser UI', async () => {
    const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent-electron' } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const deadline = Date.now() + 120_000;
    while (!/http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(out).toMatch(/^Electron is not installed here \(.*\); starting the browser UI instead\.$/m);
    expect(out).toMatch(/http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/);
    expect(code).toBe(0);
  }, 150_000);
});
