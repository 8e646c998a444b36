import { DxFlag, SgFlag } from './mce-flags.js';

/**
 * The MCE tables of one release, parsed into flat typed arrays. Pure: takes the TSV texts, does no I/O
 * (mce-loader.ts reads the files). Dates are integers YYYYMMDD; an open end date is 99991231.
 */

/** End date given to open-ended rows (blank end_date). */
export const OPEN_END = 99991231;

/** Code validity periods with their attribute bitmask; rows of one code are contiguous, by start date. */
export interface CodeTable {
  /** code -> (first row << 8) | row count */
  readonly index: ReadonlyMap<string, number>;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly flags: Int32Array;
}

export interface AgeRange {
  readonly group: string;
  readonly minAge: number;
  readonly maxAge: number;
  readonly start: number;
  readonly end: number;
}

export interface DischargeStatusPeriod {
  readonly start: number;
  readonly end: number;
}

export interface MceTables {
  readonly dx: CodeTable;
  readonly sg: CodeTable;
  readonly ageRanges: readonly AgeRange[];
  /** valid periods by status code (0-99) */
  readonly dischargeStatus: readonly (readonly DischargeStatusPeriod[] | undefined)[];
  /** flag names found in the tables that this engine has no logic for */
  readonly unknownFlags: readonly string[];
  /** first date any code is valid */
  readonly firstDate: number;
  /** latest start date of any row: the release's last update */
  readonly lastUpdate: number;
}

export interface MceTableTexts {
  readonly dx: string;
  readonly sg: string;
  readonly ageRanges: string;
  readonly dischargeStatus: string;
}

/** Parses a `YYYYMMDD` cell; blank means open-ended (`blank`). */
function parseDateCell(cell: string | undefined, blank: number, where: string): number {
  if (cell === undefined || cell === '') return blank;
  if (!/^\d{8}$/.test(cell)) throw new Error(`${where}: date "${cell}" is not YYYYMMDD`);
  return Number(cell);
}

function* dataRows(text: string, file: string, minColumns: number): Generator<{ cells: string[]; where: string }> {
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined || line === '') continue;
    const cells = line.split('\t');
    const where = `${file} line ${i + 1}`;
    if (cells.length < minColumns) throw new Error(`${where}: expected ${minColumns} tab-separated columns`);
    yield { cells, where };
  }
}

function parseCodeTable(text: string, file: string, names: Readonly<Record<string, number>>, unknown: Set<string>): CodeTable {
  const rows: { code: string; start: number; end: number; flags: number }[] = [];
  for (const { cells, where } of dataRows(text, file, 3)) {
    const [code = '', startCell, endCell, flagCell = ''] = cells;
    let flags = 0;
    for (const name of flagCell.split('|')) {
      if (name === '') continue;
      const bit = names[name];
      if (bit === undefined) unknown.add(`${file}:${name}`);
      else flags |= bit;
    }
    const start = parseDateCell(startCell, 0, where);
    rows.push({ code: code.toUpperCase(), start, end: parseDateCell(endCell, OPEN_END, where), flags });
  }
  rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.start - b.start));
  const index = new Map<string, number>();
  const start = new Int32Array(rows.length);
  const end = new Int32Array(rows.length);
  const flags = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    start[i] = row.start;
    end[i] = row.end;
    flags[i] = row.flags;
    const prev = index.get(row.code);
    index.set(row.code, prev === undefined ? (i << 8) | 1 : prev + 1);
  });
  return { index, start, end, flags };
}

/** Attribute bitmask of `code` on `date`, or -1 when the code is not valid on that date. */
export function lookupCode(table: CodeTable, code: string, date: number): number {
  const entry = table.index.get(code);
  if (entry === undefined) return -1;
  const first = entry >>> 8;
  const last = first + (entry & 0xff);
  for (let r = first; r < last; r++) {
    if ((table.start[r] as number) <= date && date <= (table.end[r] as number)) return table.flags[r] as number;
  }
  return -1;
}

function parseAgeRanges(text: string): AgeRange[] {
  const out: AgeRange[] = [];
  for (const { cells, where } of dataRows(text, 'age_ranges.tsv', 4)) {
    const [group = '', lo = '', hi = '', s, e] = cells;
    out.push({
      group,
      minAge: Number(lo),
      maxAge: Number(hi),
      start: parseDateCell(s, 0, where),
      end: parseDateCell(e, OPEN_END, where),
    });
  }
  return out;
}

function parseDischargeStatus(text: string): (DischargeStatusPeriod[] | undefined)[] {
  const out: (DischargeStatusPeriod[] | undefined)[] = new Array<DischargeStatusPeriod[] | undefined>(100);
  for (const { cells, where } of dataRows(text, 'discharge_status.tsv', 2)) {
    const [codeCell = '', s, e] = cells;
    const code = Number(codeCell);
    if (!Number.isInteger(code) || code < 0 || code > 99) throw new Error(`${where}: status "${codeCell}"`);
    (out[code] ??= []).push({ start: parseDateCell(s, 0, where), end: parseDateCell(e, OPEN_END, where) });
  }
  return out;
}

function dateBounds(tables: readonly CodeTable[]): { firstDate: number; lastUpdate: number } {
  let firstDate = OPEN_END;
  let lastUpdate = 0;
  for (const t of tables) {
    for (const s of t.start) {
      if (s < firstDate) firstDate = s;
      if (s > lastUpdate) lastUpdate = s;
    }
  }
  return { firstDate, lastUpdate };
}

/** Parses the four MCE tables of one release. Throws with the file and line on a malformed row. */
export function parseMceTables(texts: MceTableTexts): MceTables {
  const unknown = new Set<string>();
  const dx = parseCodeTable(texts.dx, 'i10dx_master.tsv', DxFlag, unknown);
  const sg = parseCodeTable(texts.sg, 'i10sg_master.tsv', SgFlag, unknown);
  return {
    dx,
    sg,
    ageRanges: parseAgeRanges(texts.ageRanges),
    dischargeStatus: parseDischargeStatus(texts.dischargeStatus),
    unknownFlags: [...unknown].sort(),
    ...dateBounds([dx, sg]),
  };
}

/**
 * Last discharge date a release covers: the end (September 30) of the federal fiscal year of its last
 * update. ICD-10 code sets and the MCE are released per fiscal year (October 1) with an April 1 update.
 */
export function fiscalYearEnd(date: number): number {
  const year = Math.floor(date / 10000);
  const monthDay = date % 10000;
  return (monthDay >= 1001 ? year + 1 : year) * 10000 + 930;
}
