import { describe, expect, it } from 'vitest';
import {
  FEDERAL_CLOCK_POLICY,
  accountingFrom,
  accountingIsFree,
  addYears,
  clockPolicyFor,
  extensionProblem,
  feeOf,
  requestClock,
} from './roi.clock.rules.js';

const p = FEDERAL_CLOCK_POLICY;
const access = { kind: 'access' as const, receivedOn: '2026-03-01', extendedDueOn: null, closedOn: null };

describe('clocks', () => {
  it.each([
    ['164.524(b)(2)(i) access: 30 days', access, p, '2026-03-02', { dueOn: '2026-03-31', daysLeft: 29, state: 'on_time' }],
    ['164.524(b)(2)(i) access: escalated 5 days before', access, p, '2026-03-26', { dueOn: '2026-03-31', daysLeft: 5, state: 'escalated' }],
    ['164.524(b)(2)(i) access: due day is on time', access, p, '2026-03-31', { dueOn: '2026-03-31', daysLeft: 0, state: 'escalated' }],
    ['164.524(b)(2)(i) access: breached the day after', access, p, '2026-04-01', { dueOn: '2026-03-31', daysLeft: -1, state: 'breached' }],
    [
      '164.524(b)(2)(ii) access: extended',
      { ...access, extendedDueOn: '2026-04-30' },
      p,
      '2026-04-01',
      { dueOn: '2026-04-30', daysLeft: 29, state: 'on_time' },
    ],
    [
      '164.203 access: a state limit of 15 days',
      access,
      clockPolicyFor(15),
      '2026-03-17',
      { dueOn: '2026-03-16', daysLeft: -1, state: 'breached' },
    ],
    [
      '164.528(c)(1) accounting: 60 days',
      { ...access, kind: 'accounting' as const },
      p,
      '2026-03-01',
      { dueOn: '2026-04-30', daysLeft: 60, state: 'on_time' },
    ],
    [
      '164.524(b)(2) closed in time',
      { ...access, closedOn: '2026-03-20' },
      p,
      '2026-06-01',
      { dueOn: '2026-03-31', daysLeft: 11, state: 'closed' },
    ],
    [
      '164.524(b)(2) closed late',
      { ...access, closedOn: '2026-04-02' },
      p,
      '2026-06-01',
      { dueOn: '2026-03-31', daysLeft: -2, state: 'closed_late' },
    ],
  ])('%s', (_rule, r, policy, today, expected) => {
    expect(requestClock(r, policy, today)).toEqual(expected);
  });

  it('never lets a state limit be longer than the federal one (164.524(b)(2))', () => {
    expect(clockPolicyFor(45).accessDays).toBe(30);
  });
});

describe('the one extension', () => {
  const reason = 'Records are stored off-site';
  it.each([
    ['164.524(b)(2)(ii) 30 days, noticed within the 30', access, { noticeOn: '2026-03-20', newDueOn: '2026-04-30', reason }, null],
    [
      '164.524(b)(2)(ii) only once',
      { ...access, extendedDueOn: '2026-04-30' },
      { noticeOn: '2026-03-20', newDueOn: '2026-04-30', reason },
      /only once/,
    ],
    [
      '164.524(b)(2)(ii) noticed after the 30 days',
      access,
      { noticeOn: '2026-04-01', newDueOn: '2026-04-30', reason },
      /within the first 30 days, by 2026-03-31/,
    ],
    [
      '164.524(b)(2)(ii) longer than 30 days',
      access,
      { noticeOn: '2026-03-20', newDueOn: '2026-05-01', reason },
      /at most 30 days, to 2026-04-30/,
    ],
    ['164.524(b)(2)(ii) no reason given', access, { noticeOn: '2026-03-20', newDueOn: '2026-04-30', reason: 'late' }, /reasons/],
    [
      '164.528(c)(1)(ii) accounting: 60 + 30',
      { ...access, kind: 'accounting' as const },
      { noticeOn: '2026-04-30', newDueOn: '2026-05-30', reason },
      null,
    ],
    [
      'third-party requests have no extension',
      { ...access, kind: 'third_party' as const },
      { noticeOn: '2026-03-20', newDueOn: '2026-04-30', reason },
      /no extension/,
    ],
  ])('%s', (_rule, r, e, problem) => {
    const got = extensionProblem(r, p, e);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toMatch(problem);
  });
});

describe('fees', () => {
  it.each([
    [
      '164.524(c)(4) flat $6.50 for an electronic copy to the individual',
      { individual: true, format: 'pdf', pages: 300, postageCents: 0, flatElectronic: true },
      650,
    ],
    [
      '164.524(c)(4)(i) cost-based labor for an electronic copy',
      { individual: true, format: 'pdf', pages: 40, postageCents: 0, flatElectronic: false },
      200,
    ],
    [
      '164.524(c)(4)(i)-(iii) paper: labor, supplies, postage; no search fee',
      { individual: true, format: 'paper', pages: 40, postageCents: 150, flatElectronic: false },
      40 * 8 + 150,
    ],
    [
      'state schedule for a third party: search fee and tiers',
      { individual: false, format: 'paper', pages: 70, postageCents: 0, flatElectronic: false },
      2000 + 20 * 100 + 40 * 50 + 10 * 25,
    ],
  ] as const)('%s', (_rule, input, total) => {
    expect(feeOf(input).totalCents).toBe(total);
  });
});

describe('accounting of disclosures', () => {
  it('covers six years before the request (164.528(a)(1))', () => {
    expect(accountingFrom('2026-06-15')).toBe('2020-06-15');
    expect(addYears('2028-02-29', -6)).toBe('2022-02-28');
  });
  it.each([
    ['the first ever is free', [], true],
    ['a second within 12 months is not', ['2025-12-01'], false],
    ['one more than 12 months after the last is free', ['2025-06-14'], true],
  ] as const)('164.528(c)(2): %s', (_what, earlier, free) => {
    expect(accountingIsFree('2026-06-15', earlier)).toBe(free);
  });
});
