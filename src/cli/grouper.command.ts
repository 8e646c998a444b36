import { createReadStream, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { openGrouperSet, runGrouperBatch, runGrouperBatchParallel, type GrouperBatchSummary } from '../core/grouper/index.js';
import { loadFolderSettings } from '../config/paths.js';
import { exitCodeOf, openOutFile } from './out-file.js';

interface GrouperRunOptions {
  in?: string;
  out?: string;
  dataDir?: string;
  version?: string;
  workers?: string;
}

/**
 * Input size from which `--workers auto` groups on worker threads: each thread costs ~50 ms to start (module
 * load and table snapshot), so threads pay only from about half a second of single-thread work (~50,000 claims).
 */
const PARALLEL_FROM_BYTES = 16 * 1024 * 1024;

function parseWorkers(value: string | undefined, totalBytes: number | undefined): number {
  if (value === undefined || value === 'auto') {
    return totalBytes !== undefined && totalBytes >= PARALLEL_FROM_BYTES ? Math.min(os.availableParallelism(), 8) : 1;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`--workers must be a whole number from 1 to 256, got "${value}"`);
  return n;
}

async function runGrouper(opts: GrouperRunOptions): Promise<void> {
  const { dataDir, varDir } = loadFolderSettings(process.env, { dataDir: opts.dataDir });
  const cacheDir = path.join(varDir, 'grouper');
  const set = openGrouperSet(dataDir, { cacheDir }); // throws with the folder name when the data is missing
  if (opts.version !== undefined && !set.versions.includes(opts.version)) {
    throw new Error(`MS-DRG version ${opts.version} not found (available: ${set.versions.join(', ')})`);
  }
  let input: Readable = process.stdin;
  let totalBytes: number | undefined;
  if (opts.in !== undefined) {
    totalBytes = statSync(opts.in).size; // fails with the path before any output is written
    input = createReadStream(opts.in, { highWaterMark: 1 << 20 });
  }
  const workers = parseWorkers(opts.workers, totalBytes);
  const output: Writable = opts.out === undefined ? process.stdout : openOutFile(opts.out);
  const common = { dataDir, cacheDir, version: opts.version, totalBytes };
  const summary: GrouperBatchSummary =
    workers > 1
      ? await runGrouperBatchParallel(input, output, { ...common, workers })
      : await runGrouperBatch(input, output, { ...common, grouperSet: set });
  if (output !== process.stdout) {
    output.end();
    await finished(output);
  }
  if (summary.errors > 0) process.stderr.write(`grouper run: ${summary.errors} of ${summary.lines} lines had errors (see "error" lines)\n`);
}

/**
 * Adds `custodian grouper run [--in FILE] [--out FILE] [--data-dir DIR] [--version 43.1] [--workers N]`:
 * groups claims (JSON Lines) with the MS-DRG grouper. stdin/stdout when files are omitted; a failure
 * prints one line and exits non-zero.
 */
export function registerGrouperCommands(program: Command): void {
  const grouper = program.command('grouper').description('CMS MS-DRG grouper for inpatient claims');
  grouper
    .command('run')
    .description('group claims: JSON Lines in (one claim a line), one result line out per claim, same order')
    .option('--in <file>', 'claims file (default: stdin)')
    .option('--out <file>', 'results file (default: stdout)')
    .option(
      '--data-dir <dir>',
      'CMS data folder holding <fy>/grouper-derived/msdrg-vNN.N (default: $CUSTODIAN_DATA_DIR or ../shared/data/cms)',
    )
    .option(
      '--version <version>',
      "MS-DRG version for every claim, e.g. 43.1 (default: the claim's grouperVersion, else by discharge date)",
    )
    .option('--workers <n>', 'worker threads, or auto: all cores for an input file of 16 MB or more, else 1 (default: auto)')
    .action(async (opts: GrouperRunOptions) => {
      try {
        await runGrouper(opts);
      } catch (err) {
        // A closed pipe (`... | head`) is the reader's choice, not a failure.
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
        process.stderr.write(`grouper run: ${(err as Error).message.split('\n')[0] ?? 'failed'}\n`);
        process.exitCode = exitCodeOf(err);
      }
    });
}
