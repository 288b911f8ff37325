/**
 * The host's starting configuration for the UI form (getDefaults), and the host's secrets for requests that
 * leave them empty. Secrets never leave the host: getDefaults only says whether each one is set.
 */
import { ENV_NAMES, MigrationConfigSchema, SECRET_FIELDS, type MigrationConfig } from '../../../shared/contract';

type Env = Record<string, string | undefined>;
type SecretField = (typeof SECRET_FIELDS)[number];
const SECRET_ENV: Record<SecretField, string> = { qdrantApiKey: 'QDRANT_API_KEY', redisPassword: 'REDIS_PASSWORD' };

function candidates(raw: string): unknown[] {
  const t = raw.trim();
  const out: unknown[] = [t];
  if (t !== '' && !Number.isNaN(Number(t))) out.push(Number(t));
  if (/^(true|1|yes)$/i.test(t)) out.push(true);
  if (/^(false|0|no)$/i.test(t)) out.push(false);
  return out;
}

/**
 * Every seed variable that is set and valid, typed as the config wants it. A value that does not validate
 * is left out here (the form shows the default); starting a run with it set still fails with its reason.
 */
export function defaultsFromEnv(env: Env): { config: Partial<MigrationConfig>; secretsSet: { qdrantApiKey: boolean; redisPassword: boolean } } {
  const config: Record<string, unknown> = {};
  const shape = MigrationConfigSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
  for (const [name, field] of Object.entries(ENV_NAMES)) {
    if ((SECRET_FIELDS as readonly string[]).includes(field)) continue;
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const schema = shape[field];
    if (!schema) continue;
    for (const c of candidates(raw)) {
      const r = schema.safeParse(c);
      if (r.success) {
        config[field] = r.data;
        break;
      }
    }
  }
  // as loadConfig: Redis given by hand in the host's environment means Redis
  if (config.stateStore === undefined && (env.REDIS_HOST?.trim() || env.REDIS_PORT?.trim())) config.stateStore = 'redis';
  return {
    config: config as Partial<MigrationConfig>,
    secretsSet: { qdrantApiKey: Boolean(env.QDRANT_API_KEY), redisPassword: Boolean(env.REDIS_PASSWORD) },
  };
}

/** A copy of a request whose empty secrets are filled with the host's (an empty secret means "use the host's"). */
export function withHostSecrets<T>(request: T, secrets: Partial<Record<SecretField, string | undefined>>): T {
  if (request === null || typeof request !== 'object') return request;
  const out: Record<string, unknown> = { ...(request as Record<string, unknown>) };
  for (const field of SECRET_FIELDS) {
    const hostValue = secrets[field];
    if (!hostValue) continue;
    if ((field in out || 'qdrantUrl' in out) && (out[field] === undefined || out[field] === '')) out[field] = hostValue;
  }
  if (out.config !== null && typeof out.config === 'object') out.config = withHostSecrets(out.config, secrets);
  return out as T;
}

export function secretsFromEnv(env: Env): Record<SecretField, string | undefined> {
  return { qdrantApiKey: env[SECRET_ENV.qdrantApiKey] || undefined, redisPassword: env[SECRET_ENV.redisPassword] || undefined };
}
