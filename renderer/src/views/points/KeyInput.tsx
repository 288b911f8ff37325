/**
 * The payload filter box as a combobox (WAI-ARIA 1.2 pattern): while the user types a key, the engine's
 * payload keys are offered, the ones ending with what was typed first ("category" → "metadata.category",
 * where LangChain keeps it), each with its types, index and example values. Arrow keys move, Enter or a
 * click takes one (the box then reads "metadata.category = "), Escape closes the list.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { PayloadKey } from '../../../../shared/contract/qdrant';
import type { Target } from '../../lib/config-form';
import { suggestKeys } from '../../store/browser-store';
import { keyBeingTyped } from '../../lib/filter-chips';

const SHOWN = 8;
const DEBOUNCE_MS = 200;

export function exampleText(k: PayloadKey): string {
  return k.examples.length ? `e.g. ${k.examples.slice(0, 3).map(String).join(', ')}` : '';
}

export function KeyInput(props: { target: Target; value: string; onChange: (v: string) => void; invalid: boolean; describedBy: string }) {
  const { target, value, onChange } = props;
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [keys, setKeys] = useState<{ keys: PayloadKey[]; sampled: number; query: string } | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const query = keyBeingTyped(value);

  useEffect(() => {
    if (query === null) return;
    let stale = false;
    const t = setTimeout(() => {
      suggestKeys(target, query).then(
        (r) => {
          if (!stale) setKeys({ ...r, query });
        },
        () => {
          if (!stale) setKeys(null);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(t);
    };
    // The target's identity is its JSON; the object itself is new on every render.
  }, [query, JSON.stringify(target)]);

  // An empty box lists every key only when asked (ArrowDown): after a filter is added it stays closed.
  const [browsing, setBrowsing] = useState(false);
  const shown = query !== null && (query !== '' || browsing) && keys && keys.query === query ? rank(keys.keys, query).slice(0, SHOWN) : [];
  const expanded = open && shown.length > 0;

  const take = (k: PayloadKey) => {
    onChange(`${k.key} = `);
    setOpen(false);
    setActive(-1);
    input.current?.focus();
  };

  return (
    <div className="combo">
      <input
        ref={input}
        id="filter-input"
        data-testid="filter-input"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        placeholder="key = value, e.g. metadata.category = gamma"
        value={value}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={props.invalid}
        aria-describedby={props.describedBy}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setBrowsing(false);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          setBrowsing(false);
        }}
        onKeyDown={(e) => {
          if (!expanded) {
            if (e.key === 'ArrowDown' && query !== null) {
              setOpen(true);
              setBrowsing(true);
              setActive(0);
              e.preventDefault();
            }
            return;
          }
          if (e.key === 'ArrowDown') setActive((a) => (a + 1) % shown.length);
          else if (e.key === 'ArrowUp') setActive((a) => (a <= 0 ? shown.length - 1 : a - 1));
          else if (e.key === 'Escape') setOpen(false);
          else if (e.key === 'Enter' && active >= 0) take(shown[active]!);
          else return;
          e.preventDefault();
        }}
      />
      <ul id={listId} role="listbox" aria-label="Payload keys" className="combo-list" hidden={!expanded} data-testid="key-suggestions">
        {shown.map((k, i) => (
          <li
            key={k.key}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={`combo-option${i === active ? ' active' : ''}${k.matchesQuery ? ' match' : ''}`}
            data-key={k.key}
            // mousedown, not click: the input's blur would close the list before a click lands.
            onMouseDown={(e) => {
              e.preventDefault();
              take(k);
            }}
          >
            <code className="combo-key">{k.key}</code>
            <span className="combo-meta">
              {k.types.join(' | ') || 'no value in the sample'}
              {k.indexed ? ` · ${k.indexed} index` : ''}
              {keys && keys.sampled > 0 ? ` · in ${k.seenIn} of ${keys.sampled} sampled` : ''}
              {k.examples.length ? ` · ${exampleText(k)}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Keys that contain what was typed, the engine's order kept (its matches first); everything for an empty box. */
function rank(keys: PayloadKey[], query: string): PayloadKey[] {
  const q = query.trim().toLowerCase();
  if (!q) return keys;
  return keys.filter((k) => k.matchesQuery || k.key.toLowerCase().includes(q));
}
