/**
 * Parsers for the quarterly CMS files the outpatient edits need and which are not shipped (they carry CPT code
 * numbers and descriptors under the AMA licence): NCCI procedure-to-procedure edits (practitioner `ccipra-*`,
 * outpatient hospital `ccioph-*`), Medically Unlikely Edits (`MCR_MUE_*Services_Eff_*.csv`) and OPPS Addendum B.
 * Each is read in CMS's published layout: a preamble (the AMA notice, a title), a header row, then data rows; a
 * malformed data row raises CodeSetFileError naming the file and line. Pure: text in, data out.
 */
import { CodeSetFileError } from './errors.js';
import { parseCsv } from './flat-files.js';
import type { EditSetting, LicensedEdits, MueTable, OppsTable, PtpTable } from './types.js';

export type { EditSetting, PtpTable, MueTable, OppsTable, LicensedEdits } from './types.js';

const CODE = /^[A-Z0-9]{4}[A-Z0-9]$/;

/** Rows of a tab- or comma-delimited file with 1-based line numbers (tabs when the file has any). */
function tableRows(text: string): { line: number; fields: string[] }[] {
  const clean = text.replace(/^\uFEFF/, '');
  if (clean.includes('\t')) return clean.split(/\r?\n/).map((row, i) => ({ line: i + 1, fields: row.split('\t').map((f) => f.trim()) }));
  return parseCsv(clean).map((r) => ({ line: r.line, fields: r.fields.map((f) => f.trim()) }));
}

const blank = (fields: string[]): boolean => fields.every((f) => f === '');

function ymd(raw: string, file: string, line: number, what: string): string {
  if (!/^\d{8}$/.test(raw)) throw new CodeSetFileError('invalid', file, line, `${what} must be YYYYMMDD, got "${raw.slice(0, 12)}"`);
  return `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}`;
}

/** The setting of an NCCI PTP file from its name (ccipra = practitioner, ccioph = outpatient hospital). */
export function ptpSettingOf(fileName: string): 'practitioner' | 'hospital' | undefined {
  const base = fileName.replace(/^.*[\\/]/, '').toLowerCase();
  if (base.startsWith('ccipra')) return 'practitioner';
  if (base.startsWith('ccioph')) return 'hospital';
  return undefined;
}

/**
 * NCCI PTP edits (CMS layout): Column 1, Column 2, "*=in existence prior to 1996", Effective Date (YYYYMMDD),
 * Deletion Date ("*" = none), Modifier indicator (0, 1, 9), PTP Edit Rationale. Rows before the first data row are
 * the AMA notice and the (possibly multi-line) header; one of them must name "Column 1".
 */
export function parsePtpFile(text: string, fileName: string, setting: 'practitioner' | 'hospital'): Omit<PtpTable, 'files' | 'setting'> {
  const out = {
    column1: [] as string[],
    column2: [] as string[],
    effective: [] as string[],
    deletion: [] as string[],
    modifierIndicator: '',
    rationale: [] as string[],
  };
  let header = false;
  let data = false;
  for (const { line, fields } of tableRows(text)) {
    if (blank(fields)) continue;
    const first = (fields[0] ?? '').toUpperCase();
    if (!data && !CODE.test(first)) {
      if (/column\s*1/i.test(fields.join(' '))) header = true;
      continue;
    }
    if (!header)
      throw new CodeSetFileError('invalid', fileName, line, `not an NCCI PTP ${setting} file: no "Column 1" header before the first row`);
    data = true;
    const [c1 = '', c2 = '', , eff = '', del = '', mod = '', why = ''] = fields;
    if (!CODE.test(c1.toUpperCase()) || !CODE.test(c2.toUpperCase()))
      throw new CodeSetFileError('invalid', fileName, line, 'column 1 and column 2 must be HCPCS/CPT codes');
    if (mod !== '0' && mod !== '1' && mod !== '9')
      throw new CodeSetFileError('invalid', fileName, line, `modifier indicator must be 0, 1 or 9, got "${mod.slice(0, 5)}"`);
    out.column1.push(c1.toUpperCase());
    out.column2.push(c2.toUpperCase());
    out.effective.push(ymd(eff, fileName, line, 'effective date'));
    out.deletion.push(del === '*' || del === '' ? '' : ymd(del, fileName, line, 'deletion date'));
    out.modifierIndicator += mod;
    out.rationale.push(why);
  }
  if (!data) throw new CodeSetFileError('invalid', fileName, 1, 'no NCCI PTP edit rows');
  return out;
}

/** The setting an MUE file's header names ("Practitioner Services MUE Values", "Outpatient Hospital ...", "DME Supplier ..."). */
export function mueSettingOf(header: string): EditSetting | undefined {
  if (/practitioner/i.test(header)) return 'practitioner';
  if (/outpatient\s*hospital/i.test(header)) return 'hospital';
  if (/dme/i.test(header)) return 'dme';
  return undefined;
}

/**
 * MUE file (CMS layout): the AMA notice, then the header "HCPCS/CPT Code, <Setting> Services MUE Values, MUE
 * Adjudication Indicator, MUE Rationale", then one row per code; the indicator is "1 Line Edit", "2 Date of Service
 * Edit: Policy" or "3 Date of Service Edit: Clinical".
 */
export function parseMueFile(text: string, fileName: string): Omit<MueTable, 'files'> {
  const out = { codes: [] as string[], values: [] as number[], indicators: '', rationale: [] as string[] };
  let setting: EditSetting | undefined;
  for (const { line, fields } of tableRows(text)) {
    if (blank(fields)) continue;
    const first = (fields[0] ?? '').toUpperCase();
    if (setting === undefined) {
      if (/MUE\s*Values/i.test(fields[1] ?? '')) {
        setting = mueSettingOf(fields[1] ?? '');
        if (!setting)
          throw new CodeSetFileError('invalid', fileName, line, `MUE header names no setting: "${(fields[1] ?? '').slice(0, 60)}"`);
      } else if (CODE.test(first))
        throw new CodeSetFileError('invalid', fileName, line, 'not an MUE file: no "... MUE Values" header before the first row');
      continue;
    }
    const [code = '', value = '', mai = '', why = ''] = fields;
    if (!CODE.test(code.toUpperCase()))
      throw new CodeSetFileError('invalid', fileName, line, `not a HCPCS/CPT code: "${code.slice(0, 12)}"`);
    if (!/^\d+$/.test(value))
      throw new CodeSetFileError('invalid', fileName, line, `MUE value must be a whole number, got "${value.slice(0, 12)}"`);
    const ind = mai.charAt(0);
    if (ind !== '1' && ind !== '2' && ind !== '3')
      throw new CodeSetFileError(
        'invalid',
        fileName,
        line,
        `MUE adjudication indicator must start with 1, 2 or 3, got "${mai.slice(0, 20)}"`,
      );
    out.codes.push(code.toUpperCase());
    out.values.push(Number(value));
    out.indicators += ind;
    out.rationale.push(why);
  }
  if (!setting) throw new CodeSetFileError('invalid', fileName, 1, 'not an MUE file: no "... MUE Values" header');
  if (out.codes.length === 0) throw new CodeSetFileError('invalid', fileName, 1, 'no MUE rows');
  return { setting, ...out };
}

function money(raw: string, file: string, line: number, what: string): number | null {
  const v = raw.replace(/[$,\s]/g, '');
  if (v === '') return null;
  if (!/^\d+(\.\d+)?$/.test(v)) throw new CodeSetFileError('invalid', file, line, `${what} must be a number, got "${raw.slice(0, 16)}"`);
  return Number(v);
}

/**
 * OPPS Addendum B (CMS CSV layout): title rows ("Addendum B.-Final OPPS Payment by HCPCS Code for CY 2026"), then a
 * header starting "HCPCS Code" with SI, APC, Relative Weight and Payment Rate columns (found by name), then rows.
 * Short descriptors (AMA's for CPT codes) are not kept.
 */
export function parseAddendumB(text: string, fileName: string): Omit<OppsTable, 'files'> {
  let title = '';
  let cols: { si: number; apc: number; weight: number; rate: number } | undefined;
  const out = {
    codes: [] as string[],
    statusIndicators: [] as string[],
    apcs: [] as string[],
    weights: [] as (number | null)[],
    rates: [] as (number | null)[],
  };
  for (const { line, fields } of tableRows(text)) {
    if (blank(fields)) continue;
    if (!cols) {
      if (/^HCPCS\s*Code$/i.test(fields[0] ?? '')) {
        const at = (re: RegExp): number => fields.findIndex((f) => re.test(f));
        const c = { si: at(/^SI$/i), apc: at(/^APC$/i), weight: at(/^Relative\s*Weight$/i), rate: at(/^Payment\s*Rate$/i) };
        if (Object.values(c).some((k) => k < 0))
          throw new CodeSetFileError(
            'invalid',
            fileName,
            line,
            'Addendum B header must have SI, APC, Relative Weight and Payment Rate columns',
          );
        cols = c;
      } else if (CODE.test((fields[0] ?? '').toUpperCase()))
        throw new CodeSetFileError('invalid', fileName, line, 'not an Addendum B file: no "HCPCS Code" header before the first row');
      else if (title === '') title = fields.filter((f) => f !== '').join(' ');
      continue;
    }
    const code = (fields[0] ?? '').toUpperCase();
    if (!CODE.test(code)) throw new CodeSetFileError('invalid', fileName, line, `not a HCPCS/CPT code: "${code.slice(0, 12)}"`);
    const si = fields[cols.si] ?? '';
    if (!/^[A-Z][0-9]?$/.test(si))
      throw new CodeSetFileError('invalid', fileName, line, `status indicator must be a letter (and digit), got "${si.slice(0, 6)}"`);
    const apc = fields[cols.apc] ?? '';
    if (apc !== '' && !/^\d{4}$/.test(apc))
      throw new CodeSetFileError('invalid', fileName, line, `APC must be four digits, got "${apc.slice(0, 8)}"`);
    out.codes.push(code);
    out.statusIndicators.push(si);
    out.apcs.push(apc);
    out.weights.push(money(fields[cols.weight] ?? '', fileName, line, 'relative weight'));
    out.rates.push(money(fields[cols.rate] ?? '', fileName, line, 'payment rate'));
  }
  if (!cols) throw new CodeSetFileError('invalid', fileName, 1, 'not an Addendum B file: no "HCPCS Code" header');
  if (out.codes.length === 0) throw new CodeSetFileError('invalid', fileName, 1, 'no Addendum B rows');
  return { title: title || 'OPPS Addendum B', ...out };
}

export const NO_EDITS: LicensedEdits = {
  ptp: { practitioner: null, hospital: null },
  mue: { practitioner: null, hospital: null, dme: null },
  opps: null,
};

/**
 * `import-ncci FILE...`: each file is a PTP file (named ccipra-/ccioph-) or an MUE file (its header names the
 * setting); the tables of a setting found replace those imported before, files of one setting are joined.
 */
export function mergeNcciFiles(prev: LicensedEdits, files: { name: string; text: string }[]): { edits: LicensedEdits; summary: string[] } {
  const ptp: Partial<Record<'practitioner' | 'hospital', PtpTable>> = {};
  const mue: Partial<Record<EditSetting, MueTable>> = {};
  for (const f of files) {
    const base = f.name.replace(/^.*[\\/]/, '');
    const ptpSetting = ptpSettingOf(f.name);
    if (ptpSetting) {
      const p = parsePtpFile(f.text, f.name, ptpSetting);
      const t = (ptp[ptpSetting] ??= {
        setting: ptpSetting,
        files: [],
        column1: [],
        column2: [],
        effective: [],
        deletion: [],
        modifierIndicator: '',
        rationale: [],
      });
      t.files.push(base);
      t.column1.push(...p.column1);
      t.column2.push(...p.column2);
      t.effective.push(...p.effective);
      t.deletion.push(...p.deletion);
      t.modifierIndicator += p.modifierIndicator;
      t.rationale.push(...p.rationale);
    } else if (/mue/i.test(base)) {
      const m = parseMueFile(f.text, f.name);
      const t = (mue[m.setting] ??= { setting: m.setting, files: [], codes: [], values: [], indicators: '', rationale: [] });
      t.files.push(base);
      t.codes.push(...m.codes);
      t.values.push(...m.values);
      t.indicators += m.indicators;
      t.rationale.push(...m.rationale);
    } else
      throw new CodeSetFileError(
        'invalid',
        f.name,
        undefined,
        'not an NCCI file by its name: PTP files start ccipra- or ccioph-, MUE files contain MUE',
      );
  }
  const edits: LicensedEdits = {
    ptp: { practitioner: ptp.practitioner ?? prev.ptp.practitioner, hospital: ptp.hospital ?? prev.ptp.hospital },
    mue: {
      practitioner: mue.practitioner ?? prev.mue.practitioner,
      hospital: mue.hospital ?? prev.mue.hospital,
      dme: mue.dme ?? prev.mue.dme,
    },
    opps: prev.opps,
  };
  const summary = [
    ...Object.values(ptp).map((t) => `PTP ${t.setting}: ${t.column1.length} edits (${t.files.join(', ')})`),
    ...Object.values(mue).map((t) => `MUE ${t.setting}: ${t.codes.length} codes (${t.files.join(', ')})`),
  ];
  return { edits, summary };
}
