import { describe, expect, it } from 'vitest';
import { buildIndex, codeInRange, type IndexedDischarge } from './him-indexes.rules.js';

describe('code ranges', () => {
  it.each([
    ['I25.10', 'I20', 'I25', true],
    ['I2510', 'I20', 'I25', true],
    ['I26.99', 'I20', 'I25', false],
    ['I19', 'I20', 'I25', false],
    ['E11.9', undefined, undefined, true],
    ['0DTJ4ZZ', '0DT', '0DT', true],
    ['0DQJ4ZZ', '0DT', '0DTZ', false],
  ])('%s in %s-%s: %s', (code, from, to, expected) => expect(codeInRange(code, from, to)).toBe(expected));
});

const d = (over: Partial<IndexedDischarge>): IndexedDischarge => ({
  encounterId: 'e',
  patientId: 'p',
  mrn: 'M1',
  patientName: 'Doe, Jane',
  accountNumber: 'A1',
  restricted: false,
  dischargeAt: '2026-03-05T10:00:00.000Z',
  attendingId: 'dr1',
  attending: 'Carl Heart',
  drg: '291',
  principalDx: 'I5023',
  secondaryDx: ['E119', 'I10'],
  procedures: ['02HV33Z', '5A1955Z'],
  ...over,
});

describe('HIM indexes', () => {
  const a = d({ encounterId: 'e1', mrn: 'M1' });
  const b = d({
    encounterId: 'e2',
    mrn: 'M2',
    principalDx: 'E119',
    secondaryDx: ['E119'],
    procedures: [],
    dischargeAt: '2026-03-01T00:00:00.000Z',
  });
  const vip = d({ encounterId: 'e3', mrn: 'M3', restricted: true, attendingId: 'dr2', attending: 'Ann Able' });
  const shows = (x: IndexedDischarge) => !x.restricted;

  it('lists each discharge once under each diagnosis code, principal or secondary, restricted ones counted', () => {
    const idx = buildIndex('disease', [a, b, vip], shows, { codeFrom: 'E00', codeTo: 'E13' });
    expect(idx).toHaveLength(1);
    expect(idx[0]).toMatchObject({ key: 'E119', count: 3, withheld: 1 });
    expect(idx[0]?.rows.map((r) => [r.mrn, r.role])).toEqual([
      ['M2', 'principal'],
      ['M1', 'secondary'],
    ]);
  });
  it('lists procedures, the first as principal', () => {
    const idx = buildIndex('procedure', [a], shows);
    expect(idx.map((e) => [e.key, e.rows[0]?.role])).toEqual([
      ['02HV33Z', 'principal'],
      ['5A1955Z', 'other'],
    ]);
  });
  it('lists physicians by name with the principal diagnosis', () => {
    const idx = buildIndex('physician', [a, vip], shows);
    expect(idx.map((e) => [e.label, e.count, e.withheld, e.rows.map((r) => r.role)])).toEqual([
      ['Ann Able', 1, 1, []],
      ['Carl Heart', 1, 0, ['I5023']],
    ]);
    expect(buildIndex('physician', [a, vip], shows, { physician: 'dr1' })).toHaveLength(1);
  });
});
