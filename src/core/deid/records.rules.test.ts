/** Safe Harbor, limited data set and date shifting of structured records (45 CFR 164.514(b)(2), (e)). */
import { describe, expect, it } from 'vitest';
import { buildDeidLexicon } from './lexicon.js';
import {
  ageAt,
  dateShiftDays,
  deidentifyRecord,
  safeHarborAge,
  safeHarborZip,
  shiftDate,
  yearOf,
  type FieldKind,
} from './records.rules.js';

const fields: Record<string, FieldKind> = {
  name: 'identifier',
  mrn: 'identifier',
  street: 'street',
  city: 'city',
  state: 'state',
  zip: 'zip',
  birthDate: 'birthDate',
  admitted: 'date',
  discharged: 'date',
  drg: 'keep',
  note: 'text',
};
const record = {
  name: 'Temitope Oyebanji',
  mrn: 'M0042287',
  street: '12 Quarry Lane',
  city: 'Laramie',
  state: 'WY',
  zip: '82301-1234',
  birthDate: '1950-06-30',
  admitted: '2024-02-27',
  discharged: '2024-03-02T10:15:00Z',
  drg: '291',
  note: 'Seen by Dr. Achebe on 2/27/2024.',
  ssn: '078-05-1120',
};
const lexicon = buildDeidLexicon();

describe('Safe Harbor values', () => {
  it.each([
    ['03601', '000'],
    ['05901-2231', '000'],
    ['89301', '000'],
    ['10027', '100'],
    ['60614-5521', '606'],
    ['8207', null],
    ['ABCDE', null],
  ])('ZIP %s becomes %s (three digits; 000 for the 17 restricted areas)', (zip, expected) => {
    expect(safeHarborZip(zip)).toBe(expected);
  });
  it('groups every age over 89 as 90+', () => {
    expect([0, 45.9, 89, 90, 104].map(safeHarborAge)).toEqual([0, 45, 89, '90+', '90+']);
  });
  it('reads years and ages from ISO dates', () => {
    expect(yearOf('2024-03-02T10:15:00Z')).toBe(2024);
    expect(ageAt('1934-03-03', '2024-03-02')).toBe(89);
    expect(ageAt('1934-03-02', '2024-03-02')).toBe(90);
  });
});

describe('deidentifyRecord', () => {
  it('Safe Harbor: removes identifiers and city, keeps years, cuts the ZIP, tags the note, drops undeclared fields', () => {
    const out = deidentifyRecord(record, fields, { method: 'safe-harbor', lexicon, referenceDate: '2024-03-02' });
    expect(out).toEqual({
      name: null,
      mrn: null,
      street: null,
      city: null,
      state: 'WY',
      zip: '000',
      birthDate: 1950,
      admitted: 2024,
      discharged: 2024,
      drg: '291',
      note: 'Seen by Dr. [NAME] on [DATE].',
    });
  });
  it('Safe Harbor: a person over 89 has no birth year and the age 90+', () => {
    const f: Record<string, FieldKind> = { birthDate: 'birthDate', age: 'age' };
    expect(deidentifyRecord({ birthDate: '1930-01-01', age: 94 }, f, { method: 'safe-harbor' })).toEqual({ birthDate: null, age: '90+' });
    expect(
      deidentifyRecord({ birthDate: '1930-01-01' }, { birthDate: 'birthDate' }, { method: 'safe-harbor', referenceDate: '2024-01-01' }),
    ).toEqual({
      birthDate: null,
    });
  });
  it('limited data set: keeps dates, city, state and ZIP; removes direct identifiers; keeps dates in notes', () => {
    const out = deidentifyRecord(record, fields, { method: 'limited-data-set', lexicon });
    expect(out).toMatchObject({ name: null, mrn: null, street: null, city: 'Laramie', zip: '82301-1234', admitted: '2024-02-27' });
    expect(out.note).toBe('Seen by Dr. [NAME] on 2/27/2024.');
  });
  it('date shift: one offset per patient keeps intervals; other patients and keys move differently', () => {
    const key = 'study-key-1';
    const d1 = dateShiftDays(key, 'patient-1');
    expect(d1).not.toBe(0);
    expect(Math.abs(d1)).toBeLessThanOrEqual(365);
    expect(dateShiftDays(key, 'patient-1')).toBe(d1);
    const others = ['patient-2', 'patient-3', 'patient-4'].map((p) => dateShiftDays(key, p));
    expect(new Set([d1, ...others]).size).toBeGreaterThan(1);
    expect(dateShiftDays('other-key', 'patient-1')).not.toBe(d1);
    const out = deidentifyRecord(record, fields, { method: 'date-shift', lexicon, shiftDays: d1, referenceDate: '2024-03-02' });
    const days = (a: string, b: string): number => (Date.parse(b.slice(0, 10)) - Date.parse(a.slice(0, 10))) / 86_400_000;
    expect(days(String(out.admitted), String(out.discharged))).toBe(4);
    expect(days(record.admitted, String(out.admitted))).toBe(d1);
    expect(String(out.discharged).endsWith('T10:15:00Z')).toBe(true);
    expect(out.zip).toBe('000');
    expect(out.name).toBeNull();
  });
  it('shifts dates across month and year ends', () => {
    expect(shiftDate('2024-12-30', 3)).toBe('2025-01-02');
    expect(shiftDate('2024-03-01', -1)).toBe('2024-02-29');
  });
});
