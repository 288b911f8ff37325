import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';
import { action } from '../run-action';

// Placeholder until the owning issue lands: says so plainly instead of pretending to work.
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(
      action(async () => {
        throw new UserError('usage', '"status" is not available in this build yet');
      }),
    );
}
