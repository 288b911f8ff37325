/** Is `name` one of the contract's commands (own property of `Commands`, never a prototype name). */
import { Commands, type CommandName } from '../../../shared/contract';

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(Commands, name);
}
