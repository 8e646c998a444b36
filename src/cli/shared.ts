import { Command } from 'commander';
import { osUserName } from '../config/config.js';
import { invalidField } from '../core/errors.js';
import { findInvalidText } from '../core/shared/text.js';
import { createLogger, openAppDeps } from '../app/bootstrap.js';
import type { AppDeps } from '../app/deps.js';
import { buildModuleDeps, type ModuleDeps } from '../app/modules.js';
import { systemActor, type Actor } from '../modules/access/index.js';
import { cliDefaults, configFromFlags, exitCodeOf } from './settings.js';

// The light helpers live in settings.ts so that commands without a database do not load the app.
export { cliDefaults, configFromFlags, exitCodeOf, withDatabaseOptions } from './settings.js';

/**
 * Opens the database for a CLI command (applying pending migrations unless `migrate: false`) and wires it as the
 * server is wired: the shared parts (`deps`) and each module's deps cut from them (`modules`, src/app/modules.ts).
 */
export async function openCliDeps(
  opts: { database?: string; dataDir?: string },
  o: { migrate?: boolean } = {},
): Promise<{ deps: AppDeps; modules: ModuleDeps; close: () => Promise<void> }> {
  const config = configFromFlags(opts, cliDefaults);
  const { deps, close } = await openAppDeps(config, { migrate: o.migrate ?? true, logger: createLogger(config) });
  return { deps, modules: buildModuleDeps(deps), close };
}

/** The actor of work done from the command line: the CLI, named after the OS user who ran it (`cli:<user>`). */
export function cliActor(): Actor {
  return systemActor(`cli:${osUserName()}`);
}

/**
 * Refuses arguments and option values with text the databases would store altered or not at all (a lone
 * surrogate, NUL: src/core/shared/text.ts), naming the option (`--display-name`) or argument (`<username>`).
 * A shell cannot pass either (argv is decoded from UTF-8 and cannot hold NUL), but a program calling
 * `buildProgram().parseAsync([...])` can.
 */
function checkArgumentText(args: unknown[]): void {
  const cmd = args.find((a): a is Command => a instanceof Command);
  args.forEach((arg, i) => {
    if (arg instanceof Command) return;
    const bad = findInvalidText(arg);
    if (!bad) return;
    const isOptions = typeof arg === 'object' && arg !== null && !Array.isArray(arg);
    const name = isOptions
      ? `--${(bad.path.split('.')[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
      : `<${cmd?.registeredArguments[i]?.name() ?? `argument ${i + 1}`}>`;
    throw invalidField(name, bad.problem);
  });
}

/**
 * Runs a command body after checking the text of its arguments; any error becomes one line on stderr and exit
 * code 1 (2 for bad settings).
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      checkArgumentText(args);
      await fn(...args);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`custodian: ${msg.split('\n')[0]}\n`);
      process.exitCode = exitCodeOf(e);
    }
  };
}

/** A one-line progress display on stderr, only when stderr is a terminal. */
export function progress(label: string): (done: number, total: number) => void {
  if (!process.stderr.isTTY) return () => {};
  let last = -1;
  return (done, total) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    if (pct === last && done !== total) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% (${done}/${total})`);
    if (done >= total) process.stderr.write('\n');
  };
}
