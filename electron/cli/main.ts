#!/usr/bin/env node
/**
 * `xnai-migrate`: the terminal host. Argument parsing is commander's (well kept, typed, generates help);
 * each subcommand lives in its own module under ./commands and only translates flags into engine calls.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode } from '../../shared/errors';
import { registerInspect } from './commands/inspect';
import { registerExport } from './commands/export';
import { registerRun } from './commands/run';
import { registerStatus } from './commands/status';
import { registerReset } from './commands/reset';
import { registerVerify } from './commands/verify';
import { registerReport } from './commands/report';
import { registerUi } from './commands/ui';
import { registerServices } from './commands/services';
import { registerState } from './commands/state';
import { registerRuns } from './commands/runs';

export function buildProgram(): Command {
  const program = new Command('xnai-migrate')
    .description('Move a FAISS vector store (index file, LangChain or LlamaIndex folder) into Qdrant, resumably and verifiably.')
    .version('0.1.0')
    .showHelpAfterError('(run "xnai-migrate --help" for usage)')
    .exitOverride();
  for (const register of [registerInspect, registerExport, registerRun, registerStatus, registerReset, registerRuns, registerVerify, registerReport, registerUi, registerServices, registerState]) {
    register(program);
  }
  return program;
}

async function main(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed its one-line message; help and version exit 0.
      process.exitCode = e.exitCode === 0 ? 0 : ExitCode.usage;
      return;
    }
    throw e;
  }
}

void main();
