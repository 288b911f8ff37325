/**
 * "Points": Qdrant Web UI's points browser for the migrated collection: scroll-cursor pages, page size,
 * `key = value` filter chips, lookup by id, find similar, a JSON tree with vectors collapsed, and the FAISS
 * source vector beside Qdrant's for the same id.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useBrowser, loadPage, ensureLoaded, closePoint, findSimilar, closeSimilar, rememberTreeNode, refresh, suggestKeys, replaceChip } from '../store/browser-store';
import type { PayloadFilterChip, PayloadKey } from '../../../shared/contract/qdrant';
import { chipLabel } from '../lib/filter-chips';
import { fmtInt } from '../lib/format';
import { targetKey } from '../store/target';
import { useBrowseTarget } from '../store/collections';
import { CollectionPicker } from '../components/CollectionPicker';
import type { Target } from '../lib/config-form';
import type { PointView } from '../../../shared/contract/qdrant';
import { compareVectors, describeVerdict } from '../lib/vector-compare';
import { Card, EmptyState, ErrorNote, Spinner } from '../components/common';
import { JsonTree } from '../components/JsonTree';
import { NeedTarget } from './RedisView';
import { FilterBar } from './points/FilterBar';
import { ColumnPicker, PointsTable } from './points/PointsTable';

/** "1,234 points match the filters": Qdrant's exact count with the same filter as the pages. */
function MatchCount() {
  const count = useBrowser((s) => s.count);
  const filtered = useBrowser((s) => s.chips.length > 0);
  if (count.state === 'idle') return null;
  return (
    <p className="match-count" aria-live="polite" data-testid="match-count">
      {count.state === 'loading' ? 'Counting…' : null}
      {count.state === 'ok' ? (
        <>
          <strong>{fmtInt(count.value.count)}</strong> {count.value.count === 1 ? 'point' : 'points'}
          {filtered ? (count.value.count === 1 ? ' matches the filters' : ' match the filters') : ' in the collection'}
          {count.value.exact ? '' : ' (approximate)'}
        </>
      ) : null}
      {count.state === 'error' ? <span className="field-error">Cannot count: {count.message}</span> : null}
    </p>
  );
}

/**
 * A chip whose key the collection does not have, but a longer key ends with ("category" where LangChain
 * keeps "metadata.category"): offer that key with the same value, from the engine's payload keys.
 */
function DidYouMean({ target }: { target: Target }) {
  const chips = useBrowser((s) => s.chips);
  const [offers, setOffers] = useState<{ chip: PayloadFilterChip; key: string }[]>([]);
  useEffect(() => {
    let stale = false;
    void Promise.all(
      chips.map(async (chip) => {
        const { keys } = await suggestKeys(target, chip.key).catch(() => ({ keys: [] as PayloadKey[] }));
        if (keys.some((k) => k.key === chip.key && k.seenIn > 0)) return null;
        const better = keys.find((k) => k.matchesQuery && k.key !== chip.key);
        return better ? { chip, key: better.key } : null;
      }),
    ).then((r) => {
      if (!stale) setOffers(r.filter((x): x is { chip: PayloadFilterChip; key: string } => x !== null));
    });
    return () => {
      stale = true;
    };
  }, [chips, JSON.stringify(target)]);
  if (offers.length === 0) return null;
  return (
    <ul className="did-you-mean" data-testid="did-you-mean">
      {offers.map(({ chip, key }) => (
        <li key={chip.key}>
          No point has <code>{chip.key}</code>; the documents keep it as <code>{key}</code>.{' '}
          <button type="button" onClick={() => void replaceChip(target, chip, { ...chip, key })}>
            Filter on {chipLabel({ ...chip, key })}
          </button>
        </li>
      ))}
    </ul>
  );
}

function PageList({ target }: { target: Target }) {
  const result = useBrowser((s) => s.result);
  const page = useBrowser((s) => s.page);
  const cursors = useBrowser((s) => s.cursors);
  const chips = useBrowser((s) => s.chips);
  const selectedId = useBrowser((s) => s.detail.id);
  const hasNext = cursors[page + 1] !== undefined;
  return (
    <Card
      title="Points"
      className="points-list-card"
      actions={
        <button type="button" data-testid="points-refresh" disabled={result.state === 'loading'} onClick={() => void refresh(target)}>
          Refresh
        </button>
      }
    >
      <MatchCount />
      {result.state === 'loading' ? <Spinner label="Scrolling…" /> : null}
      {result.state === 'error' && /does not exist/i.test(result.message) ? (
        <EmptyState title={`Collection ${target.collection} does not exist yet`}>
          Start a migration from Set up (or pick the collection it wrote to); its points show here as batches are acknowledged.
        </EmptyState>
      ) : null}
      {result.state === 'error' && !/does not exist/i.test(result.message) ? (
        <ErrorNote testId="points-error" action={<button type="button" onClick={() => void loadPage(target, page)}>Try again</button>}>
          {result.message}. If the collection does not exist yet, run a migration first; if Qdrant is down, start it and try again.
        </ErrorNote>
      ) : null}
      {result.state === 'ok' && result.value.points.length === 0 ? (
        <EmptyState title={chips.length ? 'No point matches the filters' : 'The collection has no points'}>
          {chips.length ? 'Remove a filter chip, or check the key and value (payload keys are case-sensitive; faiss_id and batch_num are integers).' : 'Start a migration from Set up; points show here as batches are acknowledged.'}
          {chips.length ? <DidYouMean target={target} /> : null}
        </EmptyState>
      ) : null}
      {result.state === 'ok' && result.value.points.length > 0 ? (
        <>
          <ColumnPicker points={result.value.points} />
          <PointsTable points={result.value.points} target={target} selectedId={selectedId} testId="point-list" />
        </>
      ) : null}
      <nav className="pager" aria-label="Pages">
        <button type="button" data-testid="page-prev" disabled={page === 0 || result.state === 'loading'} onClick={() => void loadPage(target, page - 1)}>
          ‹ Previous
        </button>
        <span data-testid="page-number">Page {page + 1}</span>
        <button type="button" data-testid="page-next" disabled={!hasNext || result.state === 'loading'} onClick={() => void loadPage(target, page + 1)}>
          Next ›
        </button>
        {result.state === 'ok' ? <span className="muted small">{result.value.points.length} points · {Math.round(result.value.ms)} ms</span> : null}
      </nav>
    </Card>
  );
}

const COMPARE_ROWS = 12;

function VectorCompare({ qdrant, source, note }: { qdrant: number[] | null; source: number[] | null; note: string | null }) {
  const [all, setAll] = useState(false);
  if (!qdrant) return <p className="muted">Qdrant returned no vector for this point.</p>;
  if (!source) return <p className="muted" data-testid="source-note">FAISS source vector not available{note ? `: ${note}` : '.'}</p>;
  const verdict = compareVectors(qdrant, source);
  const rows = all ? qdrant.length : Math.min(COMPARE_ROWS, qdrant.length);
  // Cosine collections hold the normalised vector: show that column so the rows can be checked by eye.
  const norm = verdict.kind === 'normalised' ? Math.sqrt(source.reduce((a, v) => a + v * v, 0)) : null;
  return (
    <div className="vector-compare" data-testid="vector-compare">
      <p className={verdict.kind === 'exact' || verdict.kind === 'normalised' ? 'ok-text' : 'bad-text'} data-testid="vector-verdict">
        {describeVerdict(verdict)}
      </p>
      <div className="table-wrap compare-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col" className="num">#</th>
              <th scope="col" className="num">Qdrant</th>
              <th scope="col" className="num">FAISS source</th>
              {norm !== null ? <th scope="col" className="num">source ÷ ‖source‖</th> : null}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: rows }, (_, i) => {
              const a = qdrant[i];
              const b = source[i];
              const expected = b === undefined ? undefined : norm !== null ? b / norm : b;
              const same = a !== undefined && expected !== undefined && Math.abs(Math.fround(a) - Math.fround(expected)) <= (norm !== null ? 1e-6 : 0);
              return (
                <tr key={i} className={same ? undefined : 'diff'}>
                  <td className="num">{i}</td>
                  <td className="num">{a ?? '—'}</td>
                  <td className="num">{b ?? '—'}</td>
                  {norm !== null ? <td className="num">{expected === undefined ? '—' : Math.fround(expected)}</td> : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {qdrant.length > COMPARE_ROWS ? (
        <button type="button" className="link" onClick={() => setAll(!all)}>
          {all ? `Show the first ${COMPARE_ROWS}` : `Show all ${qdrant.length} components`}
        </button>
      ) : null}
    </div>
  );
}

/** Copy the point as JSON (ids and big payload integers are strings already, so nothing is rounded). */
function CopyJson({ value }: { value: PointView }) {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  return (
    <button
      type="button"
      onClick={() => {
        navigator.clipboard.writeText(JSON.stringify(value, null, 2)).then(
          () => setDone('copied'),
          () => setDone('failed'),
        );
        setTimeout(() => setDone(null), 2000);
      }}
    >
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Copy failed' : 'Copy JSON'}
    </button>
  );
}

function DetailPane({ target }: { target: Target }) {
  const detail = useBrowser((s) => s.detail);
  const treeOpen = useBrowser((s) => s.treeOpen);
  const remembered = useMemo(() => ({ open: treeOpen, onToggle: rememberTreeNode }), [treeOpen]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (detail.state === 'ok') heading.current?.focus();
  }, [detail.state, detail.id]);
  if (detail.state === 'idle') {
    return (
      <Card title="Point">
        <p className="muted">Open a point, or look one up by id, to see its payload and compare its vector with the FAISS source.</p>
      </Card>
    );
  }
  return (
    <Card
      title={`Point ${detail.id ?? ''}`}
      className="detail-card"
      actions={
        <>
          {detail.state === 'ok' && detail.value.point ? <CopyJson value={detail.value.point} /> : null}
          {detail.id ? <button type="button" onClick={() => void findSimilar(target, detail.id!)}>Find similar</button> : null}
          <button type="button" onClick={closePoint} aria-label="Close point">Close</button>
        </>
      }
    >
      <div data-testid="point-detail">
        {detail.state === 'loading' ? <Spinner label="Reading the point and its source vector…" /> : null}
        {detail.state === 'error' ? <ErrorNote>{detail.message}</ErrorNote> : null}
        {detail.state === 'ok' && !detail.value.point ? (
          <EmptyState title={`No point with id ${detail.id}`}>Check the id (FAISS ids map to the same point id when they are unsigned integers; other ids become UUIDs kept in faiss_id).</EmptyState>
        ) : null}
        {detail.state === 'ok' && detail.value.point ? (
          <>
            <h3 tabIndex={-1} ref={heading} className="point-heading">
              id <code data-testid="detail-id">{detail.value.point.id}</code>
            </h3>
            <JsonTree
              value={{ id: detail.value.point.id, payload: detail.value.point.payload, vector: detail.value.point.vector }}
              bigintPaths={(detail.value.point.bigintPaths ?? []).map((p) => `payload.${p}`)}
              label="Point JSON"
              remembered={remembered}
            />
            <h3>Vector: Qdrant beside the FAISS source</h3>
            <VectorCompare qdrant={detail.value.point.vector} source={detail.value.sourceVector} note={detail.value.sourceNote} />
          </>
        ) : null}
      </div>
    </Card>
  );
}

function SimilarPane({ target }: { target: Target }) {
  const similar = useBrowser((s) => s.similar);
  const box = useRef<HTMLDivElement>(null);
  // The pane opens below the point's details, often below the fold: bring it into view when asked for and
  // again when the answer arrives (its height changed), without stealing focus from the button.
  useEffect(() => {
    if (similar.state === 'idle') return;
    const reduce = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    box.current?.scrollIntoView({ block: 'nearest', behavior: reduce ? 'auto' : 'smooth' });
  }, [similar.state, similar.id]);
  if (similar.state === 'idle') return null;
  return (
    <Card title={`Similar to ${similar.id ?? ''}`} actions={<button type="button" onClick={closeSimilar}>Close</button>}>
      <div data-testid="similar" ref={box}>
        {similar.state === 'loading' ? <Spinner label="Searching…" /> : null}
        {similar.state === 'error' ? <ErrorNote>{similar.message}</ErrorNote> : null}
        {similar.state === 'ok' ? (
          similar.value.points.length === 0 ? (
            <p className="muted">No neighbours found.</p>
          ) : (
            <PointsTable points={similar.value.points} target={target} scores testId="similar-list" />
          )
        ) : null}
      </div>
    </Card>
  );
}

export function PointsView() {
  const target = useBrowseTarget();
  const key = targetKey(target);
  useEffect(() => {
    // Only the target's identity matters here; `target` is a new object on every render.
    if (target) ensureLoaded(target);
  }, [key]);
  if (!target) return <div className="page"><NeedTarget what="Browsing points" /></div>;
  return (
    <div className="page points-page">
      <Card title={`Browse ${target.collection}`}>
        <CollectionPicker target={target} />
        <FilterBar target={target} />
      </Card>
      <div className="points-grid">
        <PageList target={target} />
        <div className="col">
          <DetailPane target={target} />
          <SimilarPane target={target} />
        </div>
      </div>
    </div>
  );
}
