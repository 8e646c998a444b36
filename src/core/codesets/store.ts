/**
 * Compiled snapshot: one v8-serialized file per release (plus notes and validity) and a manifest.json with
 * counts and the source-file fingerprint. Import is idempotent: unchanged sources leave the snapshot as is.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { SNAPSHOT_FORMAT_VERSION, buildCodeSets, type ProgressFn } from './build.js';
import { prepareCodeSets } from './codesets.js';
import { discoverSources } from './sources.js';
import { parseCptFiles } from './hcpcs.js';
import { NO_EDITS, mergeNcciFiles, parseAddendumB, type LicensedEdits } from './edits.js';
import { CodeSetFileError } from './errors.js';
import type { CmRelease, CodeSets, CodeSetsData, CptData, IndexData } from './types.js';

interface Manifest {
  formatVersion: number;
  builtAt: string;
  fingerprint: string;
  files: { part: string; file: string; label: string; counts: Record<string, number> }[];
}

/** Fingerprint of the source files (names, sizes, modification times). */
export function sourceFingerprint(dataDir: string): string {
  return discoverSources(dataDir)
    .map((f) => `${f.name}:${f.size}:${Math.round(f.mtimeMs)}`)
    .join('|');
}

function writeAtomic(file: string, data: Buffer | string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

export interface ImportResult {
  status: 'imported' | 'up-to-date';
  outDir: string;
  files: Manifest['files'];
  millis: number;
}

/**
 * Parses the official files in `dataDir` and writes the snapshot to `outDir` (skipped when the sources are
 * unchanged, unless `force`). The CLI passes CUSTODIAN_DATA_DIR and CUSTODIAN_CODESETS_DIR from the config.
 */
export function importCodeSets(opts: { dataDir: string; outDir: string; force?: boolean; progress?: ProgressFn }): ImportResult {
  const t0 = performance.now();
  const { dataDir, outDir } = opts;
  const progress = opts.progress ?? (() => undefined);
  const fingerprint = sourceFingerprint(dataDir);
  const manifestFile = path.join(outDir, 'manifest.json');
  if (!opts.force && existsSync(manifestFile)) {
    const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (
      m.formatVersion === SNAPSHOT_FORMAT_VERSION &&
      m.fingerprint === fingerprint &&
      m.files.every((f) => existsSync(path.join(outDir, f.file)))
    ) {
      return { status: 'up-to-date', outDir, files: m.files, millis: performance.now() - t0 };
    }
  }
  const data = buildCodeSets(dataDir, progress);
  mkdirSync(outDir, { recursive: true });
  const files: Manifest['files'] = [];
  const put = (part: string, file: string, label: string, value: unknown, counts: Record<string, number>): void => {
    writeAtomic(path.join(outDir, file), serialize(value));
    files.push({ part, file, label, counts });
    progress(`wrote ${file}`);
  };
  // Index and table files shared by several releases are stored once and linked back on load.
  const indexes = new Map(data.cm.flatMap((r) => r.indexes).map((ix) => [ix.source.id, ix]));
  for (const [id, ix] of indexes) put('index', `index-${id}.v8`, ix.source.label, ix, { terms: ix.terms.length });
  for (const r of data.cm) {
    put(
      'cm',
      `${r.id}.v8`,
      r.label,
      { ...r, indexes: r.indexes.map((ix) => ix.source.id) },
      {
        codes: r.codes.length,
        billable: r.billable.reduce((n, b) => n + b, 0),
        ...Object.fromEntries(r.indexes.map((ix) => [`${ix.kind}Terms`, ix.terms.length])),
      },
    );
  }
  for (const r of data.pcs) put('pcs', `${r.id}.v8`, r.label, r, { tables: r.tables.length, codes: r.codes.length });
  data.notes.forEach((n) =>
    put('notes', `notes-${n.source.id}.v8`, n.source.label, n, {
      categories: n.categories.length,
      entriesWithNotes: Object.keys(n.byCode).length,
    }),
  );
  if (data.cmValidity)
    put('cmValidity', 'validity-cm.v8', data.cmValidity.source.label, data.cmValidity, { codes: data.cmValidity.codes.length });
  for (const r of data.hcpcs) put('hcpcs', `${r.id}.v8`, r.label, r, { codes: r.codes.length, modifiers: r.modifiers.length });
  if (data.pcsValidity)
    put('pcsValidity', 'validity-pcs.v8', data.pcsValidity.source.label, data.pcsValidity, { codes: data.pcsValidity.codes.length });
  writeAtomic(
    manifestFile,
    `${JSON.stringify({ formatVersion: SNAPSHOT_FORMAT_VERSION, builtAt: data.builtAt, fingerprint, files } satisfies Manifest, null, 2)}\n`,
  );
  return { status: 'imported', outDir, files, millis: performance.now() - t0 };
}

/** Reads a snapshot written by importCodeSets; undefined when absent or of another format version. */
export function readSnapshot(outDir: string): CodeSetsData | undefined {
  const manifestFile = path.join(outDir, 'manifest.json');
  if (!existsSync(manifestFile)) return undefined;
  const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  if (m.formatVersion !== SNAPSHOT_FORMAT_VERSION) return undefined;
  const data: CodeSetsData = {
    formatVersion: m.formatVersion,
    builtAt: m.builtAt,
    cm: [],
    pcs: [],
    notes: [],
    cmValidity: null,
    pcsValidity: null,
    hcpcs: [],
    cpt: null,
  };
  const indexes = new Map<string, IndexData>();
  for (const f of m.files) {
    const value = deserialize(readFileSync(path.join(outDir, f.file))) as never;
    if (f.part === 'index') indexes.set((value as IndexData).source.id, value);
    else if (f.part === 'cm') {
      const r = value as Omit<CmRelease, 'indexes'> & { indexes: string[] };
      const linked = r.indexes.map((id) => indexes.get(id));
      if (linked.some((ix) => ix === undefined)) return undefined;
      data.cm.push({ ...r, indexes: linked as IndexData[] });
    } else if (f.part === 'pcs') data.pcs.push(value);
    else if (f.part === 'notes') data.notes.push(value);
    else if (f.part === 'cmValidity') data.cmValidity = value;
    else if (f.part === 'pcsValidity') data.pcsValidity = value;
    else if (f.part === 'hcpcs') data.hcpcs.push(value);
  }
  data.hcpcs.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  return data;
}

/**
 * Loads code sets for the server, CLI or tests: the snapshot in `snapshotDir` when one exists, otherwise (first
 * start, tests, no `snapshotDir`) straight from the official files in `dataDir`, which is slower but gives the
 * same data.
 */
export function loadCodeSets(opts: { dataDir: string; snapshotDir?: string | undefined; progress?: ProgressFn }): CodeSets {
  const { dataDir, snapshotDir } = opts;
  const progress = opts.progress ?? (() => undefined);
  const snap = snapshotDir === undefined ? undefined : readSnapshot(snapshotDir);
  const cpt = snapshotDir === undefined ? null : readCpt(snapshotDir);
  const edits = snapshotDir === undefined ? NO_EDITS : readEdits(snapshotDir);
  if (snap && snapshotDir !== undefined && isStale(snapshotDir, dataDir)) {
    // New official files were dropped in but not imported: correct data beats a fast start.
    progress(`snapshot in ${snapshotDir} is older than the files in ${dataDir}; reading the files (run \`custodian codes import\`)`);
    return prepareCodeSets({ ...buildCodeSets(dataDir, progress), cpt, edits });
  }
  return prepareCodeSets({ ...(snap ?? buildCodeSets(dataDir, progress)), cpt, edits });
}

/** The licensed CPT import lives beside the snapshot, apart from its manifest, so `codes import --force` keeps it. */
const CPT_FILE = 'cpt-licensed.v8';

/** Reads the CPT import written by importCpt; null when the user has imported none. */
export function readCpt(snapshotDir: string): CptData | null {
  const file = path.join(snapshotDir, CPT_FILE);
  return existsSync(file) ? (deserialize(readFileSync(file)) as CptData) : null;
}

/**
 * `custodian codes import-cpt FILE...`: reads the user's licensed AMA descriptor files (LONGULT/MEDU/SHORTU, or
 * code<TAB>description) and writes them beside the snapshot, replacing an earlier import. Nothing of CPT ships.
 */
export function importCpt(opts: { files: string[]; outDir: string; now?: string }): { codes: number; file: string; label: string } {
  const inputs = opts.files.map((name) => {
    try {
      return { name, text: readFileSync(name, 'utf8') };
    } catch (err) {
      throw new CodeSetFileError('not_found', name, undefined, `cannot read: ${(err as Error).message}`);
    }
  });
  const data = parseCptFiles(inputs, opts.now ?? new Date().toISOString());
  mkdirSync(opts.outDir, { recursive: true });
  const file = path.join(opts.outDir, CPT_FILE);
  writeAtomic(file, serialize(data));
  return { codes: data.codes.length, file, label: data.label };
}

/** True when the data dir exists and its files differ from those the snapshot was built from. */
function isStale(snapshotDir: string, dataDir: string): boolean {
  if (!existsSync(dataDir)) return false;
  const m = JSON.parse(readFileSync(path.join(snapshotDir, 'manifest.json'), 'utf8')) as Manifest;
  return m.fingerprint !== sourceFingerprint(dataDir);
}

/** The licensed NCCI/MUE/Addendum B imports, beside the snapshot like CPT. */
const EDITS_FILE = 'edits-licensed.v8';

/** What `import-ncci` and `import-opps` wrote; every part null when nothing was imported. */
export function readEdits(snapshotDir: string): LicensedEdits {
  const file = path.join(snapshotDir, EDITS_FILE);
  return existsSync(file) ? (deserialize(readFileSync(file)) as LicensedEdits) : NO_EDITS;
}

function readInputs(files: string[]): { name: string; text: string }[] {
  if (files.length === 0) throw new CodeSetFileError('not_found', '(none)', undefined, 'give at least one file');
  return files.map((name) => {
    try {
      // CMS publishes these files in Windows-1252 (the AMA notice's ® sign).
      return { name, text: new TextDecoder('windows-1252').decode(readFileSync(name)) };
    } catch (err) {
      throw new CodeSetFileError('not_found', name, undefined, `cannot read: ${(err as Error).message}`);
    }
  });
}

/** `custodian codes import-ncci FILE...`: NCCI PTP (ccipra-/ccioph-) and MUE files, replacing each setting imported before. */
export function importNcci(opts: { files: string[]; outDir: string }): { summary: string[]; file: string } {
  const { edits, summary } = mergeNcciFiles(readEdits(opts.outDir), readInputs(opts.files));
  mkdirSync(opts.outDir, { recursive: true });
  const file = path.join(opts.outDir, EDITS_FILE);
  writeAtomic(file, serialize(edits));
  return { summary, file };
}

/** `custodian codes import-opps FILE`: OPPS Addendum B, replacing the one imported before. */
export function importOpps(opts: { file: string; outDir: string }): { summary: string; file: string } {
  const [input] = readInputs([opts.file]);
  if (!input) throw new CodeSetFileError('not_found', opts.file, undefined, 'cannot read');
  const t = parseAddendumB(input.text, input.name);
  const edits: LicensedEdits = { ...readEdits(opts.outDir), opps: { ...t, files: [input.name.replace(/^.*[\\/]/, '')] } };
  mkdirSync(opts.outDir, { recursive: true });
  const file = path.join(opts.outDir, EDITS_FILE);
  writeAtomic(file, serialize(edits));
  return { summary: `${t.title}: ${t.codes.length} codes`, file };
}
