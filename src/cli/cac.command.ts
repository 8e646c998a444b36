/**
 * `custodian cac ...`: computer-assisted coding on the command line — code suggestions with evidence for text
 * files (`suggest`), and building the knowledge it reads (`build`, also done on first use and cached under the
 * var dir: `<var>/cac/knowledge.v8`).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadCodeSets, type CodeSets } from '../core/codesets/index.js';
import { loadCacKnowledge, readCacKnowledge, suggestCodes, type CacKnowledge, type Suggestion } from '../core/cac/index.js';
import { configFromFlags, runGuarded } from './settings.js';
import type { Config } from '../config/config.js';

/** Where output goes; tests pass collectors, the CLI passes stdout/stderr. */
export interface CacIo {
  out: (line: string) => void;
  err: (line: string) => void;
}
const stdio: CacIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

const knowledgeSchema = z.object({
  dataDir: z.string().optional(),
  snapshotDir: z.string().optional(),
  train: z.string().optional(),
  knowledge: z.string().optional(),
  rebuild: z.boolean().optional(),
});
const suggestSchema = knowledgeSchema.extend({
  in: z.string().min(1, 'required: --in PATH (a .txt file or a folder of them)'),
  system: z.enum(['cm', 'pcs', 'both']).default('both'),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
  setting: z.enum(['inpatient', 'outpatient']).default('inpatient'),
  json: z.boolean().optional(),
});
export type CacSuggestOptions = z.input<typeof suggestSchema>;
export type CacKnowledgeOptions = z.input<typeof knowledgeSchema>;

/** CodiEsp train beside the shared data: `<data>/../../corpora/notes-icd10/codiesp/train`. */
function defaultTrainDir(config: Config): string {
  return path.resolve(config.dataDir, '..', '..', 'corpora', 'notes-icd10', 'codiesp', 'train');
}

/**
 * The knowledge: --knowledge FILE as is; else the cache `<var>/cac/knowledge.v8` when it is fresh (same code-set
 * snapshot, same corpus files, same format), else built (code sets + CodiEsp train) and cached.
 */
export function loadKnowledgeForCli(input: CacKnowledgeOptions, io: CacIo = stdio): CacKnowledge {
  const opts = knowledgeSchema.parse(input);
  if (opts.knowledge !== undefined) return readCacKnowledge(opts.knowledge);
  const config = configFromFlags({ dataDir: opts.dataDir, codesetsDir: opts.snapshotDir });
  const manifest = path.join(config.codesetsDir, 'manifest.json');
  const codesetsFingerprint = existsSync(manifest) ? readFileSync(manifest, 'utf8') : `raw:${config.dataDir}`;
  const trainDir = opts.train ?? defaultTrainDir(config);
  if (!existsSync(trainDir)) io.err(`cac: no coded notes at ${trainDir}; using the classification's rules only (pass --train DIR)`);
  const t0 = performance.now();
  const { knowledge, built, file } = loadCacKnowledge({
    sets: (): CodeSets => loadCodeSets({ dataDir: config.dataDir, snapshotDir: config.codesetsDir }),
    codesetsFingerprint,
    trainDir: existsSync(trainDir) ? trainDir : undefined,
    cacheDir: path.join(config.varDir, 'cac'),
    force: opts.rebuild ?? false,
  });
  if (built) io.err(`cac: knowledge built in ${((performance.now() - t0) / 1000).toFixed(1)} s and cached in ${file ?? '-'}`);
  return knowledge;
}

/** The .txt files of --in (a file, or a folder's .txt files in file-name order). */
export function inputFiles(p: string): string[] {
  if (!existsSync(p)) throw new Error(`no such file or folder: ${p}`);
  if (statSync(p).isDirectory())
    return readdirSync(p)
      .filter((f) => f.toLowerCase().endsWith('.txt'))
      .sort()
      .map((f) => path.join(p, f));
  return [p];
}

const compact = (s: Suggestion): object => ({
  code: s.code,
  system: s.system,
  score: s.score,
  evidence: s.evidence.map((e) => ({ start: e.start, end: e.end, text: e.text })),
  why: s.why,
  ...(s.uncertain ? { uncertain: true } : {}),
});

/** `cac suggest`: one result per document, in file-name order; a document that cannot be read is reported and skipped. */
export function runCacSuggest(knowledge: CacKnowledge, input: CacSuggestOptions, io: CacIo = stdio): void {
  const opts = suggestSchema.parse(input);
  for (const file of inputFiles(opts.in)) {
    const document = path.basename(file).replace(/\.txt$/i, '');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      io.err(`cac suggest: ${document}: ${(e as Error).message.split('\n')[0] ?? 'unreadable'}`);
      process.exitCode = 1;
      continue;
    }
    const suggestions = suggestCodes(knowledge, text, { system: opts.system, limit: opts.limit, setting: opts.setting });
    if (opts.json) {
      io.out(JSON.stringify({ document, suggestions: suggestions.map(compact) }));
      continue;
    }
    io.out(`${document}: ${suggestions.length} suggestion${suggestions.length === 1 ? '' : 's'}`);
    for (const s of suggestions) {
      const ev = s.evidence[0];
      const where = ev ? `${ev.start}-${ev.end} "${ev.text}"` : '';
      const why = s.why[0] ? `${s.why[0].source}: ${s.why[0].term}` : '';
      io.out(`  ${s.code.padEnd(8)} ${s.system.padEnd(3)} ${s.score.toFixed(3)}  ${where}${s.uncertain ? ' (uncertain)' : ''}  [${why}]`);
    }
  }
}

const guard = (name: string, fn: () => void): void => runGuarded(`cac ${name}`, fn);

/** Registers `custodian cac suggest|build`. */
export function registerCacCommands(program: Command): void {
  const cac = program.command('cac').description('computer-assisted coding: ICD-10-CM/PCS code suggestions with evidence from notes');
  const common = (c: Command): Command =>
    c
      .option('--data-dir <dir>', 'official CMS/CDC files (default: $CUSTODIAN_DATA_DIR or ../shared/data/cms)')
      .option('--snapshot-dir <dir>', 'code-set snapshot (default: $CUSTODIAN_CODESETS_DIR or ./var/codesets)')
      .option('--train <dir>', 'coded notes to learn from (default: ../shared/corpora/notes-icd10/codiesp/train)')
      .option('--knowledge <file>', 'use this built knowledge file as is (no cache check)');
  common(
    cac
      .command('suggest')
      .description('suggest codes for a .txt file or a folder of them, best first, with evidence spans')
      .option('--in <path>', 'a .txt file or a folder of .txt files')
      .option('--system <system>', 'cm, pcs or both', 'both')
      .option('--limit <n>', 'suggestions per document', '20')
      .option('--setting <setting>', 'inpatient (uncertain diagnoses coded, Guidelines II.H) or outpatient (not, IV.H)', 'inpatient')
      .option(
        '--json',
        'one JSON line per document: {"document","suggestions":[{"code","system","score","evidence":[{"start","end","text"}]}]}',
      ),
  ).action((opts: CacSuggestOptions) =>
    guard('suggest', () => {
      suggestSchema.parse(opts); // refuse bad options before the knowledge loads
      inputFiles(opts.in);
      runCacSuggest(loadKnowledgeForCli(opts), opts);
    }),
  );
  common(
    cac
      .command('build')
      .description('build the knowledge (code sets + coded notes) into the cache <var>/cac/knowledge.v8')
      .option('--rebuild', 'rebuild even when the cache is fresh'),
  ).action((opts: CacKnowledgeOptions) =>
    guard('build', () => {
      const k = loadKnowledgeForCli(opts);
      stdio.out(
        `cac build: ${k.phrases.size} phrase keys from ${k.builtFrom.codesets}; ${k.builtFrom.corpus}; ${k.builtFrom.trainDocuments} training notes`,
      );
    }),
  );
}
