/**
 * `xnai-migrate verify` and `report` as a user runs them: a child process with the seed's environment
 * variables, its stdout, stderr and exit code (0 on PASS, 5 on FAIL, 2 on a bad flag), and the report
 * file it writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestRedis } from '../support/redis';
import { ExitCode } from '../../shared/errors';
import { deletePoint, startServices, stopServices, type Services, type TestQdrant } from './helpers';
import { populate } from './populate';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'faiss', 'v1_15', 'idmap2_flat.faiss');
const API_KEY = 'qk-cli-5e8d1a77b0';
const REDIS_PASSWORD = 'rp-cli-0c4f92d3e6';

let services: Services | undefined;
let redis: TestRedis;
let qdrant: TestQdrant;
let dir: string;

function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        XNAI_DEBUG: '',
        QDRANT_URL: qdrant.url,
        QDRANT_API_KEY: API_KEY,
        REDIS_HOST: redis.host,
        REDIS_PORT: String(redis.port),
        REDIS_PASSWORD,
        FAISS_INDEX_PATH: FIXTURE,
        QDRANT_COLLECTION: 'cli_run',
        ...extraEnv,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  services = await startServices({ apiKey: API_KEY, redisPassword: REDIS_PASSWORD });
  ({ redis, qdrant } = services);
  dir = mkdtempSync(join(tmpdir(), 'xnai-verify-cli-'));
  await populate({ url: qdrant.url, apiKey: API_KEY }, 'cli_run', FIXTURE, 'Cosine');
});

afterAll(async () => {
  await stopServices(services);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('xnai-migrate verify / report', () => {
  it('PASS exits 0 and prints each check and the verdict last', async () => {
    const r = await cli(['verify', '--sample', '50', '--queries', '5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Verification of collection "cli_run" \(\d+\.\d s\):$/);
    expect(lines).toContain('  ok   count: 200/200 points');
    expect(lines.at(-1)).toMatch(/^PASS: 200\/200 points, 50\/50 sampled vectors equal, payloads match, exact search 5\/5, recall@10 \d\.\d\d, all ids present$/);
  });

  it('FAIL exits 5 and names the missing point; report --out writes it, secrets nowhere', async () => {
    await deletePoint({ url: qdrant.url, apiKey: API_KEY }, 'cli_run', 9223372036854775807n);
    const r = await cli(['verify', '--sample', '0', '--queries', '0']);
    expect(r.code).toBe(ExitCode.verifyFailed);
    expect(r.stdout).toContain('  FAIL ids: 1 source ids missing from Qdrant (9223372036854775807)');
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^FAIL: count: 199\/200 points \(1 missing\); ids: 1 source ids missing from Qdrant \(9223372036854775807\)/);

    const out = join(dir, 'report.html');
    const rep = await cli(['report', '--format', 'html', '--out', out]);
    expect(rep.code).toBe(0);
    expect(rep.stdout).toMatch(new RegExp(`^Report written to ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(\\d[\\d,]* bytes, html\\)\\n$`));
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('FAIL: count: 199/200 points (1 missing)');
    expect(html).not.toContain(API_KEY);
    expect(html).not.toContain(REDIS_PASSWORD);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('--json prints the stored result; bad values get one line and exit 2', async () => {
    const j = await cli(['verify', '--json', '--sample', '5', '--queries', '0', '--no-ids']);
    expect(j.code).toBe(ExitCode.verifyFailed);
    const parsed = JSON.parse(j.stdout) as { checks: { name: string }[]; passed: boolean };
    expect(parsed.checks.map((c) => c.name)).toEqual(['collection', 'count', 'vectors', 'payloads']);

    const bad = await cli(['verify', '--sample', 'lots']);
    expect(bad.code).toBe(ExitCode.usage);
    expect(bad.stderr).toMatch(/^error: option '--sample <n>' argument 'lots' is invalid\. --sample must be a whole number from 0 to 100000\.\n/);

    const badPort = await cli(['verify'], { REDIS_PORT: 'abc' });
    expect(badPort.code).toBe(ExitCode.usage);
    expect(badPort.stderr).toMatch(/^xnai-migrate: REDIS_PORT=abc: is not a number; use a port number from 1 to 65535\n$/);

    const down = await cli(['verify'], { REDIS_PORT: '1' });
    expect(down.code).toBe(ExitCode.connection);
    expect(down.stderr).toBe('xnai-migrate: Redis at 127.0.0.1:1 cannot be reached: nothing is listening there: start Redis, or fix REDIS_HOST / REDIS_PORT if it runs elsewhere (ECONNREFUSED)\n');
    expect(down.stderr).not.toContain(REDIS_PASSWORD);
  });
});
