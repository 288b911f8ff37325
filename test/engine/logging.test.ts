/** migration.log: structured lines, size-rotated with a bounded number of old files, secrets redacted by path and by value. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngineLog } from '../../electron/engine/logging/index';

describe('engine log', () => {
  it('rotates by size, keeps N old files and never writes a secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xnai-log-'));
    const log = openEngineLog(dir, { maxBytes: 4096, keep: 2 });
    log.addSecrets('hunter2-secret', 'api-key-123');
    for (let i = 0; i < 200; i++) log.logger.info({ i, config: { redisPassword: 'hunter2-secret', qdrantApiKey: 'api-key-123' } }, `line ${i} mentions api-key-123 in its text`);
    log.close();
    expect(existsSync(join(dir, 'migration.log'))).toBe(true);
    expect(existsSync(join(dir, 'migration.log.1'))).toBe(true);
    expect(existsSync(join(dir, 'migration.log.2'))).toBe(true);
    expect(existsSync(join(dir, 'migration.log.3'))).toBe(false);
    expect(statSync(join(dir, 'migration.log.1')).size).toBeLessThan(4096 + 600);
    const text = ['migration.log', 'migration.log.1', 'migration.log.2'].map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(text).not.toMatch(/hunter2-secret|api-key-123/);
    const last = JSON.parse(readFileSync(join(dir, 'migration.log'), 'utf8').trim().split('\n').pop()!) as { i: number; msg: string; config: Record<string, string> };
    expect(last.i).toBe(199);
    expect(last.msg).toBe('line 199 mentions [redacted] in its text');
    expect(last.config).toEqual({ redisPassword: '[redacted]', qdrantApiKey: '[redacted]' });
  });
});
