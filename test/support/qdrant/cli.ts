/**
 * Standalone stand-in for UI tests and demos:
 *   npx tsx test/support/qdrant/cli.ts --port 6333 [--api-key KEY] [--openapi 1.18.3] [--max-request-size-mb 32]
 * Prints "Qdrant stand-in listening on http://127.0.0.1:N" and serves until killed (SIGINT/SIGTERM).
 */
import { StandInServer } from './server';
import type { OpenApiVersion } from './openapi';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

async function main(): Promise<void> {
  const portText = arg('port') ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port ${portText}: not a port number (0-65535)`);
    process.exit(2);
  }
  const version = (arg('openapi') ?? '1.19.0') as OpenApiVersion;
  if (version !== '1.19.0' && version !== '1.18.3') {
    console.error(`--openapi ${String(version)}: use 1.19.0 or 1.18.3`);
    process.exit(2);
  }
  const mb = arg('max-request-size-mb');
  const server = new StandInServer({ port, apiKey: arg('api-key') ?? process.env.QDRANT__SERVICE__API_KEY, openapiVersion: version, maxRequestSizeMb: mb ? Number(mb) : undefined });
  try {
    await server.listen();
  } catch (e) {
    console.error(`cannot listen on 127.0.0.1:${port}: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  console.log(`Qdrant stand-in listening on ${server.url}`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
