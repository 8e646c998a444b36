import { describe, expect, it } from 'vitest';
import { parseHcpcsFile, prepareCodeSets, type MueTable, type PtpTable } from '../../core/codesets/index.js';
import {
  mdmLevel,
  mueExcess,
  oppsLine,
  ptpConflicts,
  sectionIvFindings,
  serviceLineFindings,
  suggestEmLevel,
  type EmInput,
  type ServiceLine,
} from './outpatient.rules.js';

/** A HCPCS record in the CMS layout (positions as in the 2026 record layout). */
function rec(code: string, ric: '3' | '7', long: string, added: string, term = ''): string {
  const row = Array.from({ length: 320 }, () => ' ');
  const put = (pos: number, t: string) => {
    for (let k = 0; k < t.length; k++) row[pos - 1 + k] = t.charAt(k);
  };
  put(ric === '7' ? 4 : 1, code);
  put(6, '00100');
  put(11, ric);
  put(12, long);
  put(230, 'C');
  put(269, added);
  put(277, added);
  put(285, term);
  put(293, 'N');
  return row.join('');
}
const hcpcs = parseHcpcsFile(
  [
    rec('J1885', '3', 'Injection, ketorolac tromethamine, per 15 mg', '20000101'),
    rec('J0171', '3', 'Injection, adrenalin, epinephrine, 0.1 mg', '20110101', '20250630'),
    rec('G0463', '3', 'Hospital outpatient clinic visit', '20140101'),
    rec('XS', '7', 'Separate structure', '20150101'),
    rec('LT', '7', 'Left side', '19900101'),
  ].join('\n'),
  'test.txt',
  { id: 'h', label: 'HCPCS test', effectiveFrom: '2026-01-01', effectiveTo: '2026-12-31' },
);
const sets = prepareCodeSets({
  formatVersion: 5,
  builtAt: '',
  cm: [],
  pcs: [],
  notes: [],
  cmValidity: null,
  pcsValidity: null,
  hcpcs: [hcpcs],
  cpt: null,
});
const DOS = '2026-03-02';
const line = (code: string, o: Partial<ServiceLine> = {}): ServiceLine => ({
  code,
  modifiers: [],
  units: 1,
  dateOfService: DOS,
  pointers: [1],
  ...o,
});

describe('diagnoses by ICD-10-CM Official Guidelines Section IV', () => {
  it.each([
    ['IV.A/IV.G: a first-listed diagnosis is required', [], 'first-listed-missing'],
    ['IV.H: an uncertain diagnosis is not coded for an outpatient', [{ code: 'J189', uncertain: true }], 'uncertain-diagnosis'],
    ['I.C.21.c.16: Z00 may only be first-listed', [{ code: 'R079' }, { code: 'Z0000' }], 'z-code-first-listed-only'],
    ['I.C.20: an external cause code is never first-listed', [{ code: 'W010XXA' }, { code: 'S0100XA' }], 'external-cause-first-listed'],
    ['IV.D: a symptom first-listed with a definitive diagnosis', [{ code: 'R079' }, { code: 'I214' }], 'symptom-first-with-definitive'],
  ])('%s', (_name, dx, rule) => {
    expect(sectionIvFindings(dx).map((f) => f.rule)).toContain(rule);
  });

  it.each([
    ['IV.D: signs and symptoms coded when no definitive diagnosis is established', [{ code: 'R079' }, { code: 'R0602' }]],
    ['IV.E: a Z code first-listed for an encounter for a reason other than disease', [{ code: 'Z0000' }, { code: 'I10' }]],
    ['IV.A: a definitive diagnosis first-listed with its external cause after it', [{ code: 'S0100XA' }, { code: 'W010XXA' }]],
  ])('%s: no findings', (_name, dx) => {
    expect(sectionIvFindings(dx)).toEqual([]);
  });
});

describe('service-line edits (HCPCS added/termination dates; X12 837 SV1/SV2)', () => {
  it.each([
    ['a code terminated before the date of service (HCPCS field 29)', line('J0171'), 'code-invalid'],
    ['a modifier not in the HCPCS Level II file', line('J1885', { modifiers: ['Q7'] }), 'modifier-invalid'],
    ['more than four modifiers (837 SV101-3..6)', line('J1885', { modifiers: ['LT', 'XS', '59', '76', '77'] }), 'modifiers-too-many'],
    ['zero units (837 SV104)', line('J1885', { units: 0 }), 'units-invalid'],
    ['implausible units without an MUE', line('J1885', { units: 40 }), 'units-implausible'],
    ['no diagnosis pointer (837P SV107)', line('J1885', { pointers: [] }), 'pointer-missing'],
    ['a pointer past the coded diagnoses (837P SV107)', line('J1885', { pointers: [3] }), 'pointer-dangling'],
  ])('flags %s', (_name, l, rule) => {
    expect(serviceLineFindings(sets, [l], { diagnoses: 2, side: 'professional' }).map((f) => f.rule)).toContain(rule);
  });

  it('accepts a valid HCPCS line with a Level II and a CPT modifier, and a CPT number without the licensed file', () => {
    const lines = [line('J1885', { modifiers: ['LT', '59'], units: 2 }), line('99284', { modifiers: ['25'] })];
    expect(serviceLineFindings(sets, lines, { diagnoses: 1, side: 'professional' })).toEqual([]);
  });

  it('needs a revenue code on the facility side (UB-04 FL 42)', () => {
    expect(serviceLineFindings(sets, [line('G0463')], { diagnoses: 1, side: 'facility' }).map((f) => f.rule)).toEqual([
      'revenue-code-missing',
    ]);
    expect(serviceLineFindings(sets, [line('G0463', { revenueCode: '0510' })], { diagnoses: 1, side: 'facility' })).toEqual([]);
  });
});

describe('E/M level (CPT E/M guidelines 2021 office, 2023 other settings; CMS MLN006764)', () => {
  it.each<[string, EmInput, string | null]>([
    [
      '2021 office MDM: two of three at moderate -> 99214',
      { category: 'office-established', problems: 'moderate', data: 'low', risk: 'moderate' },
      '99214',
    ],
    [
      '2021 office MDM: the middle grade wins (high, moderate, low) -> 99214',
      { category: 'office-established', problems: 'high', data: 'low', risk: 'moderate' },
      '99214',
    ],
    ['2021 office time: 42 minutes established -> 99215 (40)', { category: 'office-established', totalMinutes: 42 }, '99215'],
    [
      '2021 office: the higher of MDM (low) and time (45 new) -> 99204',
      { category: 'office-new', problems: 'low', data: 'low', risk: 'low', totalMinutes: 45 },
      '99204',
    ],
    ['2023 ED: high MDM -> 99285', { category: 'emergency', problems: 'high', data: 'high', risk: 'moderate' }, '99285'],
    ['2023 ED: time does not select the level', { category: 'emergency', totalMinutes: 120 }, null],
    [
      '2023 hospital initial: low MDM -> 99221',
      { category: 'hospital-initial', problems: 'low', data: 'straightforward', risk: 'low' },
      '99221',
    ],
    ['2023 hospital subsequent time: 36 minutes -> 99232', { category: 'hospital-subsequent', totalMinutes: 36 }, '99232'],
    ['2021 office time below the lowest level', { category: 'office-established', totalMinutes: 5 }, null],
  ])('%s', (_name, input, code) => {
    const s = suggestEmLevel(input);
    expect(s.code).toBe(code);
    expect(s.reasons.length).toBeGreaterThan(0);
    expect(s.citation).toMatch(/CPT E\/M guidelines 20(21|23)/);
  });

  it('needs two of the three MDM elements (CPT 2021: "two of three elements")', () => {
    expect(mdmLevel('high')).toBeUndefined();
    expect(mdmLevel('high', 'low')).toBe('low');
    expect(suggestEmLevel({ category: 'emergency', problems: 'high' }).reasons[0]).toMatch(/fewer than two/);
  });
});

const PTP: PtpTable = {
  setting: 'hospital',
  files: ['ccioph-test.txt'],
  column1: ['12001', '99284', '71046', '99284'],
  column2: ['J1885', '96374', '71045', '36415'],
  effective: ['2020-01-01', '2025-01-01', '2020-01-01', '2020-01-01'],
  deletion: ['', '2026-01-01', '', ''],
  modifierIndicator: '1109',
  rationale: ['Misuse of column two code with column one code', 'deleted', 'Mutually exclusive procedures', 'not applicable'],
};

describe('NCCI procedure-to-procedure edits (NCCI Policy Manual for Medicare Services, ch. I)', () => {
  it.each([
    [
      'indicator 1 without a modifier: a conflict not bypassed',
      [line('12001'), line('J1885')],
      [{ column1: '12001', column2: 'J1885', bypassed: false }],
    ],
    ['indicator 1 with XS on the column 2 line: bypassed', [line('12001'), line('J1885', { modifiers: ['XS'] })], [{ bypassed: true }]],
    [
      'indicator 0 with 59: no modifier bypasses',
      [line('71046'), line('71045', { modifiers: ['59'] })],
      [{ modifierIndicator: '0', bypassed: false }],
    ],
    ['an edit deleted before the date of service does not apply', [line('99284'), line('96374')], []],
    ['indicator 9: not applicable', [line('99284'), line('36415')], []],
    ['different dates of service', [line('12001'), line('J1885', { dateOfService: '2026-03-03' })], []],
  ])('%s', (_name, lines, expected) => {
    const got = ptpConflicts(lines, PTP);
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(got[i]).toMatchObject(e));
  });
});

const MUE: MueTable = {
  setting: 'hospital',
  files: ['m.csv'],
  codes: ['J1885', '96372'],
  values: [8, 4],
  indicators: '31',
  rationale: ['', ''],
};

describe('Medically Unlikely Edits (CMS MUE program: adjudication indicators 1, 2, 3)', () => {
  it('sums units over the date of service for indicator 3 (date of service edit: clinical)', () => {
    expect(mueExcess([line('J1885', { units: 5 }), line('J1885', { units: 4 })], MUE)).toEqual([
      { code: 'J1885', dateOfService: DOS, lines: [0, 1], units: 9, mue: 8, indicator: '3' },
    ]);
  });
  it('checks each line for indicator 1 (line edit)', () => {
    expect(mueExcess([line('96372', { units: 3 }), line('96372', { units: 3 })], MUE)).toEqual([]);
    expect(mueExcess([line('96372', { units: 5 })], MUE)).toMatchObject([{ indicator: '1', units: 5, mue: 4 }]);
  });
});

describe('OPPS Addendum B (42 CFR 419.31 APC groups; status indicators, Addendum D1)', () => {
  it("gives a line's status indicator, APC, weight and rate", () => {
    const t = { title: 'x', files: [], codes: ['G0463'], statusIndicators: ['J2'], apcs: ['5012'], weights: [1.4879], rates: [136.02] };
    expect(oppsLine('g0463', t)).toEqual({ statusIndicator: 'J2', apc: '5012', weight: 1.4879, rate: 136.02 });
    expect(oppsLine('99999', t)).toBeNull();
  });
});
