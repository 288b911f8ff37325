/** The run controller's interface: what hosts (through the command handlers) drive. */
import type { EngineEvent, EngineSnapshot, JobStatus, MigrationConfig } from '../../../shared/contract';

export type EngineEventListener = (event: EngineEvent) => void;

export interface RunController {
  /** Validate, preflight (Qdrant, Redis, source, lock) and start a run in the background. */
  start(config: MigrationConfig): Promise<{ runId: string }>;
  /** Take part in the shared run under the state key (`xnai-migrate run --join`): see ./shared-run. */
  join(config: MigrationConfig): Promise<{ runId: string }>;
  /** Start a run that re-sends only the points recorded as failed. */
  retryFailed(config: MigrationConfig): Promise<{ runId: string }>;
  /** Continue a run of the history (paused, interrupted, failed) under its own id; `config` carries its settings. */
  resumeStored(config: MigrationConfig, runId: string): Promise<{ runId: string }>;
  /** In-flight batches finish, the state says paused. Resolves once paused. */
  pause(): Promise<JobStatus>;
  resume(): Promise<JobStatus>;
  /** In-flight batches finish or are abandoned cleanly; state stays resumable. */
  cancel(): Promise<JobStatus>;
  snapshot(): EngineSnapshot;
  /** Subscribe to progress, memory, state, log and error events. */
  on(listener: EngineEventListener): () => void;
  /** Resolves when the current run is paused or has ended (immediately when idle). */
  settled(): Promise<JobStatus>;
  /** Stop everything (process shutdown): pause cleanly, release the lock, close connections. */
  dispose(): Promise<void>;
}
