/**
 * Export the run's report (built by the engine from Redis state, samples and verification: the whole run,
 * never the current page) and run a verification on demand.
 */
import { useState } from 'react';
import { REPORT_FORMATS, type ReportFormat, type VerificationResult } from '../../../shared/contract/verify';
import { bridge, api } from '../bridge-instance';
import { useTarget } from '../store/target';
import { useSetup } from '../store/setup-store';
import { Card, ErrorNote, Spinner } from '../components/common';
import { errorMessage } from '../lib/errors';
import { fmtDuration } from '../lib/format';

const FORMAT_LABEL: Record<ReportFormat, string> = { html: 'HTML', md: 'Markdown', json: 'JSON' };

type Outcome = { kind: 'ok'; text: string } | { kind: 'error'; text: string } | null;

export function ReportCard() {
  const target = useTarget();
  const config = useSetup((s) => s.config);
  const [format, setFormat] = useState<ReportFormat>('html');
  const [busy, setBusy] = useState<'export' | 'pdf' | 'verify' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [verification, setVerification] = useState<VerificationResult | null>(null);
  const printToPdf = bridge().host.printToPdf;

  const exportReport = async (asPdf: boolean) => {
    if (!target) return;
    setBusy(asPdf ? 'pdf' : 'export');
    setOutcome(null);
    try {
      const r = await api().buildReport({ ...target, format: asPdf ? 'html' : format });
      const where = asPdf && printToPdf ? await printToPdf(r.filename.replace(/\.html?$/, '') + '.pdf', r.content) : await bridge().host.saveFile(r.filename, r.mimeType, r.content);
      setOutcome(where ? { kind: 'ok', text: `Report saved: ${where}` } : { kind: 'ok', text: 'Export cancelled.' });
    } catch (e) {
      setOutcome({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  const verify = async () => {
    if (!config) return;
    setBusy('verify');
    setOutcome(null);
    try {
      setVerification(await api().verify({ config, options: {} }));
    } catch (e) {
      setOutcome({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card title="Report and verification">
      {!target ? (
        <p className="muted">Set valid Qdrant and Redis connections in Set up to build a report.</p>
      ) : (
        <>
          <p className="muted">
            The report covers the whole run of <strong>{target.collection}</strong>: settings (secrets removed), counts, timings, failures, the throughput and memory history and the last verification.
          </p>
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
            <button type="button" data-testid="verify" disabled={busy !== null || !config} title={config ? undefined : 'Verification needs the source path and valid settings'} onClick={() => void verify()}>
              {busy === 'verify' ? 'Verifying…' : 'Verify against the source'}
            </button>
          </div>
          {busy === 'verify' ? <Spinner label="Reading points back and comparing them with the FAISS vectors…" /> : null}
          <div aria-live="polite">
            {outcome?.kind === 'ok' ? (
              <p className="ok-text" data-testid="report-outcome">
                {outcome.text}
              </p>
            ) : null}
            {outcome?.kind === 'error' ? <ErrorNote testId="report-error">{outcome.text}</ErrorNote> : null}
          </div>
          {verification ? (
            <div className="verification" data-testid="verification">
              <p className={verification.passed ? 'ok-text' : 'bad-text'}>
                <strong>{verification.verdict}</strong> <span className="muted">({fmtDuration(verification.durationMs / 1000)})</span>
              </p>
              <ul className="checks">
                {verification.checks.map((c) => (
                  <li key={c.name} className={c.passed ? 'ok' : 'bad'}>
                    <span className="dot" aria-hidden="true" />
                    <span>
                      <strong>{c.name}</strong>: {c.summary}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </>
      )}
    </Card>
  );
}
