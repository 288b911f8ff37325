/**
 * The CLI bundled once per test file with esbuild (as `npm run build` does), so each spawn starts in a
 * fraction of the time tsx needs: the SIGKILL test spawns it twenty times.
 */
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function bundleCli(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'xnai-cli-'));
  const outfile = join(dir, 'cli.mjs');
  await build({
    entryPoints: ['electron/cli/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'error',
    external: ['electron', 'playwright-core'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(cli: string, args: string[], env: Record<string, string | undefined>, cwd: string): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(cli: string, args: string[], env: Record<string, string | undefined>, cwd: string): Promise<CliResult> {
  return spawnCli(cli, args, env, cwd).done;
}
