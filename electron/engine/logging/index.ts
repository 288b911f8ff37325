/**
 * The engine's log: structured JSON lines (pino) in `<logDir>/migration.log`, size-rotated, with secrets
 * redacted twice: by field path (pino's redact) and by value (any occurrence of the configured API key or
 * password in a line). Hosts also receive every line as a `log` event for the console and the UI.
 */
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { RotatingFile } from './rotating-file';

export interface EngineLog {
  readonly logger: Logger;
  readonly file: string;
  /** Add secret values to scrub from every line. */
  addSecrets(...values: (string | undefined)[]): void;
  close(): void;
}

const REDACT_PATHS = ['qdrantApiKey', 'redisPassword', '*.qdrantApiKey', '*.redisPassword', 'config.qdrantApiKey', 'config.redisPassword', 'apiKey', 'password', '*.apiKey', '*.password', 'headers["api-key"]'];

export function openEngineLog(logDir: string, options: { maxBytes?: number; keep?: number; level?: string } = {}): EngineLog {
  const secrets = new Set<string>();
  const file = join(logDir, 'migration.log');
  const dest = new RotatingFile(file, { maxBytes: options.maxBytes, keep: options.keep, scrub: () => [...secrets] });
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    dest,
  );
  return {
    logger,
    file,
    addSecrets(...values) {
      // very short values would scrub ordinary words: only real secrets (4+ chars) are matched by value
      for (const v of values) if (v && v.length >= 4) secrets.add(v);
    },
    close() {
      dest.close();
    },
  };
}
