/**
 * The user's data folder: where the embedded state store and the local services the app starts keep their
 * files. One default for the CLI, the browser UI and the desktop app, so a migration begun in one is resumed
 * in another. `DATA_DIR` (or the config's `dataDir`) overrides it.
 *
 *   Linux    $XDG_DATA_HOME/xnai-migrator, else ~/.local/share/xnai-migrator
 *   macOS    ~/Library/Application Support/xnai-migrator
 *   Windows  %LOCALAPPDATA%\xnai-migrator
 */
import { constants } from 'node:fs';
import { access, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../../../shared/errors';

type Env = Record<string, string | undefined>;

export const APP_FOLDER = 'xnai-migrator';

export function defaultDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA || env.APPDATA || join(home, 'AppData', 'Local'), APP_FOLDER);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER);
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), APP_FOLDER);
}

/** The configured folder (the config's dataDir, else DATA_DIR), absolute; or the platform's default. */
export function resolveDataDir(configured: string | undefined, env: Env = process.env): string {
  const chosen = configured || env.DATA_DIR;
  return chosen ? resolve(chosen) : defaultDataDir(env);
}

/** How a message names the folder: `DATA_DIR=/x` when the user chose it, "the data folder /x" otherwise. */
export function describeDataDir(dir: string, configured: string | undefined): string {
  return configured ? `DATA_DIR=${dir}` : `the data folder ${dir}`;
}

/**
 * Creates `dir` (and `sub` inside it) when missing and proves it writable by writing and removing a file,
 * or throws one line naming the folder, the reason and what to do (exit code 2).
 */
export async function ensureWritableDir(dir: string, configured: string | undefined, sub?: string): Promise<string> {
  const target = sub ? join(dir, sub) : dir;
  const fail = (why: string) =>
    new UserError('usage', `${describeDataDir(dir, configured)}: ${why}; choose a writable folder with DATA_DIR=... (or --data-dir), or fix its permissions`);
  try {
    const s = await stat(dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (s && !s.isDirectory()) throw fail('is a file, not a folder');
    await mkdir(target, { recursive: true, mode: 0o700 });
    await access(target, constants.W_OK);
    const probe = join(target, `.write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw fail(`not writable (${code})`);
  }
  return target;
}
