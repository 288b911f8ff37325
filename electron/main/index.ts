/** Electron main entry (bundled to dist/main.cjs): everything lives in ./app so tests can drive it. */
import * as electron from 'electron';
import { startDesktopApp } from './app';

startDesktopApp(electron, { distDir: __dirname }).catch((e: unknown) => {
  const msg = e instanceof Error ? e.message : String(e);
  electron.dialog.showErrorBox('XNAi Migrator could not start', msg);
  electron.app.exit(1);
});
