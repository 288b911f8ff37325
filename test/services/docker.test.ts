/**
 * Docker found properly: no docker command; the real docker CLI with no engine behind it (this machine); the
 * real CLI talking to a minimal Docker Engine API on a unix socket (the two calls `docker version` makes),
 * so "engine answers but Compose is missing" is seen as the CLI itself reports it. Docker's engine cannot run
 * here, so `docker compose up -d` itself is not run by any test; the command it would run is checked.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCommand, detectDocker, findComposeFile } from '../../electron/engine/services/docker';
import { describeLocalServices } from '../../electron/engine/services/index';
import { findOnPath } from '../../electron/engine/services/which';

const docker = findOnPath('docker');
const dir = mkdtempSync(join(tmpdir(), 'xnai-docker-'));
let engine: Server | null = null;
const socket = join(dir, 'docker.sock');

beforeAll(async () => {
  // the Docker Engine API's answers to `docker version`: GET /_ping, then GET /v1.47/version
  engine = createServer((req, res) => {
    if (req.url?.endsWith('/_ping')) {
      res.writeHead(200, { 'Api-Version': '1.47', 'Content-Type': 'text/plain' });
      return res.end('OK');
    }
    if (req.url?.endsWith('/version')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ Version: '27.5.1', ApiVersion: '1.47', MinAPIVersion: '1.24', Os: 'linux', Arch: 'amd64' }));
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{"message":"page not found"}');
  });
  await new Promise<void>((r) => engine!.listen(socket, r));
});
afterAll(async () => {
  await new Promise((r) => engine?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

// the docker CLI reads plugins and contexts from DOCKER_CONFIG: a fresh one keeps the user's out
const base = { HOME: dir, DOCKER_CONFIG: join(dir, 'config') };

describe('Docker detection', () => {
  it('no docker command on PATH: absent, and the offer says what else would do', async () => {
    const env = { ...base, PATH: join(dir, 'empty') };
    expect(await detectDocker(env)).toEqual({ state: 'absent', message: 'Docker is not installed (no docker command on PATH)', compose: null });
    const view = await describeLocalServices({ env, dataDir: join(dir, 'data') });
    expect(view.startQdrantVia).toBeNull();
    expect(view.cannotStartQdrant).toBe('no Qdrant binary (set QDRANT_BIN, or put qdrant on PATH), and Docker is not installed (no docker command on PATH)');
    expect(view.cannotStartRedis).toMatch(/Redis is optional: without it the state is kept in the embedded store in /);
  });

  it.skipIf(!docker)('the docker CLI with no engine behind it: "no-engine", in the CLI\'s own words', async () => {
    const r = await detectDocker({ ...base, PATH: dirname(docker!), DOCKER_HOST: `unix://${join(dir, 'nothing.sock')}` });
    expect(r.state).toBe('no-engine');
    expect(r.message).toMatch(/^Docker is installed but its engine does not answer \(Cannot connect to the Docker daemon at unix:\/\/.*nothing\.sock\): start Docker Desktop or the docker service$/);
    expect(r.compose).toBeNull();
  });

  it.skipIf(!docker)('an engine that answers, Compose missing: "no-compose"; with Compose: ready and the command it runs', async () => {
    const r = await detectDocker({ ...base, PATH: dirname(docker!), DOCKER_HOST: `unix://${socket}` });
    if (r.state === 'ready') {
      // this machine has the Compose plugin installed system-wide
      expect(r.compose).toEqual([docker, 'compose']);
    } else {
      expect(r).toEqual({ state: 'no-compose', message: 'Docker 27.5.1 answers but Compose is missing (neither "docker compose" nor docker-compose): install the Compose plugin', compose: null });
    }
  });

  it("finds the project's docker-compose.yml and builds the command shown and run", () => {
    const file = findComposeFile();
    expect(file).toBe(join(process.cwd(), 'docker-compose.yml'));
    expect(composeCommand(['/usr/bin/docker', 'compose'], file!, 'up', 'qdrant')).toEqual(['/usr/bin/docker', 'compose', '-f', file, 'up', '-d', 'qdrant']);
    expect(composeCommand(['/usr/bin/docker-compose'], file!, 'stop', 'redis')).toEqual(['/usr/bin/docker-compose', '-f', file, 'stop', 'redis']);
  });
});
if (!docker) process.stdout.write('docker.test.ts: no docker command on PATH, so the two tests of the real docker CLI are skipped\n');
