/**
 * Which store keeps the migration's state, where, and why: Redis, or the embedded store in the user's data
 * folder when no Redis is configured. Shown in Set up (after a connection test) and on the state page.
 */
import type { StoreInUse as Store } from '../../../shared/contract/state';

export function StoreInUse({ store, testId = 'store-in-use' }: { store: Store | undefined; testId?: string }) {
  if (!store) return null;
  return (
    <p className="store-in-use" data-testid={testId} data-kind={store.kind}>
      <strong>State store:</strong> {store.kind === 'redis' ? 'Redis' : 'embedded (no Redis needed)'}: {store.location}{' '}
      <span className="field-hint">({store.reason})</span>
    </p>
  );
}
