/**
 * The `--out FILE` opener and the exit code of a failure, without the settings schema: `grouper run` imports
 * these (and config/paths.ts) so that its start-up loads no validation library. settings.ts re-exports both.
 */
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { ConfigError } from '../config/paths.js';

/** Exit code of a failed command: 2 for bad settings (ConfigError), 1 for anything else. */
export function exitCodeOf(e: unknown): number {
  return e instanceof ConfigError ? 2 : 1;
}

/**
 * Opens `--out FILE` for writing before any work starts, so a path that cannot be written (no such folder, no
 * permission, a directory) fails with one line naming the file instead of an unhandled stream error and a stack.
 */
export function openOutFile(file: string): WriteStream {
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    const why: Record<string, string> = {
      ENOENT: 'its folder does not exist',
      EACCES: 'permission denied',
      EISDIR: 'it is a folder',
      EROFS: 'read-only file system',
    };
    throw new Error(`cannot write --out ${file}: ${why[code] ?? code}`, { cause: e });
  }
  return createWriteStream(file, { fd });
}
