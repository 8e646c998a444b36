/**
 * Builds the in-memory code sets from the official files: one ICD-10-CM release per fiscal year found (its
 * order file), one ICD-10-PCS release per tables file, tabular notes from every tabular XML, MCE validity.
 * Content missing for a year (notes, index) comes from the newest other release and keeps that release's label.
 */
import { discoverSources, readSourceText, type SourceFile } from './sources.js';
import { parseCategoriesCsv, parseChaptersCsv, parseIndexCsv, parseMceMaster, parseOrderFile, parseSectionsCsv } from './flat-files.js';
import { parseTabularXml } from './tabular-xml.js';
import { parseIndexXml } from './index-xml.js';
import { composePcsTitle, expandPcsCodes, parsePcsDefinitionsXml, parsePcsTablesXml } from './pcs-tables.js';
import { buildSearchIndex } from './search-index.js';
import { parseHcpcsFile } from './hcpcs.js';
import { normalizeCode } from './codesets.js';
import { GENERIC_STEMS, indexTokens } from './text.js';
import type { CmRelease, CodeSetsData, HcpcsRelease, IndexData, IndexKind, PcsRelease, SourceRelease, TabularNotesData } from './types.js';

export const SNAPSHOT_FORMAT_VERSION = 5;

/** Progress callback: a short human-readable line per step. */
export type ProgressFn = (message: string) => void;

const KIND_NAMES: Partial<Record<SourceFile['kind'], string>> = {
  'cm-tabular': 'tabular',
  'cm-index-xml': 'Alphabetic Index',
  'cm-index-csv': 'Alphabetic Index (flattened CSV)',
  'cm-eindex': 'External Cause Index',
  'cm-drug': 'Table of Drugs and Chemicals',
  'cm-neoplasm': 'Neoplasm Table',
};

function sourceRelease(f: SourceFile, system = 'ICD-10-CM'): SourceRelease {
  const what = KIND_NAMES[f.kind] ?? f.kind;
  return {
    id: `${f.kind}-fy${f.fiscalYear}${f.excerpt ? '-excerpt' : ''}`,
    label: `${system} FY${f.fiscalYear} ${what}${f.excerpt ? ' (excerpt)' : ''} (${f.releaseDate})`,
    fiscalYear: f.fiscalYear,
  };
}

/** The newest file of the kinds given for fiscal year `fy` or earlier, else the oldest later one (never silently "latest"). */
export function pickForYear(files: SourceFile[], kinds: SourceFile['kind'][], fy: number): SourceFile | undefined {
  const cands = files.filter((f) => kinds.includes(f.kind) && !f.excerpt);
  const rank = (f: SourceFile): string => `${f.releaseDate}|${kinds.length - kinds.indexOf(f.kind)}`;
  const older = cands.filter((f) => f.fiscalYear <= fy).sort((a, b) => rank(b).localeCompare(rank(a)));
  const newer = cands.filter((f) => f.fiscalYear > fy).sort((a, b) => rank(a).localeCompare(rank(b)));
  return older[0] ?? newer[0];
}

function fyWindow(fy: number): { effectiveFrom: string; effectiveTo: string } {
  return { effectiveFrom: `${fy - 1}-10-01`, effectiveTo: `${fy}-09-30` };
}

function buildCmRelease(
  dataDir: string,
  files: SourceFile[],
  order: SourceFile,
  notes: TabularNotesData[],
  cache: Map<string, IndexData>,
  progress: ProgressFn,
): CmRelease {
  const fy = order.fiscalYear;
  const parsed = parseOrderFile(readSourceText(dataDir, order), order.name);
  const pick = (kind: SourceFile['kind']): SourceFile | undefined => pickForYear(files, [kind], fy);
  const chaptersFile = pick('cm-chapters');
  const sectionsFile = pick('cm-sections');
  const categoriesFile = pick('cm-categories');
  const fallbackNotes = notes.find((n) => n.source.fiscalYear <= fy) ?? notes[0];
  const chapters = chaptersFile
    ? parseChaptersCsv(readSourceText(dataDir, chaptersFile), chaptersFile.name)
    : Object.entries(fallbackNotes?.chapterTitles ?? {}).map(([chapter, title]) => ({ chapter, title }));
  const sections = sectionsFile
    ? parseSectionsCsv(readSourceText(dataDir, sectionsFile), sectionsFile.name)
    : Object.entries(fallbackNotes?.sectionTitles ?? {}).map(([range, title]) => ({
        range,
        title,
        chapter: fallbackNotes?.chapterOf[range] ?? '',
      }));
  const categorySection = categoriesFile
    ? parseCategoriesCsv(readSourceText(dataDir, categoriesFile), categoriesFile.name)
    : { ...(fallbackNotes?.sectionOf ?? {}) };

  const indexes: IndexData[] = [];
  const load = (kind: IndexKind, f: SourceFile): IndexData => {
    let data = cache.get(f.name);
    if (!data) {
      const text = readSourceText(dataDir, f);
      data =
        f.kind === 'cm-index-csv' ? parseIndexCsv(text, f.name, sourceRelease(f)) : parseIndexXml(text, f.name, kind, sourceRelease(f));
      cache.set(f.name, data);
      progress(`  ${f.name}: ${data.terms.length} ${kind} terms`);
    }
    return data;
  };
  // The Alphabetic Index: the newest full-structure XML (subterms, manifestation codes, nonessential modifiers),
  // else the flattened CSV. A flattened CSV newer than the XML supplements it with the entries that lead to codes
  // the XML never cites (codes added since), searched under the CSV's own release label.
  const indexXml = pickForYear(files, ['cm-index-xml'], fy);
  const indexCsv = pickForYear(files, ['cm-index-csv'], fy);
  const mainIndex = indexXml ?? indexCsv;
  if (mainIndex) indexes.push(load('index', mainIndex));
  const supplement = indexXml && indexCsv && indexCsv.releaseDate > indexXml.releaseDate ? load('index', indexCsv) : undefined;
  if (supplement) indexes.push(supplement);
  const wanted: [IndexKind, SourceFile['kind'][]][] = [
    ['eindex', ['cm-eindex']],
    ['drug', ['cm-drug']],
    ['neoplasm', ['cm-neoplasm']],
  ];
  for (const [kind, kinds] of wanted) {
    const f = pickForYear(files, kinds, fy);
    if (f) indexes.push(load(kind, f));
  }
  const mainCodes = new Set<string>();
  if (supplement) for (const t of indexes[0]?.terms ?? []) for (const c of t.codes) if (c !== null) mainCodes.add(normalizeCode(c));
  const docs: string[][] = parsed.titles.map((t) => indexTokens(t));
  const lengths: number[] = docs.map((d) => d.filter((t) => !GENERIC_STEMS.has(t)).length);
  const src: number[] = [];
  const termIds: number[] = [];
  const cols: number[] = [];
  indexes.forEach((ix, i) => {
    const pathTokens: string[][] = [];
    const pathLength: number[] = [];
    ix.terms.forEach((t, id) => {
      const essential = indexTokens(t.title);
      const own = [...essential, ...indexTokens(t.nemod ?? '')];
      pathTokens[id] = t.parent >= 0 ? [...(pathTokens[t.parent] ?? []), ...own] : own;
      const ownLength = essential.filter((x) => !GENERIC_STEMS.has(x)).length;
      pathLength[id] = (t.parent >= 0 ? (pathLength[t.parent] ?? 0) : 0) + ownLength;
      const base = pathTokens[id] ?? [];
      const baseLength = pathLength[id] ?? 0;
      if (ix.columns.length > 0) {
        t.codes.forEach((c, col) => {
          if (c === null) return;
          const colTokens = indexTokens(ix.columns[col] ?? '');
          docs.push([...base, ...colTokens]);
          lengths.push(baseLength + colTokens.filter((x) => !GENERIC_STEMS.has(x)).length);
          src.push(i);
          termIds.push(id);
          cols.push(col);
        });
      } else if (ix === supplement) {
        if (t.codes.some((c) => c !== null && !mainCodes.has(normalizeCode(c)))) {
          docs.push(base);
          lengths.push(baseLength);
          src.push(i);
          termIds.push(id);
          cols.push(255);
        }
      } else if (t.codes.length > 0 || t.see !== undefined || t.seeAlso !== undefined) {
        docs.push(base);
        lengths.push(baseLength);
        src.push(i);
        termIds.push(id);
        cols.push(255);
      }
    });
  });
  progress(
    `  FY${fy} ICD-10-CM: ${parsed.codes.length} codes (${parsed.billable.reduce((n, b) => n + b, 0)} billable), ${docs.length} search documents`,
  );
  return {
    id: `icd10cm-fy${fy}`,
    label: `ICD-10-CM FY${fy} (${order.releaseDate} release)`,
    fiscalYear: fy,
    ...fyWindow(fy),
    ...parsed,
    sortedOrder: Uint32Array.from(parsed.codes.keys()).sort((a, b) => ((parsed.codes[a] ?? '') < (parsed.codes[b] ?? '') ? -1 : 1)),
    chapters,
    sections,
    categorySection,
    indexes,
    search: buildSearchIndex(docs, lengths),
    indexDocs: { source: Uint8Array.from(src), term: Uint32Array.from(termIds), col: Uint8Array.from(cols) },
  };
}

function buildPcsRelease(dataDir: string, files: SourceFile[], tablesFile: SourceFile, progress: ProgressFn): PcsRelease {
  const fy = tablesFile.fiscalYear;
  const { tables } = parsePcsTablesXml(readSourceText(dataDir, tablesFile), tablesFile.name);
  const defFile = pickForYear(files, ['pcs-definitions'], fy);
  const definitions = defFile ? parsePcsDefinitionsXml(readSourceText(dataDir, defFile), defFile.name) : {};
  const { codes, codeRow } = expandPcsCodes(tables);
  const docs = codes.map((code, i) => {
    const packed = codeRow[i] ?? 0;
    const table = tables[packed >>> 10];
    const row = table?.rows[packed & 1023];
    return table && row ? indexTokens(`${composePcsTitle(table, row, code)} ${table.axes[0]?.values[0]?.label ?? ''}`) : [];
  });
  progress(`  FY${fy} ICD-10-PCS: ${tables.length} tables, ${codes.length} codes`);
  return {
    id: `icd10pcs-fy${fy}`,
    label: `ICD-10-PCS FY${fy} (${tablesFile.releaseDate} release)`,
    fiscalYear: fy,
    ...fyWindow(fy),
    tables,
    codes,
    codeRow,
    definitions,
    search: buildSearchIndex(docs),
  };
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * One HCPCS Level II release per quarter found (the same file as a zip member and gzipped counts once). Each applies
 * from its effective date to the day before the next loaded one; the newest to the end of its calendar year.
 */
export function buildHcpcsReleases(dataDir: string, files: SourceFile[], progress: ProgressFn): HcpcsRelease[] {
  const byDate = new Map<string, SourceFile>();
  for (const f of files.filter((x) => x.kind === 'hcpcs')) {
    const prev = byDate.get(f.releaseDate);
    // Prefer the plain or gzipped file over a zip member (no archive to inflate).
    if (!prev || (prev.name.includes('!') && !f.name.includes('!'))) byDate.set(f.releaseDate, f);
  }
  const sorted = [...byDate.values()].sort((a, b) => a.releaseDate.localeCompare(b.releaseDate));
  return sorted.map((f, i) => {
    const next = sorted[i + 1];
    const effectiveTo = next
      ? new Date(Date.parse(`${next.releaseDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
      : `${f.releaseDate.slice(0, 4)}-12-31`;
    const month = MONTH_NAMES[Number(f.releaseDate.slice(5, 7)) - 1] ?? '';
    const r = parseHcpcsFile(readSourceText(dataDir, f, 'windows-1252'), f.name, {
      id: `hcpcs-${f.releaseDate.slice(0, 7)}`,
      label: `HCPCS Level II ${month} ${f.releaseDate.slice(0, 4)} (${f.releaseDate})`,
      effectiveFrom: f.releaseDate,
      effectiveTo,
    });
    progress(`  ${f.name}: ${r.codes.length} HCPCS Level II codes, ${r.modifiers.length} modifiers`);
    return r;
  });
}

/** Parses every official file found under `dataDir` into code-set data (what the snapshot stores). */
export function buildCodeSets(dataDir: string, progress: ProgressFn = () => undefined): CodeSetsData {
  const files = discoverSources(dataDir);
  progress(`found ${files.length} source files in ${dataDir}`);
  const newest = (kind: SourceFile['kind']): SourceFile | undefined =>
    files.filter((f) => f.kind === kind).sort((a, b) => b.releaseDate.localeCompare(a.releaseDate))[0];
  const mce = (f: SourceFile | undefined, system: string): CodeSetsData['cmValidity'] => {
    if (!f) return null;
    const mceDir = /mce-[\d.]+/.exec(f.name)?.[0] ?? 'MCE';
    const v = parseMceMaster(readSourceText(dataDir, f), f.name, {
      id: `${mceDir}-${system}`,
      label: `${mceDir.toUpperCase()} master table (${f.name})`,
      fiscalYear: f.fiscalYear,
    });
    progress(`  ${f.name}: ${v.codes.length} ${system} codes with validity dates`);
    return v;
  };
  const cmValidity = mce(newest('mce-dx'), 'cm');
  const pcsValidity = mce(newest('mce-pcs'), 'pcs');
  const notes = files
    .filter((f) => f.kind === 'cm-tabular')
    .map((f) => {
      const n = parseTabularXml(readSourceText(dataDir, f), f.name, sourceRelease(f));
      progress(`  ${f.name}: ${n.categories.length} categories, ${Object.keys(n.byCode).length} entries with notes`);
      return n;
    })
    .sort((a, b) => b.source.fiscalYear - a.source.fiscalYear);
  const orders = new Map<number, SourceFile>();
  for (const f of files.filter((x) => x.kind === 'cm-order')) {
    const prev = orders.get(f.fiscalYear);
    if (!prev || prev.releaseDate < f.releaseDate) orders.set(f.fiscalYear, f);
  }
  const cache = new Map<string, IndexData>();
  const cm = [...orders.values()]
    .sort((a, b) => a.fiscalYear - b.fiscalYear)
    .map((o) => buildCmRelease(dataDir, files, o, notes, cache, progress));
  const pcs = files
    .filter((f) => f.kind === 'pcs-tables')
    .sort((a, b) => a.fiscalYear - b.fiscalYear)
    .map((f) => buildPcsRelease(dataDir, files, f, progress));
  const hcpcs = buildHcpcsReleases(dataDir, files, progress);
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    builtAt: new Date().toISOString(),
    cm,
    pcs,
    notes,
    cmValidity,
    pcsValidity,
    hcpcs,
    cpt: null,
  };
}
