/**
 * The Run page's report and verification: the current run's (the engine builds the report from the run's
 * record: settings without secrets, counts, timings, failures, history, verification).
 */
import { useMemo } from 'react';
import { useTarget } from '../store/target';
import { settingsOfRun } from '../lib/config-form';
import { useSetup } from '../store/setup-store';
import { useRun } from '../store/run-store';
import { Card } from '../components/common';
import { RunReport } from './RunReport';

export function ReportCard() {
  const target = useTarget();
  const values = useSetup((s) => s.values);
  const runId = useRun((s) => s.runId);
  const recorded = useRun((s) => s.config);
  // The current run's own settings (source, collection, distance) on Set up's connections.
  const config = useMemo(() => settingsOfRun(values, recorded), [values, recorded]);
  const collection = useRun((s) => (typeof s.config?.collection === 'string' ? s.config.collection : null)) ?? target?.collection;
  return (
    <Card title="Report and verification">
      {!target ? (
        <p className="muted">Set valid Qdrant and Redis connections in Set up to build a report.</p>
      ) : (
        <>
          <p className="muted">
            The report covers the whole {runId ? 'run' : 'last run'} of <strong>{collection}</strong>: settings (secrets removed), counts, timings, failures, outages, the throughput and
            memory history and its verification.
          </p>
          <RunReport target={target} runId={runId} verifyConfig={config} />
        </>
      )}
    </Card>
  );
}
