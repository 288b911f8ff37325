/**
 * A collapsible JSON view (Qdrant Web UI's points view): objects open two levels deep, number arrays
 * longer than a few items (vectors) start collapsed and say how long they are. Values are shown as
 * they arrive: ids and big integers are strings already, so nothing is rounded on the way.
 */
import { useState } from 'react';

type Json = unknown;

const VECTOR_PREVIEW = 8;

function isNumberArray(v: Json): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number');
}

function Leaf({ value, bigint }: { value: Json; bigint: boolean }) {
  if (value === null) return <span className="j-null">null</span>;
  if (bigint && typeof value === 'string') {
    return (
      <span className="j-num" title="Integer beyond 2^53, shown exactly">
        {value}
      </span>
    );
  }
  switch (typeof value) {
    case 'string':
      return <span className="j-str">{JSON.stringify(value)}</span>;
    case 'number':
    case 'bigint':
      return <span className="j-num">{String(value)}</span>;
    case 'boolean':
      return <span className="j-bool">{String(value)}</span>;
    default:
      return <span className="j-null">{String(value)}</span>;
  }
}

/** Which nodes the user opened or closed, by path: kept outside the tree so it survives the next value. */
export interface TreeOpenState {
  open: Readonly<Record<string, boolean>>;
  onToggle(path: string, open: boolean): void;
}

interface NodeProps {
  name: string | null;
  value: Json;
  depth: number;
  openDepth: number;
  /** Path in the `bigintPaths` notation: "payload.faiss_id", "payload.metadata.ids[2]". */
  path: string;
  bigints: ReadonlySet<string>;
  remembered?: TreeOpenState;
}

function childPath(parent: string, key: string, inArray: boolean): string {
  if (inArray) return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

function Node({ name, value, depth, openDepth, path, bigints, remembered }: NodeProps) {
  const isContainer = typeof value === 'object' && value !== null;
  const vector = isNumberArray(value) && (value.length > VECTOR_PREVIEW || name === 'vector');
  const [ownOpen, setOwnOpen] = useState(!vector && depth < openDepth && name !== 'vector');
  // A remembered choice for this path wins over the default, so opening another point keeps the tree's shape.
  const open = remembered?.open[path] ?? ownOpen;
  const setOpen = (o: boolean) => {
    setOwnOpen(o);
    remembered?.onToggle(path, o);
  };
  const key = name !== null ? <span className="j-key">{name}: </span> : null;
  if (!isContainer) {
    return (
      <li>
        {key}
        <Leaf value={value} bigint={bigints.has(path)} />
      </li>
    );
  }
  const entries: [string, Json][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value as Record<string, Json>);
  const summary = Array.isArray(value) ? (vector ? `[${value.length} numbers]` : `[${value.length}]`) : `{${entries.length}}`;
  return (
    <li>
      <button type="button" className="j-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="j-caret" aria-hidden="true">{open ? '▾' : '▸'}</span>
        {key}
        <span className="j-summary">{summary}</span>
        {!open && vector ? <span className="j-preview"> {(value as number[]).slice(0, 4).map((x) => x.toPrecision(4)).join(', ')}, …</span> : null}
      </button>
      {open ? (
        vector ? (
          <div className="j-vector">{(value as number[]).map((x) => String(x)).join(', ')}</div>
        ) : (
          <ul className="j-list">
            {entries.map(([k, v]) => (
              <Node key={k} name={k} value={v} depth={depth + 1} openDepth={openDepth} path={childPath(path, k, Array.isArray(value))} bigints={bigints} remembered={remembered} />
            ))}
          </ul>
        )
      ) : null}
    </li>
  );
}

const NO_BIGINTS: ReadonlySet<string> = new Set();

export function JsonTree({ value, openDepth = 2, label, bigintPaths, remembered }: { value: Json; openDepth?: number; label: string; bigintPaths?: readonly string[]; remembered?: TreeOpenState }) {
  const bigints = bigintPaths && bigintPaths.length ? new Set(bigintPaths) : NO_BIGINTS;
  return (
    <ul className="json-tree" aria-label={label}>
      <Node name={null} value={value} depth={0} openDepth={openDepth} path="" bigints={bigints} remembered={remembered} />
    </ul>
  );
}
