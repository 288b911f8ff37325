/**
 * The run settings form: what the user typed (strings), turned into a `MigrationConfig` candidate and
 * validated with the contract's own zod schema, so the UI refuses exactly what the engine and the CLI
 * refuse. Each field gets one short reason in plain words, shown next to it.
 */
import type { z } from 'zod';
import { MigrationConfigSchema, DISTANCE_SETTINGS, PAYLOAD_LAYOUTS, type MigrationConfig, type DistanceSetting, type PayloadLayout } from '../../../shared/contract/config';
import { TargetSchema } from '../../../shared/contract/commands';

export interface FormValues {
  faissIndexPath: string;
  qdrantUrl: string;
  qdrantApiKey: string;
  redisHost: string;
  redisPort: string;
  redisPassword: string;
  redisDb: string;
  collection: string;
  batchSize: string;
  concurrency: string;
  requestPoints: string;
  maxMemoryPercent: string;
  vectorSize: string;
  distance: DistanceSetting;
  payloadLayout: PayloadLayout;
  resumeMode: boolean;
  stateKey: string;
}

export type FieldName = keyof FormValues;
export type FieldErrors = Partial<Record<FieldName, string>>;

const NUMERIC_FIELDS = ['redisPort', 'redisDb', 'batchSize', 'concurrency', 'requestPoints', 'maxMemoryPercent', 'vectorSize'] as const satisfies readonly FieldName[];
const INTEGER_FIELDS = new Set<FieldName>(['redisPort', 'redisDb', 'batchSize', 'concurrency', 'requestPoints', 'vectorSize']);

/** The schema's defaults, as the form shows them before the host's environment is known. */
export function emptyForm(): FormValues {
  const d = MigrationConfigSchema.parse({ faissIndexPath: 'x' });
  return {
    faissIndexPath: '',
    qdrantUrl: d.qdrantUrl,
    qdrantApiKey: '',
    redisHost: d.redisHost,
    redisPort: String(d.redisPort),
    redisPassword: '',
    redisDb: String(d.redisDb),
    collection: d.collection,
    batchSize: String(d.batchSize),
    concurrency: String(d.concurrency),
    requestPoints: String(d.requestPoints),
    maxMemoryPercent: String(d.maxMemoryPercent),
    vectorSize: '',
    distance: d.distance,
    payloadLayout: d.payloadLayout,
    resumeMode: d.resumeMode,
    stateKey: d.stateKey,
  };
}

/** Fill the form from the host's defaults (`getDefaults`); secrets never arrive, so they stay empty. */
export function formFromDefaults(base: FormValues, config: Partial<MigrationConfig>): FormValues {
  const out: FormValues = { ...base };
  const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  for (const k of ['faissIndexPath', 'qdrantUrl', 'redisHost', 'collection', 'stateKey'] as const) {
    const v = str(config[k]);
    if (v !== undefined) out[k] = v;
  }
  for (const k of NUMERIC_FIELDS) {
    const v = str(config[k]);
    if (v !== undefined) out[k] = v;
  }
  if (config.distance && (DISTANCE_SETTINGS as readonly string[]).includes(config.distance)) out.distance = config.distance;
  if (config.payloadLayout && (PAYLOAD_LAYOUTS as readonly string[]).includes(config.payloadLayout)) out.payloadLayout = config.payloadLayout;
  if (typeof config.resumeMode === 'boolean') out.resumeMode = config.resumeMode;
  return out;
}

type Candidate = Record<string, unknown>;

function toCandidate(values: FormValues): { candidate: Candidate; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const candidate: Candidate = {
    faissIndexPath: values.faissIndexPath.trim(),
    qdrantUrl: values.qdrantUrl.trim(),
    redisHost: values.redisHost.trim(),
    collection: values.collection.trim(),
    stateKey: values.stateKey.trim(),
    distance: values.distance,
    payloadLayout: values.payloadLayout,
    resumeMode: values.resumeMode,
  };
  // Empty secret = "use the host's" (getDefaults says whether it has one); never send an empty string.
  if (values.qdrantApiKey !== '') candidate.qdrantApiKey = values.qdrantApiKey;
  if (values.redisPassword !== '') candidate.redisPassword = values.redisPassword;
  for (const k of NUMERIC_FIELDS) {
    const raw = values[k].trim();
    if (raw === '') {
      if (k !== 'vectorSize') errors[k] = 'is required';
      continue;
    }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) {
      errors[k] = INTEGER_FIELDS.has(k) ? 'must be a whole number' : 'must be a number';
      continue;
    }
    candidate[k] = Number(raw);
  }
  return { candidate, errors };
}

/**
 * Plain-words reasons for zod's built-in checks. Messages written in the schema itself (URL, collection
 * name pattern, empty path) take precedence over this per-parse map, so those reach the user verbatim.
 */
const humanIssue: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'too_small':
      if (iss.origin === 'string') return Number(iss.minimum) <= 1 ? 'must not be empty' : `must have at least ${iss.minimum} characters`;
      return iss.inclusive ? `must be at least ${iss.minimum}` : `must be greater than ${iss.minimum}`;
    case 'too_big':
      if (iss.origin === 'string') return `must have at most ${iss.maximum} characters`;
      return iss.inclusive ? `must be at most ${iss.maximum}` : `must be less than ${iss.maximum}`;
    case 'invalid_type':
      return iss.expected === 'int' ? 'must be a whole number' : `must be a ${iss.expected}`;
    case 'invalid_value':
      return `must be one of ${iss.values.map(String).join(', ')}`;
    default:
      return undefined;
  }
};

export interface FormResult {
  errors: FieldErrors;
  /** The validated config (defaults applied) when every field is valid. */
  config: MigrationConfig | null;
}

export function validateForm(values: FormValues): FormResult {
  const { candidate, errors } = toCandidate(values);
  const parsed = MigrationConfigSchema.safeParse(candidate, { error: humanIssue });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && field in values && errors[field as FieldName] === undefined) {
        errors[field as FieldName] = issue.message;
      }
    }
  }
  const ok = parsed.success && Object.keys(errors).length === 0;
  return { errors, config: ok ? parsed.data : null };
}

export type Target = z.output<typeof TargetSchema>;

/** Connection + collection + state key: enough for the panels and the points browser, no source needed. */
export function targetFromForm(values: FormValues): Target | null {
  const { candidate, errors } = toCandidate(values);
  // A field that did not parse is left out of the candidate, and the schema's default would stand in for
  // it: the panels would then read another Redis than the one typed. No target until it parses.
  if (errors.redisPort || errors.redisDb) return null;
  const parsed = TargetSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

/** The fields that differ in meaning from the seed's environment variables, for the labels. */
export const FIELD_ENV: Partial<Record<FieldName, string>> = {
  faissIndexPath: 'FAISS_INDEX_PATH',
  qdrantUrl: 'QDRANT_URL',
  qdrantApiKey: 'QDRANT_API_KEY',
  redisHost: 'REDIS_HOST',
  redisPort: 'REDIS_PORT',
  redisPassword: 'REDIS_PASSWORD',
  redisDb: 'REDIS_DB',
  collection: 'QDRANT_COLLECTION',
  batchSize: 'BATCH_SIZE',
  concurrency: 'CONCURRENCY_FACTOR',
  requestPoints: 'REQUEST_POINTS',
  maxMemoryPercent: 'MAX_MEMORY_PERCENT',
  vectorSize: 'VECTOR_SIZE',
  distance: 'DISTANCE',
  payloadLayout: 'PAYLOAD_LAYOUT',
  resumeMode: 'RESUME_MODE',
  stateKey: 'MIGRATION_STATE_KEY',
};

/**
 * The settings of a recorded run (its redacted config) on today's connections (the form's, secrets
 * included): what verifying that run again uses. Null when they do not validate.
 */
export function settingsOfRun(current: FormValues, recorded: Record<string, unknown> | null | undefined): MigrationConfig | null {
  if (!recorded) return validateForm(current).config;
  const connection: (keyof FormValues)[] = ['qdrantUrl', 'qdrantApiKey', 'redisHost', 'redisPort', 'redisPassword', 'redisDb', 'stateKey'];
  const values = formFromDefaults(current, recorded as Partial<MigrationConfig>);
  for (const k of connection) (values as unknown as Record<string, unknown>)[k] = current[k];
  return validateForm(values).config;
}
