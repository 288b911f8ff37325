/**
 * The "Set up" page: the form as typed, its validation (the contract's schema), the source's inspect
 * summary and the last connection test. Secrets typed here live only in this store's memory.
 */
import { create } from 'zustand';
import type { SourceSummary } from '../../../shared/contract/source';
import type { CommandReply } from '../../../shared/contract/commands';
import { emptyForm, formFromDefaults, validateForm, type FieldErrors, type FormValues } from '../lib/config-form';
import type { MigrationConfig } from '../../../shared/contract/config';
import { api, bridge } from '../bridge-instance';
import { errorMessage } from '../lib/errors';

export type Loadable<T> = { state: 'idle' } | { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; message: string };

interface SetupState {
  values: FormValues;
  errors: FieldErrors;
  config: MigrationConfig | null;
  /** Fields the user has left at least once: errors show after that, or after a Start attempt. */
  touched: Partial<Record<keyof FormValues, boolean>>;
  showAllErrors: boolean;
  secretsSet: { qdrantApiKey: boolean; redisPassword: boolean };
  defaults: Loadable<true>;
  inspect: Loadable<SourceSummary> & { path?: string };
  connectionTest: Loadable<CommandReply<'testConnections'>>;
  /** Desktop: the secrets were loaded from / saved to the OS keychain (safeStorage). */
  secretsStored: Loadable<'loaded' | 'saved'>;
}

const initial = emptyForm();
const initialCheck = validateForm(initial);

export const useSetup = create<SetupState>()(() => ({
  values: initial,
  errors: initialCheck.errors,
  config: initialCheck.config,
  touched: {},
  showAllErrors: false,
  secretsSet: { qdrantApiKey: false, redisPassword: false },
  defaults: { state: 'idle' },
  inspect: { state: 'idle' },
  connectionTest: { state: 'idle' },
  secretsStored: { state: 'idle' },
}));

function setValues(values: FormValues): void {
  const { errors, config } = validateForm(values);
  useSetup.setState({ values, errors, config });
}

export function setField<K extends keyof FormValues>(field: K, value: FormValues[K]): void {
  const values = { ...useSetup.getState().values, [field]: value };
  setValues(values);
  if (field === 'faissIndexPath') {
    // What was read (or refused) for another path says nothing about this one: the old error goes, and the
    // new path is read on blur, Enter, Inspect or Start.
    const inspect = useSetup.getState().inspect;
    if (inspect.state !== 'idle' && inspect.path !== String(value).trim()) useSetup.setState({ inspect: { state: 'idle' } });
  }
  if (field === 'qdrantUrl' || field === 'redisHost' || field === 'redisPort' || field === 'redisDb' || field === 'qdrantApiKey' || field === 'redisPassword') {
    // A test result for other settings would mislead.
    useSetup.setState({ connectionTest: { state: 'idle' } });
  }
}

export function touch(field: keyof FormValues): void {
  useSetup.setState((s) => ({ touched: { ...s.touched, [field]: true } }));
}

/**
 * The error a field shows: only once the user has typed in it or left it, once Start was pressed, or when
 * it arrived non-empty from the host (an invalid QDRANT_URL in the environment). An empty form that nobody
 * touched shows no red.
 */
export function visibleError(s: Pick<SetupState, 'touched' | 'showAllErrors' | 'values' | 'errors'>, field: keyof FormValues): string | undefined {
  return s.touched[field] || s.showAllErrors || s.values[field] !== '' ? s.errors[field] : undefined;
}

/** Whether the source at the current path was read successfully, is being read, failed, or is not read yet. */
export type SourceReadiness = 'ok' | 'loading' | 'error' | 'unread';

export function sourceReadiness(s: Pick<SetupState, 'inspect' | 'values'>): SourceReadiness {
  const path = s.values.faissIndexPath.trim();
  if (s.inspect.state === 'idle' || s.inspect.path !== path) return 'unread';
  return s.inspect.state;
}

export function revealAllErrors(): void {
  useSetup.setState({ showAllErrors: true });
}

export async function loadDefaults(): Promise<void> {
  useSetup.setState({ defaults: { state: 'loading' } });
  try {
    const d = await api().getDefaults({});
    const values = formFromDefaults(useSetup.getState().values, d.config);
    setValues(values);
    useSetup.setState({ secretsSet: d.secretsSet, defaults: { state: 'ok', value: true } });
    if (values.faissIndexPath) void inspectSource(values.faissIndexPath);
    await loadStoredSecrets();
  } catch (e) {
    useSetup.setState({ defaults: { state: 'error', message: errorMessage(e) } });
  }
}

/** Desktop only: fill the secret fields from the OS keychain, if the user saved them before. */
export async function loadStoredSecrets(): Promise<void> {
  const store = bridge().host.secrets;
  if (!store) return;
  try {
    const s = await store.load();
    const v = useSetup.getState().values;
    if (s.qdrantApiKey || s.redisPassword) {
      setValues({ ...v, qdrantApiKey: s.qdrantApiKey ?? v.qdrantApiKey, redisPassword: s.redisPassword ?? v.redisPassword });
      useSetup.setState({ secretsStored: { state: 'ok', value: 'loaded' } });
    }
  } catch (e) {
    useSetup.setState({ secretsStored: { state: 'error', message: errorMessage(e) } });
  }
}

export async function saveSecrets(): Promise<void> {
  const store = bridge().host.secrets;
  if (!store) return;
  const v = useSetup.getState().values;
  try {
    await store.save({ qdrantApiKey: v.qdrantApiKey || undefined, redisPassword: v.redisPassword || undefined });
    useSetup.setState({ secretsStored: { state: 'ok', value: 'saved' } });
  } catch (e) {
    useSetup.setState({ secretsStored: { state: 'error', message: errorMessage(e) } });
  }
}

/** Read the source at the current path unless that path was already read (or is being read). */
export async function inspectIfChanged(): Promise<void> {
  const s = useSetup.getState();
  if (sourceReadiness(s) === 'unread') await inspectSource(s.values.faissIndexPath);
}

let inspecting: { path: string; done: Promise<void> } | null = null;

/** Read and summarise the source; a second call for the path being read joins the first (blur, then Inspect). */
export function inspectSource(path: string): Promise<void> {
  const p = path.trim();
  if (!p) return Promise.resolve();
  const now = useSetup.getState().inspect;
  if (inspecting && inspecting.path === p && now.state === 'loading' && now.path === p) return inspecting.done;
  useSetup.setState({ inspect: { state: 'loading', path: p } });
  const done = (async () => {
    try {
      const summary = await api().inspectSource({ path: p });
      // A newer request may have started meanwhile; only the latest path's answer counts.
      if (useSetup.getState().inspect.path !== p) return;
      useSetup.setState({ inspect: { state: 'ok', value: summary, path: p } });
    } catch (e) {
      if (useSetup.getState().inspect.path !== p) return;
      useSetup.setState({ inspect: { state: 'error', message: errorMessage(e), path: p } });
    }
  })();
  inspecting = { path: p, done };
  return done;
}

export async function testConnections(): Promise<void> {
  const v = useSetup.getState().values;
  const port = Number(v.redisPort);
  const db = Number(v.redisDb);
  useSetup.setState({ connectionTest: { state: 'loading' } });
  try {
    const result = await api().testConnections({
      qdrantUrl: v.qdrantUrl.trim(),
      qdrantApiKey: v.qdrantApiKey || undefined,
      redisHost: v.redisHost.trim(),
      redisPort: port,
      redisPassword: v.redisPassword || undefined,
      redisDb: db,
    });
    useSetup.setState({ connectionTest: { state: 'ok', value: result } });
  } catch (e) {
    useSetup.setState({ connectionTest: { state: 'error', message: errorMessage(e) } });
  }
}
