/**
 * The collection picker of the Qdrant and Points pages: every collection on the server with its points,
 * vectors and status (what Qdrant's Web UI lists), the one Set up names marked. A native select, so it is
 * keyboard- and screen-reader-ready as it is.
 */
import { useEffect } from 'react';
import type { CollectionSummary } from '../../../shared/contract/qdrant';
import { chooseCollection, loadCollections, useCollections } from '../store/collections';
import { useTarget } from '../store/target';
import type { Target } from '../lib/config-form';
import { fmtInt } from '../lib/format';

export function vectorsText(c: CollectionSummary): string {
  if (c.vectors.length === 0) return 'no vectors';
  return c.vectors.map((v) => `${v.name ? `${v.name}: ` : ''}${v.size ?? '?'} d ${v.distance ?? '?'}`).join(', ');
}

function optionText(c: CollectionSummary, setupName: string | undefined): string {
  if (c.problem) return `${c.name} (cannot read its info)`;
  const parts = [`${fmtInt(c.pointsCount)} points`, vectorsText(c), c.status ?? 'status unknown'];
  return `${c.name}${c.name === setupName ? ' (Set up)' : ''} · ${parts.join(' · ')}`;
}

export function CollectionPicker({ target }: { target: Target }) {
  const setupTarget = useTarget();
  const setupName = setupTarget?.collection;
  const list = useCollections((s) => s.list);
  const { qdrantUrl, qdrantApiKey } = target;
  useEffect(() => {
    void loadCollections({ qdrantUrl, qdrantApiKey });
  }, [qdrantUrl, qdrantApiKey]);
  const collections = list.state === 'ok' ? list.value : [];
  const missing = !collections.some((c) => c.name === target.collection);
  return (
    <div className="collection-picker" data-testid="collection-picker">
      <label htmlFor="collection-select">Collection</label>
      <select
        id="collection-select"
        data-testid="collection-select"
        value={target.collection}
        onChange={(e) => chooseCollection(e.target.value === setupName ? null : e.target.value)}
      >
        {missing ? (
          <option value={target.collection}>
            {target.collection}
            {target.collection === setupName ? ' (Set up)' : ''} · not created yet
          </option>
        ) : null}
        {collections.map((c) => (
          <option key={c.name} value={c.name}>
            {optionText(c, setupName)}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => void loadCollections({ qdrantUrl, qdrantApiKey })} disabled={list.state === 'loading'} data-testid="collections-refresh">
        Reload list
      </button>
      <span className="muted small" aria-live="polite">
        {list.state === 'loading' ? 'Listing collections…' : list.state === 'ok' ? `${collections.length} collection${collections.length === 1 ? '' : 's'} on ${qdrantUrl}` : null}
      </span>
      {list.state === 'error' ? (
        <span className="field-error" role="alert" data-testid="collections-error">
          Cannot list the collections: {list.message}
        </span>
      ) : null}
    </div>
  );
}
