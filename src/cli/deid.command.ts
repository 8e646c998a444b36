import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { repoRoot } from '../config/config.js';
import { buildDeidLexicon, loadNameLists, runDeidBatch } from '../core/deid/index.js';
import { exitCodeOf, openOutFile } from './settings.js';

interface DeidTextOptions {
  in?: string;
  out?: string;
  namesDir?: string;
  corpusNames?: boolean;
}

/** The person-record files whose names the de-identifier learns by default (read in place, when present). */
const DEFAULT_NAMES_DIR = path.resolve(repoRoot, '..', 'shared', 'corpora', 'record-linkage');

async function runDeidText(opts: DeidTextOptions): Promise<void> {
  const namesDir = opts.namesDir ?? (opts.corpusNames !== false && existsSync(DEFAULT_NAMES_DIR) ? DEFAULT_NAMES_DIR : undefined);
  const lexicon = buildDeidLexicon(namesDir === undefined ? [] : loadNameLists(namesDir));
  let input: Readable = process.stdin;
  if (opts.in !== undefined) {
    statSync(opts.in); // throws ENOENT with the path before any output is written
    input = createReadStream(opts.in);
  }
  const output: Writable = opts.out === undefined ? process.stdout : openOutFile(opts.out);
  const summary = await runDeidBatch(input, output, lexicon);
  if (output !== process.stdout) {
    output.end();
    await finished(output);
  }
  for (const e of summary.errors) process.stderr.write(`deid text: ${e.message}\n`);
  if (summary.errors.length > 0) {
    process.stderr.write(`deid text: ${summary.errors.length} bad line(s); their output lines hold "error" and no text\n`);
    process.exitCode = 1;
  }
}

/**
 * Adds `custodian deid text [--in FILE] [--out FILE] [--names-dir DIR]`: HIPAA Safe Harbor de-identification of
 * notes (JSON Lines in, JSON Lines out in the same order, identifiers replaced by bracketed category tags).
 */
export function registerDeidCommands(program: Command): void {
  const deid = program.command('deid').description('de-identification (HIPAA Safe Harbor, 45 CFR 164.514(b)(2))');
  deid
    .command('text')
    .description('de-identify notes: JSON Lines {"id","text"} in, the same ids in the same order out, identifiers as [CATEGORY]')
    .option('--in <file>', 'notes file (default: stdin)')
    .option('--out <file>', 'output file (default: stdout)')
    .option(
      '--names-dir <dir>',
      'folder of person-record CSV files whose given and family names are learnt (default: ../shared/corpora/record-linkage when present)',
    )
    .option('--no-corpus-names', 'use only the built-in name lists')
    .action(async (opts: DeidTextOptions) => {
      try {
        await runDeidText(opts);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
        process.stderr.write(`deid text: ${(err as Error).message.split('\n')[0] ?? 'failed'}\n`);
        process.exitCode = exitCodeOf(err);
      }
    });
}
