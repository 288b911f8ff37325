/**
 * A shared run's workers (the seed and every `xnai-migrate run --join`), one row each: host and pid, role,
 * status, the points and batches it wrote, its own rate, RSS (peak) and when it last reported. A worker that
 * has not reported for a few seconds is shown as silent: killed, or cut off from Redis; its batches go back
 * to the others when their leases expire.
 */
import type { WorkerRecord } from '../../../shared/contract';
import { Card } from '../components/common';
import { fmtInt, fmtMb, fmtRate } from '../lib/format';

const SILENT_MS = 5000;

export function WorkersTable({ workers, now }: { workers: readonly WorkerRecord[]; now: number }) {
  if (workers.length === 0) return null;
  const total = workers.reduce((n, w) => n + w.processed, 0);
  return (
    <Card title={`Workers · ${workers.length}`}>
      <p className="muted">
        A shared run: each worker takes batches from the queue in Redis. Pause, Resume and Cancel reach all of them. Another host joins with <code>xnai-migrate run --join</code> (same Redis settings and state key, the same FAISS store).
      </p>
      <div className="table-wrap">
        <table className="table" data-testid="workers-table">
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">PID</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Points</th>
              <th scope="col">Batches</th>
              <th scope="col">Points/s</th>
              <th scope="col">RSS (peak)</th>
              <th scope="col">Last report</th>
            </tr>
          </thead>
          <tbody>
            {workers.map((w) => {
              const silent = now - w.at > SILENT_MS && !['completed', 'cancelled', 'failed', 'left', 'paused'].includes(w.status);
              return (
                <tr key={w.id} data-testid="worker-row" className={silent ? 'warn-text' : undefined}>
                  <td>{w.host}</td>
                  <td>{w.pid}</td>
                  <td>{w.role}</td>
                  <td>{silent ? 'silent (its batches go back to the others)' : w.status}</td>
                  <td>{fmtInt(w.processed)}</td>
                  <td>{fmtInt(w.batches)}</td>
                  <td>{fmtRate(w.pointsPerSec)}</td>
                  <td>
                    {fmtMb(w.rssMb)} ({fmtMb(w.peakRssMb)})
                  </td>
                  <td>{Math.max(0, Math.round((now - w.at) / 1000))} s ago</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={4}>
                All workers
              </th>
              <td>{fmtInt(total)}</td>
              <td>{fmtInt(workers.reduce((n, w) => n + w.batches, 0))}</td>
              <td>{fmtRate(workers.reduce((n, w) => n + w.pointsPerSec, 0))}</td>
              <td colSpan={2} />
            </tr>
          </tfoot>
        </table>
      </div>
    </Card>
  );
}
