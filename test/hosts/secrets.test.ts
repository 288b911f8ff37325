/** The desktop's secret store: encrypted on disk, and refused (never written in clear) without a keyring. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecretStore, type SafeStorageLike } from '../../electron/main/secrets';

const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x33));
const storage = (backend: string, available = true): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  getSelectedStorageBackend: () => backend,
  encryptString: (s) => xor(Buffer.from(s, 'utf8')),
  decryptString: (b) => xor(b).toString('utf8'),
});

describe('secret store', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'xnai-secrets-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('round-trips through the OS encryption and never holds the secret in clear', () => {
    const d = dir();
    const store = createSecretStore(storage('gnome_libsecret'), d);
    store.save({ qdrantApiKey: 'api-key-0001', redisPassword: '' });
    expect(readFileSync(join(d, 'secrets.bin')).toString('utf8')).not.toContain('api-key-0001');
    expect(store.load()).toEqual({ qdrantApiKey: 'api-key-0001' });
    store.save({});
    expect(existsSync(join(d, 'secrets.bin'))).toBe(false);
  });

  it.each([
    ['basic_text', true],
    ['gnome_libsecret', false],
  ])('refuses to save with backend %s / encryption available %s', (backend, available) => {
    const d = dir();
    const store = createSecretStore(storage(backend, available), d);
    expect(() => store.save({ redisPassword: 'pw-123456' })).toThrow(/no secure storage/);
    expect(existsSync(join(d, 'secrets.bin'))).toBe(false);
    expect(store.load()).toEqual({});
  });
});
