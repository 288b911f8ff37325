/**
 * The CLI's side of "start it for me": before a run (or verify), a Qdrant that does not answer on this
 * machine is started when the user said --start-services or answers yes on a terminal; otherwise one line
 * says how it could be. Whatever was started for the command stops when it ends, unless --keep-services.
 */
import { createInterface } from 'node:readline/promises';
import { isUserError, UserError } from '../../shared/errors';
import { describeStarted, stopServicesStartedHere } from '../engine/services/index';
import { servicesToOffer, startForRun, type ServiceOffer } from '../engine/services/offer';

type Target = { qdrantUrl: string; redisHost: string; redisPort: number; stateStore?: string | undefined; dataDir?: string | undefined };

const LABEL = { qdrant: 'Qdrant', redis: 'Redis' } as const;

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(question)).trim().toLowerCase();
    return answer === '' || answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}

function offerLine(o: ServiceOffer): string {
  const head = `${LABEL[o.service]} does not answer at ${o.url}`;
  if (!o.how) return `${head}; it cannot be started here: ${o.why}`;
  return `${head}; it can be started ${o.how} (data in ${o.dataDir})`;
}

/**
 * Starts what does not answer when asked to (or when the user says yes on a terminal). Otherwise nothing is
 * printed up front (a failing command keeps its one line): `explain` adds the offer to that line.
 */
export async function offerServices<C extends Target>(config: C, options: { start: boolean; keep: boolean }): Promise<{ config: C; explain: (e: unknown) => unknown }> {
  const ctx = { dataDir: config.dataDir, env: process.env };
  const offers = await servicesToOffer({ qdrantUrl: config.qdrantUrl, redisHost: config.redisHost, redisPort: config.redisPort, redisWanted: config.stateStore === 'redis' }, ctx);
  const none = { config, explain: (e: unknown) => e };
  if (offers.length === 0) return none;
  const startable = offers.filter((o) => o.how);
  let start = options.start;
  if (!start && startable.length > 0 && process.stdin.isTTY && process.stderr.isTTY) {
    for (const o of offers) process.stderr.write(`${offerLine(o)}\n`);
    start = await ask(`Start ${startable.map((o) => LABEL[o.service]).join(' and ')} now? [Y/n] `);
  }
  if (!start) {
    // the run's own line ("Failed to connect to Qdrant at ...") gets the offer appended
    const explain = (e: unknown) => {
      if (!isUserError(e) || e.kind !== 'connection') return e;
      const o = offers.find((x) => e.message.includes(LABEL[x.service]));
      if (!o) return e;
      const hint = o.how ? `--start-services starts one ${o.how} (data in ${o.dataDir})` : `no local ${LABEL[o.service]} can be started here ("xnai-migrate services" says why)`;
      return new UserError('connection', `${e.message}; ${hint}`);
    };
    return { config, explain };
  }
  const { config: next, started } = await startForRun(config, offers, { keep: options.keep }, ctx);
  for (const s of started) process.stdout.write(`${describeStarted(s.service, s.reused, 'this command').join('\n')}\n`);
  return { config: next, explain: (e) => e };
}

export async function stopStartedServices(): Promise<void> {
  const stopped = await stopServicesStartedHere({ env: process.env }).catch(() => []);
  for (const s of stopped) process.stdout.write(`Stopped ${LABEL[s.service]} at ${s.url}; its data stays in ${s.dataPath} ("xnai-migrate services start ${s.service}" starts it again)\n`);
}
