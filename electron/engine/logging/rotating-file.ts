/**
 * A size-rotated log file: `migration.log` → `migration.log.1` … `.N` when it passes `maxBytes`.
 *
 * Why not a pino transport (pino-roll): transports run in a worker thread and may lose the last lines when
 * the process is killed, which is exactly when the log matters; rotation by size is 40 lines. Writes are
 * synchronous appends of a few lines a second, never on the hot path.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotatingFileOptions {
  maxBytes?: number;
  /** Rotated files kept beside the live one. */
  keep?: number;
  /** Strings replaced by "[redacted]" in every line (secret values), as a last line of defence. */
  scrub?: () => readonly string[];
}

export class RotatingFile {
  private fd: number | null = null;
  private size = 0;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(readonly path: string, private readonly options: RotatingFileOptions = {}) {
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.keep = options.keep ?? 5;
  }

  private open(): number {
    if (this.fd === null) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'a', 0o600);
      this.size = fstatSync(this.fd).size;
    }
    return this.fd;
  }

  private rotate(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    const oldest = `${this.path}.${this.keep}`;
    if (existsSync(oldest)) rmSync(oldest, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      if (existsSync(`${this.path}.${i}`)) renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    }
    if (existsSync(this.path)) renameSync(this.path, `${this.path}.1`);
  }

  write(chunk: string): boolean {
    let text = chunk;
    for (const s of this.options.scrub?.() ?? []) if (s) text = text.split(s).join('[redacted]');
    try {
      const fd = this.open();
      const buf = Buffer.from(text, 'utf8');
      writeSync(fd, buf);
      this.size += buf.length;
      if (this.size >= this.maxBytes) this.rotate();
    } catch {
      // a full disk or a removed folder must not stop the migration: the console still shows the events
    }
    return true;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
