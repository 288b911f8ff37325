import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';
import { action } from '../run-action';

// Placeholder until the owning issue lands: says so plainly instead of pretending to work.
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(
      action(async () => {
        throw new UserError('usage', '"run" is not available in this build yet');
      }),
    );
}
