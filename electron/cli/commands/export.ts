/**
 * `xnai-migrate export <path> --format jsonl [--out FILE] [--offset N] [--limit M]`: streams vectors as JSON
 * Lines, one `{"id": <exact integer>, "vector": [...]}` per vector, in the index's stream order. With --out
 * the file appears only when complete (written beside it as FILE.partial, renamed at the end).
 */
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';
import type { DocumentStore } from '../../engine/docstore/types';
import { vectorLine } from '../../engine/faiss/jsonl';
import { openSource } from '../../engine/source';
import { payloadToJson } from '../../engine/qdrant/payload-json';
import { action } from '../run-action';

const BATCH = 1000;

const WRITE_ERRORS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
};

/** A folder source's row gains `"document"`: {id, text, metadata} joined by label, or null when it has none. */
function documentField(documents: DocumentStore | null, label: bigint): string | undefined {
  if (!documents) return undefined;
  const doc = documents.documentFor(label);
  // payloadToJson keeps Python floats as floats (5.0) and ints exact, as the payloads are written.
  return `"document":${doc ? payloadToJson({ id: doc.docId, text: doc.text, metadata: doc.metadata }) : 'null'}`;
}

function nonNegativeInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UserError('usage', `${flag} must be a non-negative integer, got "${value}"`);
  }
  return Number(value);
}

/** Writes and waits when the stream's buffer is full, so memory stays bounded however large the export. */
function write(out: NodeJS.WritableStream, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    out.once('error', onError);
    const ok = out.write(chunk, () => undefined);
    const done = () => {
      out.off('error', onError);
      resolve();
    };
    if (ok) done();
    else out.once('drain', done);
  });
}

interface ExportOptions {
  format: string;
  out?: string;
  offset?: string;
  limit?: string;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Stream the vectors of a FAISS index file as JSON Lines: {"id": <exact integer>, "vector": [...]}, plus "document" for LangChain/LlamaIndex folders')
    .argument('<path>', 'FAISS index file, or a LangChain/LlamaIndex folder')
    .requiredOption('--format <format>', 'output format (jsonl)')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--offset <n>', 'skip the first N vectors (stream order)')
    .option('--limit <m>', 'write at most M vectors')
    .action(
      action(async (path: string, opts: ExportOptions) => {
        if (opts.format !== 'jsonl') throw new UserError('usage', `--format must be "jsonl", got "${opts.format}"`);
        const offset = nonNegativeInt('--offset', opts.offset) ?? 0;
        const limit = nonNegativeInt('--limit', opts.limit);
        const source = await openSource(path);
        const reader = source.index;
        const partial = opts.out ? `${opts.out}.partial` : null;
        let file: WriteStream | null = null;
        try {
          const end = limit === undefined ? reader.summary.count : Math.min(reader.summary.count, offset + limit);
          if (partial) {
            file = createWriteStream(partial);
            await new Promise<void>((res, rej) => file!.once('open', () => res()).once('error', rej));
          }
          const out: NodeJS.WritableStream = file ?? process.stdout;
          for await (const batch of reader.batches({ batchSize: BATCH, start: offset, end, reuseBuffers: true })) {
            const lines: string[] = [];
            for (let r = 0; r < batch.count; r++) {
              try {
                lines.push(vectorLine(batch, r, documentField(source.documents, batch.ids[r]!)));
              } catch (e) {
                throw new UserError('badInput', `${path}: ${(e as Error).message}`);
              }
            }
            await write(out, `${lines.join('\n')}\n`);
          }
          if (file && partial) {
            const f = file;
            await new Promise<void>((res, rej) => f.end((e?: Error | null) => (e ? rej(e) : res())));
            renameSync(partial, opts.out!);
            file = null;
          }
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          // The reader of our stdout went away (e.g. `| head`): that ends the export, it is not an error.
          if (code === 'EPIPE' && !opts.out) return 0;
          if (code && opts.out) throw new UserError('badInput', `cannot write ${opts.out}: ${WRITE_ERRORS[code] ?? code}`);
          throw e;
        } finally {
          if (file) {
            file.destroy();
            rmSync(partial!, { force: true });
          }
          await source.close();
        }
      }),
    );
}
