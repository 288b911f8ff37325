/**
 * Which collection the Qdrant and Points pages show, and the server's collections for the picker. Any
 * collection on the server can be browsed, not only the current run's (Qdrant Web UI's and Attu's
 * collection lists): until the user picks one the pages follow Set up's collection.
 */
import { create } from 'zustand';
import type { CollectionSummary } from '../../../shared/contract/qdrant';
import type { Target } from '../lib/config-form';
import { api } from '../bridge-instance';
import { errorMessage } from '../lib/errors';
import type { Loadable } from './setup-store';
import { useTarget } from './target';

interface CollectionsState {
  /** The collection the user picked; null: follow Set up's. */
  chosen: string | null;
  list: Loadable<CollectionSummary[]> & { qdrantUrl?: string; at?: number };
}

export const useCollections = create<CollectionsState>()(() => ({ chosen: null, list: { state: 'idle' } }));

export function chooseCollection(name: string | null): void {
  useCollections.setState({ chosen: name });
}

/** Set up's target with the picked collection: what the Qdrant and Points pages read. */
export function useBrowseTarget(): Target | null {
  const target = useTarget();
  const chosen = useCollections((s) => s.chosen);
  return target && chosen ? { ...target, collection: chosen } : target;
}

let request = 0;

/** Read the server's collections (names, points, vectors, status); stale answers are dropped. */
export async function loadCollections(target: Pick<Target, 'qdrantUrl' | 'qdrantApiKey'>): Promise<void> {
  const mine = ++request;
  useCollections.setState((s) => ({ list: s.list.state === 'ok' && s.list.qdrantUrl === target.qdrantUrl ? s.list : { state: 'loading', qdrantUrl: target.qdrantUrl } }));
  try {
    const r = await api().listCollections({ qdrantUrl: target.qdrantUrl, ...(target.qdrantApiKey ? { qdrantApiKey: target.qdrantApiKey } : {}) });
    if (mine !== request) return;
    useCollections.setState({ list: { state: 'ok', value: r.collections, qdrantUrl: target.qdrantUrl, at: Date.now() } });
  } catch (e) {
    if (mine !== request) return;
    useCollections.setState({ list: { state: 'error', message: errorMessage(e), qdrantUrl: target.qdrantUrl } });
  }
}
