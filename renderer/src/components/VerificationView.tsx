/**
 * A verification result that explains itself: the verdict, each check, and for the vectors and payloads
 * checks every sampled difference with the source's value and Qdrant's side by side, each with its Python
 * type. Differences Qdrant's own JSON number parsing introduced (a float one unit in the last place off,
 * which any REST client's write gets too) are listed apart from real mismatches, with what that means.
 */
import { checkMismatches, type Mismatch, type ValueSide, type VerificationResult } from '../../../shared/contract/verify';
import { fmtDuration } from '../lib/format';

function Side({ side }: { side: ValueSide }) {
  return (
    <span className="vside">
      <code className="vtext">{side.text}</code> <span className={`vtype vtype-${side.type}`}>{side.type}</span>
    </span>
  );
}

function MismatchTable({ rows, testId }: { rows: Mismatch[]; testId: string }) {
  return (
    <div className="table-wrap mismatch-wrap">
      <table className="mismatches" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Point</th>
            <th scope="col">Where</th>
            <th scope="col">Source</th>
            <th scope="col">Qdrant</th>
            <th scope="col">What it means</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m, i) => (
            <tr key={`${m.pointId}-${m.path}-${i}`} data-cause={m.cause}>
              <td>
                <code>{m.pointId}</code>
                {m.faissId !== m.pointId ? <div className="muted small">FAISS id {m.faissId}</div> : null}
              </td>
              <td>
                <code>{m.path || '(whole point)'}</code>
              </td>
              <td>
                <Side side={m.source} />
              </td>
              <td>
                <Side side={m.qdrant} />
              </td>
              <td className="small">{m.explanation}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function VerificationView({ result, testId = 'verification' }: { result: VerificationResult; testId?: string }) {
  const all = result.checks.flatMap((c) => checkMismatches(c));
  const real = all.filter((m) => m.cause !== 'qdrant-json-number');
  const parsing = all.filter((m) => m.cause === 'qdrant-json-number');
  return (
    <div className="verification" data-testid={testId} data-run-id={result.runId ?? ''}>
      <p className={result.passed ? 'ok-text' : 'bad-text'}>
        <strong>{result.verdict}</strong>{' '}
        <span className="muted">
          ({result.collection}, {new Date(result.at).toLocaleString('en-GB')}, {fmtDuration(result.durationMs / 1000)})
        </span>
      </p>
      <ul className="checks">
        {result.checks.map((c) => (
          <li key={c.name} className={c.passed ? 'ok' : 'bad'}>
            <span className="dot" aria-hidden="true" />
            <span>
              <strong>{c.name}</strong>: {c.summary}
            </span>
          </li>
        ))}
      </ul>
      {real.length ? (
        <section className="mismatch-section" aria-label="Differences between the source and Qdrant">
          <h3>Differences ({real.length})</h3>
          <p className="muted small">Qdrant holds something other than the source for these sampled values: an application reading them gets the Qdrant side.</p>
          <MismatchTable rows={real} testId="mismatches" />
        </section>
      ) : null}
      {parsing.length ? (
        <section className="mismatch-section" aria-label="Changed by Qdrant's JSON number parsing">
          <h3>Changed by Qdrant's JSON number parsing ({parsing.length})</h3>
          <p className="muted small" data-testid="parsing-note">
            Not a migration error, and they do not fail the check: Qdrant's REST API reads JSON numbers with a parser that can move a float by one unit in its last digit (or keep an
            integer too large for 64 bits as a float). Every REST client's write of these values, the frameworks' own included, is stored the same way.
          </p>
          <MismatchTable rows={parsing} testId="parsing-mismatches" />
        </section>
      ) : null}
    </div>
  );
}
