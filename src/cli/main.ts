#!/usr/bin/env node
// The `docket` command. Each subcommand lives in its own file under
// commands/ and registers itself on the program; add new ones to COMMANDS.
import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';
import { reportAndExit } from './output.js';

const program = new Command('docket')
  .description('Background jobs for Node.js: run workers, inspect and operate queues and jobs.')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ outputError: (text, write) => write(text) });

for (const register of COMMANDS) register(program);

program.parseAsync(process.argv).catch(reportAndExit);
