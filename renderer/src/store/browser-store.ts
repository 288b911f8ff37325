/**
 * The points browser: pages follow Qdrant's scroll cursor (`next_page_offset`), never numeric offsets,
 * so each page costs one scroll however deep it is. The cursors of pages already seen are kept so
 * "Previous" is exact too. Ids stay strings end to end: exact above 2^53.
 */
import { create } from 'zustand';
import type { CollectionInfoView, PayloadFilterChip, PayloadKey, PointView } from '../../../shared/contract/qdrant';
import type { CommandReply } from '../../../shared/contract/commands';
import { PointIdStringSchema } from '../../../shared/contract/qdrant';
import type { Target } from '../lib/config-form';
import { sameChip } from '../lib/filter-chips';
import { api } from '../bridge-instance';
import { errorMessage } from '../lib/errors';
import type { Loadable } from './setup-store';

export const PAGE_SIZES = [10, 25, 50, 100] as const;

interface BrowserState {
  pageSize: number;
  chips: PayloadFilterChip[];
  /** cursors[i] is the scroll offset that starts page i (null for the first page). */
  cursors: (string | null)[];
  page: number;
  result: Loadable<{ points: PointView[]; nextOffset: string | null; ms: number }>;
  /** The point opened in the detail pane, with its FAISS source vector. */
  detail: Loadable<CommandReply<'getPoint'>> & { id?: string };
  similar: Loadable<{ points: PointView[] }> & { id?: string };
  /** JSON tree nodes the user opened or closed (by path), kept from one opened point to the next. */
  treeOpen: Record<string, boolean>;
  /** Columns the user chose for this collection; null: the defaults for what the page holds. */
  columns: string[] | null;
  /** The collection's info: its distance says which way scores point. */
  info: Loadable<CollectionInfoView>;
  /** Exact number of points the filter chips match (the whole collection without chips). */
  count: Loadable<{ count: number; exact: boolean }>;
}

export const useBrowser = create<BrowserState>()(() => ({
  pageSize: 25,
  chips: [],
  cursors: [null],
  page: 0,
  result: { state: 'idle' },
  detail: { state: 'idle' },
  similar: { state: 'idle' },
  treeOpen: {},
  columns: null,
  info: { state: 'idle' },
  count: { state: 'idle' },
}));

export function setColumns(columns: string[] | null): void {
  useBrowser.setState({ columns });
}

async function loadInfo(target: Target): Promise<void> {
  useBrowser.setState({ info: { state: 'loading' } });
  try {
    const info = await api().getCollectionInfo(target);
    if (loadedKey !== keyOf(target)) return;
    useBrowser.setState({ info: { state: 'ok', value: info } });
  } catch (e) {
    if (loadedKey !== keyOf(target)) return;
    useBrowser.setState({ info: { state: 'error', message: errorMessage(e) } });
  }
}

export function rememberTreeNode(path: string, open: boolean): void {
  useBrowser.setState((s) => ({ treeOpen: { ...s.treeOpen, [path]: open } }));
}

let request = 0;
/** The target the current pages belong to: returning to the page keeps the position unless it changed. */
let loadedKey: string | null = null;
let loadedCollection: string | null = null;

const keyOf = (t: Target) => JSON.stringify(t);

/** Show `target`'s collection: from its first page, unless these pages already belong to it. */
export function ensureLoaded(target: Target): void {
  const key = keyOf(target);
  if (loadedKey === key) return;
  const sameCollection = loadedCollection === target.collection;
  loadedKey = key;
  loadedCollection = target.collection;
  keyCache.clear();
  // Another collection has other fields: its filters and columns start afresh.
  useBrowser.setState({ detail: { state: 'idle' }, similar: { state: 'idle' }, ...(sameCollection ? {} : { chips: [], columns: null }) });
  void loadInfo(target);
  void restart(target);
}

export async function loadPage(target: Target, page: number): Promise<void> {
  const s = useBrowser.getState();
  const offset = s.cursors[page];
  if (offset === undefined) return;
  const mine = ++request;
  useBrowser.setState({ page, result: { state: 'loading' } });
  const started = performance.now();
  try {
    const reply = await api().scrollPoints({ ...target, limit: s.pageSize, offset, filter: s.chips, withVector: false });
    if (mine !== request) return;
    const cursors = s.cursors.slice(0, page + 1);
    if (reply.nextOffset !== null) cursors[page + 1] = reply.nextOffset;
    useBrowser.setState({ cursors, result: { state: 'ok', value: { ...reply, ms: performance.now() - started } } });
  } catch (e) {
    if (mine !== request) return;
    useBrowser.setState({ result: { state: 'error', message: errorMessage(e) } });
  }
}

let counting = 0;

/** The exact count for the current chips (Qdrant's count API with exact: true). */
async function loadCount(target: Target): Promise<void> {
  const mine = ++counting;
  const chips = useBrowser.getState().chips;
  useBrowser.setState({ count: { state: 'loading' } });
  try {
    const r = await api().countPoints({ ...target, filter: chips });
    if (mine !== counting) return;
    useBrowser.setState({ count: { state: 'ok', value: r } });
  } catch (e) {
    if (mine !== counting) return;
    useBrowser.setState({ count: { state: 'error', message: errorMessage(e) } });
  }
}

/** Start again from the first page (filter or page size changed), and count what the filters match. */
export function restart(target: Target): Promise<void> {
  useBrowser.setState({ cursors: [null], page: 0 });
  void loadCount(target);
  return loadPage(target, 0);
}

/** Refresh the page shown and its count (new points may have arrived). */
export function refresh(target: Target): Promise<void> {
  keyCache.clear();
  void loadCount(target);
  return loadPage(target, useBrowser.getState().page);
}

const keyCache = new Map<string, Promise<{ keys: PayloadKey[]; sampled: number }>>();

/**
 * Payload keys for the filter box, ranked by the engine (keys ending with what was typed first:
 * "category" → "metadata.category"). Answers are kept per collection and query while the page is open.
 */
export function suggestKeys(target: Target, query: string): Promise<{ keys: PayloadKey[]; sampled: number }> {
  const id = `${keyOf(target)}\u0000${query}`;
  let p = keyCache.get(id);
  if (!p) {
    p = api().payloadKeys({ ...target, query });
    keyCache.set(id, p);
    // A failure is not kept: the next keystroke asks again.
    p.catch(() => keyCache.delete(id));
  }
  return p;
}

export function setPageSize(target: Target, size: number): Promise<void> {
  useBrowser.setState({ pageSize: size });
  return restart(target);
}

export function addChip(target: Target, chip: PayloadFilterChip): Promise<void> {
  const chips = useBrowser.getState().chips;
  if (chips.some((c) => sameChip(c, chip))) return Promise.resolve();
  useBrowser.setState({ chips: [...chips, chip] });
  return restart(target);
}

export function removeChip(target: Target, chip: PayloadFilterChip): Promise<void> {
  useBrowser.setState({ chips: useBrowser.getState().chips.filter((c) => !sameChip(c, chip)) });
  return restart(target);
}

/** Swap one chip for another in place (a suggested key for a mistyped one) and start again. */
export function replaceChip(target: Target, from: PayloadFilterChip, to: PayloadFilterChip): Promise<void> {
  const chips = useBrowser.getState().chips.map((c) => (sameChip(c, from) ? to : c));
  useBrowser.setState({ chips: chips.filter((c, i) => chips.findIndex((d) => sameChip(c, d)) === i) });
  return restart(target);
}

export function clearChips(target: Target): Promise<void> {
  useBrowser.setState({ chips: [] });
  return restart(target);
}

/** A typed id: checked with the contract's schema before asking the engine. */
export function checkId(text: string): string | null {
  const r = PointIdStringSchema.safeParse(text.trim());
  return r.success ? null : 'An id is an unsigned integer (any size, e.g. 18446744073709551615) or a UUID.';
}

export async function openPoint(target: Target, id: string): Promise<void> {
  useBrowser.setState({ detail: { state: 'loading', id } });
  try {
    const reply = await api().getPoint({ ...target, id });
    if (useBrowser.getState().detail.id !== id) return;
    useBrowser.setState({ detail: { state: 'ok', value: reply, id } });
  } catch (e) {
    if (useBrowser.getState().detail.id !== id) return;
    useBrowser.setState({ detail: { state: 'error', message: errorMessage(e), id } });
  }
}

export function closePoint(): void {
  useBrowser.setState({ detail: { state: 'idle' } });
}

export async function findSimilar(target: Target, id: string): Promise<void> {
  useBrowser.setState({ similar: { state: 'loading', id } });
  try {
    const reply = await api().findSimilar({ ...target, id, limit: 10 });
    if (useBrowser.getState().similar.id !== id) return;
    useBrowser.setState({ similar: { state: 'ok', value: reply, id } });
  } catch (e) {
    if (useBrowser.getState().similar.id !== id) return;
    useBrowser.setState({ similar: { state: 'error', message: errorMessage(e), id } });
  }
}

export function closeSimilar(): void {
  useBrowser.setState({ similar: { state: 'idle' } });
}
