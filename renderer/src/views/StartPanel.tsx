/** The end of "Set up": what the run will do, what still blocks it, and the Start button. */
import { useSetup } from '../store/setup-store';
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
  const errors = useSetup((s) => s.errors);
  const config = useSetup((s) => s.config);
  const summary = useSetup((s) => (s.inspect.state === 'ok' ? s.inspect.value : null));
  const status = useRun((s) => s.status);
  const { busy, error } = useRunActions();
  const invalid = Object.entries(errors) as [FieldName, string][];
  const active = isActive(status);
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
      ) : (
        <div>
          <p>Fix these settings to start:</p>
          <ul className="invalid-list">
            {invalid.map(([f, why]) => (
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
                {why}
              </li>
            ))}
          </ul>
        </div>
      )}
      {error ? <ErrorNote testId="start-error">{error}</ErrorNote> : null}
      <div className="row-buttons">
        <button type="button" className="primary big" data-testid="start" disabled={active || busy !== null} onClick={() => void startRun()}>
          {busy === 'start' ? 'Starting…' : 'Start migration'}
        </button>
      </div>
    </Card>
  );
}
