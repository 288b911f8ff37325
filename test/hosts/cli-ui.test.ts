/**
 * `xnai-migrate ui` as a user (and the renderer's Playwright tests) run it: a child process that prints
 * its tokened URL, serves it, refuses a bad port in one line with exit code 2, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port';

function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out.stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out.stderr += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out, exited };
}

describe('xnai-migrate ui', () => {
  it('prints http://127.0.0.1:N/?token=..., serves it, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const { child, out, exited } = runCli(['ui', '--port', String(port)]);
    const deadline = Date.now() + 60_000;
    while (!out.stdout.includes('token=') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const url = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(out.stdout);
    expect(url?.[1]).toBe(String(port));
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
    const res = await fetch(url![0], { redirect: 'manual' });
    expect(res.status).toBe(303);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a bad port in one line with exit code 2', async () => {
    const { out, exited } = runCli(['ui', '--port', 'eighty']);
    expect(await exited).toBe(2);
    expect(out.stderr.trim()).toBe('xnai-migrate: --port eighty: must be a port number from 1 to 65535 (or 0 for any free port)');
  });

  it('refuses a port in use in one line with exit code 2', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const { out, exited } = runCli(['ui', '--port', String(port)]);
      expect(await exited).toBe(2);
      expect(out.stderr).toContain(`127.0.0.1:${port} is already in use`);
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      blocker.close();
    }
  });
});
