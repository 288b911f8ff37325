/** The end of "Set up": what the run will do, what still blocks it, and the Start button. */
import { useShallow } from 'zustand/react/shallow';
import { sourceReadiness, useSetup, visibleError } from '../store/setup-store';
import { isActive, useRun } from '../store/run-store';
import { startRun, useRunActions } from '../store/run-actions';
import { setTab } from '../store/ui-store';
import { Card, ErrorNote } from '../components/common';
import { fmtInt } from '../lib/format';
import type { FieldName } from '../lib/config-form';

const LABELS: Record<FieldName, string> = {
  faissIndexPath: 'Source path',
  qdrantUrl: 'Qdrant URL',
  qdrantApiKey: 'Qdrant API key',
  redisHost: 'Redis host',
  redisPort: 'Redis port',
  redisPassword: 'Redis password',
  redisDb: 'Redis database',
  collection: 'Collection',
  batchSize: 'Batch size',
  concurrency: 'Concurrency',
  maxMemoryPercent: 'Memory limit',
  vectorSize: 'Vector size',
  distance: 'Distance',
  payloadLayout: 'Payload layout',
  resumeMode: 'Resume',
  stateKey: 'Redis state key',
};

export function StartPanel() {
  // Only the errors the fields themselves show (typed in, left, or Start pressed): an untouched form is not red.
  const shown = useSetup(useShallow((s) => (Object.keys(s.errors) as FieldName[]).filter((f) => visibleError(s, f) !== undefined)));
  const errors = useSetup((s) => s.errors);
  const config = useSetup((s) => s.config);
  const summary = useSetup((s) => (s.inspect.state === 'ok' ? s.inspect.value : null));
  const readiness = useSetup(sourceReadiness);
  const status = useRun((s) => s.status);
  const { busy, error } = useRunActions();
  const active = isActive(status);
  const blockedBySource = readiness === 'error' || readiness === 'loading';
  return (
    <Card title="Start">
      {active ? (
        <p>
          A migration is {status}.{' '}
          <button type="button" className="link" onClick={() => setTab('run')}>
            Watch it on the Run page
          </button>
        </p>
      ) : config ? (
        <p data-testid="start-summary">
          Migrate {summary ? `${fmtInt(summary.index.count)} vectors (${summary.index.dimension} dimensions)` : 'the source'} into <strong>{config.collection}</strong> at{' '}
          <code>{config.qdrantUrl}</code>, {config.batchSize} points per batch, {config.concurrency} in flight,
          {config.resumeMode ? ' resuming from the last checkpoint if there is one.' : ' starting from the first vector.'}
        </p>
      ) : shown.length ? (
        <div data-testid="start-invalid">
          <p>Fix these settings to start:</p>
          <ul className="invalid-list">
            {shown.map((f) => (
              <li key={f}>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    const el = document.querySelector<HTMLElement>(`[name="${f}"]`);
                    el?.focus();
                  }}
                >
                  {LABELS[f]}
                </button>{' '}
                {errors[f]}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted" data-testid="start-todo">
          {errors.faissIndexPath ? 'Enter the path of the FAISS index or LangChain / LlamaIndex folder to migrate.' : 'Complete the settings to start.'}
        </p>
      )}
      {!active && readiness === 'error' ? (
        <p className="bad-text" data-testid="start-blocked">
          The source cannot be read (see Source): fix the path, then Inspect again.
        </p>
      ) : null}
      {error ? <ErrorNote testId="start-error">{error}</ErrorNote> : null}
      <div className="row-buttons">
        <button type="button" className="primary big" data-testid="start" disabled={active || busy !== null || blockedBySource} onClick={() => void startRun()}>
          {busy === 'start' ? 'Starting…' : readiness === 'loading' ? 'Reading the source…' : 'Start migration'}
        </button>
      </div>
    </Card>
  );
}
