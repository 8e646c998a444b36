import { describe, expect, it } from 'vitest';
import { addDays, amendmentClock, decisionProblem, denialLetterText, dueDateOf, extensionProblem } from './amendments.rules.js';

const open = { status: 'open', receivedOn: '2026-01-10', dueOn: '2026-03-11', extendedDueOn: null };

describe('amendment clock (45 CFR 164.526(b)(2))', () => {
  it.each([
    ['2026-01-10', '2026-03-11'],
    ['2026-12-15', '2027-02-13'],
    ['2028-01-01', '2028-03-01'], // a leap year
  ])('is due 60 days after receipt on %s: %s', (received, due) => {
    expect(dueDateOf(received)).toBe(due);
  });

  it.each([
    ['2026-02-01', null, 'on_time', 38],
    ['2026-03-05', null, 'due_soon', 6],
    ['2026-03-11', null, 'due_soon', 0],
    ['2026-03-12', null, 'overdue', -1],
    ['2026-03-12', '2026-04-10', 'on_time', 29],
    ['2026-04-11', '2026-04-10', 'overdue', -1],
  ] as const)('on %s (extended to %s) is %s with %i days left', (today, extended, state, daysLeft) => {
    expect(amendmentClock({ ...open, extendedDueOn: extended, decidedOn: null }, today)).toEqual({
      dueOn: extended ?? '2026-03-11',
      daysLeft,
      state,
    });
  });

  it('says whether a decided request was decided in time', () => {
    expect(amendmentClock({ ...open, status: 'accepted', decidedOn: '2026-03-11' }, '2026-06-01').state).toBe('decided');
    expect(amendmentClock({ ...open, status: 'denied', decidedOn: '2026-03-12' }, '2026-06-01').state).toBe('decided_late');
  });
});

describe('the one extension (45 CFR 164.526(b)(2)(ii))', () => {
  it('allows up to 30 days with the patient told within the 60 days', () => {
    expect(extensionProblem(open, { noticeOn: '2026-03-11', newDueOn: addDays('2026-03-11', 30) })).toBeNull();
    expect(extensionProblem(open, { noticeOn: '2026-02-01', newDueOn: '2026-03-20' })).toBeNull();
  });
  it.each([
    [{ ...open, extendedDueOn: '2026-04-10' }, '2026-02-01', '2026-04-10', /only once/],
    [{ ...open, status: 'denied' }, '2026-02-01', '2026-04-10', /denied cannot be extended/],
    [open, '2026-03-12', '2026-04-10', /within the 60 days, by 2026-03-11/],
    [open, '2026-01-09', '2026-04-10', /before the request was received/],
    [open, '2026-02-01', '2026-04-11', /at most 30 days, to 2026-04-10/],
    [open, '2026-02-01', '2026-03-11', /after the original due date/],
  ])('refuses %o noticed %s to %s', (r, noticeOn, newDueOn, problem) => {
    expect(extensionProblem(r, { noticeOn, newDueOn })).toMatch(problem);
  });
});

describe('decisions', () => {
  it('are made once, between receipt and today', () => {
    expect(decisionProblem(open, '2026-02-01', '2026-02-02')).toBeNull();
    expect(decisionProblem(open, '2026-01-09', '2026-02-02')).toMatch(/before the request was received/);
    expect(decisionProblem(open, '2026-02-03', '2026-02-02')).toMatch(/future/);
    expect(decisionProblem({ ...open, status: 'accepted' }, '2026-02-01', '2026-02-02')).toMatch(/already accepted/);
  });

  it('writes the denial with its ground, the right to disagree, future disclosures and where to complain (164.526(d)(1))', () => {
    const letter = denialLetterText({
      receivedOn: '2026-01-10',
      decidedOn: '2026-02-01',
      basis: 'accurate_and_complete',
      explanation: 'The recorded allergy was confirmed by the pharmacy record.',
    });
    expect(letter).toContain('164.526(a)(2)(iv)');
    expect(letter).toContain('statement disagreeing');
    expect(letter).toContain('later');
    expect(letter).toContain('Privacy Officer');
  });
});
