/** Running the engine's programs (ffmpeg, pocketsphinx, espeak-ng) with their output collected and an abort. */
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs `command args`, feeding `input` to its stdin, and collects its output. Rejects with the spawn error (e.g.
 * ENOENT when the program is not installed) or an AbortError when `signal` fires (the process is killed).
 */
export function runProgram(
  command: string,
  args: readonly string[],
  options: { input?: Buffer; signal?: AbortSignal } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    options.signal?.throwIfAborted();
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], signal: options.signal });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    // A program that exits before reading all of stdin closes the pipe: that is its exit code's business, not an error.
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(options.input);
  });
}

/** True for the error a spawn raises when its AbortSignal fired. */
export function isAbort(e: unknown): boolean {
  return (e as Error | undefined)?.name === 'AbortError';
}
