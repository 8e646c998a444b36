import { Option, type Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { createLogger, openAppDeps } from '../app/bootstrap.js';
import type { AppDeps } from '../http/context.js';

/** The --database and --data-dir flags common to commands that open the database. */
export function withDatabaseOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--database <url>', 'SQLite file path or postgres:// URL (env CUSTODIAN_DATABASE_URL)'))
    .addOption(new Option('--data-dir <dir>', 'folder of the official CMS/CDC code-set files (env CUSTODIAN_DATA_DIR)'));
}

export function configFromFlags(opts: { database?: string; dataDir?: string; port?: string; mllpPort?: string }): Config {
  return loadConfig(process.env, { databaseUrl: opts.database, dataDir: opts.dataDir, port: opts.port, mllpPort: opts.mllpPort });
}

/** Opens the database for a CLI command (logging quietly to stderr, warnings only). */
export async function openCliDeps(opts: { database?: string; dataDir?: string }, o: { migrate?: boolean } = {}): Promise<{ deps: AppDeps; close(): Promise<void> }> {
  const config = configFromFlags(opts);
  return openAppDeps(config, {
    migrate: o.migrate ?? true, logger: createLogger({ logLevel: process.env.CUSTODIAN_LOG_LEVEL === undefined ? 'warn' : config.logLevel }) });
}

/** Runs a command body; any error becomes one line on stderr and exit code 1 (2 for bad settings). */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`custodian: ${msg.split('\n')[0]}\n`);
      process.exitCode = e instanceof ConfigError ? 2 : 1;
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
