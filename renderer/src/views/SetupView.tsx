/** "Set up": choose the source, point at Qdrant and Redis, and set the run's options. */
import type { ReactNode } from 'react';
import { useSetup, setField, touch, inspectSource, inspectIfChanged, testConnections, saveSecrets, visibleError } from '../store/setup-store';
import { Card, EmptyState, ErrorNote, Field, Spinner, Stat } from '../components/common';
import { FIELD_ENV, type FieldName, type FormValues } from '../lib/config-form';
import { DISTANCE_SETTINGS, MigrationConfigSchema, PAYLOAD_LAYOUTS } from '../../../shared/contract/config';
import type { SourceSummary } from '../../../shared/contract/source';
import { bridge } from '../bridge-instance';
import { fmtBytes, fmtInt, fmtMb } from '../lib/format';
import { useRun } from '../store/run-store';
import { StartPanel } from './StartPanel';
import { StoreInUse } from '../components/StoreInUse';
import { LocalServicesOffer } from '../components/LocalServicesOffer';

function useFieldError(field: FieldName): string | undefined {
  return useSetup((s) => visibleError(s, field));
}

function TextField(props: { field: FieldName & keyof FormValues; label: string; hint?: ReactNode; type?: string; placeholder?: string; wide?: boolean; inputMode?: 'numeric' | 'decimal' }) {
  const value = useSetup((s) => s.values[props.field]);
  const error = useFieldError(props.field);
  return (
    <Field label={props.label} env={FIELD_ENV[props.field]} hint={props.hint} error={error} wide={props.wide}>
      {(a11y) => (
        <input
          {...a11y}
          name={props.field}
          type={props.type ?? 'text'}
          inputMode={props.inputMode}
          autoComplete="off"
          spellCheck={false}
          placeholder={props.placeholder}
          value={String(value)}
          onChange={(e) => setField(props.field, e.target.value as never)}
          onBlur={() => touch(props.field)}
        />
      )}
    </Field>
  );
}

function SourceSummaryView({ summary }: { summary: SourceSummary }) {
  const idx = summary.index;
  const docs = summary.documents;
  const warnings = [...summary.warnings, ...idx.warnings];
  return (
    <div className="summary" data-testid="source-summary">
      <dl className="stats">
        <Stat label="Type" value={idx.indexType} hint={`${summary.kind}; chain ${idx.chain.join(' → ')}`} testId="source-type" />
        <Stat label="Source kind" value={summary.kind} />
        <Stat label="Dimension" value={fmtInt(idx.dimension)} testId="source-dimension" />
        <Stat label="Vectors" value={fmtInt(idx.count)} testId="source-count" />
        <Stat label="Metric" value={idx.metric === 'ip' ? 'inner product' : 'L2'} />
        <Stat
          label="Vectors come out"
          value={idx.exact ? <span className="ok-text">bit-exact</span> : <span className="warn-text">approximate (quantized)</span>}
          hint={idx.exact ? 'Flat storage: Qdrant receives the very same floats.' : 'Quantized codes: vectors are decoded approximations of the originals.'}
          testId="source-exact"
        />
        <Stat label="File size" value={fmtBytes(idx.fileSize)} />
        <Stat label="Qdrant needs about" value={fmtBytes(idx.qdrantBytesEstimate)} />
        <Stat
          label="Documents"
          value={docs ? `${fmtInt(docs.count)} (${docs.defaultLayout} layout)` : 'none (bare index)'}
          testId="source-documents"
        />
      </dl>
      {docs && (docs.vectorsWithoutDocument > 0 || docs.documentsWithoutVector > 0) ? (
        <p className="warn-text">
          {fmtInt(docs.vectorsWithoutDocument)} vectors have no document and {fmtInt(docs.documentsWithoutVector)} documents have no vector
          {docs.examples.length ? ` (e.g. ${docs.examples.slice(0, 3).join(', ')})` : ''}.
        </p>
      ) : null}
      {warnings.length ? (
        <ul className="warnings" aria-label="Warnings about the source">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function SourceCard() {
  const inspect = useSetup((s) => s.inspect);
  const path = useSetup((s) => s.values.faissIndexPath);
  const error = useFieldError('faissIndexPath');
  const pick = bridge().host.pickSourcePath;
  const choose = async () => {
    if (!pick) return;
    const chosen = await pick();
    if (chosen) {
      setField('faissIndexPath', chosen);
      void inspectSource(chosen);
    }
  };
  return (
    <Card title="Source">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          touch('faissIndexPath');
          void inspectSource(path);
        }}
      >
        <Field
          label="FAISS index file or LangChain / LlamaIndex folder"
          env={FIELD_ENV.faissIndexPath}
          hint={pick ? 'Choose a file or folder, or type its path on this computer.' : 'Type the path as the host sees it (the browser cannot open files on the host).'}
          error={error}
          wide
        >
          {(a11y) => (
            <input
              {...a11y}
              name="faissIndexPath"
              data-testid="source-path"
              spellCheck={false}
              autoComplete="off"
              placeholder="/data/faiss_index or /data/index.faiss"
              value={path}
              onChange={(e) => setField('faissIndexPath', e.target.value)}
              onBlur={() => {
                touch('faissIndexPath');
                void inspectIfChanged();
              }}
            />
          )}
        </Field>
        <div className="row-buttons">
          {pick ? (
            <button type="button" onClick={() => void choose()}>
              Choose…
            </button>
          ) : null}
          <button type="submit" className="primary" disabled={!path.trim() || inspect.state === 'loading'}>
            Inspect
          </button>
        </div>
      </form>
      {inspect.state === 'loading' ? <Spinner label="Reading the index header…" /> : null}
      {inspect.state === 'error' ? (
        <ErrorNote testId="inspect-error">
          <strong>Cannot read {inspect.path}:</strong> {inspect.message}
          <br />
          Check the path, or pick the folder that holds <code>index.faiss</code>.
        </ErrorNote>
      ) : null}
      {inspect.state === 'ok' ? <SourceSummaryView summary={inspect.value} /> : null}
      {inspect.state === 'idle' ? (
        <EmptyState title="No source inspected yet">Enter the path of a FAISS index and press Inspect to see its type, size and documents before migrating.</EmptyState>
      ) : null}
    </Card>
  );
}

function ConnectionCard() {
  const test = useSetup((s) => s.connectionTest);
  const secretsSet = useSetup((s) => s.secretsSet);
  const canTest = useSetup((s) => !s.errors.qdrantUrl && !s.errors.redisHost && !s.errors.redisPort && !s.errors.redisDb);
  const qdrantUrl = useSetup((s) => s.values.qdrantUrl);
  return (
    <Card
      title="Connections"
      actions={
        <button type="button" onClick={() => void testConnections()} disabled={!canTest || test.state === 'loading'} data-testid="test-connection">
          Test connection
        </button>
      }
    >
      <div className="form-grid">
        <TextField field="qdrantUrl" label="Qdrant URL" placeholder="http://localhost:6333" wide />
        <TextField
          field="qdrantApiKey"
          label="Qdrant API key"
          type="password"
          placeholder={secretsSet.qdrantApiKey ? 'set on the host (leave empty to use it)' : 'none'}
          hint="Never shown, logged or stored in Redis."
        />
        <TextField field="redisHost" label="Redis host" />
        <TextField field="redisPort" label="Redis port" inputMode="numeric" />
        <TextField field="redisDb" label="Redis database" inputMode="numeric" />
        <TextField
          field="redisPassword"
          label="Redis password"
          type="password"
          placeholder={secretsSet.redisPassword ? 'set on the host (leave empty to use it)' : 'none'}
        />
      </div>
      {bridge().host.secrets ? <SecretsRow /> : null}
      <div aria-live="polite" data-testid="connection-result">
        {test.state === 'loading' ? <Spinner label="Connecting…" /> : null}
        {test.state === 'error' ? <ErrorNote>{test.message}</ErrorNote> : null}
        {test.state === 'ok' ? (
          <ul className="conn-results">
            {(['qdrant', 'redis'] as const).map((k) => {
              const r = test.value[k];
              // no Redis is needed when the embedded store keeps the state: its absence is not a failure
              const unused = k === 'redis' && !r.ok && test.value.store?.kind === 'embedded';
              return (
                <li key={k} className={r.ok ? 'ok' : unused ? 'unused' : 'bad'} data-testid={`connection-${k}`}>
                  <span className="dot" aria-hidden="true" />
                  <span>
                    {unused ? (
                      <>
                        <strong>Redis</strong> not used: the embedded store keeps the state (set a Redis host to use Redis). {r.message}
                      </>
                    ) : (
                      <>
                        <strong>{k === 'qdrant' ? 'Qdrant' : 'Redis'}</strong> {r.ok ? `reachable${r.version ? ` (version ${r.version})` : ''}` : 'unreachable'}: {r.message}
                      </>
                    )}
                  </span>
                </li>
              );
            })}
          </ul>
        ) : null}
        {test.state === 'ok' ? <StoreInUse store={test.value.store} /> : null}
      </div>
      <LocalServicesOffer
        qdrantDown={test.state === 'ok' && !test.value.qdrant.ok ? qdrantUrl : null}
        onQdrantStarted={(url) => {
          setField('qdrantUrl', url);
          void testConnections();
        }}
      />
    </Card>
  );
}

/** Desktop: keep the API key and password in the OS keychain (Electron safeStorage), never in files. */
function SecretsRow() {
  const stored = useSetup((s) => s.secretsStored);
  const hasAny = useSetup((s) => s.values.qdrantApiKey !== '' || s.values.redisPassword !== '');
  return (
    <div className="row-buttons secrets-row">
      <button type="button" disabled={!hasAny} onClick={() => void saveSecrets()}>
        Remember secrets on this computer
      </button>
      <span className="field-hint" aria-live="polite">
        {stored.state === 'ok' ? (stored.value === 'saved' ? 'Saved, encrypted by the OS keychain.' : 'Loaded from the OS keychain.') : 'Encrypted with the OS keychain; never written to logs, reports or Redis.'}
      </span>
      {stored.state === 'error' ? <span className="field-error">{stored.message}</span> : null}
    </div>
  );
}

function SelectField<K extends 'distance' | 'payloadLayout'>(props: { field: K; label: string; options: readonly FormValues[K][]; hint?: string }) {
  const value = useSetup((s) => s.values[props.field]);
  return (
    <Field label={props.label} env={FIELD_ENV[props.field]} hint={props.hint}>
      {(a11y) => (
        <select {...a11y} name={props.field} value={value} onChange={(e) => setField(props.field, e.target.value as FormValues[K])}>
          {props.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** What the typed limit means, as the engine will read it (60 and 0.6 both mean 60 %). */
function MemoryLimitHint() {
  // The field's own schema (shared with the engine) says what the typed value means, whatever else is invalid.
  const fraction = useSetup((s) => {
    const raw = s.values.maxMemoryPercent.trim();
    const r = raw === '' ? null : MigrationConfigSchema.shape.maxMemoryPercent.safeParse(Number(raw));
    return r?.success ? r.data : null;
  });
  const totalMb = useRun((s) => s.memory?.systemTotalMb ?? null);
  if (fraction === null) return <>60 or 0.6: the engine holds back new batches above 60% of RAM.</>;
  const pct = Math.round(fraction * 1000) / 10;
  return (
    <span data-testid="memory-limit-meaning">
      {pct}% of RAM{totalMb ? ` (${fmtMb(totalMb * fraction)} of ${fmtMb(totalMb)})` : ''}: the engine holds back new batches above it. 60 and 0.6 both mean 60%.
    </span>
  );
}

function SettingsCard() {
  const resume = useSetup((s) => s.values.resumeMode);
  const summary = useSetup((s) => (s.inspect.state === 'ok' ? s.inspect.value : null));
  const vectorSize = useSetup((s) => s.values.vectorSize);
  const distance = useSetup((s) => s.values.distance);
  const dimMismatch = summary && vectorSize.trim() !== '' && Number(vectorSize) !== summary.index.dimension;
  const metricHint = summary?.autoDistance ? `auto: ${summary.autoDistance.distance}, ${summary.autoDistance.reason}.` : 'auto: the distance that keeps FAISS\'s ranking (Cosine for normalised vectors).';
  return (
    <Card title="Run settings">
      <div className="form-grid">
        <TextField field="collection" label="Collection" />
        <TextField field="batchSize" label="Batch size" inputMode="numeric" hint="Points per checkpoint (1–10,000)." />
        <TextField field="requestPoints" label="Points per request" inputMode="numeric" hint="Whole batches go together in one upsert up to this many points (1–10,000)." />
        <TextField field="concurrency" label="Concurrency" inputMode="numeric" hint="Requests in flight at once (1–32)." />
        <TextField field="maxMemoryPercent" label="Memory limit (% of RAM)" inputMode="decimal" hint={<MemoryLimitHint />} />
        <SelectField field="distance" label="Distance" options={DISTANCE_SETTINGS} hint={metricHint} />
        <SelectField field="payloadLayout" label="Payload layout" options={PAYLOAD_LAYOUTS} hint="auto: the layout of the framework that wrote the folder." />
        <TextField field="vectorSize" label="Vector size (optional check)" inputMode="numeric" hint={summary ? `The index has ${summary.index.dimension} dimensions.` : 'Leave empty to take the index\'s dimension.'} />
        <TextField field="stateKey" label="Redis state key" />
        <div className="field checkbox">
          <label>
            <input type="checkbox" name="resumeMode" checked={resume} onChange={(e) => setField('resumeMode', e.target.checked)} />
            Resume from the last checkpoint <code className="env">RESUME_MODE</code>
          </label>
          <div className="field-desc">
            <span className="field-hint">{resume ? 'Batches Qdrant already acknowledged are skipped.' : 'Starts over from the first vector (upserts are idempotent).'}</span>
          </div>
        </div>
      </div>
      {dimMismatch ? (
        <ErrorNote>
          Vector size {vectorSize} does not match the index ({summary.index.dimension}). Clear the field or fix it.
        </ErrorNote>
      ) : null}
      {distance !== 'Cosine' && summary && !summary.index.exact ? <p className="field-hint">Quantized vectors are approximate whatever the distance.</p> : null}
    </Card>
  );
}

export function SetupView() {
  const defaults = useSetup((s) => s.defaults);
  return (
    <div className="page setup-page">
      {defaults.state === 'error' ? <ErrorNote>Could not read the host's defaults: {defaults.message}. The form starts from the built-in defaults.</ErrorNote> : null}
      <div className="setup-grid">
        <div className="col">
          <SourceCard />
          <ConnectionCard />
        </div>
        <div className="col">
          <SettingsCard />
          <StartPanel />
        </div>
      </div>
    </div>
  );
}
