/** The Qdrant + Redis target the panels read, derived from the Set up form (null while it is invalid). */
import { useShallow } from 'zustand/react/shallow';
import { useSetup } from './setup-store';
import { targetFromForm, type Target } from '../lib/config-form';

export function useTarget(): Target | null {
  // Select only the fields a target depends on, so typing a batch size does not refetch panels.
  const v = useSetup(
    useShallow((s) => ({
      qdrantUrl: s.values.qdrantUrl,
      qdrantApiKey: s.values.qdrantApiKey,
      redisHost: s.values.redisHost,
      redisPort: s.values.redisPort,
      redisPassword: s.values.redisPassword,
      redisDb: s.values.redisDb,
      collection: s.values.collection,
      stateKey: s.values.stateKey,
    })),
  );
  return targetFromForm({ ...useSetup.getState().values, ...v });
}

/** A stable string for effect dependencies (secrets excluded from nothing: it never leaves memory). */
export function targetKey(t: Target | null): string {
  return t ? JSON.stringify(t) : '';
}
