/** The points browser's toolbar: payload filter (with key suggestions) as chips, page size, lookup by id. */
import { useState } from 'react';
import { useBrowser, setPageSize, addChip, removeChip, clearChips, checkId, openPoint, PAGE_SIZES } from '../../store/browser-store';
import type { Target } from '../../lib/config-form';
import { parseChip, chipLabel } from '../../lib/filter-chips';
import { KeyInput } from './KeyInput';

export function FilterBar({ target }: { target: Target }) {
  const chips = useBrowser((s) => s.chips);
  const pageSize = useBrowser((s) => s.pageSize);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [idText, setIdText] = useState('');
  const [idError, setIdError] = useState<string | null>(null);
  return (
    <div className="toolbar">
      <form
        className="toolbar-group"
        onSubmit={(e) => {
          e.preventDefault();
          const r = parseChip(text);
          if (!r.ok) return setError(r.reason);
          setError(null);
          setText('');
          void addChip(target, r.chip);
        }}
      >
        <label htmlFor="filter-input">Payload filter</label>
        <KeyInput target={target} value={text} onChange={setText} invalid={Boolean(error)} describedBy="filter-error" />
        <button type="submit" data-testid="filter-add">Add filter</button>
        <span id="filter-error" className="field-error" role={error ? 'alert' : undefined}>{error}</span>
      </form>
      <div className="toolbar-group">
        <label htmlFor="page-size">Page size</label>
        <select id="page-size" data-testid="page-size" value={pageSize} onChange={(e) => void setPageSize(target, Number(e.target.value))}>
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>{n}</option>
          ))}
        </select>
      </div>
      <form
        className="toolbar-group"
        onSubmit={(e) => {
          e.preventDefault();
          const why = checkId(idText);
          setIdError(why);
          if (!why) void openPoint(target, idText.trim());
        }}
      >
        <label htmlFor="id-input">Point id</label>
        <input id="id-input" data-testid="id-input" placeholder="e.g. 42 or a UUID" value={idText} onChange={(e) => setIdText(e.target.value)} aria-invalid={Boolean(idError)} aria-describedby="id-error" spellCheck={false} inputMode="text" />
        <button type="submit" data-testid="id-open">Look up</button>
        <span id="id-error" className="field-error" role={idError ? 'alert' : undefined}>{idError}</span>
      </form>
      {chips.length ? (
        <ul className="chips" aria-label="Active filters" data-testid="chips">
          {chips.map((c) => (
            <li key={`${c.key}=${String(c.value)}`} className="chip">
              <span>{chipLabel(c)}</span>
              <button type="button" aria-label={`Remove filter ${chipLabel(c)}`} onClick={() => void removeChip(target, c)}>×</button>
            </li>
          ))}
          <li>
            <button type="button" className="link" onClick={() => void clearChips(target)}>Clear all</button>
          </li>
        </ul>
      ) : null}
    </div>
  );
}
