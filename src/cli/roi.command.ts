import { createReadStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { checkAuthorizationLine } from '../modules/roi/index.js';
import { exitCodeOf, openOutFile } from './settings.js';

interface CheckOptions {
  in?: string;
  out?: string;
}

/**
 * Checks every authorization line of `input` and writes one result line per line to `output`, in order. Blank
 * lines are skipped (as `grouper run` and `mce run` do); every other line gets a result, `unreadable` included.
 */
export async function runAuthorizationCheck(
  input: Readable,
  output: Writable,
  today: string,
): Promise<{ lines: number; unreadable: number }> {
  let lines = 0;
  let unreadable = 0;
  const failed: { error?: Error } = {};
  output.on('error', (e: Error) => (failed.error = e));
  const reader = createInterface({ input, crlfDelay: Infinity });
  for await (const raw of reader) {
    const text = lines === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    lines++;
    const result = checkAuthorizationLine(text, today);
    if (result.defects[0] === 'unreadable') unreadable++;
    if (failed.error) throw failed.error;
    if (!output.write(`${JSON.stringify(result)}\n`)) await once(output, 'drain');
  }
  return { lines, unreadable };
}

async function checkAuthorizations(opts: CheckOptions): Promise<void> {
  let input: Readable = process.stdin;
  if (opts.in !== undefined) {
    statSync(opts.in); // throws ENOENT with the path before any output is written
    input = createReadStream(opts.in);
  }
  const output: Writable = opts.out === undefined ? process.stdout : openOutFile(opts.out);
  // A line without `checkedOn` is checked as of today (UTC).
  const summary = await runAuthorizationCheck(input, output, new Date().toISOString().slice(0, 10));
  if (output !== process.stdout) {
    output.end();
    await finished(output);
  }
  if (summary.unreadable > 0)
    process.stderr.write(`roi check-authorization: ${summary.unreadable} of ${summary.lines} lines were unreadable\n`);
}

/**
 * Adds `custodian roi check-authorization [--in FILE] [--out FILE]`: checks HIPAA authorizations (45 CFR 164.508)
 * and Part 2 consents (42 CFR 2.31) from JSON Lines, one result line per authorization. Needs no database.
 */
export function registerRoiCommands(program: Command): void {
  const roi = program.command('roi').description('release of information (45 CFR 164.508, 164.524, 164.528; 42 CFR Part 2)');
  roi
    .command('check-authorization')
    .description('check authorizations: JSON Lines in (one a line), one {"id","valid","defects"} line out per line, same order')
    .option('--in <file>', 'authorizations file (default: stdin)')
    .option('--out <file>', 'results file (default: stdout)')
    .action(async (opts: CheckOptions) => {
      try {
        await checkAuthorizations(opts);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
        process.stderr.write(`roi check-authorization: ${(err as Error).message.split('\n')[0] ?? 'failed'}\n`);
        process.exitCode = exitCodeOf(err);
      }
    });
}
