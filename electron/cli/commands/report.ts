/**
 * `xnai-migrate report --format html|json|md --out FILE`: write the run's report (configuration without
 * secrets, source, timeline, charts, totals, failed points, verification, collection info).
 */
import { writeFile, rename } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { REPORT_FORMATS, type ReportFormat } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { action } from '../run-action';
import { addConfigOptions, loadCliTarget } from './verify';

export function registerReport(program: Command): void {
  const cmd = program
    .command('report')
    .description('Write the migration report: configuration (secrets removed), source, timeline, throughput and memory charts, totals, failed points, verification, collection info.')
    .addOption(new Option('--format <format>', 'report format').choices([...REPORT_FORMATS]).default('html'))
    .option('--out <file>', 'file to write (default: a name with the collection and time, in the current folder)')
    .option('--run <id>', 'report this run of the history ("xnai-migrate runs" lists them); default: the current or last run');
  addConfigOptions(cmd);
  cmd.action(
    action(async (opts: Record<string, unknown>) => {
      const target = await loadCliTarget(opts);
      const { buildReport } = await import('../../engine/report/index');
      const report = await buildReport(target, opts.format as ReportFormat, typeof opts.run === 'string' ? opts.run : undefined);
      const out = typeof opts.out === 'string' && opts.out ? opts.out : report.filename;
      // Write beside, then rename: a failed write never leaves a half report under the final name.
      const tmp = `${out}.partial`;
      try {
        await writeFile(tmp, report.content, 'utf8');
        await rename(tmp, out);
      } catch (e) {
        throw new UserError('usage', `cannot write the report to ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      process.stdout.write(`Report written to ${out} (${report.content.length.toLocaleString('en-US')} bytes, ${opts.format as string})\n`);
    }),
  );
}
