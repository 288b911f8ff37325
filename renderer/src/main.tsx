/** Entry: connect to the engine (Electron preload or the browser host's WebSocket), then render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectBridge } from './api';
import { attachBridge } from './store/attach';
import { applyTheme, useUi } from './store/ui-store';
import { App } from './App';
import { errorMessage } from './lib/errors';
import './styles.css';

applyTheme(useUi.getState().theme);
const el = document.getElementById('root');
if (!el) throw new Error('index.html has no #root');
const root = createRoot(el);

root.render(
  <div className="boot" role="status">
    <span className="spinner-ring" aria-hidden="true" /> Connecting to the engine…
  </div>,
);

connectBridge()
  .then((b) => {
    attachBridge(b);
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  })
  .catch((e: unknown) => {
    root.render(
      <div className="boot boot-error" role="alert">
        <h1>Cannot reach the engine</h1>
        <p>{errorMessage(e)}</p>
        <p>
          In a browser, open the full address <code>xnai-migrate ui</code> printed (it ends with <code>?token=…</code>) while that command is still running. In the desktop
          app, restart it; a migration that was running resumes from its checkpoint.
        </p>
      </div>,
    );
  });
