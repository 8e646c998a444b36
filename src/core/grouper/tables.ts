/**
 * Reads the grouper-derived MS-DRG tables (one folder per version, `msdrg-vNN.N`) into compact arrays.
 * Files: dx.tsv, cc_exclusion_groups.tsv, pr.tsv, drg_formulas.tsv, drg_titles.tsv, mdc_titles.tsv.
 * A version folder may hold only the files that changed (v43.1 only has pr.tsv); the others are taken
 * from the nearest earlier version of the same major release.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CodeIndex } from './code-index.js';

/** Symbol table of attribute names (dx attributes, dxc categories, HAC lists, procedure attributes). */
export class AttributeSpace {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }
  static from(names: readonly string[]): AttributeSpace {
    const space = new AttributeSpace();
    for (const n of names) space.idOf(n);
    return space;
  }
  get words(): number {
    return Math.max(1, Math.ceil(this.names.length / 32));
  }
}

/** A code list with each code's attribute ids in CSR form (offsets + flat ids). */
export interface CodeAttributes {
  index: CodeIndex;
  codes: string[];
  attrOff: Uint32Array;
  attrIds: Uint16Array;
}

export interface DxTable extends CodeAttributes {
  /** MDC of the code as principal diagnosis (0 = none / cannot be principal). */
  mdc: Uint8Array;
  /** 0 = non-CC, 1 = CC, 2 = MCC (Tables 6I/6J). */
  severity: Uint8Array;
  /** Index into {@link RawTables.exclusionGroups} of the code's CC-exclusion group when it is principal, or -1. */
  exclGroup: Int32Array;
  /** MDC by sex for sex-dependent principal diagnoses (0 = not sex-dependent). */
  mdcMale: Uint8Array;
  mdcFemale: Uint8Array;
  /** HAC attributes of the code (names), empty for most codes. */
  hac: (readonly string[] | undefined)[];
}

export interface FormulaRow {
  mdc: number;
  rank: number;
  drg: string;
  baseDrg: string;
  surgical: 'SURGICAL' | 'MEDICAL' | 'NA';
  drgSeverity: number;
  rerouteMdc: number;
  suppression: string[];
  formula: string;
}

export interface RawTables {
  version: string;
  attrs: AttributeSpace;
  dx: DxTable;
  pr: CodeAttributes;
  /** Table 6K groups: name (internal to the CMS binary) and the dx indexes it excludes. */
  exclusionGroups: { name: string; members: Int32Array }[];
  formulas: FormulaRow[];
  drgTitles: Map<string, string>;
  mdcTitles: Map<string, string>;
}

const VERSION_DIR = /^msdrg-v(\d+)\.(\d+)$/;

/** The grouper versions present in a data folder, e.g. ['43.0', '43.1'], ascending. */
export function listGrouperVersions(derivedDir: string): string[] {
  return fs
    .readdirSync(derivedDir)
    .map((name) => VERSION_DIR.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}.${m[2]}`)
    .sort(compareVersions);
}

export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** The file of a version, or of the nearest earlier version of the same major release that has it. */
function resolveFile(derivedDir: string, version: string, file: string): string {
  const major = version.split('.')[0];
  const candidates = listGrouperVersions(derivedDir)
    .filter((v) => v.split('.')[0] === major && compareVersions(v, version) <= 0)
    .reverse();
  for (const v of candidates) {
    const p = path.join(derivedDir, `msdrg-v${v}`, file);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`grouper table ${file} not found for version ${version} in ${derivedDir}`);
}

/** A TSV file read row by row: the header, the number of data rows, and the rows (lazily, not kept). */
interface Tsv {
  header: string[];
  count: number;
  rows: Iterable<string[]>;
}

function openTsv(file: string): Tsv {
  const text = fs.readFileSync(file, 'utf8');
  const lineEnd = (from: number) => {
    const e = text.indexOf('\n', from);
    return e < 0 ? text.length : e;
  };
  const lineAt = (from: number, end: number) => {
    const line = text.slice(from, end);
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  };
  const headerEnd = lineEnd(0);
  const header = lineAt(0, headerEnd).split('\t');
  let count = 0;
  for (let p = headerEnd + 1; p < text.length; p = lineEnd(p) + 1) if (lineAt(p, lineEnd(p)) !== '') count++;
  function* rows(): Generator<string[]> {
    for (let p = headerEnd + 1; p < text.length;) {
      const end = lineEnd(p);
      const line = lineAt(p, end);
      p = end + 1;
      if (line !== '') yield line.split('\t');
    }
  }
  return { header, count, rows: { [Symbol.iterator]: rows } };
}

function readTsv(file: string): { header: string[]; rows: string[][] } {
  const tsv = openTsv(file);
  return { header: tsv.header, rows: [...tsv.rows] };
}

/** Collects codes and their attribute ids (CSR) one row at a time. */
class AttributeBuilder {
  readonly codes: string[] = [];
  private readonly attrOff: Uint32Array;
  private ids: Uint16Array;
  private k = 0;
  constructor(
    rows: number,
    private readonly attrs: AttributeSpace,
  ) {
    this.attrOff = new Uint32Array(rows + 1);
    this.ids = new Uint16Array(Math.max(16, rows * 4));
  }
  add(code: string, ...lists: (string | undefined)[]): void {
    this.attrOff[this.codes.length] = this.k;
    this.codes.push(code);
    for (const list of lists) {
      for (const a of splitList(list)) {
        if (this.k === this.ids.length) {
          const bigger = new Uint16Array(this.ids.length * 2);
          bigger.set(this.ids);
          this.ids = bigger;
        }
        this.ids[this.k++] = this.attrs.idOf(a);
      }
    }
  }
  finish(): CodeAttributes {
    const n = this.codes.length;
    this.attrOff[n] = this.k;
    return {
      index: new CodeIndex(this.codes),
      codes: this.codes,
      attrOff: this.attrOff.slice(0, n + 1),
      attrIds: this.ids.slice(0, this.k),
    };
  }
}

function column(header: string[], name: string, file: string): number {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`column ${name} missing in ${file}`);
  return i;
}

function splitList(s: string | undefined): string[] {
  return s ? s.split('|').filter((x) => x !== '') : [];
}

function readDx(file: string, attrs: AttributeSpace, groupIndex: Map<string, number>): DxTable {
  const tsv = openTsv(file);
  const c = (n: string) => column(tsv.header, n, file);
  const [iCode, iMdc, iSev, iExcl, iAttr, iCat, iHac, iSex] = [
    c('code'),
    c('mdc'),
    c('severity'),
    c('cc_excl_group_when_pdx'),
    c('attributes'),
    c('cat_attributes'),
    c('hac_attributes'),
    c('sex_mdc'),
  ];
  const n = tsv.count;
  const builder = new AttributeBuilder(n, attrs);
  const mdc = new Uint8Array(n);
  const severity = new Uint8Array(n);
  const exclGroup = new Int32Array(n).fill(-1);
  const mdcMale = new Uint8Array(n);
  const mdcFemale = new Uint8Array(n);
  const hac: (readonly string[] | undefined)[] = new Array<readonly string[] | undefined>(n);
  let i = 0;
  for (const r of tsv.rows) {
    builder.add(r[iCode] as string, r[iAttr], r[iCat], r[iHac]);
    mdc[i] = Number(r[iMdc]);
    const sev = r[iSev];
    severity[i] = sev === 'MCC' ? 2 : sev === 'CC' ? 1 : 0;
    const g = r[iExcl];
    if (g) exclGroup[i] = groupIndex.get(g) ?? -1;
    const hacList = splitList(r[iHac]);
    hac[i] = hacList.length > 0 ? hacList : undefined;
    for (const part of splitList(r[iSex])) {
      const [sex, m] = part.split(':');
      if (sex === '1') mdcMale[i] = Number(m);
      if (sex === '2') mdcFemale[i] = Number(m);
    }
    i++;
  }
  return { ...builder.finish(), mdc, severity, exclGroup, mdcMale, mdcFemale, hac };
}

function readPr(file: string, attrs: AttributeSpace): CodeAttributes {
  const tsv = openTsv(file);
  const iCode = column(tsv.header, 'code', file);
  const iAttr = column(tsv.header, 'attributes', file);
  const builder = new AttributeBuilder(tsv.count, attrs);
  for (const r of tsv.rows) builder.add(r[iCode] as string, r[iAttr]);
  return builder.finish();
}

function readFormulas(file: string): FormulaRow[] {
  const { header, rows } = readTsv(file);
  const c = (n: string) => column(header, n, file);
  const [iMdc, iRank, iDrg, iBase, iSurg, iSev, iRe, iSup, iF] = [
    c('mdc'),
    c('rank'),
    c('drg'),
    c('base_drg'),
    c('surgical'),
    c('drg_severity'),
    c('reroute_mdc'),
    c('severity_suppression'),
    c('formula'),
  ];
  return rows.map((r) => ({
    mdc: Number(r[iMdc]),
    rank: Number(r[iRank]),
    drg: r[iDrg] as string,
    baseDrg: (r[iBase] as string).padStart(3, '0'),
    surgical: r[iSurg] === 'SURGICAL' || r[iSurg] === 'MEDICAL' ? r[iSurg] : 'NA',
    drgSeverity: Number(r[iSev]),
    rerouteMdc: Number(r[iRe]),
    suppression: splitList(r[iSup]),
    formula: r[iF] ?? '',
  }));
}

function readTitles(file: string, key: string): Map<string, string> {
  const { header, rows } = readTsv(file);
  const iKey = column(header, key, file);
  const iTitle = column(header, 'title', file);
  return new Map(rows.map((r) => [r[iKey] as string, r[iTitle] as string]));
}

/**
 * Parsed diagnosis tables shared by versions that use the same files (v43.1 reuses v43.0's dx.tsv and
 * cc_exclusion_groups.tsv): the attribute names assigned while reading them, the dx table and groups.
 */
export type DxTableCache = Map<string, { names: readonly string[]; dx: DxTable; exclusionGroups: RawTables['exclusionGroups'] }>;

/** The table files one version is read from (each from the version's folder or an earlier one of its major release). */
export function grouperTableFiles(derivedDir: string, version: string): string[] {
  return ['dx.tsv', 'cc_exclusion_groups.tsv', 'pr.tsv', 'drg_formulas.tsv', 'drg_titles.tsv', 'mdc_titles.tsv'].map((f) =>
    resolveFile(derivedDir, version, f),
  );
}

/** Reads every table of one grouper version from `<dataDir>/<fy>/grouper-derived`. */
export function readGrouperTables(derivedDir: string, version: string, cache: DxTableCache = new Map()): RawTables {
  const file = (f: string) => resolveFile(derivedDir, version, f);
  const key = `${file('dx.tsv')}\n${file('cc_exclusion_groups.tsv')}`;
  let shared = cache.get(key);
  if (!shared) {
    const attrs = new AttributeSpace();
    const { dx, exclusionGroups } = readDxTables(file, attrs);
    shared = { names: [...attrs.names], dx, exclusionGroups };
    cache.set(key, shared);
  }
  // Diagnosis attributes get the same ids in every version sharing the files; procedure ones follow.
  const attrs = AttributeSpace.from(shared.names);
  return {
    version,
    attrs,
    dx: shared.dx,
    pr: readPr(file('pr.tsv'), attrs),
    exclusionGroups: shared.exclusionGroups,
    formulas: readFormulas(file('drg_formulas.tsv')),
    drgTitles: readTitles(file('drg_titles.tsv'), 'drg'),
    mdcTitles: readTitles(file('mdc_titles.tsv'), 'mdc'),
  };
}

function readDxTables(file: (f: string) => string, attrs: AttributeSpace): Pick<RawTables, 'dx' | 'exclusionGroups'> {
  const groupsFile = file('cc_exclusion_groups.tsv');
  const groups = openTsv(groupsFile);
  const iGroup = column(groups.header, 'group', groupsFile);
  const iCodes = column(groups.header, 'excluded_secondary_codes', groupsFile);
  const names: string[] = [];
  for (const r of groups.rows) names.push(r[iGroup] as string);
  const groupIndex = new Map(names.map((name, i) => [name, i]));
  const dx = readDx(file('dx.tsv'), attrs, groupIndex);
  const exclusionGroups: RawTables['exclusionGroups'] = [];
  for (const r of groups.rows) {
    const members: number[] = [];
    for (const code of splitList(r[iCodes])) {
      const i = dx.index.get(code);
      if (i >= 0) members.push(i);
    }
    exclusionGroups.push({ name: r[iGroup] as string, members: Int32Array.from(members) });
  }
  return { dx, exclusionGroups };
}
