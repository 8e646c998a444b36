import { Command } from 'commander';
import { registerServeCommand } from './serve.command.js';
import { registerAuditCommands, registerDbCommands, registerDemoCommands } from './admin.command.js';
import { registerUsersCommands } from './users.command.js';
import { registerGrouperCommands } from './grouper.command.js';
import { registerMceCommands } from './mce.command.js';
import { registerCodesCommands } from './codes.command.js';
import { registerMpiCommands } from './mpi.command.js';
import { registerHl7Commands } from './hl7.command.js';
import { openCliDeps } from './shared.js';
import { registerQueriesCommands } from './queries.command.js';
import { registerDocumentsCommands } from './documents.command.js';
import { registerScanningCommands } from './scanning.command.js';

/** The `custodian` command. Each capability registers its own sub-commands; they call services, never SQL. */
export function buildProgram(): Command {
  const program = new Command('custodian')
    .description('Custodian health information management: server, database, users, audit, code sets, grouper')
    .showHelpAfterError('(run with --help for usage)');
  registerServeCommand(program);
  registerDbCommands(program);
  registerUsersCommands(program, async (opts) => {
    const { modules, close } = await openCliDeps(opts);
    return { deps: modules.users, close };
  });
  registerAuditCommands(program);
  registerDemoCommands(program);
  registerCodesCommands(program);
  registerGrouperCommands(program);
  registerMceCommands(program);
  registerMpiCommands(program);
  registerHl7Commands(program);
  registerQueriesCommands(program);
  registerDocumentsCommands(program);
  registerScanningCommands(program);
  return program;
}
