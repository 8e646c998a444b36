import { MCE_EDIT_NAMES } from './mce-edits.js';
import { fiscalYearEnd, type AgeRange, type MceTables } from './mce-tables.js';

/**
 * A loaded code editor: one MCE release's tables plus the scratch buffers the edit run reuses. Build it with
 * `loadCodeEditor` (reads a data folder) or `createCodeEditor` (from parsed tables, e.g. in tests).
 */
export interface CodeEditor {
  /** release label, e.g. "43.1" (from the `mce-NN.N` folder name) */
  readonly release: string;
  /** folder the tables were read from, for messages and logs */
  readonly source: string;
  readonly tables: MceTables;
  /** first and last discharge dates (YYYYMMDD) this release edits; outside them: INVALID_DISCHARGE_DATE */
  readonly firstDischargeDate: number;
  readonly lastDischargeDate: number;
  /** @internal reused per claim; the editor is single-threaded like the JS that calls it */
  readonly scratch: EditScratch;
}

/** @internal */
export interface EditScratch {
  readonly counts: Int32Array;
  dxFlags: Int32Array;
  sgFlags: Int32Array;
}

export interface CreateCodeEditorOptions {
  readonly release?: string;
  readonly source?: string;
  /** override the last discharge date (YYYYMMDD); default: end of the fiscal year of the last update */
  readonly lastDischargeDate?: number;
}

/** Builds a code editor from parsed tables. */
export function createCodeEditor(tables: MceTables, opts: CreateCodeEditorOptions = {}): CodeEditor {
  return Object.freeze({
    release: opts.release ?? 'unknown',
    source: opts.source ?? '(in memory)',
    tables,
    firstDischargeDate: tables.firstDate,
    lastDischargeDate: opts.lastDischargeDate ?? fiscalYearEnd(tables.lastUpdate),
    scratch: {
      counts: new Int32Array(MCE_EDIT_NAMES.length),
      dxFlags: new Int32Array(128),
      sgFlags: new Int32Array(128),
    },
  });
}

/** The age range of `group` in force on `date`, if the release defines one. */
export function ageRangeOn(editor: CodeEditor, group: string, date: number): AgeRange | undefined {
  const ranges = editor.tables.ageRanges;
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i] as AgeRange;
    if (r.group === group && r.start <= date && date <= r.end) return r;
  }
  return undefined;
}

/** Is `status` a valid UB-04 patient discharge status on `date`? */
export function isValidDischargeStatus(editor: CodeEditor, status: number, date: number): boolean {
  if (!Number.isInteger(status) || status < 0 || status > 99) return false;
  const periods = editor.tables.dischargeStatus[status];
  if (periods === undefined) return false;
  for (const p of periods) if (p.start <= date && date <= p.end) return true;
  return false;
}

/** Parses `YYYY-MM-DD` to YYYYMMDD without allocating; -1 when malformed. */
export function parseDischargeDate(s: string | undefined): number {
  if (s === undefined || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return -1;
  let n = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  const month = Math.floor(n / 100) % 100;
  const day = n % 100;
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? n : -1;
}
