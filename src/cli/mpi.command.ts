import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { dedupeRecords, linkRecords, parsePersonCsv, type LinkageResult, type PersonRecord } from '../core/matching/index.js';
import { systemActor } from '../modules/access/index.js';
import {
  fitMpiModel,
  rebuildMatchKeys,
  resetMpiModel,
  type FitOutcome,
  type ModelChangeOutcome,
  type MpiModelView,
} from '../modules/mpi/index.js';
import { action, openCliDeps, withDatabaseOptions } from './shared.js';

const LinkOptions = z.object({
  input: z.array(z.string().min(1)).min(1, 'give --input once or twice').max(2, 'at most two --input files'),
  output: z.string().min(1),
  threshold: z.coerce.number().gt(0).lte(1).default(0.5),
  /** false (`--no-cluster`): only pairs that score at or above the threshold themselves. */
  cluster: z.boolean().default(true),
});

export interface LinkOutcome {
  pairs: number;
  records: number[];
  badRows: number;
}

function readRecords(path: string, warn: (line: string) => void): { records: PersonRecord[]; bad: number } {
  const { records, errors } = parsePersonCsv(readFileSync(path, 'utf8'));
  // Row numbers only: the rows themselves are PHI.
  for (const e of errors) warn(`${path}:${e.line}: skipped: ${e.message}`);
  return { records, bad: errors.length };
}

/** Formats linked pairs as `rec_id_1,rec_id_2,score`, best first. */
export function formatPairsCsv(result: LinkageResult): string {
  const rows = [...result.pairs].sort((a, b) => b.weight - a.weight).map((p) => `${p.id1},${p.id2},${p.score.toFixed(6)}`);
  return ['rec_id_1,rec_id_2,score', ...rows].join('\n') + '\n';
}

/**
 * Batch linkage of person CSV files (FEBRL's layout, or rec_id/unique_id with name, date of birth, sex,
 * city, e-mail, phone... columns: `parsePersonCsv`): one input finds duplicates within it, two inputs find
 * links between them. Linked records are grouped into persons and every pair within a group is written
 * (`--no-cluster`: only pairs scoring at or above the threshold). Malformed rows and repeated ids are
 * reported on stderr by line number and skipped; the rest are linked.
 */
export function runMpiLink(raw: unknown, warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): LinkOutcome {
  const opts = LinkOptions.parse(raw);
  const inputs = opts.input.map((p) => readRecords(p, warn));
  const [first, second] = inputs;
  if (!first) throw new Error('no input');
  const result = second
    ? linkRecords(first.records, second.records, { threshold: opts.threshold, cluster: opts.cluster })
    : dedupeRecords(first.records, { threshold: opts.threshold, cluster: opts.cluster });
  writeFileSync(opts.output, formatPairsCsv(result));
  const badRows = inputs.reduce((n, i) => n + i.bad, 0);
  warn(
    `mpi link: ${inputs.map((i) => i.records.length).join(' + ')} records, ${result.stats.comparisons} comparisons, ` +
      `${result.pairs.length} pairs at threshold ${opts.threshold}${opts.cluster ? ` (${result.clusters.length} persons with several records)` : ''}, ${badRows} rows skipped`,
  );
  return { pairs: result.pairs.length, records: inputs.map((i) => i.records.length), badRows };
}

/** The model in use: its weights per field and level, and how it scores the clerks' resolved pairs (counts only). */
function formatModelInUse(model: MpiModelView): string[] {
  const weights = model.fields.map((f) => `  ${f.field}: ${f.levels.map((l) => `${l.level} ${l.weight.toFixed(2)}`).join(', ')}`);
  const e = model.evaluation;
  return [
    `weights (log2 m/u) of the ${model.source} model in use:`,
    ...weights,
    `clerks' decisions (latest ${e.limit}), scored at or above ${e.reviewThreshold}: merged ${e.merged.atOrAboveReview} of ${e.merged.pairs}, not duplicates ${e.notDuplicate.atOrAboveReview} of ${e.notDuplicate.pairs}`,
  ];
}

/** One line per outcome of `mpi fit-weights`: counts and weights only, never a patient. */
export function formatFitOutcome(r: FitOutcome): string {
  const head = r.fitted
    ? `fitted from ${r.patients} patients: ${r.candidatePairs} candidate pairs, ${r.randomPairs} random pairs, ${r.iterations} EM iterations; prior ${r.model.prior.toExponential(2)}`
    : `kept the ${r.model.source} model: ${r.reason ?? 'no reason given'}`;
  return [head, ...formatModelInUse(r.model)].join('\n') + '\n';
}

/** What `mpi use-default-weights` did: which fit is no longer in use, and the default model's weights. */
export function formatResetOutcome(r: ModelChangeOutcome): string {
  return (
    [
      `using the ${r.model.source} model now; fit ${r.previousId ?? '(none)'} is no longer in use (kept, can be made live again)`,
      ...formatModelInUse(r.model),
    ].join('\n') + '\n'
  );
}

/** Registers `mpi link`, `mpi fit-weights`, `mpi use-default-weights` and `mpi rebuild-keys` on the root program. */
export function registerMpiCommands(program: Command): void {
  const mpi = program.command('mpi').description('Master patient index tools');
  mpi
    .command('link')
    .description(
      'Find pairs of person records (CSV: FEBRL layout, or rec_id/unique_id, name, dob, sex, city, email, phone columns) that are the same person',
    )
    .requiredOption(
      '--input <file>',
      'person CSV file; give twice to link two files',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .requiredOption('--output <file>', 'CSV to write: rec_id_1,rec_id_2,score')
    .option('--threshold <probability>', 'minimum match probability, 0-1 (default 0.5)')
    .option('--no-cluster', 'write only pairs scoring at or above the threshold, not every pair of a person grouped through others')
    .action((options: Record<string, unknown>) => {
      try {
        runMpiLink(options);
      } catch (e) {
        const message =
          e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (e as Error).message;
        process.stderr.write(`mpi link: ${message}\n`);
        process.exitCode = 1;
      }
    });
  withDatabaseOptions(
    mpi.command('fit-weights').description('fit the m/u weights and prior of the live matcher to the stored patients (used from then on)'),
  ).action(
    action(async (opts: { database?: string; dataDir?: string }) => {
      const { modules, close } = await openCliDeps({ ...program.opts(), ...opts });
      try {
        process.stdout.write(formatFitOutcome(await fitMpiModel(modules.mpi, systemActor('cli:mpi-fit-weights'))));
      } finally {
        await close();
      }
    }),
  );
  withDatabaseOptions(
    mpi.command('use-default-weights').description('go back to the built-in default model of the live matcher (stored fits are kept)'),
  ).action(
    action(async (opts: { database?: string; dataDir?: string }) => {
      const { modules, close } = await openCliDeps({ ...program.opts(), ...opts });
      try {
        process.stdout.write(formatResetOutcome(await resetMpiModel(modules.mpi, systemActor('cli:mpi-use-default-weights'))));
      } finally {
        await close();
      }
    }),
  );
  withDatabaseOptions(
    mpi
      .command('rebuild-keys')
      .description("recompute every patient's stored blocking keys (done by itself at start-up when the key version changed)"),
  ).action(
    action(async (opts: { database?: string; dataDir?: string }) => {
      const { modules, close } = await openCliDeps({ ...program.opts(), ...opts });
      try {
        const r = await rebuildMatchKeys(modules.patients.db, modules.patients);
        process.stdout.write(`rebuilt the match keys of ${r.patients} patients (key version ${r.keyVersion.split(':')[0]})\n`);
      } finally {
        await close();
      }
    }),
  );
}
