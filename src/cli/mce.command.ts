import { createReadStream, statSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { loadCodeEditor, runMceBatch } from '../core/mce/index.js';
import { configFromFlags, exitCodeOf, openOutFile } from './settings.js';

interface MceRunOptions {
  in?: string;
  out?: string;
  dataDir?: string;
  release?: string;
  messages?: boolean;
}

async function runMce(opts: MceRunOptions): Promise<void> {
  const editor = await loadCodeEditor(configFromFlags({ dataDir: opts.dataDir }).dataDir, { release: opts.release });
  let input: Readable = process.stdin;
  let totalBytes: number | undefined;
  if (opts.in !== undefined) {
    totalBytes = statSync(opts.in).size; // throws ENOENT with the path before any output is written
    input = createReadStream(opts.in);
  }
  const output: Writable = opts.out === undefined ? process.stdout : openOutFile(opts.out);
  const summary = await runMceBatch(input, output, { editor, totalBytes, messages: opts.messages });
  if (output !== process.stdout) {
    output.end();
    await finished(output);
  }
  if (summary.errors > 0) process.stderr.write(`mce run: ${summary.errors} of ${summary.lines} lines had errors (see "error" lines)\n`);
}

/**
 * Adds `custodian mce run [--in FILE] [--out FILE] [--data-dir DIR]`: edits claims (JSON Lines) with the
 * CMS Medicare Code Editor. stdin/stdout when files are omitted; a failure prints one line and exits non-zero.
 */
export function registerMceCommands(program: Command): void {
  const mce = program.command('mce').description('Medicare Code Editor (CMS MCE) for inpatient claims');
  mce
    .command('run')
    .description('edit claims: JSON Lines in (one claim a line), one result line out per claim, same order')
    .option('--in <file>', 'claims file (default: stdin)')
    .option('--out <file>', 'results file (default: stdout)')
    .option('--data-dir <dir>', 'CMS data folder holding mce-NN.N tables (default: $CUSTODIAN_DATA_DIR or ../shared/data/cms)')
    .option('--release <version>', 'MCE release to use, e.g. 43.1 (default: the latest found)')
    .option('--messages', 'add a readable message per edit to each result line')
    .action(async (opts: MceRunOptions) => {
      try {
        await runMce(opts);
      } catch (err) {
        // A closed pipe (`... | head`) is the reader's choice, not a failure.
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
        process.stderr.write(`mce run: ${(err as Error).message.split('\n')[0] ?? 'failed'}\n`);
        process.exitCode = exitCodeOf(err);
      }
    });
}
