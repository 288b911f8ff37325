/**
 * "Start it for me": after a connection test in which Qdrant (or a configured Redis) does not answer on this
 * machine, offers to start it: from the Qdrant binary the host knows (QDRANT_BIN or PATH) or with the
 * project's docker-compose.yml, on loopback, its data in the user's data folder, stopped when the app quits
 * unless "keep it running" is ticked. Then says what was started, where its data lives and how to stop it,
 * and points the form at it. When nothing can be started here it says why.
 */
import { useEffect, useState } from 'react';
import type { CommandReply } from '../../../shared/contract/commands';
import type { LocalService, LocalServicesView } from '../../../shared/contract/services';
import { api } from '../bridge-instance';
import { errorMessage } from '../lib/errors';
import { ErrorNote, Spinner } from './common';

type Started = CommandReply<'startLocalService'>;

function isLocalUrl(url: string): boolean {
  try {
    const h = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return h === 'localhost' || h === '::1' || /^127\./.test(h);
  } catch {
    return false;
  }
}

export function LocalServicesOffer(props: {
  /** The Qdrant URL that did not answer (null: Qdrant answered). */
  qdrantDown: string | null;
  /** Called with the started Qdrant's URL, so the form uses it and tests again. */
  onQdrantStarted: (url: string) => void;
}) {
  const [view, setView] = useState<LocalServicesView | null>(null);
  const [keep, setKeep] = useState(false);
  const [busy, setBusy] = useState<'start' | 'stop' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<Started | null>(null);
  const { qdrantDown, onQdrantStarted } = props;
  const offer = qdrantDown !== null && isLocalUrl(qdrantDown);

  useEffect(() => {
    if (!offer && !started) return;
    let live = true;
    api()
      .getLocalServices({})
      .then((v) => live && setView(v))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [offer, started]);

  const start = async () => {
    setBusy('start');
    setError(null);
    try {
      // the port of the URL that did not answer, when free (else the engine picks one and says so)
      const port = Number(new URL(qdrantDown!).port) || undefined;
      const r = await api().startLocalService({ service: 'qdrant', keep, port });
      setStarted(r);
      onQdrantStarted(r.service.url);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const stop = async (s: LocalService) => {
    setBusy('stop');
    setError(null);
    try {
      const r = await api().stopLocalService({ service: s.service });
      setStarted(null);
      setError(r.stopped ? null : r.message);
      setView(await api().getLocalServices({}));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const running = view?.running.find((s) => s.service === 'qdrant') ?? null;
  if (!offer && !running) return null;
  return (
    <div className="local-services" data-testid="local-services">
      {running ? (
        <div data-testid="local-qdrant">
          <p>
            <strong>Local Qdrant</strong> {started && !started.reused ? 'started' : 'running'} at <code>{running.url}</code>
            {running.version ? ` (version ${running.version})` : ''}
            {running.via === 'binary' ? <> from <code>{running.binary}</code></> : ' with docker compose'}.
          </p>
          {running.portNote ? <p className="field-hint">{running.portNote}.</p> : null}
          <p className="field-hint">
            Data: <code>{running.dataPath}</code>. {running.keep ? 'Kept running after the app quits' : 'Stops when the app quits'}; stop it with{' '}
            <code>{running.stopHint}</code> or:
          </p>
          <button type="button" onClick={() => void stop(running)} disabled={busy !== null} data-testid="stop-local-qdrant">
            Stop Qdrant
          </button>
        </div>
      ) : view ? (
        view.startQdrantVia ? (
          <div className="row-buttons">
            <button type="button" className="primary" onClick={() => void start()} disabled={busy !== null} data-testid="start-local-qdrant">
              Start Qdrant for me
            </button>
            <span className="field-hint">
              {view.startQdrantVia === 'binary' ? <>from <code>{view.qdrantBinary?.path}</code></> : 'with docker compose'}, on this computer only, data in{' '}
              <code>{view.startQdrantVia === 'binary' ? `${view.dataDir}/qdrant` : 'a Docker volume'}</code>
            </span>
            <label className="checkbox-inline">
              <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} data-testid="keep-local-qdrant" /> keep it running after the app quits
            </label>
          </div>
        ) : (
          <p className="field-hint" data-testid="cannot-start-qdrant">
            Qdrant cannot be started from here: {view.cannotStartQdrant}.
          </p>
        )
      ) : (
        <Spinner label="Looking for Docker or a Qdrant binary…" />
      )}
      {busy === 'start' ? <Spinner label="Starting Qdrant…" /> : null}
      {error ? <ErrorNote testId="local-services-error">{error}</ErrorNote> : null}
    </div>
  );
}
