/**
 * One run's report and verification: export the report the engine builds for that run (HTML, Markdown or
 * JSON; PDF on the desktop) and verify the run against its source. Used by the Run page for the current run
 * and by the Runs page for any recorded run. The result shows in RunVerification, under its own run only.
 */
import { useState } from 'react';
import { REPORT_FORMATS, type ReportFormat } from '../../../shared/contract/verify';
import type { MigrationConfig } from '../../../shared/contract/config';
import { bridge, api } from '../bridge-instance';
import type { Target } from '../lib/config-form';
import { ErrorNote, Spinner } from '../components/common';
import { errorMessage } from '../lib/errors';
import { newer, rememberVerification, useVerifications } from '../store/verifications';
import { VerificationView } from '../components/VerificationView';
import type { VerificationResult } from '../../../shared/contract/verify';

const FORMAT_LABEL: Record<ReportFormat, string> = { html: 'HTML', md: 'Markdown', json: 'JSON' };

type Outcome = { kind: 'ok'; text: string } | { kind: 'error'; text: string } | null;

export function RunReport(props: {
  target: Target;
  /** The run: its report and its verification (null before any run: the report of the state key's run). */
  runId: string | null;
  /** The settings a verification of this run uses; null when they are not valid (the button says so). */
  verifyConfig: MigrationConfig | null;
}) {
  const { target, runId, verifyConfig } = props;
  const [format, setFormat] = useState<ReportFormat>('html');
  const [busy, setBusy] = useState<'export' | 'pdf' | 'verify' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [elsewhere, setElsewhere] = useState<string | null>(null);
  const printToPdf = bridge().host.printToPdf;

  const exportReport = async (asPdf: boolean) => {
    setBusy(asPdf ? 'pdf' : 'export');
    setOutcome(null);
    try {
      const r = await api().buildReport({ ...target, format: asPdf ? 'html' : format, ...(runId ? { runId } : {}) });
      const where = asPdf && printToPdf ? await printToPdf(r.filename.replace(/\.html?$/, '') + '.pdf', r.content) : await bridge().host.saveFile(r.filename, r.mimeType, r.content);
      setOutcome(where ? { kind: 'ok', text: `Report saved: ${where}` } : { kind: 'ok', text: 'Export cancelled.' });
    } catch (e) {
      setOutcome({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  const verify = async () => {
    if (!verifyConfig) return;
    setBusy('verify');
    setOutcome(null);
    setElsewhere(null);
    try {
      const result = await api().verify({ config: verifyConfig, options: {}, ...(runId ? { runId } : {}) });
      const belongsTo = rememberVerification(result, runId);
      if (belongsTo !== runId) setElsewhere(`That verification belongs to ${belongsTo ? `run ${belongsTo}` : 'no run of this tool'} (collection ${result.collection}); it shows under that run on the Runs page.`);
    } catch (e) {
      setOutcome({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="run-report">
      <div className="row-buttons">
        <label className="inline-label">
          Format{' '}
          <select value={format} onChange={(e) => setFormat(e.target.value as ReportFormat)} data-testid="report-format">
            {REPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABEL[f]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="export-report" disabled={busy !== null} onClick={() => void exportReport(false)}>
          {busy === 'export' ? 'Building…' : 'Export report'}
        </button>
        {printToPdf ? (
          <button type="button" disabled={busy !== null} onClick={() => void exportReport(true)}>
            {busy === 'pdf' ? 'Printing…' : 'Save as PDF'}
          </button>
        ) : null}
        <button type="button" data-testid="verify" disabled={busy !== null || !verifyConfig} title={verifyConfig ? undefined : 'Verification needs the source path and valid settings'} onClick={() => void verify()}>
          {busy === 'verify' ? 'Verifying…' : 'Verify against the source'}
        </button>
      </div>
      {busy === 'verify' ? <Spinner label="Reading points back and comparing them with the source…" /> : null}
      <div aria-live="polite">
        {outcome?.kind === 'ok' ? (
          <p className="ok-text" data-testid="report-outcome">
            {outcome.text}
          </p>
        ) : null}
        {outcome?.kind === 'error' ? <ErrorNote testId="report-error">{outcome.text}</ErrorNote> : null}
      </div>
      {elsewhere ? (
        <p className="muted" data-testid="verification-elsewhere">
          {elsewhere}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The run's verification, full width (its mismatch tables need the room): the newest of the one recorded
 * with the run and one made in this window, for this run only.
 */
export function RunVerification({ runId, stored }: { runId: string | null; stored?: VerificationResult | null }) {
  const fresh = useVerifications((s) => (runId ? (s.byRun[runId] ?? null) : null));
  const verification = newer(fresh, stored ?? null);
  return verification ? <VerificationView result={verification} /> : null;
}
