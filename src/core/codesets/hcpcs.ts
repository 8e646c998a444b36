/**
 * Parsers for the outpatient code sets: the CMS HCPCS Level II alpha-numeric file (fixed width, record layout
 * "HCPCS Contractor Record", 320 characters a record) and the AMA CPT descriptor files a licensee imports
 * (tab-delimited LONGULT/MEDU/SHORTU files, or a plain `code<TAB>description` file). Pure: text in, data out; a
 * malformed line raises CodeSetFileError naming the file and line.
 */
import { CodeSetFileError } from './errors.js';
import { buildSearchIndex } from './search-index.js';
import { indexTokens } from './text.js';
import type { CptData, HcpcsEntry, HcpcsRelease } from './types.js';

/** A HCPCS Level II procedure code: a letter A-V then four digits (CPT Level I codes are never in the CMS file). */
export const HCPCS_CODE_PATTERN = /^[A-V]\d{4}$/;
/** A HCPCS Level II modifier: two characters, at least one a letter (two digits are CPT modifiers). */
export const HCPCS_MODIFIER_PATTERN = /^(?=.*[A-Z])[A-Z0-9]{2}$/;
/** CPT: Category I five digits; Category II four digits and F; Category III four digits and T; PLA four digits and U; MAAA four digits and M. */
export const CPT_CODE_PATTERN = /^(\d{5}|\d{4}[FTUM])$/;
/** A CPT modifier is two digits (the AMA's; accepted as numbers, they are not in the HCPCS file). */
export const CPT_MODIFIER_PATTERN = /^\d{2}$/;

const slice = (row: string, from: number, to: number): string => row.slice(from - 1, to);

function isoDate(raw: string, fileName: string, line: number, field: string): string {
  const v = raw.trim();
  if (v === '') return '';
  if (!/^\d{8}$/.test(v)) throw new CodeSetFileError('invalid', fileName, line, `${field} must be YYYYMMDD or blank, got "${v}"`);
  const iso = `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
  if (Number.isNaN(Date.parse(`${iso}T00:00:00Z`)))
    throw new CodeSetFileError('invalid', fileName, line, `${field} is not a calendar date: "${v}"`);
  return iso;
}

/**
 * Parses the HCPCS alpha-numeric file. Positions (1-based, the 2026 record layout): code 1-5 (a modifier in 4-5),
 * sequence 6-10, record identification code 11 (3 first line of a procedure, 4 its continuation, 7 first line of a
 * modifier, 8 its continuation), long description 12-91, short description 92-119, pricing indicators 120-127
 * (four of two), multiple pricing indicator 128, processing note 253-256, coverage 230, BETOS 257-259, type of
 * service 261-265, added date 269-276, action effective date 277-284, termination date 285-292, action code 293.
 * A continuation line adds to the long description of the record before it, which must have the same code.
 */
export function parseHcpcsFile(
  text: string,
  fileName: string,
  release: { id: string; label: string; effectiveFrom: string; effectiveTo: string },
): HcpcsRelease {
  const rows = text.split(/\r?\n/);
  const codes: HcpcsEntry[] = [];
  const modifiers: HcpcsEntry[] = [];
  let last: { entry: HcpcsEntry; modifier: boolean } | undefined;
  rows.forEach((raw, i) => {
    const line = i + 1;
    const row = raw.replace(/\r$/, '');
    if (row.trim() === '') return; // the file ends with a trailer of blanks
    if (row.length < 293)
      throw new CodeSetFileError(
        'invalid',
        fileName,
        line,
        `record is ${row.length} characters; the HCPCS record layout has 320 (at least 293 used)`,
      );
    const ric = slice(row, 11, 11);
    const modifier = ric === '7' || ric === '8';
    const code = modifier ? slice(row, 4, 5) : slice(row, 1, 5);
    if (ric !== '3' && ric !== '4' && !modifier)
      throw new CodeSetFileError('invalid', fileName, line, `record identification code (position 11) must be 3, 4, 7 or 8, got "${ric}"`);
    if (modifier ? !/^[A-Z0-9]{2}$/.test(code) || slice(row, 1, 3).trim() !== '' : !HCPCS_CODE_PATTERN.test(code))
      throw new CodeSetFileError(
        'invalid',
        fileName,
        line,
        `not a HCPCS Level II ${modifier ? 'modifier (positions 4-5)' : 'code (positions 1-5)'}: "${code.trim()}"`,
      );
    if (!/^\d{5}$/.test(slice(row, 6, 10)))
      throw new CodeSetFileError('invalid', fileName, line, 'sequence number (positions 6-10) must be 5 digits');
    const longPart = slice(row, 12, 91).trim();
    if (ric === '4' || ric === '8') {
      if (!last || last.entry.code !== code || last.modifier !== modifier)
        throw new CodeSetFileError('invalid', fileName, line, `continuation line for ${code.trim()} does not follow its first line`);
      if (longPart !== '') last.entry.long = `${last.entry.long} ${longPart}`;
      return;
    }
    const entry: HcpcsEntry = {
      code,
      long: longPart,
      short: slice(row, 92, 119).trim(),
      pricing: [0, 1, 2, 3].map((k) => slice(row, 120 + 2 * k, 121 + 2 * k).trim()).filter((p) => p !== ''),
      multiplePricing: slice(row, 128, 128).trim(),
      coverage: slice(row, 230, 230).trim(),
      betos: slice(row, 257, 259).trim(),
      typeOfService: slice(row, 261, 265)
        .split('')
        .filter((c) => c.trim() !== ''),
      processingNote: slice(row, 253, 256).trim(),
      added: isoDate(slice(row, 269, 276), fileName, line, 'added date (positions 269-276)'),
      actionEffective: isoDate(slice(row, 277, 284), fileName, line, 'action effective date (positions 277-284)'),
      terminated: isoDate(slice(row, 285, 292), fileName, line, 'termination date (positions 285-292)'),
      action: slice(row, 293, 293).trim(),
    };
    if (entry.long === '') throw new CodeSetFileError('invalid', fileName, line, `${code} has no long description (positions 12-91)`);
    if (entry.coverage !== '' && !'CDIMS'.includes(entry.coverage))
      throw new CodeSetFileError(
        'invalid',
        fileName,
        line,
        `coverage code (position 230) must be C, D, I, M or S, got "${entry.coverage}"`,
      );
    if (entry.action !== '' && !'ABCDFNPRST'.includes(entry.action))
      throw new CodeSetFileError(
        'invalid',
        fileName,
        line,
        `action code (position 293) must be one of A B C D F N P R S T, got "${entry.action}"`,
      );
    (modifier ? modifiers : codes).push(entry);
    last = { entry, modifier };
  });
  if (codes.length === 0) throw new CodeSetFileError('invalid', fileName, 1, 'no HCPCS procedure records (record identification code 3)');
  const byCode = (a: HcpcsEntry, b: HcpcsEntry): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  codes.sort(byCode);
  modifiers.sort(byCode);
  return {
    ...release,
    codes,
    modifiers,
    search: buildSearchIndex(codes.map((c) => indexTokens(`${c.long} ${c.short}`))),
  };
}

/** Whether a HCPCS entry may be reported on `date` (YYYY-MM-DD): added on or before it, not terminated before it. */
export function hcpcsValidOn(entry: HcpcsEntry, date: string): boolean {
  return (entry.added === '' || entry.added <= date) && (entry.terminated === '' || date <= entry.terminated);
}

/** Which descriptor an AMA file holds, from its name: LONGULT/LONG..., MEDU/MEDIUM..., SHORTU/SHORT...; else long. */
export function cptDescriptorKind(fileName: string): 'long' | 'medium' | 'short' {
  const base = fileName.replace(/^.*[\\/]/, '').toUpperCase();
  if (base.startsWith('MED')) return 'medium';
  if (base.startsWith('SHORT')) return 'short';
  return 'long';
}

/**
 * Reads AMA CPT descriptor files: each line `code<TAB>descriptor` (the AMA's LONGULT.txt, MEDU.txt, SHORTU.txt,
 * or a plain file). A first line whose first field is not a code is taken as a header; blank lines are skipped;
 * anything else that is not a CPT code and a descriptor is rejected naming the file and line.
 */
export function parseCptFiles(files: { name: string; text: string }[], importedAt: string): CptData {
  if (files.length === 0) throw new CodeSetFileError('not_found', '(none)', undefined, 'give at least one CPT file');
  const byCode = new Map<string, { long: string; medium: string; short: string }>();
  for (const f of files) {
    const kind = cptDescriptorKind(f.name);
    let rows = 0;
    f.text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .forEach((row, i) => {
        if (row.trim() === '') return;
        const tab = row.indexOf('\t');
        const code = (tab < 0 ? row : row.slice(0, tab)).trim().toUpperCase();
        const desc = tab < 0 ? '' : row.slice(tab + 1).trim();
        if (!CPT_CODE_PATTERN.test(code)) {
          if (i === 0 && tab >= 0) return; // header line ("Code<TAB>Descriptor")
          throw new CodeSetFileError('invalid', f.name, i + 1, `not a CPT code followed by a tab and a descriptor: "${code.slice(0, 12)}"`);
        }
        if (desc === '') throw new CodeSetFileError('invalid', f.name, i + 1, `${code} has no descriptor (expected code<TAB>descriptor)`);
        const e = byCode.get(code) ?? { long: '', medium: '', short: '' };
        e[kind] = e[kind] === '' ? desc : `${e[kind]} ${desc}`;
        byCode.set(code, e);
        rows++;
      });
    if (rows === 0) throw new CodeSetFileError('invalid', f.name, 1, 'no CPT codes in the file');
  }
  const codes = [...byCode.keys()].sort();
  const get = (k: 'long' | 'medium' | 'short'): string[] => codes.map((c) => byCode.get(c)?.[k] ?? '');
  const long = get('long');
  const medium = get('medium');
  const short = get('short');
  return {
    label: `CPT (AMA, licensed; imported ${importedAt.slice(0, 10)})`,
    importedAt,
    files: files.map((f) => f.name.replace(/^.*[\\/]/, '')),
    codes,
    long,
    medium,
    short,
    search: buildSearchIndex(codes.map((_, i) => indexTokens(`${long[i] ?? ''} ${medium[i] ?? ''} ${short[i] ?? ''}`))),
  };
}

/** CPT sections by code range (AMA CPT code book section ranges); used to check a code's range without the licensed file. */
const CPT_RANGES: [string, string, string][] = [
  ['00100', '01999', 'Anesthesia'],
  ['10004', '69990', 'Surgery'],
  ['70010', '79999', 'Radiology'],
  ['80047', '89398', 'Pathology and Laboratory'],
  ['90281', '99199', 'Medicine'],
  ['99202', '99499', 'Evaluation and Management'],
  ['99500', '99607', 'Medicine'],
];

/**
 * Format and range of a CPT code number when no licensed file is loaded: the section it falls in, or why it is not
 * a CPT code. Category II (F), III (T), PLA (U) and MAAA (M) codes are checked for format only.
 */
export function cptFormatCheck(code: string): { ok: true; section: string } | { ok: false; reason: string } {
  const c = code.toUpperCase();
  if (!CPT_CODE_PATTERN.test(c)) return { ok: false, reason: `${code} is not a CPT code (five digits, or four digits and F, T, U or M)` };
  const suffix = c.charAt(4);
  if (suffix === 'F') return { ok: true, section: 'Category II (performance measurement)' };
  if (suffix === 'T') return { ok: true, section: 'Category III (emerging technology)' };
  if (suffix === 'U') return { ok: true, section: 'Proprietary Laboratory Analyses' };
  if (suffix === 'M') return { ok: true, section: 'Multianalyte Assays with Algorithmic Analyses' };
  const hit = CPT_RANGES.find(([lo, hi]) => lo <= c && c <= hi);
  return hit ? { ok: true, section: hit[2] } : { ok: false, reason: `${c} is outside every CPT Category I section range` };
}
