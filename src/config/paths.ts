/**
 * The folder settings (data dir, var dir) and the settings error, without the full schema: a command that only
 * reads files (`grouper run`) resolves its folders here and loads no validation library at start-up.
 * loadConfig (config.ts) uses the same defaults, so both read the environment alike.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (two levels above this file in src/ and in dist/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A wrong setting: the CLI exits with code 2. */
export class ConfigError extends Error {}

/** Default var dir: $CUSTODIAN_VAR_DIR, else `<repo>/var`. */
export function defaultVarDir(env: NodeJS.ProcessEnv): string {
  return env.CUSTODIAN_VAR_DIR ?? path.join(repoRoot, 'var');
}

/** Default CMS data folder: `<repo>/../shared/data/cms`. */
export const defaultDataDir = (): string => path.resolve(repoRoot, '..', 'shared', 'data', 'cms');

/**
 * dataDir and varDir as loadConfig gives them (defaults, then CUSTODIAN_DATA_DIR / CUSTODIAN_VAR_DIR, then the
 * `--data-dir` flag), for commands that need nothing else.
 */
export function loadFolderSettings(
  env: NodeJS.ProcessEnv = process.env,
  flags: { dataDir?: string | undefined } = {},
): Readonly<{ dataDir: string; varDir: string }> {
  const varDir = defaultVarDir(env);
  if (varDir === '') throw new ConfigError('invalid setting varDir (CUSTODIAN_VAR_DIR): must not be empty');
  const fromEnv = env.CUSTODIAN_DATA_DIR === '' ? undefined : env.CUSTODIAN_DATA_DIR;
  const dataDir = flags.dataDir ?? fromEnv ?? defaultDataDir();
  if (dataDir === '') throw new ConfigError('invalid setting dataDir (CUSTODIAN_DATA_DIR): must not be empty');
  return Object.freeze({ dataDir, varDir });
}
