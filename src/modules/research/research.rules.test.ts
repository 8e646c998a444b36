/** Research extracts, pure part: request validation, cohort matching, de-identified rows, CSV. */
import { describe, expect, it } from 'vitest';
import { buildDeidLexicon } from '../../core/deid/index.js';
import {
  CohortSchema,
  EXTRACT_FIELDS,
  ExtractRequestSchema,
  extractRow,
  matchesCohort,
  toCsv,
  type CohortCandidate,
} from './research.rules.js';

const makeEncounter = (o: Partial<CohortCandidate> = {}): CohortCandidate => ({
  encounterId: 'e1',
  patientId: 'p1',
  type: 'inpatient',
  admitDate: '2024-02-27T08:00:00Z',
  dischargeDate: '2024-03-02T10:00:00Z',
  birthDate: '1931-05-01',
  sex: 'F',
  postalCode: '05901',
  city: 'Derby',
  state: 'VT',
  drg: '291',
  diagnosisCodes: ['I50.23', 'E11.9'],
  procedureCodes: ['02HV33Z'],
  note: 'Mrs. Okafor seen 2/28/2024.',
  ...o,
});
const cohort = (o: Record<string, unknown>) => CohortSchema.parse(o);

describe('cohorts', () => {
  it.each([
    [{ diagnosisCodes: ['I50'] }, true],
    [{ diagnosisCodes: ['e11.9'] }, true],
    [{ diagnosisCodes: ['J44'] }, false],
    [{ procedureCodes: ['02HV'] }, true],
    [{ drgs: ['291', '292'] }, true],
    [{ drgs: ['470'] }, false],
    [{ dischargedFrom: '2024-03-01', dischargedTo: '2024-03-31' }, true],
    [{ dischargedTo: '2024-03-01' }, false],
    [{ sex: ['M'] }, false],
    [{ ageFrom: 90 }, true],
    [{ ageFrom: 18, ageTo: 89 }, false],
    [{ encounterTypes: ['outpatient'] }, false],
  ])('%j matches: %s', (c, expected) => {
    expect(matchesCohort(makeEncounter(), cohort(c))).toBe(expected);
  });
  it('leaves out an encounter not yet discharged when the cohort has discharge dates', () => {
    expect(matchesCohort(makeEncounter({ dischargeDate: null }), cohort({ dischargedFrom: '2024-01-01' }))).toBe(false);
  });
  it('refuses a date range that ends before it starts', () => {
    expect(CohortSchema.safeParse({ dischargedFrom: '2024-03-02', dischargedTo: '2024-03-01' }).success).toBe(false);
  });
});

describe('extract requests', () => {
  const base = { cohort: {}, purpose: 'heart failure readmission study', irbReference: 'IRB-2024-118' };
  it('needs a data use agreement for a limited data set', () => {
    expect(ExtractRequestSchema.safeParse({ ...base, method: 'limited-data-set' }).success).toBe(false);
    expect(ExtractRequestSchema.safeParse({ ...base, method: 'limited-data-set', dataUseAgreement: 'DUA-7' }).success).toBe(true);
  });
  it('needs a purpose and an IRB reference', () => {
    expect(ExtractRequestSchema.safeParse({ ...base, purpose: 'study', method: 'safe-harbor' }).success).toBe(false);
    expect(ExtractRequestSchema.safeParse({ ...base, irbReference: ' ', method: 'safe-harbor' }).success).toBe(false);
  });
});

describe('extract rows and CSV', () => {
  const lexicon = buildDeidLexicon();
  it('Safe Harbor row: years, 90+, ZIP 000 for a restricted area, no city, note tagged, study id in place of numbers', () => {
    const row = extractRow(makeEncounter(), { method: 'safe-harbor', includeNotes: true }, { studyId: 'S-0001', lexicon });
    expect(row).toEqual({
      study_id: 'S-0001',
      encounter_type: 'inpatient',
      admit_date: 2024,
      discharge_date: 2024,
      birth_date: null,
      age: '90+',
      sex: 'F',
      city: null,
      state: 'VT',
      zip: '000',
      drg: '291',
      diagnosis_codes: 'I50.23 E11.9',
      procedure_codes: '02HV33Z',
      note: 'Mrs. [NAME] seen [DATE].',
    });
  });
  it('writes RFC 4180 CSV with quoting and formula guards', () => {
    const csv = toCsv(
      ['a', 'b', 'c'],
      [
        { a: 'x,y', b: 'say "hi"', c: '=SUM(A1)' },
        { a: 1, b: null, c: '90+' },
      ],
    );
    expect(csv).toBe('a,b,c\r\n"x,y","say ""hi""",\'=SUM(A1)\r\n1,,90+\r\n');
  });
  it('has a column for every field it fills', () => {
    const row = extractRow(makeEncounter(), { method: 'date-shift', includeNotes: false }, { studyId: 'S-1', lexicon, shiftDays: 10 });
    expect(Object.keys(row).sort()).toEqual(Object.keys(EXTRACT_FIELDS).sort());
    expect(row.discharge_date).toBe('2024-03-12T10:00:00Z');
  });
});
