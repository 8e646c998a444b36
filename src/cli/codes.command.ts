/**
 * `custodian codes ...`: the ICD-10-CM / ICD-10-PCS encoder on the command line — search, show, validate,
 * the PCS table builder, and import of official releases into the compiled snapshot.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  NoReleaseForDateError,
  browseIndex,
  getCodeDetails,
  importCodeSets,
  importCpt,
  importNcci,
  importOpps,
  loadCodeSets,
  outpatientCodeDetails,
  searchOutpatient,
  type OutpatientCodeDetails,
  type OutpatientSearchResponse,
  pcsTableBuilder,
  readSnapshot,
  searchCodes,
  validateEncounterCodes,
  type CodeDetails,
  type CodeSets,
  type SearchResponse,
} from '../core/codesets/index.js';
import { configFromFlags, runGuarded } from './settings.js';

/** Where output goes; tests pass collectors, the CLI passes stdout/stderr. */
export interface CodesIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const stdio: CodesIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a calendar date');
const SYSTEMS = ['cm', 'pcs', 'hcpcs', 'cpt'] as const;
type System = (typeof SYSTEMS)[number];
const searchSchema = z.object({
  system: z.enum(SYSTEMS).optional(),
  date: dateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(20),
  json: z.boolean().optional(),
  batch: z.string().optional(),
  dataDir: z.string().optional(),
  snapshotDir: z.string().optional(),
});
export type CodesSearchOptions = z.input<typeof searchSchema>;

interface LoadOptions {
  dataDir?: string;
  snapshotDir?: string;
}

/**
 * Loads the snapshot (--snapshot-dir, else CUSTODIAN_CODESETS_DIR), or builds from the official files (--data-dir,
 * else CUSTODIAN_DATA_DIR) with a note on stderr when no snapshot exists.
 */
export function loadForCli(opts: LoadOptions, io: CodesIo = stdio): CodeSets {
  const config = configFromFlags({ dataDir: opts.dataDir, codesetsDir: opts.snapshotDir });
  const snapshotDir = config.codesetsDir;
  if (readSnapshot(snapshotDir) === undefined)
    io.err(`codes: no snapshot in ${snapshotDir}; reading the official files (run \`custodian codes import\` for fast start-up)`);
  return loadCodeSets({ dataDir: config.dataDir, snapshotDir });
}

/**
 * The date to use: --date, else today. When no loaded release covers today, the last day of the newest
 * release is used and a warning says so (the code set is always chosen by a date, and the user is told which).
 */
export function resolveDate(
  sets: CodeSets,
  system: System,
  date: string | undefined,
  io: CodesIo,
  today = new Date().toISOString().slice(0, 10),
): string {
  if (date !== undefined) return date;
  if (system === 'cpt') return today; // the AMA files carry no dates
  const releases = system === 'cm' ? sets.cm : system === 'pcs' ? sets.pcs : sets.hcpcs;
  if (releases.some((r) => r.effectiveFrom <= today && today <= r.effectiveTo)) return today;
  const newest = releases[releases.length - 1];
  if (!newest) throw new NoReleaseForDateError({ cm: 'ICD-10-CM', pcs: 'ICD-10-PCS', hcpcs: 'HCPCS Level II' }[system], today, []);
  io.err(`codes: no release loaded for today (${today}); using ${newest.label} as of ${newest.effectiveTo} — pass --date to choose`);
  return newest.effectiveTo;
}

function printHuman(res: SearchResponse | OutpatientSearchResponse, io: CodesIo): void {
  io.out(`${res.release} — ${res.date} — "${res.query}"`);
  if ('notice' in res && res.notice) io.out(`  NOTE: ${res.notice}`);
  if (res.hits.length === 0) io.out('  (no match)');
  for (const h of res.hits) {
    const flag = h.billable ? (h.validOnDate === false ? 'invalid on date' : 'billable') : 'header';
    io.out(`  ${h.display.padEnd(9)} ${flag.padEnd(9)} ${h.title}`);
    if (h.matchedBy !== 'title' && h.matchedBy !== 'code')
      io.out(`  ${''.padEnd(9)} ${''.padEnd(9)} via ${h.matchedBy}: ${h.path.join(' > ')} [${h.source}]`);
  }
}

/**
 * The queries of `codes search`: the one given, or --batch FILE's non-blank lines. Throws before any code set
 * is loaded (which takes seconds without a snapshot) when there is nothing to search.
 */
export function searchQueries(text: string | undefined, raw: CodesSearchOptions): string[] {
  const opts = searchSchema.parse(raw);
  const queries =
    opts.batch !== undefined
      ? readFileSync(opts.batch, 'utf8')
          .split(/\r?\n/)
          .filter((q) => q.trim() !== '')
      : [text ?? ''];
  if (opts.batch === undefined && (text ?? '').trim() === '') throw new Error('give a query (not blank) or --batch FILE');
  if (queries.length === 0) throw new Error(`--batch ${opts.batch ?? ''} has no query (every line is blank)`);
  return queries;
}

/** `codes search`: one query, or --batch FILE with one query a line; --json prints one JSON line per query. */
export function runCodesSearch(sets: CodeSets, text: string | undefined, raw: CodesSearchOptions, io: CodesIo = stdio): void {
  const opts = searchSchema.parse(raw);
  const queries = searchQueries(text, raw);
  const dates = new Map<string, string>();
  for (const query of queries) {
    const system = opts.system ?? (/^[0-9]/.test(query.trim()) ? 'pcs' : 'cm');
    let date = dates.get(system);
    if (date === undefined) dates.set(system, (date = resolveDate(sets, system, opts.date, io)));
    const res =
      system === 'hcpcs' || system === 'cpt'
        ? searchOutpatient(sets, query, { system, date, limit: opts.limit })
        : searchCodes(sets, query, { date, limit: opts.limit, ...(opts.system ? { system } : {}) });
    if (opts.json)
      io.out(JSON.stringify({ query, results: res.hits.map((h) => ({ code: h.code, title: h.title, billable: h.billable })) }));
    else printHuman(res, io);
  }
}

function printDetails(d: CodeDetails, io: CodesIo): void {
  io.out(`${d.display}  ${d.title || '(no title)'}`);
  io.out(`  ${d.statusText}`);
  io.out(
    `  release: ${d.release} (date ${d.date}); valid on date: ${d.validOnDate === undefined ? 'unknown (no MCE table)' : d.validOnDate ? 'yes' : 'no'}`,
  );
  if (d.validity.length > 0) io.out(`  validity (MCE): ${d.validity.map((p) => `${p.from}..${p.to ?? 'open'}`).join(', ')}`);
  if (d.chapter) io.out(`  chapter ${d.chapter.chapter}: ${d.chapter.title}`);
  if (d.section) io.out(`  section ${d.section.range}: ${d.section.title}`);
  for (const a of d.ancestors) io.out(`  parent ${a.display}: ${a.title}`);
  for (const c of d.children) io.out(`  child  ${c.display.padEnd(9)} ${c.billable ? 'billable' : 'header  '} ${c.title}`);
  if (d.seventhCharacter) {
    const s = d.seventhCharacter;
    io.out(`  7th character${s.required ? ' required' : ''} on ${s.base}${s.usesPlaceholder ? ' (placeholder X)' : ''}:`);
    for (const c of s.choices) io.out(`    ${c.char}  ${c.meaning}`);
  }
  if (d.notesCaveat) io.out(`  NOTE: ${d.notesCaveat}`);
  for (const n of d.notes)
    for (const t of n.texts) io.out(`  [${n.kind} @ ${n.at}; ${n.source.label}${n.current ? '' : ', not current'}] ${t}`);
  for (const a of d.pcsAxes ?? [])
    io.out(`  ${a.pos} ${a.title.padEnd(12)} ${a.code} ${a.label}${a.definition ? ` — ${a.definition}` : ''}`);
}

function printOutpatientDetails(d: OutpatientCodeDetails, io: CodesIo): void {
  io.out(`${d.display}  ${d.title || '(no descriptor)'}`);
  io.out(`  ${d.statusText}`);
  io.out(`  release: ${d.release} (date ${d.date})`);
  if (d.notice) io.out(`  NOTE: ${d.notice}`);
  if (d.shortTitle) io.out(`  short: ${d.shortTitle}`);
  if (d.added !== undefined)
    io.out(`  added ${d.added || '-'}; action ${d.action ?? ''} effective ${d.actionEffective || '-'}; last day ${d.terminated || 'open'}`);
  for (const p of d.pricing ?? []) io.out(`  pricing ${p.code}: ${p.meaning}`);
  if (d.coverage) io.out(`  coverage ${d.coverage.code}: ${d.coverage.meaning}`);
  if (d.betos) io.out(`  BETOS ${d.betos}; type of service ${(d.typeOfService ?? []).join(' ')}`);
  if (d.processingNote) io.out(`  processing note ${d.processingNote}`);
}

/** `codes show <code>`. */
export function runCodesShow(
  sets: CodeSets,
  code: string,
  raw: { date?: string; system?: string; json?: boolean },
  io: CodesIo = stdio,
): void {
  const opts = z.object({ date: dateSchema.optional(), system: z.enum(SYSTEMS).optional(), json: z.boolean().optional() }).parse(raw);
  const system = opts.system ?? (/^[0-9]/.test(code.trim()) ? 'pcs' : 'cm');
  const date = resolveDate(sets, system, opts.date, io);
  if (system === 'hcpcs' || system === 'cpt') {
    const od = outpatientCodeDetails(sets, code, { system, date });
    if (opts.json) io.out(JSON.stringify(od));
    else printOutpatientDetails(od, io);
    return;
  }
  const d = getCodeDetails(sets, code, { date, system });
  if (opts.json) io.out(JSON.stringify(d));
  else printDetails(d, io);
}

/** `codes validate <codes...> [--pcs codes]`: warnings for one encounter. */
export function runCodesValidate(
  sets: CodeSets,
  diagnoses: string[],
  raw: { date?: string; pcs?: string; json?: boolean },
  io: CodesIo = stdio,
): void {
  const opts = z.object({ date: dateSchema.optional(), pcs: z.string().optional(), json: z.boolean().optional() }).parse(raw);
  const date = resolveDate(sets, 'cm', opts.date, io);
  const report = validateEncounterCodes(sets, { date, diagnoses, procedures: (opts.pcs ?? '').split(/[\s,]+/).filter((c) => c !== '') });
  if (opts.json) {
    io.out(JSON.stringify(report));
    return;
  }
  io.out(`${report.cmRelease}${report.pcsRelease ? `; ${report.pcsRelease}` : ''} — ${date}`);
  if (report.findings.length === 0) io.out('  no findings');
  for (const f of report.findings) io.out(`  ${f.severity.padEnd(8)} ${f.rule.padEnd(20)} ${f.message}`);
}

/** `codes pcs [prefix]`: one step of the PCS table builder. */
export function runCodesPcs(sets: CodeSets, prefix: string | undefined, raw: { date?: string; json?: boolean }, io: CodesIo = stdio): void {
  const opts = z.object({ date: dateSchema.optional(), json: z.boolean().optional() }).parse(raw);
  const step = pcsTableBuilder(sets, { date: resolveDate(sets, 'pcs', opts.date, io), prefix: prefix ?? '' });
  if (opts.json) {
    io.out(JSON.stringify(step));
    return;
  }
  io.out(`${step.release} — ${step.date} — "${step.prefix}"`);
  if (step.error) io.out(`  ${step.error}`);
  for (const s of step.selected) io.out(`  ${s.pos} ${s.title.padEnd(12)} ${s.code} ${s.label}`);
  if (step.complete) io.out(`  => ${step.complete.code} ${step.complete.title}`);
  if (step.nextPosition !== null) {
    io.out(`  next: position ${step.nextPosition} (${step.nextAxisTitle ?? ''})`);
    for (const o of step.options) io.out(`    ${o.code} ${o.label}${o.definition ? ` — ${o.definition}` : ''}`);
  }
}

/** `codes index [path...]`: browse the Alphabetic Index or a table (main term, subterms, codes, see/see also). */
export function runCodesIndex(
  sets: CodeSets,
  path: string[],
  raw: { date?: string; kind?: string; startsWith?: string; json?: boolean },
  io: CodesIo = stdio,
): void {
  const opts = z
    .object({
      date: dateSchema.optional(),
      kind: z.enum(['index', 'eindex', 'drug', 'neoplasm']).default('index'),
      startsWith: z.string().optional(),
      json: z.boolean().optional(),
    })
    .parse(raw);
  const page = browseIndex(sets, {
    date: resolveDate(sets, 'cm', opts.date, io),
    kind: opts.kind,
    path,
    ...(opts.startsWith ? { startsWith: opts.startsWith } : {}),
  });
  if (!page) throw new Error(`no ${opts.kind} term at "${path.join(' > ')}"`);
  if (opts.json) {
    io.out(JSON.stringify(page));
    return;
  }
  io.out(`${page.source}${page.current ? '' : ' (not the release in force)'} — ${page.path.join(' > ') || 'main terms'}`);
  if (page.columns.length > 0) io.out(`  columns: ${page.columns.join(' | ')}`);
  const show = (t: (typeof page.children)[number], indent: string): void => {
    const codes = t.codes.some((c) => c !== null) ? ` ${t.codes.map((c) => c ?? '--').join(' | ')}` : '';
    const see = t.see ? ` — see ${t.see}` : t.seeAlso ? ` — see also ${t.seeAlso}` : '';
    io.out(`${indent}${t.title}${t.nemod ? ` ${t.nemod}` : ''}${codes}${see}${t.hasSubterms ? ' …' : ''}`);
  };
  if (page.term) show(page.term, '  ');
  for (const c of page.children) show(c, '    ');
}

/** `codes import`: parse the official files into the snapshot, printing progress and counts. */
export function runCodesImport(raw: { dir?: string; out?: string; force?: boolean }, io: CodesIo = stdio): void {
  const opts = z.object({ dir: z.string().optional(), out: z.string().optional(), force: z.boolean().optional() }).parse(raw);
  const config = configFromFlags({ dataDir: opts.dir, codesetsDir: opts.out });
  const result = importCodeSets({
    dataDir: config.dataDir,
    outDir: config.codesetsDir,
    force: opts.force === true,
    progress: (m) => io.err(m),
  });
  io.out(`codes import: ${result.status} in ${(result.millis / 1000).toFixed(1)} s -> ${result.outDir}`);
  for (const f of result.files)
    io.out(
      `  ${f.file.padEnd(40)} ${f.label}: ${Object.entries(f.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
}

/** `codes import-cpt FILE...`: the user's licensed AMA CPT descriptor files, written beside the snapshot. */
export function runCodesImportCpt(files: string[], raw: { out?: string }, io: CodesIo = stdio): void {
  const opts = z.object({ out: z.string().optional() }).parse(raw);
  const config = configFromFlags({ codesetsDir: opts.out });
  const r = importCpt({ files, outDir: config.codesetsDir });
  io.out(`codes import-cpt: ${r.codes} CPT codes -> ${r.file} (${r.label}); restart the server to use them`);
}

/** `codes import-ncci FILE...`: NCCI PTP (ccipra-/ccioph-) and MUE files the user obtained from CMS (AMA licence). */
export function runCodesImportNcci(files: string[], raw: { out?: string }, io: CodesIo = stdio): void {
  const opts = z.object({ out: z.string().optional() }).parse(raw);
  const r = importNcci({ files, outDir: configFromFlags({ codesetsDir: opts.out }).codesetsDir });
  for (const s of r.summary) io.out(`codes import-ncci: ${s}`);
  io.out(`codes import-ncci: -> ${r.file}; restart the server to use them`);
}

/** `codes import-opps FILE`: OPPS Addendum B (HCPCS -> status indicator, APC, relative weight, payment rate). */
export function runCodesImportOpps(file: string, raw: { out?: string }, io: CodesIo = stdio): void {
  const opts = z.object({ out: z.string().optional() }).parse(raw);
  const r = importOpps({ file, outDir: configFromFlags({ codesetsDir: opts.out }).codesetsDir });
  io.out(`codes import-opps: ${r.summary} -> ${r.file}; restart the server to use it`);
}

const guard = (name: string, fn: () => void): void => runGuarded(`codes ${name}`, fn);

/** Registers `custodian codes search|show|validate|pcs|index|import`. */
export function registerCodesCommands(program: Command): void {
  const codes = program
    .command('codes')
    .description('ICD-10-CM / ICD-10-PCS / HCPCS / CPT encoder: search, show, validate, PCS builder, import releases');
  const common = (c: Command): Command =>
    c
      .option('--data-dir <dir>', 'official CMS/CDC files (default: $CUSTODIAN_DATA_DIR or ../shared/data/cms)')
      .option('--snapshot-dir <dir>', 'compiled snapshot (default: $CUSTODIAN_CODESETS_DIR or ./var/codesets)');
  common(
    codes
      .command('search [text]')
      .description('search by code, words, abbreviations, the Alphabetic Index and the Drug/Neoplasm tables')
      .option('--system <system>', 'cm, pcs, hcpcs or cpt (default: pcs for a query starting with a digit, else cm)')
      .option('--date <YYYY-MM-DD>', 'date of service / discharge: picks the release (default: today)')
      .option('--limit <n>', 'maximum results', '20')
      .option('--json', 'one JSON line per query: {"query","results":[{"code","title","billable"}]}')
      .option('--batch <file>', 'one query a line'),
  ).action((text: string | undefined, opts: CodesSearchOptions) =>
    guard('search', () => {
      searchQueries(text, opts); // refuse a blank query before the code sets load
      runCodesSearch(loadForCli(opts), text, opts);
    }),
  );
  common(
    codes
      .command('show <code>')
      .description('title, hierarchy, validity, 7th characters, notes (with their release), PCS axes')
      .option('--date <YYYY-MM-DD>', 'date (default: today)')
      .option('--system <system>', 'cm, pcs, hcpcs or cpt')
      .option('--json', 'JSON output'),
  ).action((code: string, opts: LoadOptions & { date?: string; system?: string; json?: boolean }) =>
    guard('show', () => runCodesShow(loadForCli(opts), code, opts)),
  );
  common(
    codes
      .command('validate <codes...>')
      .description("check one encounter's diagnosis codes (in sequence) and --pcs procedure codes")
      .option('--date <YYYY-MM-DD>', 'discharge date (default: today)')
      .option('--pcs <codes>', 'procedure codes, comma separated')
      .option('--json', 'JSON output'),
  ).action((dx: string[], opts: LoadOptions & { date?: string; pcs?: string; json?: boolean }) =>
    guard('validate', () => runCodesValidate(loadForCli(opts), dx, opts)),
  );
  common(
    codes
      .command('pcs [prefix]')
      .description('ICD-10-PCS table builder: valid values for the next character')
      .option('--date <YYYY-MM-DD>', 'date (default: today)')
      .option('--json', 'JSON output'),
  ).action((prefix: string | undefined, opts: LoadOptions & { date?: string; json?: boolean }) =>
    guard('pcs', () => runCodesPcs(loadForCli(opts), prefix, opts)),
  );
  common(
    codes
      .command('index [path...]')
      .description('browse the Alphabetic Index or a table: `codes index Failure heart` (main term, then subterms)')
      .option('--kind <kind>', 'index, eindex, drug or neoplasm', 'index')
      .option('--starts-with <text>', 'main terms starting with this text (at the top level)')
      .option('--date <YYYY-MM-DD>', 'date (default: today)')
      .option('--json', 'JSON output'),
  ).action((path: string[], opts: LoadOptions & { date?: string; kind?: string; startsWith?: string; json?: boolean }) =>
    guard('index', () => runCodesIndex(loadForCli(opts), path, opts)),
  );
  codes
    .command('import')
    .description('parse the official files into the compiled snapshot (idempotent)')
    .option('--dir <dir>', 'official CMS/CDC files (default: $CUSTODIAN_DATA_DIR or ../shared/data/cms)')
    .option('--out <dir>', 'snapshot folder (default: $CUSTODIAN_CODESETS_DIR or ./var/codesets)')
    .option('--force', 'rebuild even when the sources are unchanged')
    .action((opts: { dir?: string; out?: string; force?: boolean }) => guard('import', () => runCodesImport(opts)));
  codes
    .command('import-cpt <files...>')
    .description('import your licensed AMA CPT descriptor files (LONGULT.txt, MEDU.txt, SHORTU.txt, or code<TAB>description)')
    .option('--out <dir>', 'snapshot folder (default: $CUSTODIAN_CODESETS_DIR or ./var/codesets)')
    .action((files: string[], opts: { out?: string }) => guard('import-cpt', () => runCodesImportCpt(files, opts)));
  codes
    .command('import-ncci <files...>')
    .description(
      'import CMS NCCI PTP edits (ccipra-*, ccioph-* .txt) and MUE tables (MCR_MUE_*Services_Eff_*.csv) in their published layouts',
    )
    .option('--out <dir>', 'snapshot folder (default: $CUSTODIAN_CODESETS_DIR or ./var/codesets)')
    .action((files: string[], opts: { out?: string }) => guard('import-ncci', () => runCodesImportNcci(files, opts)));
  codes
    .command('import-opps <file>')
    .description('import CMS OPPS Addendum B (CSV): HCPCS -> status indicator, APC, relative weight, payment rate')
    .option('--out <dir>', 'snapshot folder (default: $CUSTODIAN_CODESETS_DIR or ./var/codesets)')
    .action((file: string, opts: { out?: string }) => guard('import-opps', () => runCodesImportOpps(file, opts)));
}
