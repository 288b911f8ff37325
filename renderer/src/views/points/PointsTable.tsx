/**
 * The points as a table (Attu's data view): id, score for search results, and the payload fields chosen as
 * columns: by default the document's text and metadata (PointView.document, read back by the engine), never
 * the migration's own fields unless the user picks them.
 */
import { useMemo } from 'react';
import type { PointView } from '../../../../shared/contract/qdrant';
import type { Target } from '../../lib/config-form';
import { useBrowser, openPoint, findSimilar, setColumns } from '../../store/browser-store';
import { availableColumns, cellText, cellValue, columnLabel, defaultColumns, TEXT_COLUMN } from '../../lib/point-columns';
import { scoreDirection, scoreDirectionText, type ScoreDirection } from '../../lib/score';

/** The columns shown: the user's choice for this collection, else the defaults for what the page holds. */
function useColumns(points: readonly PointView[]): string[] {
  const chosen = useBrowser((s) => s.columns);
  return useMemo(() => chosen ?? defaultColumns(points), [chosen, points]);
}

function useScoreDirection(): ScoreDirection | null {
  return useBrowser((s) => (s.info.state === 'ok' ? scoreDirection(s.info.value.distance) : null));
}

/** Attu's output-field picker: which payload fields are columns (native details + checkboxes, keyboard-ready). */
export function ColumnPicker({ points }: { points: readonly PointView[] }) {
  const shown = useColumns(points);
  const available = useMemo(() => {
    const all = availableColumns(points);
    return [...shown.filter((c) => !all.includes(c)), ...all];
  }, [points, shown]);
  const chosen = useBrowser((s) => s.columns);
  if (available.length === 0) return null;
  const toggle = (c: string, on: boolean) => setColumns(on ? [...shown, c] : shown.filter((x) => x !== c));
  return (
    <details className="column-picker" data-testid="column-picker">
      <summary>Columns ({shown.length})</summary>
      <fieldset>
        <legend className="sr-only">Payload fields shown as columns</legend>
        {available.map((c) => (
          <label key={c} className="column-option">
            <input type="checkbox" checked={shown.includes(c)} onChange={(e) => toggle(c, e.target.checked)} data-column={c} />
            <code>{columnLabel(c)}</code>
          </label>
        ))}
        {chosen ? (
          <button type="button" className="link" onClick={() => setColumns(null)}>
            Back to the defaults
          </button>
        ) : null}
      </fieldset>
    </details>
  );
}

function Cell({ p, column }: { p: PointView; column: string }) {
  const value = cellValue(p, column);
  const full = cellText(value, 2000);
  return (
    <td className={column === TEXT_COLUMN ? 'cell-text' : 'cell-field'} title={full.length > 60 ? full : undefined} data-column={column}>
      {value === undefined ? <span className="muted">—</span> : cellText(value)}
    </td>
  );
}

export function PointsTable({ points, target, selectedId, scores, testId }: { points: PointView[]; target: Target; selectedId?: string; scores?: boolean; testId: string }) {
  const columns = useColumns(points);
  const direction = useScoreDirection();
  return (
    <div className="table-wrap points-table-wrap">
      <table className="points-table">
        <thead>
          <tr>
            <th scope="col">Id</th>
            {scores ? <th scope="col" className="num">Score{direction ? ` (${scoreDirectionText(direction)})` : ''}</th> : null}
            {columns.map((c) => (
              <th scope="col" key={c}>
                <code>{columnLabel(c)}</code>
              </th>
            ))}
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody data-testid={testId}>
          {points.map((p) => (
            <tr key={p.id} className={p.id === selectedId ? 'selected' : undefined} data-testid="point-row" data-point-id={p.id}>
              <td>
                <code className="point-id" data-testid="point-id">{p.id}</code>
              </td>
              {scores ? (
                <td className="num score" data-testid="point-score">
                  {p.score !== undefined ? p.score.toFixed(4) : '—'}
                  {direction ? <span className="score-dir"> {scoreDirectionText(direction)}</span> : null}
                </td>
              ) : null}
              {columns.map((c) => (
                <Cell key={c} p={p} column={c} />
              ))}
              <td className="point-actions">
                <button type="button" onClick={() => void openPoint(target, p.id)} aria-label={`Open point ${p.id}`}>Open</button>
                <button type="button" onClick={() => void findSimilar(target, p.id)} aria-label={`Find points similar to ${p.id}`}>Similar</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
