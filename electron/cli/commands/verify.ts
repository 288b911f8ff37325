import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';
import { action } from '../run-action';

// Placeholder until the owning issue lands: says so plainly instead of pretending to work.
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(
      action(async () => {
        throw new UserError('usage', '"verify" is not available in this build yet');
      }),
    );
}
