import { beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../claim/claim.js';
import { editClaim, loadCodeEditor, type CodeEditor, type MceEditName, type MceResult } from './index.js';
import { testDataDir } from '../../../test/support/data.js';

/**
 * Rules of the MCE 43.1 on small hand-made claims. Codes were picked from the release tables
 * (i10dx_master.tsv / i10sg_master.tsv) for the attribute each rule reads; comments name the attribute.
 */

let editor: CodeEditor;
beforeAll(async () => {
  editor = await loadCodeEditor(testDataDir);
});

type ClaimInput = Partial<Omit<Claim, 'principalDx' | 'secondaryDx' | 'procedures'>> & {
  pdx?: string;
  sdx?: string[];
  px?: string[];
};

function makeClaim(c: ClaimInput = {}): Claim {
  const { pdx = 'K3580', sdx = [], px = [], ...rest } = c;
  return {
    id: 't1',
    ageYears: 50,
    sex: 'F',
    dischargeStatus: 1,
    dischargeDate: '2025-11-15',
    lengthOfStay: 6,
    principalDx: { code: pdx, poa: 'Y' },
    secondaryDx: sdx.map((code) => ({ code, poa: 'Y' as const })),
    procedures: px.map((code) => ({ code })),
    ...rest,
  };
}

const dxEdits = (r: MceResult, code: string): readonly MceEditName[] | undefined => r.dx.find((d) => d.code === code)?.edits;
const pxEdits = (r: MceResult, code: string): readonly MceEditName[] | undefined => r.procedures.find((d) => d.code === code)?.edits;

interface Case {
  rule: string;
  claim: ClaimInput;
  /** code -> expected edits of that code (diagnosis or procedure) */
  codes?: Record<string, MceEditName[]>;
  /** expected claim edit counts (exact) */
  edits: Partial<Record<MceEditName, number>>;
}

const CASES: Case[] = [
  { rule: 'passes a claim of valid codes with no edit attribute', claim: { sdx: ['I447'], px: ['0DTJ4ZZ'] }, edits: {} },
  {
    rule: 'flags a diagnosis code that does not exist',
    claim: { sdx: ['ZZZ99'] },
    codes: { ZZZ99: ['INVALID_CODE'] },
    edits: { INVALID_CODE: 1 },
  },
  {
    rule: 'flags a procedure code that does not exist',
    claim: { px: ['ZZZZZZZ'] },
    codes: { ZZZZZZZ: ['INVALID_CODE'] },
    edits: { INVALID_CODE: 1 },
  },
  {
    rule: 'flags a code deleted before the discharge date (B880 ended 2025-09-30)',
    claim: { sdx: ['B880'] },
    codes: { B880: ['INVALID_CODE'] },
    edits: { INVALID_CODE: 1 },
  },
  {
    rule: 'flags a code added after the discharge date (B8801 starts 2025-10-01)',
    claim: { dischargeDate: '2025-09-30', sdx: ['B8801'] },
    codes: { B8801: ['INVALID_CODE'] },
    edits: { INVALID_CODE: 1 },
  },
  {
    rule: 'flags a procedure code added on 2026-04-01 for an earlier discharge',
    claim: { px: ['02HM3JZ'] },
    codes: { '02HM3JZ': ['INVALID_CODE'] },
    edits: { INVALID_CODE: 1 },
  },
  { rule: 'accepts that procedure code from 2026-04-01', claim: { dischargeDate: '2026-04-15', px: ['02HM3JZ'] }, edits: {} },
  {
    rule: 'flags a newborn code (Z3800) for a 50-year-old',
    claim: { sdx: ['Z3800'] },
    codes: { Z3800: ['AGE_CONFLICT'] },
    edits: { AGE_CONFLICT: 1 },
  },
  { rule: 'accepts a newborn code at age 0', claim: { ageYears: 0, sdx: ['Z3800'] }, edits: {} },
  {
    rule: 'flags a pediatric code (B0820, ages 0-17) at age 18',
    claim: { ageYears: 18, sdx: ['B0820'] },
    codes: { B0820: ['AGE_CONFLICT'] },
    edits: { AGE_CONFLICT: 1 },
  },
  { rule: 'accepts a pediatric code at age 17', claim: { ageYears: 17, sdx: ['B0820'] }, edits: {} },
  {
    rule: 'flags a maternity code (A34, ages 9-64) at age 65',
    claim: { ageYears: 65, sdx: ['A34'] },
    codes: { A34: ['AGE_CONFLICT'] },
    edits: { AGE_CONFLICT: 1 },
  },
  { rule: 'accepts a maternity code at age 64', claim: { ageYears: 64, sdx: ['A34'] }, edits: {} },
  {
    rule: 'flags an adult code (A1814, ages 15-124) at age 14',
    claim: { ageYears: 14, sdx: ['A1814'] },
    codes: { A1814: ['AGE_CONFLICT'] },
    edits: { AGE_CONFLICT: 1 },
  },
  {
    rule: 'flags a manifestation code (D630) as principal diagnosis',
    claim: { pdx: 'D630' },
    codes: { D630: ['MANIFESTATION_AS_PDX'] },
    edits: { MANIFESTATION_AS_PDX: 1 },
  },
  { rule: 'accepts a manifestation code as secondary diagnosis', claim: { sdx: ['D630'] }, edits: {} },
  {
    rule: 'flags an external cause code (V0001XA) as principal diagnosis',
    claim: { pdx: 'V0001XA' },
    codes: { V0001XA: ['E_CODE_AS_PDX'] },
    edits: { E_CODE_AS_PDX: 1 },
  },
  {
    rule: 'flags an unacceptable principal diagnosis (B950)',
    claim: { pdx: 'B950' },
    codes: { B950: ['UNACCEPTABLE_PDX'] },
    edits: { UNACCEPTABLE_PDX: 1 },
  },
  {
    rule: 'uses the attributes in force on the discharge date (F0781 unacceptable until 2026-03-31)',
    claim: { pdx: 'F0781', dischargeDate: '2026-04-15' },
    edits: {},
  },
  {
    rule: 'flags a requires-secondary principal diagnosis (Z5189) reported alone',
    claim: { pdx: 'Z5189' },
    codes: { Z5189: ['REQUIRES_SDX'] },
    edits: { REQUIRES_SDX: 1 },
  },
  { rule: 'accepts a requires-secondary principal diagnosis with a secondary', claim: { pdx: 'Z5189', sdx: ['I447'] }, edits: {} },
  { rule: 'flags a secondary diagnosis equal to the principal', claim: { pdx: 'K3580', sdx: ['K3580'] }, edits: { DUPLICATE_OF_PDX: 1 } },
  {
    rule: 'flags a questionable admission principal diagnosis (I10)',
    claim: { pdx: 'I10' },
    codes: { I10: ['QUESTIONABLE_ADMISSION'] },
    edits: { QUESTIONABLE_ADMISSION: 1 },
  },
  { rule: 'accepts a questionable-admission code as secondary', claim: { sdx: ['I10'] }, edits: {} },
  { rule: 'flags an unspecified code (G8100)', claim: { sdx: ['G8100'] }, codes: { G8100: ['UNSPECIFIED'] }, edits: { UNSPECIFIED: 1 } },
  {
    rule: 'flags a wrong-procedure code (Y6551) as secondary',
    claim: { sdx: ['Y6551'] },
    codes: { Y6551: ['WRONG_PROCEDURE_PERFORMED'] },
    edits: { WRONG_PROCEDURE_PERFORMED: 1 },
  },
  {
    rule: 'lists principal edits in MCE order (external cause before wrong procedure)',
    claim: { pdx: 'Y6551' },
    codes: { Y6551: ['E_CODE_AS_PDX', 'WRONG_PROCEDURE_PERFORMED'] },
    edits: { E_CODE_AS_PDX: 1, WRONG_PROCEDURE_PERFORMED: 1 },
  },
  { rule: 'counts an edit once per code', claim: { sdx: ['G8100', 'G8110'] }, edits: { UNSPECIFIED: 2 } },
  { rule: 'flags a discharge status not in the table', claim: { dischargeStatus: 99 }, edits: { INVALID_DISCHARGE_STATUS: 1 } },
  {
    rule: 'flags a non-covered procedure (00F3XZZ)',
    claim: { px: ['00F3XZZ'] },
    codes: { '00F3XZZ': ['NON_COVERED'] },
    edits: { NON_COVERED: 1 },
  },
  {
    rule: 'flags a limited-coverage procedure (02WA3QZ)',
    claim: { px: ['02WA3QZ'] },
    codes: { '02WA3QZ': ['LIMITED_COVERAGE'] },
    edits: { LIMITED_COVERAGE: 1 },
  },
  {
    rule: 'does not cover a pancreas transplant (0FYG0Z0) without kidney transplant or type 1 diabetes',
    claim: { px: ['0FYG0Z0'] },
    codes: { '0FYG0Z0': ['NON_COVERED'] },
    edits: { NON_COVERED: 1 },
  },
  {
    rule: 'limits coverage of a pancreas transplant done with a kidney transplant (0TY00Z0)',
    claim: { px: ['0FYG0Z0', '0TY00Z0'] },
    codes: { '0FYG0Z0': ['LIMITED_COVERAGE'], '0TY00Z0': ['LIMITED_COVERAGE'] },
    edits: { LIMITED_COVERAGE: 2 },
  },
  {
    rule: 'limits coverage of a pancreas transplant for type 1 diabetes (E1010)',
    claim: { sdx: ['E1010'], px: ['0FYG0Z0'] },
    codes: { '0FYG0Z0': ['LIMITED_COVERAGE'] },
    edits: { LIMITED_COVERAGE: 1 },
  },
  {
    rule: 'does not cover a stem cell transfusion (30233G0) for acute leukemia not in remission (C9100)',
    claim: { sdx: ['C9100'], px: ['30233G0'] },
    codes: { '30233G0': ['NON_COVERED'] },
    edits: { NON_COVERED: 1 },
  },
  { rule: 'covers that transfusion without the leukemia code', claim: { px: ['30233G0'] }, edits: {} },
  {
    rule: 'does not cover a sterilization (0U570ZZ) with encounter for sterilization (Z302)',
    claim: { sdx: ['Z302'], px: ['0U570ZZ'] },
    codes: { '0U570ZZ': ['NON_COVERED'] },
    edits: { NON_COVERED: 1 },
  },
  {
    rule: 'does not cover hip resurfacing (0SR20JZ) over age 60',
    claim: { ageYears: 61, px: ['0SR20JZ'] },
    codes: { '0SR20JZ': ['NON_COVERED'] },
    edits: { NON_COVERED: 1 },
  },
  { rule: 'covers hip resurfacing at age 60', claim: { ageYears: 60, px: ['0SR20JZ'] }, edits: {} },
  {
    rule: 'questions a cesarean (10D00Z0) without an outcome-of-delivery secondary',
    claim: { px: ['10D00Z0'] },
    codes: { '10D00Z0': ['QUESTIONABLE_OBSTETRIC_ADMISSION'] },
    edits: { QUESTIONABLE_OBSTETRIC_ADMISSION: 1 },
  },
  { rule: 'accepts a delivery with an outcome-of-delivery secondary (Z370)', claim: { sdx: ['Z370'], px: ['10D07Z3'] }, edits: {} },
  {
    rule: 'flags 96+ hours of ventilation (5A1955Z) in a 4-day stay',
    claim: { lengthOfStay: 4, px: ['5A1955Z'] },
    codes: { '5A1955Z': ['INCONSISTENT_WITH_LENGTH_OF_STAY'] },
    edits: { INCONSISTENT_WITH_LENGTH_OF_STAY: 1 },
  },
  { rule: 'accepts 96+ hours of ventilation in a 5-day stay', claim: { lengthOfStay: 5, px: ['5A1955Z'] }, edits: {} },
  {
    rule: 'flags a male-only code for a female before the sex edit was retired (C61, 2024-06-01)',
    claim: { dischargeDate: '2024-06-01', sdx: ['C61'], px: ['0VT00ZZ'] },
    codes: { C61: ['SEX_CONFLICT'], '0VT00ZZ': ['SEX_CONFLICT'] },
    edits: { SEX_CONFLICT: 2 },
  },
  { rule: 'has no sex conflict once the MCE dropped sex attributes (2024-10-01)', claim: { sdx: ['C61'], px: ['0VT00ZZ'] }, edits: {} },
  { rule: 'rejects unknown sex before 2024-10-01', claim: { dischargeDate: '2024-06-01', sex: 'U' }, edits: { INVALID_SEX: 1 } },
  { rule: 'accepts unknown sex from 2024-10-01', claim: { sex: 'U' }, edits: {} },
  {
    rule: 'counts an invalid admitting diagnosis without changing the edit type',
    claim: { admitDx: { code: 'ZZZ99' } },
    edits: { INVALID_ADMIT_DX: 1 },
  },
];

describe('editClaim rules (MCE 43.1)', () => {
  it.each(CASES)('$rule', ({ claim, codes, edits }) => {
    const r = editClaim(editor, makeClaim(claim));
    expect(r.edits).toEqual(edits);
    for (const [code, want] of Object.entries(codes ?? {})) expect(dxEdits(r, code) ?? pxEdits(r, code)).toEqual(want);
    const typed = Object.keys(edits).filter((e) => e !== 'INVALID_ADMIT_DX');
    expect(r.editType).toBe(typed.length > 0 ? 'PREPAYMENT' : 'NONE');
    expect(r.messages).toHaveLength(Object.values(edits).reduce((a, b) => a + b, 0));
  });

  it('lists the principal diagnosis first, then secondaries and procedures in claim order', () => {
    const r = editClaim(editor, makeClaim({ pdx: 'I10', sdx: ['G8100', 'I447'], px: ['5A1955Z', '0DTJ4ZZ'] }));
    expect(r.dx.map((d) => d.code)).toEqual(['I10', 'G8100', 'I447']);
    expect(r.procedures.map((p) => p.code)).toEqual(['5A1955Z', '0DTJ4ZZ']);
  });

  it('keeps INVALID_CODE first and still checks a duplicate of the principal', () => {
    const r = editClaim(editor, makeClaim({ pdx: 'ZZZ99', sdx: ['ZZZ99'] }));
    expect(r.dx[1]?.edits).toEqual(['INVALID_CODE', 'DUPLICATE_OF_PDX']);
    expect(r.edits).toEqual({ DUPLICATE_OF_PDX: 1, INVALID_CODE: 2 });
  });

  it('orders the edit counts by edit name', () => {
    const r = editClaim(editor, makeClaim({ pdx: 'V0001XA', sdx: ['Z3800'], dischargeStatus: 99 }));
    expect(Object.keys(r.edits)).toEqual(['AGE_CONFLICT', 'E_CODE_AS_PDX', 'INVALID_DISCHARGE_STATUS']);
  });

  it('writes a readable message naming the code and the age', () => {
    const r = editClaim(editor, makeClaim({ ageYears: 45, sdx: ['Z3800'] }));
    expect(r.messages).toEqual(['Z3800 is a newborn code (age 0); the patient is 45 years old']);
  });

  it.each([
    ['after the release ends', '2026-10-01'],
    ['before ICD-10', '2015-09-30'],
    ['missing', undefined],
    ['malformed', '2025-13-01'],
  ])('gives INVALID_DISCHARGE_DATE and no edits when the discharge date is %s', (_what, dischargeDate) => {
    const r = editClaim(editor, makeClaim({ dischargeDate, pdx: 'V0001XA', sdx: ['ZZZ99'] }));
    expect(r.editType).toBe('INVALID_DISCHARGE_DATE');
    expect(r.edits).toEqual({});
    expect(r.dx).toEqual([
      { code: 'V0001XA', edits: [] },
      { code: 'ZZZ99', edits: [] },
    ]);
  });
});
