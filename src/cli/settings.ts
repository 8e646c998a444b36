/**
 * Settings helpers of the CLI that load nothing heavy (no database, no app): commands that only read files
 * (grouper, mce, codes) import these, not shared.ts.
 */
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { loadConfig, type Config } from '../config/config.js';
import { exitCodeOf } from './out-file.js';

export { exitCodeOf, openOutFile } from './out-file.js';

/** The --database and --data-dir flags common to commands that open the database. */
export function withDatabaseOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--database <url>', 'SQLite file path or postgres:// URL (env CUSTODIAN_DATABASE_URL)'))
    .addOption(new Option('--data-dir <dir>', 'folder of the official CMS/CDC code-set files (env CUSTODIAN_DATA_DIR)'));
}

/**
 * The settings of a command: the environment (src/config/config.ts), then its flags. `defaults` replaces built-in
 * defaults (see cliDefaults).
 */
export function configFromFlags(
  opts: {
    database?: string | undefined;
    dataDir?: string | undefined;
    codesetsDir?: string | undefined;
    port?: string | undefined;
    mllpPort?: string | undefined;
  },
  defaults: Partial<Record<keyof Config, unknown>> = {},
): Config {
  return loadConfig(
    process.env,
    { databaseUrl: opts.database, dataDir: opts.dataDir, codesetsDir: opts.codesetsDir, port: opts.port, mllpPort: opts.mllpPort },
    defaults,
  );
}

/** Commands other than `serve` log quietly to stderr (warnings only) unless CUSTODIAN_LOG_LEVEL says otherwise. */
export const cliDefaults: Partial<Record<keyof Config, unknown>> = Object.freeze({ logLevel: 'warn' });

/**
 * Runs a synchronous command's work and turns a failure into one line on stderr (`<command>: <first line>`, zod
 * issues as `path: message`) and the exit code; a closed pipe (EPIPE, `| head`) ends quietly.
 */
export function runGuarded(command: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
    const msg =
      err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ') : (err as Error).message;
    process.stderr.write(`${command}: ${msg.split('\n')[0] ?? 'failed'}\n`);
    process.exitCode = exitCodeOf(err);
  }
}
