/**
 * The ways others start a stand-in: `startQdrant()` (stand-in, or the server at QDRANT_URL) and the standalone
 * cli.ts. Tests of the test support itself, so they run against the stand-in only; the launched binary's
 * entry points are tested in test/live/real-server.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { QdrantClient } from '@qdrant/js-client-rest';
import { startQdrant, FaultsNeedStandInError, needsStandIn } from '../support/qdrant';
import { freePort } from '../support/free-port';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'support', 'qdrant', 'cli.ts');

describe('cli.ts', () => {
  beforeEach((ctx) => needsStandIn(ctx, 'own command line (cli.ts)'));

  it('prints its URL, serves the API on the given port, and exits on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
        setTimeout(() => reject(new Error(`no output: ${out}`)), 30_000);
      });
      expect(line).toBe(`Qdrant stand-in listening on http://127.0.0.1:${port}`);
      const client = new QdrantClient({ url: `http://127.0.0.1:${port}`, checkCompatibility: false });
      await client.createCollection('cli', { vectors: { size: 2, distance: 'Dot' } });
      await client.upsert('cli', { wait: true, points: [{ id: 1, vector: [1, 2] }] });
      expect((await client.count('cli', {})).count).toBe(1);
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a bad port with a one-line message and exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', 'http'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(err.trim()).toBe('--port http: not a port number (0-65535)');
  });
});

describe('startQdrant', () => {
  beforeEach((ctx) => needsStandIn(ctx, 'startQdrant() defaults (this run starts the real binary instead)'));

  it('starts a stand-in on a free port, or on the port asked for', async () => {
    const port = await freePort();
    const q = await startQdrant({ port });
    try {
      expect(q.isStandIn).toBe(true);
      expect(q.url).toBe(`http://127.0.0.1:${port}`);
      expect((await fetch(`${q.url}/healthz`)).status).toBe(200);
    } finally {
      await q.stop();
    }
    await expect(fetch(`${q.url}/healthz`)).rejects.toThrow();
  });

  it('returns the server at QDRANT_URL instead, whose faults refuse clearly', async () => {
    const backing = await startQdrant({ apiKey: 'k' });
    const saved = { url: process.env.QDRANT_URL, key: process.env.QDRANT_API_KEY };
    process.env.QDRANT_URL = `${backing.url}/`;
    process.env.QDRANT_API_KEY = 'k';
    try {
      const q = await startQdrant();
      expect(q.isStandIn).toBe(false);
      expect(q.kind).toBe('external');
      expect(q.version).toBe(backing.version);
      expect(q.url).toBe(backing.url);
      expect(q.apiKey).toBe('k');
      expect(q.server).toBeUndefined();
      expect(() => q.faults.failNext(1, 503)).toThrow(FaultsNeedStandInError);
      expect(() => q.faults.latency(10)).toThrow(/faults need the stand-in/);
      await expect(q.faults.down()).rejects.toThrow(/faults need the stand-in/);
      await expect(q.restart()).rejects.toThrow(/the server at QDRANT_URL cannot be restarted from here/);
      const client = new QdrantClient({ url: q.url, apiKey: q.apiKey, checkCompatibility: false });
      expect((await client.getCollections()).collections).toEqual([]);
      await q.stop(); // does not stop someone else's server
      expect((await fetch(`${backing.url}/healthz`)).status).toBe(200);
    } finally {
      if (saved.url === undefined) delete process.env.QDRANT_URL;
      else process.env.QDRANT_URL = saved.url;
      if (saved.key === undefined) delete process.env.QDRANT_API_KEY;
      else process.env.QDRANT_API_KEY = saved.key;
      await backing.stop();
    }
  });
});
