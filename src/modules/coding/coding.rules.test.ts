import { describe, expect, it } from 'vitest';
import {
  AbstractDataSchema,
  ageBucketOf,
  checkAbstract,
  compareAbstracts,
  toClaim,
  type AbstractInput,
  type EncounterFacts,
} from './coding.rules.js';

const inpatient: EncounterFacts = {
  type: 'inpatient',
  admitAt: '2026-03-01T10:00:00.000Z',
  dischargeAt: '2026-03-05T12:00:00.000Z',
  dateOfBirth: '1950-05-17',
  sex: 'F',
};
const abstract = (x: AbstractInput) => AbstractDataSchema.parse(x);
const rules = (x: AbstractInput, e: EncounterFacts = inpatient) => checkAbstract(abstract(x), e).map((i) => `${i.severity}:${i.rule}`);

describe('abstract rules (UHDDS, Official Guidelines)', () => {
  it.each([
    ['no principal diagnosis', { dischargeStatus: '01' }, 'error:principal_required'],
    ['a diagnosis without POA on an inpatient stay', { principalDx: { code: 'I50.23' }, dischargeStatus: '01' }, 'error:poa_required'],
    [
      'the principal repeated as secondary',
      { principalDx: { code: 'I5023', poa: 'Y' }, secondaryDx: [{ code: 'I50.23', poa: 'Y' }], dischargeStatus: '01' },
      'error:principal_repeated',
    ],
    ['no discharge status', { principalDx: { code: 'I5023', poa: 'Y' } }, 'error:discharge_status_required'],
    [
      'a procedure without a date',
      { principalDx: { code: 'I5023', poa: 'Y' }, procedures: [{ code: '02HV33Z' }], dischargeStatus: '01' },
      'error:procedure_date_required',
    ],
    [
      'a procedure dated outside the stay',
      {
        principalDx: { code: 'I5023', poa: 'Y' },
        procedures: [{ code: '02HV33Z', date: '2026-02-01', operatingProviderId: 'p1' }],
        dischargeStatus: '01',
      },
      'warning:procedure_date_outside_stay',
    ],
    ['no admitting diagnosis', { principalDx: { code: 'I5023', poa: 'Y' }, dischargeStatus: '01' }, 'warning:admitting_dx_missing'],
    [
      'more than 24 secondary diagnoses',
      {
        principalDx: { code: 'I5023', poa: 'Y' },
        secondaryDx: Array.from({ length: 25 }, (_, i) => ({ code: `Z${String(10 + i)}`, poa: '1' as const })),
        dischargeStatus: '01',
      },
      'info:claim_dx_limit',
    ],
  ] as [string, AbstractInput, string][])('flags %s', (_label, input, expected) => {
    expect(rules(input)).toContain(expected);
  });

  it('accepts POA "1" (exempt) and needs no POA on outpatient encounters', () => {
    expect(
      rules({
        principalDx: { code: 'I5023', poa: 'Y' },
        secondaryDx: [{ code: 'Z7901', poa: '1' }],
        admittingDx: 'R0602',
        dischargeStatus: '01',
      }),
    ).toEqual([]);
    expect(rules({ principalDx: { code: 'R079' }, reasonForVisit: ['R079'] }, { ...inpatient, type: 'outpatient' })).toEqual([]);
  });

  it('asks for the birth weight of a newborn', () => {
    expect(
      rules(
        { principalDx: { code: 'Z3800', poa: 'Y' }, dischargeStatus: '01', admittingDx: 'Z3800' },
        { ...inpatient, dateOfBirth: '2026-03-01' },
      ),
    ).toEqual(['error:birth_weight_required']);
  });

  it('normalises codes: dots removed, upper case', () => {
    expect(abstract({ principalDx: { code: ' i50.23 ' } }).principalDx?.code).toBe('I5023');
  });
});

describe('claim for the grouper', () => {
  it('sends the first 24 secondary diagnoses, the age at admission and the length of stay', () => {
    const c = toClaim(
      'e1',
      abstract({
        principalDx: { code: 'I5023', poa: 'Y' },
        secondaryDx: Array.from({ length: 30 }, () => ({ code: 'N179', poa: 'Y' as const })),
        dischargeStatus: '06',
      }),
      inpatient,
    );
    expect(c).toMatchObject({ ageYears: 75, sex: 'F', dischargeStatus: 6, lengthOfStay: 4, dischargeDate: '2026-03-05' });
    expect(c?.secondaryDx).toHaveLength(24);
  });
  it('has no claim without a principal diagnosis', () => {
    expect(toClaim('e1', abstract({}), inpatient)).toBeNull();
  });
});

describe('DNFB age buckets', () => {
  it.each([
    [0, '0-3'],
    [3, '0-3'],
    [4, '4-7'],
    [8, '8-14'],
    [15, '15-30'],
    [30, '15-30'],
    [31, '30+'],
    [400, '30+'],
  ])('puts %i days in %s', (days, bucket) => {
    expect(ageBucketOf(days)).toBe(bucket);
  });
});

describe('code-level agreement', () => {
  it('matches codes regardless of order and reports POA differences and the DRG', () => {
    const coder = abstract({
      principalDx: { code: 'I5023', poa: 'Y' },
      secondaryDx: [
        { code: 'N179', poa: 'Y' },
        { code: 'E119', poa: 'Y' },
      ],
      procedures: [{ code: '5A1955Z' }],
    });
    const auditor = abstract({
      principalDx: { code: 'I5023', poa: 'Y' },
      secondaryDx: [
        { code: 'E119', poa: 'Y' },
        { code: 'N179', poa: 'N' },
      ],
    });
    const a = compareAbstracts(coder, auditor, { coder: '291', auditor: '292' });
    expect(a).toMatchObject({
      principalDx: { agree: true },
      secondaryDx: { coderOnly: [], auditorOnly: [], poaDiffers: ['N179'] },
      procedures: { coderOnly: ['5A1955Z'] },
      drg: { agree: false },
      codeAgreementRate: 0.75,
    });
  });
});
