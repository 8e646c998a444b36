import { describe, expect, it } from 'vitest';
import { addYears, retentionEligibility, RuleSetSchema, type RuleSet } from './retention.rules.js';

const federal: RuleSet = {
  id: 'rs-federal',
  name: 'Federal',
  ageOfMajority: 18,
  rules: [{ typeCode: null, adultYears: 5, anchor: 'last_encounter', minorYearsAfterMajority: 0 }],
};
const stateA: RuleSet = {
  id: 'a',
  name: 'State A',
  ageOfMajority: 19,
  rules: [{ typeCode: null, adultYears: 10, anchor: 'last_encounter', minorYearsAfterMajority: 3 }],
};
const stateB: RuleSet = {
  id: 'b',
  name: 'State B',
  ageOfMajority: 18,
  rules: [
    { typeCode: null, adultYears: 7, anchor: 'service_date', minorYearsAfterMajority: 10 },
    { typeCode: 'LAB', adultYears: 2, anchor: 'service_date', minorYearsAfterMajority: 0 },
    { typeCode: 'PSYN', adultYears: null, anchor: 'service_date', minorYearsAfterMajority: null },
  ],
};

const adult = { typeCode: 'DS', serviceOn: '2015-04-02', dateOfBirth: '1950-01-01', lastEncounterOn: '2016-06-30' };

describe('retention eligibility', () => {
  it.each([
    // rule set, facts, today, eligible, eligibleOn
    [federal, adult, '2021-06-29', false, '2021-06-30'],
    [federal, adult, '2021-06-30', true, '2021-06-30'],
    [stateA, adult, '2026-06-30', true, '2026-06-30'],
    [stateB, adult, '2022-04-02', true, '2022-04-02'],
    [stateB, { ...adult, typeCode: 'LAB' }, '2017-04-02', true, '2017-04-02'],
  ] as const)('adult: %s on %s', (set, facts, today, eligible, eligibleOn) => {
    expect(retentionEligibility(set, facts, today)).toMatchObject({ eligible, eligibleOn, minor: false });
  });

  it('counts an adult period from the last encounter, or from the date of service, as the rule says', () => {
    expect(retentionEligibility(federal, adult, '2026-01-01').explanation).toBe(
      'Federal, all types: adult, 5 years after the last encounter (2016-06-30): 2021-06-30; eligible from 2021-06-30',
    );
    expect(retentionEligibility(stateB, adult, '2026-01-01').explanation).toContain('7 years after the date of service (2015-04-02)');
  });

  it('keeps a minor’s record until the age of majority plus the minors’ years, when that is later', () => {
    // Born 2010-03-15, seen at 5: majority (19) on 2029-03-15, + 3 years = 2032-03-15, later than 10 years after 2015.
    const child = { typeCode: 'DS', serviceOn: '2015-04-02', dateOfBirth: '2010-03-15', lastEncounterOn: '2015-04-03' };
    const a = retentionEligibility(stateA, child, '2032-03-14');
    expect(a).toMatchObject({ eligible: false, eligibleOn: '2032-03-15', minor: true });
    expect(a.explanation).toContain('age of majority 19 on 2029-03-15');
    expect(retentionEligibility(stateA, child, '2032-03-15').eligible).toBe(true);
    // Federal: 5 years after the last encounter (2020-04-03) is earlier than majority (2028-03-15): majority wins.
    expect(retentionEligibility(federal, child, '2026-01-01')).toMatchObject({ eligible: false, eligibleOn: '2028-03-15', minor: true });
    // A 17-year-old: the adult period is the later date.
    const teen = { ...child, dateOfBirth: '1998-01-01' };
    expect(retentionEligibility(stateA, teen, '2026-01-01')).toMatchObject({ eligibleOn: '2025-04-03', minor: true, eligible: true });
    // Majority + 10 years in state B.
    expect(retentionEligibility(stateB, child, '2026-01-01')).toMatchObject({ eligibleOn: '2038-03-15', minor: true });
  });

  it('keeps permanently what a rule keeps permanently, and a record whose date of birth is unknown', () => {
    expect(retentionEligibility(stateB, { ...adult, typeCode: 'PSYN' }, '2099-01-01')).toMatchObject({ eligible: false, eligibleOn: null });
    expect(retentionEligibility(federal, { ...adult, dateOfBirth: null }, '2099-01-01')).toMatchObject({
      eligible: false,
      eligibleOn: null,
    });
  });

  it('adds years across 29 February', () => {
    expect(addYears('2016-02-29', 5)).toBe('2021-02-28');
    expect(addYears('2016-02-29', 4)).toBe('2020-02-29');
  });

  it('requires a rule for every other type and one rule per type', () => {
    const base = { name: 'Mine', jurisdiction: 'x-state', ageOfMajority: 18 };
    expect(
      RuleSetSchema.safeParse({ ...base, rules: [{ typeCode: 'LAB', adultYears: 2, anchor: 'service_date', minorYearsAfterMajority: 0 }] })
        .success,
    ).toBe(false);
    const dup = { typeCode: null, adultYears: 2, anchor: 'service_date', minorYearsAfterMajority: 0 };
    expect(RuleSetSchema.safeParse({ ...base, rules: [dup, dup] }).success).toBe(false);
    expect(RuleSetSchema.safeParse({ ...base, rules: [dup] }).success).toBe(true);
  });
});
