/**
 * The points browser's payload filter: the user types `key = value` (Qdrant Web UI's chips) and each
 * chip becomes a Qdrant `match.value` condition. Values are typed the way Qdrant indexes them: integers
 * stay integers only while they are exact in a JS number (larger ones are matched as the decimal
 * string the payload carries), `true`/`false` are booleans, quotes force a string.
 */
import type { PayloadFilterChip } from '../../../shared/contract/qdrant';

export type ChipParse = { ok: true; chip: PayloadFilterChip } | { ok: false; reason: string };

export function parseChip(text: string): ChipParse {
  const m = /^\s*([^=:\s][^=:]*?)\s*[=:]\s*(.*?)\s*$/.exec(text);
  if (!m) return { ok: false, reason: 'Write a filter as key = value, e.g. source = docs/a.md' };
  const key = m[1]!;
  const rawValue = m[2]!;
  if (rawValue === '') return { ok: false, reason: `Give a value for "${key}", e.g. ${key} = 42` };
  return { ok: true, chip: { key, value: parseValue(rawValue) } };
}

function parseValue(raw: string): string | number | boolean {
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(raw);
  if (quoted) return quoted[1] ?? quoted[2] ?? '';
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^-?\d+$/.test(raw)) {
    const n = Number(raw);
    return Number.isSafeInteger(n) ? n : raw;
  }
  return raw;
}

export function chipLabel(chip: PayloadFilterChip): string {
  return `${chip.key} = ${typeof chip.value === 'string' && /^-?\d+$|^(true|false)$/.test(chip.value) ? `"${chip.value}"` : String(chip.value)}`;
}

export function sameChip(a: PayloadFilterChip, b: PayloadFilterChip): boolean {
  return a.key === b.key && a.value === b.value;
}

/** The key part while it is being typed (no "=" or ":" yet), for key suggestions; null once a value starts. */
export function keyBeingTyped(text: string): string | null {
  return /[=:]/.test(text) ? null : text.trim();
}
