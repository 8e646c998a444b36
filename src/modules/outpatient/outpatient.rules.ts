/**
 * Outpatient, emergency and professional-fee coding rules, pure: the diagnosis rules of ICD-10-CM Official
 * Guidelines Section IV, service-line edits, the E/M level the documented medical decision making or time supports
 * (CPT E/M guidelines 2021 office, 2023 other settings; CMS MLN006764), NCCI procedure-to-procedure and MUE edits
 * and the OPPS Addendum B line (status indicator, APC). Each finding names the rule it follows.
 */
import { checkModifier, checkServiceCode, type CodeSets, type MueTable, type OppsTable, type PtpTable } from '../../core/codesets/index.js';

export type Severity = 'error' | 'warning' | 'info';

export interface OutpatientFinding {
  rule: string;
  severity: Severity;
  message: string;
  /** Index of the diagnosis or service line at fault. */
  diagnosis?: number;
  line?: number;
  /** The guideline or manual section followed. */
  citation: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Diagnoses: ICD-10-CM Official Guidelines for Coding and Reporting FY2026, Section IV (outpatient services)

export interface OutpatientDiagnosis {
  /** ICD-10-CM, no dot. */
  code: string;
  /** The provider documented it as probable, suspected, questionable, rule out, compatible with, consistent with or working. */
  uncertain?: boolean;
}

/** Z codes that may only be first-listed (Guidelines I.C.21.c.16, "Z codes that may only be principal/first-listed"). */
const FIRST_LISTED_ONLY_Z = [
  'Z00',
  'Z01',
  'Z02',
  'Z04',
  'Z3181',
  'Z3183',
  'Z3184',
  'Z332',
  'Z34',
  'Z38',
  'Z39',
  'Z42',
  'Z510',
  'Z511',
  'Z52',
  'Z761',
  'Z762',
  'Z9912',
];

/** Section IV checks on an outpatient encounter's diagnoses, first-listed first. */
export function sectionIvFindings(dx: OutpatientDiagnosis[]): OutpatientFinding[] {
  const out: OutpatientFinding[] = [];
  if (dx.length === 0) {
    out.push({
      rule: 'first-listed-missing',
      severity: 'error',
      message:
        'No first-listed diagnosis: list first the diagnosis, condition, problem or other reason chiefly responsible for the services',
      citation: 'ICD-10-CM Official Guidelines IV.A, IV.G',
    });
    return out;
  }
  dx.forEach((d, i) => {
    const code = d.code.toUpperCase();
    if (d.uncertain)
      out.push({
        rule: 'uncertain-diagnosis',
        severity: 'error',
        diagnosis: i,
        message: `${code} is documented as uncertain (probable, suspected, rule out...): for outpatients do not code it; code the signs, symptoms or abnormal findings to the highest certainty instead`,
        citation: 'ICD-10-CM Official Guidelines IV.H',
      });
    if (i > 0 && FIRST_LISTED_ONLY_Z.some((p) => code.startsWith(p)))
      out.push({
        rule: 'z-code-first-listed-only',
        severity: 'error',
        diagnosis: i,
        message: `${code} may only be reported as the first-listed diagnosis`,
        citation: 'ICD-10-CM Official Guidelines I.C.21.c.16; IV.E',
      });
    if (/^[V-Y]/.test(code) && i === 0)
      out.push({
        rule: 'external-cause-first-listed',
        severity: 'error',
        diagnosis: i,
        message: `${code} is an external cause code: never first-listed; report it after the injury or condition`,
        citation: 'ICD-10-CM Official Guidelines I.C.20',
      });
  });
  const first = dx[0]?.code.toUpperCase() ?? '';
  if (first.startsWith('R') && dx.slice(1).some((d) => !/^[RVWXYZ]/.test(d.code.toUpperCase()) && !d.uncertain))
    out.push({
      rule: 'symptom-first-with-definitive',
      severity: 'warning',
      diagnosis: 0,
      message: `${first} is a sign or symptom listed first while a definitive diagnosis is coded: a symptom routinely associated with an established diagnosis is not coded`,
      citation: 'ICD-10-CM Official Guidelines IV.D',
    });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Service lines

export interface ServiceLine {
  /** HCPCS Level II or CPT code. */
  code: string;
  modifiers: string[];
  units: number;
  /** YYYY-MM-DD. */
  dateOfService: string;
  /** 1-based pointers into the diagnoses (837 SV107), up to four. */
  pointers: number[];
  /** NUBC revenue code for the facility claim (837I), four digits; absent on the professional side. */
  revenueCode?: string | undefined;
}

/** Units above this without an MUE loaded are flagged for a second look (no CMS value to compare with). */
export const UNITS_PLAUSIBLE_WITHOUT_MUE = 24;

/**
 * Line-level edits: the code valid on the date of service, at most four modifiers each valid on the date, units a
 * whole number of at least one, one to four diagnosis pointers that point at a coded diagnosis, and on the
 * facility side a four-digit revenue code.
 */
export function serviceLineFindings(
  sets: CodeSets,
  lines: ServiceLine[],
  opts: { diagnoses: number; side: 'facility' | 'professional'; mue?: MueTable | null },
): OutpatientFinding[] {
  const out: OutpatientFinding[] = [];
  const muePos = new Map((opts.mue?.codes ?? []).map((c, i) => [c, i]));
  lines.forEach((l, i) => {
    const code = checkServiceCode(sets, l.code, l.dateOfService);
    if (!code.ok)
      out.push({
        rule: 'code-invalid',
        severity: 'error',
        line: i,
        message: code.message ?? `${l.code} is not valid`,
        citation: 'HCPCS record layout fields 27-29 (added and termination dates); 45 CFR 162.1002',
      });
    if (l.modifiers.length > 4)
      out.push({
        rule: 'modifiers-too-many',
        severity: 'error',
        line: i,
        message: `${l.modifiers.length} modifiers: a line carries at most four`,
        citation: 'ASC X12 837 SV101-3..6',
      });
    for (const m of l.modifiers) {
      const c = checkModifier(sets, m, l.dateOfService);
      if (!c.ok)
        out.push({
          rule: 'modifier-invalid',
          severity: 'error',
          line: i,
          message: c.message ?? `${m} is not valid`,
          citation: 'HCPCS Level II modifiers (record identification code 7)',
        });
    }
    if (!Number.isInteger(l.units) || l.units < 1)
      out.push({
        rule: 'units-invalid',
        severity: 'error',
        line: i,
        message: `units must be a whole number of at least 1, got ${l.units}`,
        citation: 'ASC X12 837 SV104 / SV205',
      });
    else if (!muePos.has(l.code.toUpperCase()) && l.units > UNITS_PLAUSIBLE_WITHOUT_MUE)
      out.push({
        rule: 'units-implausible',
        severity: 'warning',
        line: i,
        message: `${l.units} units of ${l.code} on one line: check the units (no MUE loaded to compare)`,
        citation: 'CMS NCCI MUE program (units of service)',
      });
    if (l.pointers.length === 0)
      out.push({
        rule: 'pointer-missing',
        severity: 'error',
        line: i,
        message: `${l.code} points at no diagnosis`,
        citation: 'ASC X12 837P SV107 diagnosis code pointer',
      });
    if (l.pointers.length > 4)
      out.push({
        rule: 'pointer-too-many',
        severity: 'error',
        line: i,
        message: 'at most four diagnosis pointers a line',
        citation: 'ASC X12 837P SV107',
      });
    for (const p of l.pointers)
      if (!Number.isInteger(p) || p < 1 || p > opts.diagnoses)
        out.push({
          rule: 'pointer-dangling',
          severity: 'error',
          line: i,
          message: `pointer ${p} names no coded diagnosis (1..${opts.diagnoses})`,
          citation: 'ASC X12 837P SV107',
        });
    if (opts.side === 'facility' && !/^\d{4}$/.test(l.revenueCode ?? ''))
      out.push({
        rule: 'revenue-code-missing',
        severity: 'error',
        line: i,
        message: `${l.code} needs a four-digit revenue code on the facility claim`,
        citation: 'NUBC UB-04 FL 42; ASC X12 837I SV201',
      });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// E/M level: CPT E/M guidelines (office 2021; hospital, observation, ED and other settings 2023), CMS MLN006764

export const MDM_LEVELS = ['straightforward', 'low', 'moderate', 'high'] as const;
export type MdmLevel = (typeof MDM_LEVELS)[number];

export type EmCategory = 'office-new' | 'office-established' | 'emergency' | 'hospital-initial' | 'hospital-subsequent';

export interface EmInput {
  category: EmCategory;
  /** The three MDM elements as documented, each graded (minimal = straightforward). */
  problems?: MdmLevel | undefined;
  data?: MdmLevel | undefined;
  risk?: MdmLevel | undefined;
  /** Total time of the practitioner(s) on the date of the encounter, minutes. */
  totalMinutes?: number | undefined;
}

interface EmLevelRow {
  code: string;
  mdm: MdmLevel;
  /** Minimum total minutes (undefined: time does not select this code). */
  minutes?: number;
}

/**
 * The codes of each category by the MDM level they require and, where time may select the level, the minimum
 * total time (CPT 2024 values: "must be met or exceeded"). ED visits are not selected by time.
 */
export const EM_TABLE: Record<EmCategory, EmLevelRow[]> = {
  'office-new': [
    { code: '99202', mdm: 'straightforward', minutes: 15 },
    { code: '99203', mdm: 'low', minutes: 30 },
    { code: '99204', mdm: 'moderate', minutes: 45 },
    { code: '99205', mdm: 'high', minutes: 60 },
  ],
  'office-established': [
    { code: '99212', mdm: 'straightforward', minutes: 10 },
    { code: '99213', mdm: 'low', minutes: 20 },
    { code: '99214', mdm: 'moderate', minutes: 30 },
    { code: '99215', mdm: 'high', minutes: 40 },
  ],
  emergency: [
    { code: '99282', mdm: 'straightforward' },
    { code: '99283', mdm: 'low' },
    { code: '99284', mdm: 'moderate' },
    { code: '99285', mdm: 'high' },
  ],
  'hospital-initial': [
    { code: '99221', mdm: 'straightforward', minutes: 40 },
    { code: '99221', mdm: 'low', minutes: 40 },
    { code: '99222', mdm: 'moderate', minutes: 55 },
    { code: '99223', mdm: 'high', minutes: 75 },
  ],
  'hospital-subsequent': [
    { code: '99231', mdm: 'straightforward', minutes: 25 },
    { code: '99231', mdm: 'low', minutes: 25 },
    { code: '99232', mdm: 'moderate', minutes: 35 },
    { code: '99233', mdm: 'high', minutes: 50 },
  ],
};

const EM_CITATION: Record<EmCategory, string> = {
  'office-new': 'CPT E/M guidelines 2021 (office or other outpatient); CMS MLN006764',
  'office-established': 'CPT E/M guidelines 2021 (office or other outpatient); CMS MLN006764',
  emergency: 'CPT E/M guidelines 2023 (emergency department: MDM only); CMS MLN006764',
  'hospital-initial': 'CPT E/M guidelines 2023 (hospital inpatient or observation); CMS MLN006764',
  'hospital-subsequent': 'CPT E/M guidelines 2023 (hospital inpatient or observation); CMS MLN006764',
};

export interface EmSuggestion {
  /** The code the documentation supports (the higher of the MDM and time paths), or null when neither supports one. */
  code: string | null;
  byMdm: { code: string; level: MdmLevel } | null;
  byTime: { code: string; minutes: number } | null;
  reasons: string[];
  citation: string;
}

const rank = (l: MdmLevel): number => MDM_LEVELS.indexOf(l);

/**
 * The MDM level two of the three elements meet or exceed: the second highest grade (the middle of three; with only
 * two recorded, the lower of them). Undefined while fewer than two are recorded.
 */
export function mdmLevel(problems?: MdmLevel, data?: MdmLevel, risk?: MdmLevel): MdmLevel | undefined {
  const graded = [problems, data, risk].filter((x): x is MdmLevel => x !== undefined).sort((a, b) => rank(b) - rank(a));
  if (graded.length < 2) return undefined;
  return graded[1];
}

/** The E/M level the recorded MDM elements or total time support, with the reasons; the coder decides. */
export function suggestEmLevel(input: EmInput): EmSuggestion {
  const rows = EM_TABLE[input.category];
  const reasons: string[] = [];
  const level = mdmLevel(input.problems, input.data, input.risk);
  let byMdm: EmSuggestion['byMdm'] = null;
  if (level) {
    const row = [...rows].reverse().find((r) => rank(r.mdm) <= rank(level));
    if (row) byMdm = { code: row.code, level };
    const grades = `problems ${input.problems ?? 'not recorded'}, data ${input.data ?? 'not recorded'}, risk ${input.risk ?? 'not recorded'}`;
    reasons.push(`MDM ${level}: two of three elements meet it (${grades})${row ? ` -> ${row.code}` : ''}`);
  } else reasons.push('MDM: fewer than two of the three elements (problems, data, risk) recorded');
  let byTime: EmSuggestion['byTime'] = null;
  if (input.totalMinutes !== undefined) {
    const timed = rows.filter((r) => r.minutes !== undefined);
    if (timed.length === 0) reasons.push('Time: emergency department visits are not selected by time');
    else {
      const row = [...timed].reverse().find((r) => (r.minutes ?? Infinity) <= (input.totalMinutes ?? 0));
      if (row) {
        byTime = { code: row.code, minutes: row.minutes ?? 0 };
        reasons.push(`Time: ${input.totalMinutes} minutes total on the date meets ${row.minutes ?? 0} -> ${row.code}`);
      } else reasons.push(`Time: ${input.totalMinutes} minutes is below the lowest level (${timed[0]?.minutes ?? 0} minutes)`);
    }
  }
  const candidates = [byMdm?.code, byTime?.code].filter((c): c is string => c !== undefined);
  const code = candidates.length
    ? candidates.reduce((a, b) => (rows.findIndex((r) => r.code === b) > rows.findIndex((r) => r.code === a) ? b : a))
    : null;
  if (byMdm && byTime && byMdm.code !== byTime.code) reasons.push(`The higher of the two paths is supported: ${code ?? ''}`);
  return { code, byMdm, byTime, reasons, citation: EM_CITATION[input.category] };
}

// ---------------------------------------------------------------------------------------------------------------
// NCCI PTP and MUE (CMS NCCI Policy Manual for Medicare Services, Chapter I; the MUE program), OPPS Addendum B

/** Modifiers that may bypass a PTP edit whose indicator is 1 (NCCI Policy Manual ch. I, section E; CMS NCCI modifier list). */
export const PTP_MODIFIERS = new Set([
  '24', '25', '27', '57', '58', '59', '78', '79', '91',
  'E1', 'E2', 'E3', 'E4', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'FA',
  'LC', 'LD', 'LM', 'LT', 'RC', 'RI', 'RT', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'TA',
  'XE', 'XP', 'XS', 'XU',
]); // prettier-ignore

export interface PtpConflict {
  column1Line: number;
  column2Line: number;
  column1: string;
  column2: string;
  modifierIndicator: '0' | '1';
  /** Indicator 1 and the column 2 line (or column 1 line) carries an NCCI-associated modifier. */
  bypassed: boolean;
  rationale: string;
}

/** Whether a PTP row is in force on a date: effective on or before it, and not deleted on or before it. */
export function ptpActive(effective: string, deletion: string, date: string): boolean {
  return effective <= date && (deletion === '' || date < deletion);
}

/**
 * PTP conflicts among a claim's lines on the same date of service. Indicator 9 edits do not apply; with 0 no
 * modifier bypasses; with 1 an NCCI-associated modifier on either line does (documented distinct service).
 */
export function ptpConflicts(lines: ServiceLine[], table: PtpTable): PtpConflict[] {
  const wanted = new Set(lines.map((l) => l.code.toUpperCase()));
  const out: PtpConflict[] = [];
  for (let k = 0; k < table.column1.length; k++) {
    const c1 = table.column1[k] ?? '';
    const c2 = table.column2[k] ?? '';
    if (!wanted.has(c1) || !wanted.has(c2)) continue;
    const ind = table.modifierIndicator.charAt(k);
    if (ind === '9') continue;
    lines.forEach((a, i) => {
      if (a.code.toUpperCase() !== c1) return;
      lines.forEach((b, j) => {
        if (i === j || b.code.toUpperCase() !== c2 || a.dateOfService !== b.dateOfService) return;
        if (!ptpActive(table.effective[k] ?? '', table.deletion[k] ?? '', a.dateOfService)) return;
        const mods = [...a.modifiers, ...b.modifiers].map((m) => m.toUpperCase());
        out.push({
          column1Line: i,
          column2Line: j,
          column1: c1,
          column2: c2,
          modifierIndicator: ind === '1' ? '1' : '0',
          bypassed: ind === '1' && mods.some((m) => PTP_MODIFIERS.has(m)),
          rationale: table.rationale[k] ?? '',
        });
      });
    });
  }
  return out;
}

export interface MueExcess {
  code: string;
  dateOfService: string;
  lines: number[];
  units: number;
  mue: number;
  /** 1 line edit (per line), 2 date of service: policy (absolute), 3 date of service: clinical. */
  indicator: '1' | '2' | '3';
}

/** Units over the MUE: per line for indicator 1, summed over the date of service for 2 and 3. */
export function mueExcess(lines: ServiceLine[], table: MueTable): MueExcess[] {
  const pos = new Map(table.codes.map((c, i) => [c, i]));
  const out: MueExcess[] = [];
  const days = new Map<string, { lines: number[]; units: number }>();
  lines.forEach((l, i) => {
    const code = l.code.toUpperCase();
    const k = pos.get(code);
    if (k === undefined) return;
    const ind = table.indicators.charAt(k) as '1' | '2' | '3';
    const mue = table.values[k] ?? 0;
    if (ind === '1') {
      if (l.units > mue) out.push({ code, dateOfService: l.dateOfService, lines: [i], units: l.units, mue, indicator: ind });
      return;
    }
    const key = `${code}|${l.dateOfService}`;
    const d = days.get(key) ?? { lines: [], units: 0 };
    d.lines.push(i);
    d.units += l.units;
    days.set(key, d);
  });
  for (const [key, d] of days) {
    const [code = '', dateOfService = ''] = key.split('|');
    const k = pos.get(code) ?? 0;
    const mue = table.values[k] ?? 0;
    if (d.units > mue)
      out.push({ code, dateOfService, lines: d.lines, units: d.units, mue, indicator: table.indicators.charAt(k) as '2' | '3' });
  }
  return out;
}

/** The Addendum B row of a code: status indicator, APC, relative weight, payment rate; null when the code is not listed. */
export function oppsLine(
  code: string,
  table: OppsTable,
): { statusIndicator: string; apc: string; weight: number | null; rate: number | null } | null {
  const k = table.codes.indexOf(code.toUpperCase());
  if (k < 0) return null;
  return {
    statusIndicator: table.statusIndicators[k] ?? '',
    apc: table.apcs[k] ?? '',
    weight: table.weights[k] ?? null,
    rate: table.rates[k] ?? null,
  };
}
