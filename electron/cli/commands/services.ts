/**
 * `xnai-migrate services [start|stop] [qdrant|redis]`: what can be started on this machine (Docker, a Qdrant
 * binary), what the app started that still runs, and starting or stopping it. A service started here is
 * kept running (this command ends at once); `run --start-services` starts one for the run only.
 */
import type { Command } from 'commander';
import { LOCAL_SERVICE_NAMES, type LocalServiceName, type LocalServicesView } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { stringifyJson } from '../../../shared/json';
import { describeLocalServices, describeStarted, startLocalService, stopLocalService } from '../../engine/services/index';
import { action } from '../run-action';

export function formatServicesView(v: LocalServicesView): string {
  const lines = [`Data folder: ${v.dataDir}`, `Docker:      ${v.docker.message}`];
  lines.push(`Qdrant binary: ${v.qdrantBinary ? `${v.qdrantBinary.path} (${v.qdrantBinary.from})` : 'none (set QDRANT_BIN, or put qdrant on PATH)'}`);
  lines.push(`Start Qdrant:  ${v.startQdrantVia ? (v.startQdrantVia === 'binary' ? `from ${v.qdrantBinary!.path}` : 'with docker compose') : `not possible here: ${v.cannotStartQdrant}`}`);
  lines.push(`Start Redis:   ${v.startRedisVia ? 'with docker compose' : `not possible here: ${v.cannotStartRedis}`}`);
  if (v.running.length === 0) lines.push('Running: nothing started by xnai-migrate');
  for (const s of v.running) lines.push(...describeStarted(s, true, 'xnai-migrate'));
  return lines.join('\n');
}

function serviceName(name: string | undefined): LocalServiceName {
  const n = (name ?? 'qdrant').toLowerCase();
  if (!(LOCAL_SERVICE_NAMES as readonly string[]).includes(n)) throw new UserError('usage', `services: unknown service "${name}"; use qdrant or redis`);
  return n as LocalServiceName;
}

export function registerServices(program: Command): void {
  const cmd = program
    .command('services')
    .description('Show, start or stop the local Qdrant (and Redis, with Docker) that xnai-migrate starts for you')
    .option('--data-dir <dir>', "the user's data folder (DATA_DIR)")
    .option('--json', 'print the view as JSON');
  // --data-dir is accepted before or after the subcommand
  let sub: Command | null = null;
  const dataDir = () => (sub?.opts<{ dataDir?: string }>().dataDir ?? cmd.opts<{ dataDir?: string }>().dataDir ?? process.env.DATA_DIR) || undefined;
  cmd.action(
    action(async (opts: { json?: boolean }) => {
      const view = await describeLocalServices({ dataDir: dataDir(), env: process.env });
      process.stdout.write(`${opts.json ? stringifyJson(view, 2) : formatServicesView(view)}\n`);
      return 0;
    }),
  );
  const start = cmd
    .command('start')
    .argument('[service]', 'qdrant (default) or redis')
    .description('Start it and keep it running (reuses the one already running from the data folder)')
    .option('--port <port>', 'the port to prefer (default 6333 for Qdrant, 6379 for Redis); a free one is chosen when it is taken')
    .action(
      action(async (name: string | undefined, opts: { port?: string }) => {
        const port = opts.port === undefined ? undefined : Number(opts.port);
        if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new UserError('usage', `--port ${opts.port}: use a port number from 1 to 65535`);
        const { service, reused } = await startLocalService(serviceName(name), { keep: true, port }, { dataDir: dataDir(), env: process.env });
        process.stdout.write(`${describeStarted(service, reused, 'xnai-migrate').join('\n')}\n`);
        if (service.service === 'qdrant' && service.url !== 'http://127.0.0.1:6333') process.stdout.write(`  later commands: QDRANT_URL=${service.url}\n`);
        return 0;
      }),
    );
  const stop = cmd
    .command('stop')
    .argument('[service]', 'qdrant or redis (default: both)')
    .description('Stop what xnai-migrate started (its data stays in the data folder)')
    .action(
      action(async (name: string | undefined) => {
        const names = name ? [serviceName(name)] : [...LOCAL_SERVICE_NAMES];
        for (const n of names) {
          const r = await stopLocalService(n, { dataDir: dataDir(), env: process.env });
          if (r.stopped || name) process.stdout.write(`${r.message}\n`);
        }
        return 0;
      }),
    );
  for (const c of [start, stop]) {
    c.option('--data-dir <dir>', "the user's data folder (DATA_DIR)");
    c.hook('preAction', (thisCommand) => {
      sub = thisCommand;
    });
  }
}
