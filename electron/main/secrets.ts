/**
 * The Qdrant API key and Redis password, kept encrypted with Electron's safeStorage (the OS keychain /
 * DPAPI / libsecret) in the user-data folder, so the user does not retype them. Never logged; refused
 * (not written in clear) when the OS offers no encryption.
 */
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../shared/errors';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux: 'basic_text' means no keyring, only a hard-coded key: not a safe place for secrets. */
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface Secrets {
  qdrantApiKey?: string;
  redisPassword?: string;
}

export interface SecretStore {
  load(): Secrets;
  save(secrets: Secrets): void;
}

export function createSecretStore(safeStorage: SafeStorageLike, userDataDir: string): SecretStore {
  const file = join(userDataDir, 'secrets.bin');
  const secure = () => safeStorage.isEncryptionAvailable() && safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
  return {
    load() {
      if (!existsSync(file) || !secure()) return {};
      try {
        const parsed = JSON.parse(safeStorage.decryptString(readFileSync(file))) as Secrets;
        const out: Secrets = {};
        if (typeof parsed.qdrantApiKey === 'string' && parsed.qdrantApiKey) out.qdrantApiKey = parsed.qdrantApiKey;
        if (typeof parsed.redisPassword === 'string' && parsed.redisPassword) out.redisPassword = parsed.redisPassword;
        return out;
      } catch {
        return {}; // unreadable (other OS user, keychain reset): as if none were saved
      }
    },
    save(secrets) {
      const clean: Secrets = {};
      if (secrets.qdrantApiKey) clean.qdrantApiKey = secrets.qdrantApiKey;
      if (secrets.redisPassword) clean.redisPassword = secrets.redisPassword;
      if (!clean.qdrantApiKey && !clean.redisPassword) {
        rmSync(file, { force: true });
        return;
      }
      if (!secure()) {
        throw new UserError('usage', 'this system offers no secure storage (no keychain or secret service), so secrets are not saved; set QDRANT_API_KEY / REDIS_PASSWORD in the environment instead');
      }
      writeFileSync(file, safeStorage.encryptString(JSON.stringify(clean)), { mode: 0o600 });
    },
  };
}
