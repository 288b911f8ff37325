/**
 * The desktop's native capabilities: pick the FAISS source with the OS dialog, save a report where the user
 * chooses, and print the HTML report to PDF in a hidden, sandboxed window with scripts off.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import type { DesktopCapabilities } from './ipc';
import { hardenWebContents } from './window';

export interface DesktopDeps {
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;
  BrowserWindow: typeof BrowserWindow;
  parent: () => BrowserWindow | null;
  documentsDir: string;
  platform: NodeJS.Platform;
}

export function desktopCapabilities(deps: DesktopDeps): DesktopCapabilities {
  const save = async (filename: string, data: string | Buffer, filters: { name: string; extensions: string[] }[]) => {
    const parent = deps.parent();
    const options = { defaultPath: join(deps.documentsDir, filename), filters };
    const r = parent ? await deps.dialog.showSaveDialog(parent, options) : await deps.dialog.showSaveDialog(options);
    if (r.canceled || !r.filePath) return null;
    await writeFile(r.filePath, data);
    return r.filePath;
  };
  return {
    async pickSourcePath() {
      const parent = deps.parent();
      // macOS lets one dialog choose files or folders; elsewhere pick the index file (its folder's
      // docstore is found beside it) or, with the second filter, any file.
      const options: Electron.OpenDialogOptions = {
        title: 'Choose a FAISS index or a LangChain / LlamaIndex folder',
        properties: deps.platform === 'darwin' ? ['openFile', 'openDirectory'] : ['openFile'],
        filters: [
          { name: 'FAISS index', extensions: ['faiss', 'index', 'bin', 'idx'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const r = parent ? await deps.dialog.showOpenDialog(parent, options) : await deps.dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    saveFile(filename, mimeType, content) {
      const ext = filename.includes('.') ? filename.slice(filename.lastIndexOf('.') + 1) : 'txt';
      return save(filename, content, [{ name: mimeType, extensions: [ext] }]);
    },
    async printToPdf(filename, html) {
      const win = new deps.BrowserWindow({
        show: false,
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
      });
      try {
        hardenWebContents(win.webContents, 'data:');
        await win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
        const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
        return await save(filename.endsWith('.pdf') ? filename : `${filename}.pdf`, pdf, [{ name: 'PDF', extensions: ['pdf'] }]);
      } finally {
        win.destroy();
      }
    },
  };
}
