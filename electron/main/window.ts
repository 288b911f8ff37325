/**
 * The one application window and its hardening (Electron security checklist): context isolation, sandbox,
 * no Node in the page, a strict CSP on every response, no navigation away from the app, no new windows,
 * no webviews, no permission grants.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

/** The page's CSP: the bundle only; it talks to the engine through the preload, never the network. */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'XNAi Migrator',
    backgroundColor: '#111418',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Only the app's own page may be shown in a window: a file URL at or under the renderer folder. */
export function isAppUrl(url: string, appRootUrl: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' && (u.href === appRootUrl || u.href.startsWith(appRootUrl.endsWith('/') ? appRootUrl : `${appRootUrl}/`));
  } catch {
    return false;
  }
}

/** Block navigation, redirects, new windows and webviews on a webContents. */
export function hardenWebContents(contents: WebContents, appRootUrl: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appRootUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appRootUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** CSP on every response the session loads, and no permission (camera, notifications, ...) ever granted. */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function createMainWindow(Ctor: typeof BrowserWindow, preloadPath: string, appRootUrl: string): BrowserWindow {
  const win = new Ctor(mainWindowOptions(preloadPath));
  hardenWebContents(win.webContents, appRootUrl);
  win.once('ready-to-show', () => win.show());
  return win;
}
