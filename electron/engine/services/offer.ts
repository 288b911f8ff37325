/**
 * Which services a run needs started: Qdrant when nothing answers at a QDRANT_URL on this machine (a remote
 * one cannot be started from here), and likewise a Redis the user configured. The CLI asks (or obeys
 * --start-services) and the set-up view shows the same offer; both call `startForRun`.
 */
import type { LocalService, LocalServiceName } from '../../../shared/contract/services';
import { answersTcp, isLoopbackHost } from './ports';
import { describeLocalServices, startLocalService, type ServicesContext } from './index';

export interface ServiceOffer {
  service: LocalServiceName;
  /** Where it was expected to answer; a started service prefers this port. */
  url: string;
  port: number;
  /** How it would be started ("from /usr/bin/qdrant", "with docker compose"), or null when it cannot be. */
  how: string | null;
  /** Why it cannot be started here (when `how` is null). */
  why: string | null;
  dataDir: string;
}

function hostPort(url: string, defaultPort: number): { host: string; port: number } | null {
  try {
    const u = new URL(url);
    return { host: u.hostname, port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : defaultPort };
  } catch {
    return null;
  }
}

/** Services that do not answer on this machine and could be started for the run (or why not). */
export async function servicesToOffer(
  target: { qdrantUrl: string; redisHost?: string; redisPort?: number; redisWanted?: boolean },
  ctx: ServicesContext = {},
): Promise<ServiceOffer[]> {
  const down: { service: LocalServiceName; url: string; port: number }[] = [];
  const q = hostPort(target.qdrantUrl, 80);
  if (q && isLoopbackHost(q.host) && !(await answersTcp(q.host, q.port))) down.push({ service: 'qdrant', url: target.qdrantUrl, port: q.port });
  const redisPort = target.redisPort ?? 6379;
  if (target.redisWanted && target.redisHost && isLoopbackHost(target.redisHost) && !(await answersTcp(target.redisHost, redisPort))) {
    down.push({ service: 'redis', url: `redis://${target.redisHost}:${redisPort}`, port: redisPort });
  }
  if (down.length === 0) return [];
  const view = await describeLocalServices(ctx);
  return down.map(({ service, url, port }) => {
    const running = view.running.find((s) => s.service === service);
    if (service === 'qdrant') {
      const how = running ? `the one already running at ${running.url}` : view.startQdrantVia === 'binary' ? `from ${view.qdrantBinary!.path}` : view.startQdrantVia === 'docker' ? 'with docker compose' : null;
      return { service, url, port, how, why: how ? null : view.cannotStartQdrant, dataDir: view.dataDir };
    }
    const how = running ? `the one already running at ${running.url}` : view.startRedisVia ? 'with docker compose' : null;
    return { service, url, port, how, why: how ? null : view.cannotStartRedis, dataDir: view.dataDir };
  });
}

/** Starts (or reuses) each offered service that can be started; the config's URLs point at them afterwards. */
export async function startForRun<C extends { qdrantUrl: string; redisHost: string; redisPort: number }>(
  config: C,
  offers: readonly ServiceOffer[],
  options: { keep: boolean },
  ctx: ServicesContext = {},
): Promise<{ config: C; started: { service: LocalService; reused: boolean }[] }> {
  const next = { ...config };
  const started: { service: LocalService; reused: boolean }[] = [];
  for (const offer of offers) {
    if (!offer.how) continue;
    const s = await startLocalService(offer.service, { ...options, port: offer.port }, ctx);
    started.push(s);
    if (offer.service === 'qdrant') next.qdrantUrl = s.service.url;
    else {
      next.redisHost = '127.0.0.1';
      next.redisPort = s.service.port;
    }
  }
  return { config: next, started };
}
