/**
 * `xnai-migrate ui [--port N]`: the browser UI for headless servers and machines without Electron. Binds
 * 127.0.0.1 only and prints the URL with its random token; runs until Ctrl-C.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../shared/errors';
import { action } from '../run-action';
import { resolveRendererDir, startBrowserUi } from '../../web';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError('usage', `--port ${value}: must be a port number from 1 to 65535 (or 0 for any free port)`);
  return n;
}

export function registerUi(program: Command): void {
  program
    .command('ui')
    .description('Serve the migration UI to a browser on 127.0.0.1 (prints the URL with its access token).')
    .option('--port <n>', 'port to listen on (0 = any free port)', '0')
    .action(
      action(async (opts: { port: string }) => {
        const port = parsePort(opts.port);
        const rendererDir = resolveRendererDir();
        let ui;
        try {
          ui = await startBrowserUi({ port, rendererDir });
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EADDRINUSE') throw new UserError('usage', `--port ${port}: 127.0.0.1:${port} is already in use; pick another port or 0 for any free one`);
          throw e;
        }
        if (!existsSync(join(rendererDir, 'index.html'))) {
          process.stderr.write(`xnai-migrate: the renderer is not built (${rendererDir}): run npm run build; serving a notice page until then\n`);
        }
        process.stdout.write(`XNAi Migrator UI (Ctrl-C to stop): ${ui.web.url}\n`);
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            void ui.stop().then(resolve);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        return 0;
      }),
    );
}
