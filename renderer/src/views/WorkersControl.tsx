/**
 * The "workers" control of Set up: open the run about to start to workers on other hosts (SHARED_RUN), or
 * join the shared run already under this state key as one more worker (the engine's `joinRun`, as
 * `xnai-migrate run --join`). Joining needs the same FAISS store (its fingerprint is checked) and Redis.
 */
import { joinRun } from '../store/run-actions';
import { useWorkersControl } from '../store/workers-store';

export function WorkersControl({ disabled }: { disabled: boolean }) {
  const share = useWorkersControl((s) => s.share);
  return (
    <fieldset className="workers-control" data-testid="workers-control">
      <legend>Workers</legend>
      <label>
        <input type="checkbox" checked={share} onChange={(e) => useWorkersControl.setState({ share: e.target.checked })} data-testid="share-run" /> Open this run to workers on
        other hosts (they join with <code>xnai-migrate run --join</code>, same Redis and state key, same FAISS store)
      </label>
      <div className="row-buttons">
        <button type="button" disabled={disabled} onClick={() => void joinRun()} data-testid="join-run">
          Join the shared run as a worker
        </button>
      </div>
    </fieldset>
  );
}
