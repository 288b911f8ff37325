/**
 * test:live's second reporter: one line per test that skipped with a note (`ctx.skip(note)`, e.g. from
 * `needsStandIn()`), so the run says what it did not test against the real server and why.
 */
import { relative } from 'node:path';
import type { Reporter, TestCase } from 'vitest/node';

export default class SkipNotesReporter implements Reporter {
  private readonly lines: string[] = [];

  onTestCaseResult(test: TestCase): void {
    const r = test.result();
    if (r.state === 'skipped' && r.note) this.lines.push(`  ${relative(process.cwd(), test.module.moduleId)} > ${test.fullName}: ${r.note}`);
  }

  onTestRunEnd(): void {
    if (this.lines.length === 0) return;
    this.lines.sort();
    process.stdout.write(`\nSkipped against the real Qdrant (${this.lines.length}):\n${this.lines.join('\n')}\n`);
  }
}
