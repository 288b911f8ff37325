/**
 * The verdict line: PASS or FAIL, then each check in a few words. On failure the failing checks come
 * first with what they found (the point ids), so the one line a user sees names the problem.
 */
import type { CheckResult } from '../../../shared/contract';

function short(c: CheckResult): string {
  const d = c.details as Record<string, unknown>;
  switch (c.name) {
    case 'count':
      return `${String(d.qdrant)}/${String(d.expected ?? d.source)} points`;
    case 'vectors':
      return `${String(d.matching)}/${String(d.sampled)} sampled vectors ${d.comparison === 'bit-exact' ? 'exact' : 'equal'}`;
    case 'payloads':
      return c.passed ? 'payloads match' : `${String(d.matching)}/${String(d.sampled)} payloads match`;
    case 'search':
      return `exact search ${String(d.agreeing)}/${String(d.queries)}`;
    case 'recall':
      return `recall@10 ${typeof d.recallAt10 === 'number' ? d.recallAt10.toFixed(2) : '?'}`;
    case 'ids':
      if (!c.passed) return `${String(d.missing)} ids missing, ${String(d.unexpected)} unexpected`;
      return d.duplicateLabels ? `all ids present (${String(d.duplicateLabels)} rows repeat a label)` : 'all ids present';
    case 'cluster':
      return c.passed ? `${String(d.shardCount)} shards, ${String(d.replicas)} replicas Active` : c.summary;
    default:
      return c.summary;
  }
}

export function verdictLine(checks: CheckResult[]): string {
  const failed = checks.filter((c) => !c.passed);
  const skippedRecall = (c: CheckResult) => c.name === 'recall' && (c.details as { queries?: number }).queries === 0;
  const overview = checks.filter((c) => c.name !== 'collection' && !skippedRecall(c)).map(short).join(', ');
  if (failed.length === 0) return `PASS: ${overview}`;
  const problems = failed.map((c) => `${c.name}: ${c.summary}`).join('; ');
  return overview ? `FAIL: ${problems} | ${overview}` : `FAIL: ${problems}`;
}
