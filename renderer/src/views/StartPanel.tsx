/** The end of "Set up": what the run will do, what still blocks it, and the Start button. */
import { useShallow } from 'zustand/react/shallow';
import { sourceReadiness, useSetup, visibleError } from '../store/setup-store';
import { blocksStart, useTargetCheck } from '../store/target-check';
import type { TargetConflict } from '../../../shared/contract/qdrant';
import { isActive, useRun } from '../store/run-store';
import { startRun, useRunActions } from '../store/run-actions';
import { setTab } from '../store/ui-store';
import { WorkersControl } from './WorkersControl';
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
  requestPoints: 'Points per request',
  concurrency: 'Concurrency',
  maxMemoryPercent: 'Memory limit',
  vectorSize: 'Vector size',
  distance: 'Distance',
  payloadLayout: 'Payload layout',
  resumeMode: 'Resume',
  stateKey: 'Redis state key',
};

/** The setting that resolves a conflict, to focus from the message. */
const CONFLICT_FIELD: Record<TargetConflict['field'], string> = { size: 'collection', distance: 'distance', vectors: 'collection' };

function focusField(name: string): void {
  document.querySelector<HTMLElement>(`[name="${name}"]`)?.focus();
}

/** What the engine says about the target before Start: conflicts with the collection, and what Start will do. */
function TargetCheckNote() {
  const check = useTargetCheck((s) => s.check);
  if (check.state === 'idle') return null;
  if (check.state === 'loading') return <p className="muted small" data-testid="target-check">Checking the collection and the saved state…</p>;
  if (check.state === 'error') {
    return (
      <p className="warn-text" data-testid="target-check">
        Could not check the target before Start: {check.message}
      </p>
    );
  }
  const { conflicts, plan, collection } = check.value;
  return (
    <div data-testid="target-check">
      {conflicts.length ? (
        <ul className="invalid-list" data-testid="target-conflicts" aria-label="Conflicts with the existing collection">
          {conflicts.map((c) => (
            <li key={c.field}>
              {c.message}{' '}
              <button type="button" className="link" onClick={() => focusField(CONFLICT_FIELD[c.field])}>
                {c.field === 'distance' ? 'Change the distance' : 'Change the collection'}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <p className={plan.kind === 'refused' ? 'bad-text' : 'muted'} data-testid="start-plan" data-plan={plan.kind}>
        {plan.kind === 'refused' ? 'Start would be refused: ' : 'What Start does: '}
        {plan.message}
        {plan.kind !== 'refused' && collection.exists ? ` (the collection exists with ${(collection.pointsCount ?? 0).toLocaleString('en-US')} points)` : ''}.
      </p>
    </div>
  );
}

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
  const blockedByTarget = useTargetCheck((s) => blocksStart(s.check, config));
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
          <code>{config.qdrantUrl}</code>, {config.batchSize} points per batch, up to {config.requestPoints} per request, {config.concurrency} in flight,
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
      {!active && config ? <TargetCheckNote /> : null}
      {error ? <ErrorNote testId="start-error">{error}</ErrorNote> : null}
      <div className="row-buttons">
        <button type="button" className="primary big" data-testid="start" disabled={active || busy !== null || blockedBySource || blockedByTarget} onClick={() => void startRun()}>
          {busy === 'start' ? 'Starting…' : readiness === 'loading' ? 'Reading the source…' : 'Start migration'}
        </button>
      </div>
      <WorkersControl disabled={active || busy !== null || !config || blockedBySource} />
    </Card>
  );
}
