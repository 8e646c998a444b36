/**
 * Parsers for the flat official files: ICD-10-CM order file (fixed width), chapters/sections/categories CSV,
 * MCE master TSV and the flattened Alphabetic Index CSV. Pure: text in, data out; a malformed line raises
 * CodeSetFileError naming the file and line.
 */
import { CodeSetFileError } from './errors.js';
import type { ChapterInfo, IndexData, IndexTerm, SectionInfo, SourceRelease, ValidityData } from './types.js';

const CM_CODE = /^[A-Z][0-9A-Z][0-9A-Z][0-9A-Z]{0,4}$/;

export interface OrderFile {
  codes: string[];
  titles: string[];
  shortTitles: string[];
  billable: Uint8Array;
}

function lines(text: string): string[] {
  const out = text.split(/\r?\n/);
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * CMS "order" file layout: order number 1-5, code 7-13, billable flag 15 (1 = valid for HIPAA transactions,
 * 0 = header), short title 17-76, long title 78-end.
 */
export function parseOrderFile(text: string, fileName: string): OrderFile {
  const rows = lines(text);
  const codes: string[] = [];
  const titles: string[] = [];
  const shortTitles: string[] = [];
  const billable = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    const code = row.slice(6, 13).trim();
    const flag = row.charAt(14);
    const longTitle = row.slice(77).trim();
    if (!/^\d{5}$/.test(row.slice(0, 5)) || !CM_CODE.test(code) || (flag !== '0' && flag !== '1') || longTitle === '') {
      throw new CodeSetFileError('invalid', fileName, i + 1, 'not an ICD-10-CM order-file row (order 1-5, code 7-13, flag 15, titles 17-)');
    }
    billable[codes.length] = flag === '1' ? 1 : 0;
    codes.push(code);
    shortTitles.push(row.slice(16, 76).trim());
    titles.push(longTitle);
  });
  if (codes.length === 0) throw new CodeSetFileError('invalid', fileName, 1, 'empty order file');
  return { codes, titles, shortTitles, billable };
}

/** RFC 4180 CSV (quoted fields, doubled quotes); returns rows with their 1-based line numbers. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      out.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += ch;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    out.push({ line: rowLine, fields });
  }
  return out;
}

function csvRows(text: string, fileName: string, header: string[]): { line: number; fields: string[] }[] {
  const rows = parseCsv(text);
  const head = rows.shift();
  if (!head || header.some((h, i) => head.fields[i]?.trim() !== h)) {
    throw new CodeSetFileError('invalid', fileName, 1, `expected header ${header.join(',')}`);
  }
  return rows.filter((r) => {
    if (r.fields.length === 1 && r.fields[0] === '') return false;
    if (r.fields.length < header.length) {
      throw new CodeSetFileError('invalid', fileName, r.line, `expected ${header.length} fields, found ${r.fields.length}`);
    }
    return true;
  });
}

export function parseChaptersCsv(text: string, fileName: string): ChapterInfo[] {
  return csvRows(text, fileName, ['chapter', 'description']).map((r) => ({ chapter: r.fields[0] ?? '', title: r.fields[1] ?? '' }));
}

export function parseSectionsCsv(text: string, fileName: string): SectionInfo[] {
  return csvRows(text, fileName, ['section_range', 'chapter', 'description']).map((r) => ({
    range: r.fields[0] ?? '',
    chapter: r.fields[1] ?? '',
    title: r.fields[2] ?? '',
  }));
}

/** Category -> section range. */
export function parseCategoriesCsv(text: string, fileName: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of csvRows(text, fileName, ['ICD10-CM-CODE', 'description', 'section', 'chapter'])) {
    const code = r.fields[0] ?? '';
    if (!/^[A-Z][0-9A-Z][0-9A-Z]$/.test(code)) throw new CodeSetFileError('invalid', fileName, r.line, `not a category: ${code}`);
    out[code] = r.fields[2] ?? '';
  }
  return out;
}

/** MCE master table `code, start_date, end_date, flags` (dates YYYYMMDD), one row per code per period. */
export function parseMceMaster(text: string, fileName: string, source: SourceRelease): ValidityData {
  const rows = lines(text);
  if (!rows[0]?.startsWith('code\tstart_date\tend_date')) {
    throw new CodeSetFileError('invalid', fileName, 1, 'expected header code<TAB>start_date<TAB>end_date<TAB>flags');
  }
  const at = new Map<string, number>();
  const data: ValidityData = { source, codes: [], periods: [], flags: [] };
  for (let i = 1; i < rows.length; i++) {
    const [code = '', start = '', end = '', flags = ''] = (rows[i] ?? '').split('\t');
    if (!/^[0-9A-Z]{3,7}$/.test(code) || !/^\d{8}$/.test(start) || !(end === '' || /^\d{8}$/.test(end))) {
      throw new CodeSetFileError('invalid', fileName, i + 1, 'expected code, YYYYMMDD start, optional YYYYMMDD end');
    }
    const k = at.get(code);
    if (k === undefined) {
      at.set(code, data.codes.length);
      data.codes.push(code);
      data.periods.push(`${start}-${end}`);
      data.flags.push(flags);
    } else {
      data.periods[k] = `${data.periods[k]!};${start}-${end}`;
      if (flags !== '') data.flags[k] = flags;
    }
  }
  return data;
}

/**
 * The flattened Alphabetic Index CSV (`RowID, Letter, Level, Term, See, SeeAlso, NonEssModif, Code`): level 0 is a
 * main term, a deeper level's parent is the nearest preceding row of a lower level.
 */
export function parseIndexCsv(text: string, fileName: string, source: SourceRelease): IndexData {
  const rows = csvRows(text, fileName, ['RowID', 'Letter', 'Level', 'Term', 'See', 'SeeAlso', 'NonEssModif', 'Code']);
  const terms: IndexTerm[] = [];
  const lastAtLevel: number[] = [];
  for (const r of rows) {
    const [, , levelText = '', title = '', see = '', seeAlso = '', nemod = '', code = ''] = r.fields;
    const level = Number(levelText);
    if (!Number.isInteger(level) || level < 0 || level > lastAtLevel.length) {
      throw new CodeSetFileError('invalid', fileName, r.line, `bad level ${levelText}`);
    }
    const term: IndexTerm = { title: title.trim(), level, parent: level === 0 ? -1 : (lastAtLevel[level - 1] ?? -1), codes: [] };
    const c = code.trim().replace(/\./g, '');
    if (c !== '') term.codes.push(c);
    if (see.trim()) term.see = see.trim();
    if (seeAlso.trim()) term.seeAlso = seeAlso.trim();
    if (nemod.trim()) term.nemod = nemod.trim();
    lastAtLevel[level] = terms.length;
    lastAtLevel.length = level + 1;
    terms.push(term);
  }
  return { kind: 'index', source, columns: [], terms };
}
