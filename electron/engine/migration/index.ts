/**
 * `createRunController(deps?)`: what every host drives (CLI in-process, the engine child process for the
 * desktop app and the browser UI). One run at a time; events fan out to subscribers; the snapshot is what
 * a window that connects late renders first.
 */
import { MigrationConfigSchema, redactConfig, type EngineEvent, type EngineSnapshot, type JobStatus, type MigrationConfig } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { Run, type RunDeps } from './run';
import type { EngineEventListener, RunController } from './types';

export type { RunDeps } from './run';
export type { RunController, EngineEventListener } from './types';

export function createRunController(deps: RunDeps = {}): RunController & { readonly exitCode: number } {
  const listeners = new Set<EngineEventListener>();
  let run: Run | null = null;
  const emit = (e: EngineEvent) => {
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // a listener's bug must not stop the run
      }
    }
  };

  const active = () => run !== null && !run.isEnded() && run.status !== 'failed';

  async function begin(config: MigrationConfig, options: { retryFailed?: boolean; join?: boolean; resumeRunId?: string }): Promise<{ runId: string }> {
    if (active()) throw new UserError('usage', `a run is already ${run!.status}: pause, cancel or wait for it first`);
    const parsed = MigrationConfigSchema.parse(config);
    const next = new Run(parsed, emit, deps);
    run = next;
    await next.prepare(options);
    next.execute();
    return { runId: next.runId };
  }

  return {
    get exitCode() {
      return run?.exitCode ?? 0;
    },
    start: (config) => begin(config, {}),
    retryFailed: (config) => begin(config, { retryFailed: true }),
    join: (config) => begin(config, { join: true }),
    resumeStored: (config, runId) => begin({ ...config, resumeMode: true }, { resumeRunId: runId }),
    async pause(): Promise<JobStatus> {
      return run ? run.pause() : 'idle';
    },
    async resume(): Promise<JobStatus> {
      return run ? run.resume() : 'idle';
    },
    async cancel(): Promise<JobStatus> {
      return run ? run.cancel() : 'idle';
    },
    snapshot(): EngineSnapshot {
      return {
        status: run?.status ?? 'idle',
        runId: run?.runId ?? null,
        progress: run?.progress ?? null,
        lastMemory: run?.lastMemory ?? null,
        config: run ? (redactConfig(run.config) as Record<string, unknown>) : null,
        source: run?.source?.summary ?? null,
        timeline: run ? [...run.timeline] : [],
        lastError: run?.lastError ?? null,
        warnings: run ? [...run.warnings] : [],
        outages: run ? run.outages.current() : [],
      };
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async settled(): Promise<JobStatus> {
      return run ? run.settled() : 'idle';
    },
    async dispose(): Promise<void> {
      if (run && !run.isEnded()) await run.dispose();
      listeners.clear();
    },
  };
}
