/**
 * The renderer's pure logic, without a browser: rate/ETA smoothing, chart history, the settings form's
 * validation (through the contract's schema), filter chips and the vector comparison. The browser
 * scenarios in dashboard.test.ts show the same behaviour on screen; these pin the edge cases.
 */
import { describe, expect, it } from 'vitest';
import { RateEstimator } from '../../renderer/src/lib/rate';
import { RingBuffer } from '../../renderer/src/lib/ring-buffer';
import { emptyForm, validateForm, targetFromForm, formFromDefaults } from '../../renderer/src/lib/config-form';
import { parseChip, chipLabel } from '../../renderer/src/lib/filter-chips';
import { compareVectors } from '../../renderer/src/lib/vector-compare';
import { fmtDuration, fmtPercent } from '../../renderer/src/lib/format';
import { memoryScale } from '../../renderer/src/lib/chart-scale';
import { availableColumns, cellText, cellValue, defaultColumns, TEXT_COLUMN } from '../../renderer/src/lib/point-columns';
import { scoreDirection, scoreDirectionText } from '../../renderer/src/lib/score';
import type { PointView } from '../../shared/contract/qdrant';

describe('RateEstimator', () => {
  it('shows no ETA until three intervals, then converges on a steady rate', () => {
    const r = new RateEstimator();
    expect(r.observe(0, 10_000, 0).etaSeconds).toBeNull();
    expect(r.observe(1000, 10_000, 1000).etaSeconds).toBeNull();
    expect(r.observe(2000, 10_000, 2000).etaSeconds).toBeNull();
    const v = r.observe(3000, 10_000, 3000);
    expect(v.pointsPerSec).toBeCloseTo(1000, 6);
    expect(v.etaSeconds).toBeCloseTo(7, 6);
  });

  it('smooths a noisy rate instead of jumping with each batch', () => {
    const r = new RateEstimator();
    r.observe(0, 1e6, 0);
    for (let t = 1; t <= 20; t++) r.observe(t * 1000, 1e6, t * 1000);
    const before = r.view().pointsPerSec!;
    const spike = r.observe(20_000 + 10_000, 1e6, 21_000).pointsPerSec!; // one batch burst: 10,000 points/s instant
    expect(before).toBeCloseTo(1000, 3);
    expect(spike).toBeGreaterThan(1000);
    expect(spike).toBeLessThan(3000);
  });

  it('freezes while paused and does not count the pause as a slow interval', () => {
    const r = new RateEstimator();
    for (let t = 0; t <= 5; t++) r.observe(t * 500, 100_000, t * 1000);
    const running = r.view();
    const frozen = r.freeze();
    expect(frozen.frozen).toBe(true);
    expect(frozen.etaSeconds).toBe(running.etaSeconds);
    // Resume 60 s later at the same speed: the first reading only sets the baseline.
    r.observe(2500, 100_000, 65_000);
    const after = r.observe(3000, 100_000, 66_000);
    expect(after.frozen).toBe(false);
    expect(after.pointsPerSec).toBeCloseTo(500, 6);
  });

  it('starts over when the processed count goes back (a new run)', () => {
    const r = new RateEstimator();
    for (let t = 0; t <= 4; t++) r.observe(t * 1000, 10_000, t * 1000);
    expect(r.observe(100, 10_000, 5000).etaSeconds).toBeNull();
  });

  it('says 0 s left when everything is done', () => {
    const r = new RateEstimator();
    r.observe(0, 10, 0);
    expect(r.observe(10, 10, 100).etaSeconds).toBe(0);
  });
});

describe('RingBuffer', () => {
  it('keeps the newest items in order and never grows past its capacity', () => {
    const b = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) b.push(i);
    expect(b.toArray()).toEqual([3, 4, 5]);
    expect(b.size).toBe(3);
    b.replaceLast(50);
    expect(b.toArray()).toEqual([3, 4, 50]);
    expect(b.last()).toBe(50);
    b.clear();
    expect(b.toArray()).toEqual([]);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

describe('settings form', () => {
  const valid = { ...emptyForm(), faissIndexPath: '/data/index.faiss' };

  it('accepts the defaults with a path, and leaves empty secrets to the host', () => {
    const r = validateForm({ ...valid, qdrantApiKey: '', redisPassword: '' });
    expect(r.errors).toEqual({});
    expect(r.config).not.toBeNull();
    expect(r.config!.qdrantApiKey).toBeUndefined();
    expect(r.config!.batchSize).toBe(500);
    expect(r.config!.maxMemoryPercent).toBe(0.6);
  });

  it('gives one plain reason per bad field', () => {
    const r = validateForm({ ...valid, batchSize: '0', concurrency: 'two', redisPort: '70000', maxMemoryPercent: '0', collection: 'a b', redisHost: '', faissIndexPath: '' });
    expect(r.config).toBeNull();
    expect(r.errors).toMatchObject({
      batchSize: 'must be at least 1',
      concurrency: 'must be a whole number',
      redisPort: 'must be at most 65535',
      maxMemoryPercent: 'must be above 0: a percentage such as 60 or a fraction such as 0.6',
      redisHost: 'must not be empty',
      faissIndexPath: 'must name a FAISS index file or a LangChain/LlamaIndex folder',
    });
    expect(r.errors.collection).toContain('may only contain letters');
  });

  it('takes the memory limit as a percentage or a fraction, as MAX_MEMORY_PERCENT does', () => {
    expect(validateForm({ ...valid, maxMemoryPercent: '60' }).config?.maxMemoryPercent).toBe(0.6);
    expect(validateForm({ ...valid, maxMemoryPercent: '0.6' }).config?.maxMemoryPercent).toBe(0.6);
    expect(validateForm({ ...valid, maxMemoryPercent: '150' }).errors.maxMemoryPercent).toContain('at most 100');
  });

  it('refuses a Qdrant URL without http(s), which zod alone would take', () => {
    expect(validateForm({ ...valid, qdrantUrl: 'localhost:6333' }).errors.qdrantUrl).toContain('http://');
    expect(validateForm({ ...valid, qdrantUrl: 'https://q.example:6333' }).errors.qdrantUrl).toBeUndefined();
  });

  it('derives the panels\' target without needing a source path', () => {
    const t = targetFromForm({ ...emptyForm(), collection: 'c1', redisPort: '6380' });
    expect(t).toMatchObject({ collection: 'c1', redisPort: 6380, stateKey: 'xnai:migration:faiss_to_qdrant' });
    expect(targetFromForm({ ...emptyForm(), redisPort: 'x' })).toBeNull();
  });

  it('fills from the host defaults and ignores values it does not know', () => {
    const f = formFromDefaults(emptyForm(), { batchSize: 100, distance: 'Dot', qdrantUrl: 'http://q:6333', resumeMode: false });
    expect(f).toMatchObject({ batchSize: '100', distance: 'Dot', qdrantUrl: 'http://q:6333', resumeMode: false, qdrantApiKey: '' });
  });
});

describe('filter chips', () => {
  it('types values the way Qdrant matches them', () => {
    expect(parseChip('batch_num = 3')).toEqual({ ok: true, chip: { key: 'batch_num', value: 3 } });
    expect(parseChip('source: docs/a.md')).toEqual({ ok: true, chip: { key: 'source', value: 'docs/a.md' } });
    expect(parseChip('flag = true')).toEqual({ ok: true, chip: { key: 'flag', value: true } });
    expect(parseChip('code = "42"')).toEqual({ ok: true, chip: { key: 'code', value: '42' } });
    // Beyond 2^53 a JS number would round: the exact decimal text is kept.
    expect(parseChip('faiss_id = 9007199254740993')).toEqual({ ok: true, chip: { key: 'faiss_id', value: '9007199254740993' } });
    expect(parseChip('metadata.page = 2')).toEqual({ ok: true, chip: { key: 'metadata.page', value: 2 } });
  });

  it('explains a malformed filter', () => {
    const r = parseChip('just words');
    expect(r.ok).toBe(false);
    expect(parseChip('key =').ok).toBe(false);
    expect(chipLabel({ key: 'code', value: '42' })).toBe('code = "42"');
  });
});

describe('vector comparison', () => {
  it('tells bit-exact, normalised (Cosine) and different apart', () => {
    const src = [3, 4, 0, 12];
    expect(compareVectors([3, 4, 0, 12], src).kind).toBe('exact');
    const n = 13;
    expect(compareVectors(src.map((v) => Math.fround(v / n)), src).kind).toBe('normalised');
    const d = compareVectors([3, 4.5, 0, 12], src);
    expect(d).toMatchObject({ kind: 'different', differing: 1, firstIndex: 1 });
    expect(compareVectors([1, 2], [1, 2, 3])).toEqual({ kind: 'dimension', qdrant: 2, source: 3 });
  });
});

describe('formatting', () => {
  it('formats durations and percentages for the progress card', () => {
    expect(fmtDuration(65)).toBe('1:05');
    expect(fmtDuration(3725)).toBe('1:02:05');
    expect(fmtDuration(null)).toBe('—');
    expect(fmtPercent(199, 200)).toBe('99.5%');
    expect(fmtPercent(19999, 20000)).toBe('99.9%');
    expect(fmtPercent(200, 200)).toBe('100%');
  });
});

describe('RateEstimator warm-up', () => {
  it('reports the plain average since start at first, not an EMA dragged down by an idle first interval', () => {
    const r = new RateEstimator({ tauMs: 5000 });
    r.observe(0, 1000, 0);
    r.observe(0, 1000, 1000); // prepared, nothing acknowledged yet
    const v = r.observe(40, 1000, 2000);
    expect(v.pointsPerSec).toBeCloseTo(20, 6);
  });
});

describe('memory chart scale', () => {
  it('follows the engine RSS while it is far below the limit, and takes in the limit once within reach', () => {
    const far = memoryScale([{ rssMb: 90 }, { rssMb: 165 }, { rssMb: null }], 9_400);
    expect(far.showsLimit).toBe(false);
    expect(far.peakMb).toBe(165);
    // 165 MB fills most of the axis instead of 2 % of a 9.4 GB one.
    expect(far.top).toBeGreaterThanOrEqual(165);
    expect(far.top).toBeLessThanOrEqual(250);
    const near = memoryScale([{ rssMb: 5_000 }], 9_400);
    expect(near).toMatchObject({ showsLimit: true, peakMb: 5_000 });
    expect(near.top).toBeGreaterThanOrEqual(9_400);
    expect(memoryScale([{ rssMb: 12_000 }], 9_400).top).toBeGreaterThanOrEqual(12_000);
    expect(memoryScale([], null)).toMatchObject({ showsLimit: false, peakMb: null });
  });
});

describe('points table columns', () => {
  const lc = (id: string, metadata: Record<string, unknown>): PointView => ({
    id,
    vector: null,
    payload: { page_content: `text ${id}`, metadata, source: 'faiss', faiss_id: Number(id), migrated_at: '2026-01-01T00:00:00Z', batch_num: 0 },
    document: { layout: 'langchain', text: `text ${id}`, metadataPaths: Object.keys(metadata).map((k) => `metadata.${k}`) },
  });

  it("shows a document's text and metadata by default, never the migration's own fields", () => {
    const points = [lc('1', { source: 'a.md', page: 1 }), lc('2', { category: 'gamma', page: 2, lang: 'de' })];
    // Most common metadata first: page is in both documents.
    expect(defaultColumns(points)).toEqual([TEXT_COLUMN, 'metadata.page', 'metadata.source', 'metadata.category']);
    const all = availableColumns(points);
    expect(all.slice(0, 5)).toEqual([TEXT_COLUMN, 'metadata.source', 'metadata.page', 'metadata.category', 'metadata.lang']);
    expect(all).toEqual(expect.arrayContaining(['faiss_id', 'batch_num', 'migrated_at', 'source', 'page_content']));
    expect(cellValue(points[1]!, 'metadata.category')).toBe('gamma');
    expect(cellValue(points[0]!, 'metadata.category')).toBeUndefined();
    expect(cellValue(points[0]!, TEXT_COLUMN)).toBe('text 1');
  });

  it('falls back to the payload fields of a bare index, and reads only own keys', () => {
    const bare: PointView = { id: '7', vector: null, payload: { source: 'faiss', faiss_id: 7, migrated_at: 'x', batch_num: 1 } };
    expect(defaultColumns([bare])).toEqual(['source', 'faiss_id', 'migrated_at', 'batch_num']);
    expect(cellValue(bare, 'constructor')).toBeUndefined();
    expect(cellText({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(cellText('x'.repeat(200), 10)).toBe(`${'x'.repeat(10)}…`);
  });

  it("labels scores with the direction of the collection's distance", () => {
    expect(scoreDirection('Euclid')).toBe('lower');
    expect(scoreDirection('Manhattan')).toBe('lower');
    expect(scoreDirection('Cosine')).toBe('higher');
    expect(scoreDirection('Dot')).toBe('higher');
    expect(scoreDirection(null)).toBeNull();
    expect(scoreDirectionText('lower')).toBe('lower is better');
  });
});
