/** Runs the `custodian` command in-process for CLI tests: what it prints and its exit code. */
import { vi } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';

/** The exit code set so far (read in a function: after `process.exitCode = 0` the checker would narrow it to 0). */
const exitCode = (): number => Number(process.exitCode ?? 0);

/** Runs `custodian <args>` and captures stdout, stderr and the exit code (commander's own exits included). */
export async function runCli(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  process.exitCode = 0;
  try {
    const program = buildProgram().exitOverride();
    program.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    await program.parseAsync(['node', 'custodian', ...args]);
  } catch (x) {
    if (!(x instanceof Error && 'exitCode' in x)) throw x;
    process.exitCode = (x as { exitCode: number }).exitCode;
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = exitCode();
  process.exitCode = 0;
  return { out, err, code };
}
