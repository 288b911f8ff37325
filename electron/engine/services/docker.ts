/**
 * Docker, found properly: the `docker` command on PATH, then its engine (`docker version` asks the daemon for
 * its version, so a CLI without a running engine says so), then Compose (the `docker compose` plugin, else the
 * standalone `docker-compose`). Only when all three answer does the app offer `docker compose up -d`.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DockerStatus } from '../../../shared/contract/services';
import { findOnPath } from './which';

type Env = Record<string, string | undefined>;

export interface DockerFound extends DockerStatus {
  /** The compose command's first words: ['/usr/bin/docker', 'compose'] or ['/usr/bin/docker-compose']; null unless ready. */
  compose: string[] | null;
}

interface Ran {
  ok: boolean;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: Env, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: env as NodeJS.ProcessEnv, timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout: String(stdout).trim(), stderr: String(stderr).trim() || (error?.message ?? '') });
    });
  });
}

const firstLine = (s: string) => s.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';

export async function detectDocker(env: Env = process.env, timeoutMs = 10_000): Promise<DockerFound> {
  const docker = findOnPath('docker', env);
  if (!docker) return { state: 'absent', message: 'Docker is not installed (no docker command on PATH)', compose: null };
  const server = await run(docker, ['version', '--format', '{{.Server.Version}}'], env, timeoutMs);
  if (!server.ok || server.stdout === '') {
    const why = firstLine(server.stderr) || 'no answer';
    return { state: 'no-engine', message: `Docker is installed but its engine does not answer (${why.replace(/\.?\s*Is the docker daemon running\?$/, '')}): start Docker Desktop or the docker service`, compose: null };
  }
  const plugin = await run(docker, ['compose', 'version', '--short'], env, timeoutMs);
  if (plugin.ok) return { state: 'ready', message: `Docker ${server.stdout} with Compose ${plugin.stdout}`, compose: [docker, 'compose'] };
  const standalone = findOnPath('docker-compose', env);
  if (standalone) {
    const v = await run(standalone, ['version', '--short'], env, timeoutMs);
    if (v.ok) return { state: 'ready', message: `Docker ${server.stdout} with docker-compose ${v.stdout}`, compose: [standalone] };
  }
  return { state: 'no-compose', message: `Docker ${server.stdout} answers but Compose is missing (neither "docker compose" nor docker-compose): install the Compose plugin`, compose: null };
}

/**
 * The project's docker-compose.yml: beside a packaged app's resources, else in a folder above this module
 * (the repository, for the CLI and `npm start`), else in the working folder. Only a file that defines the
 * xnai stack counts.
 */
export function findComposeFile(extra: readonly (string | undefined)[] = []): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [...extra, resources && join(resources, 'docker-compose.yml')];
  for (let dir = here, i = 0; i < 6; i++, dir = dirname(dir)) candidates.push(join(dir, 'docker-compose.yml'));
  candidates.push(resolve('docker-compose.yml'));
  for (const c of candidates) {
    if (!c || !existsSync(c)) continue;
    try {
      if (/^name:\s*xnai\s*$/m.test(readFileSync(c, 'utf8'))) return c;
    } catch {
      /* unreadable: try the next */
    }
  }
  return null;
}

/** The words of `docker compose -f FILE up -d SERVICE` (shown to the user as well as run). */
export function composeCommand(compose: readonly string[], file: string, verb: 'up' | 'stop', service: string): string[] {
  return [...compose, '-f', file, ...(verb === 'up' ? ['up', '-d', service] : ['stop', service])];
}

export async function runCompose(words: readonly string[], env: Env, timeoutMs = 300_000): Promise<Ran> {
  return run(words[0]!, words.slice(1), env, timeoutMs);
}
