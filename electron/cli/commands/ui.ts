import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';
import { action } from '../run-action';

// Placeholder until the owning issue lands: says so plainly instead of pretending to work.
export function registerUi(program: Command): void {
  program
    .command('ui')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(
      action(async () => {
        throw new UserError('usage', '"ui" is not available in this build yet');
      }),
    );
}
