import { describe, expect, it } from 'vitest';
import { permissionsOf, roles } from '../../src/modules/access/access.rules.js';
import { secondsLeft, warnAt } from './components/IdleWarning.js';
import { describeDischargeStatus, dischargeStatusLabels } from './discharge-status.js';
import { ageOn, formatDate, formatName, lengthOfStay, localDayRange } from './format.js';
import { fieldLabel, fitOutcomeText, formatShare, type FitOutcome } from './mpi-api.js';
import { homePath, visibleNav } from './nav.js';
import { matchPath } from './router.js';
import { highlightSpans } from './cac-api.js';

describe('UB-04 discharge status', () => {
  it.each([
    ['01', /home or self care/],
    ['02', /short-term general hospital/],
    ['03', /skilled nursing facility/],
    ['06', /home health/],
    ['07', /against medical advice/],
    ['20', /Expired/],
    ['30', /Still a patient/],
    ['62', /inpatient rehabilitation/],
    ['63', /long-term care hospital/],
    ['65', /psychiatric/],
  ])('describes %s', (code, meaning) => {
    expect(describeDischargeStatus(code)).toMatch(meaning);
    expect(describeDischargeStatus(code).startsWith(`${code} – `)).toBe(true);
  });

  it('has a meaning for every code HIM staff see on this system', () => {
    for (const c of [
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '20',
      '21',
      '30',
      '43',
      '50',
      '51',
      '61',
      '62',
      '63',
      '65',
      '66',
      '69',
      '70',
    ]) {
      expect(dischargeStatusLabels[c], c).toBeTruthy();
    }
  });

  it('pads a one-digit code and says when a code is not in the list', () => {
    expect(describeDischargeStatus('3')).toMatch(/^03 – .*skilled nursing/);
    expect(describeDischargeStatus('99')).toBe('99 – code not in the UB-04 list');
    expect(describeDischargeStatus(null)).toBe('');
  });
});

describe('navigation by role (deny by default)', () => {
  const labels = (role: string) => visibleNav(permissionsOf(role)).map((i) => i.label);

  it('shows a coder patients and coding work but not the audit log or administration', () => {
    expect(labels('coder')).toEqual(expect.arrayContaining(['Patients', 'Coding worklist', 'Queries']));
    expect(labels('coder')).not.toContain('Billing');
    expect(labels('him_director')).toContain('Billing');
    expect(labels('coder')).not.toContain('Audit log');
    expect(labels('coder')).not.toContain('Administration');
  });

  it('shows an administrator administration and no patient screens (minimum necessary)', () => {
    expect(labels('administrator')).toEqual(['Administration', 'HL7 messages', 'Matching model', 'Code lookup']);
    expect(homePath(permissionsOf('administrator'))).toBe('/admin/users');
  });

  it('shows the matching model to those who resolve duplicates and to the administrator who fits it', () => {
    for (const r of ['him_clerk', 'him_director', 'administrator']) expect(labels(r), r).toContain('Matching model');
    for (const r of ['coder', 'physician', 'auditor']) expect(labels(r), r).not.toContain('Matching model');
  });

  it('shows the scan QA queue to those who file documents (document:write), not to coders or auditors', () => {
    for (const r of ['him_clerk', 'him_director']) expect(labels(r), r).toContain('Scan QA');
    for (const r of ['coder', 'auditor', 'administrator']) expect(labels(r), r).not.toContain('Scan QA');
  });

  it('shows auditors and the HIM director the audit log', () => {
    expect(labels('auditor')).toContain('Audit log');
    expect(labels('him_director')).toContain('Audit log');
    expect(labels('physician')).not.toContain('Audit log');
  });

  it('shows every role the code lookup (code sets are public reference data)', () => {
    for (const r of roles) expect(labels(r), r).toContain('Code lookup');
  });

  it('gives every role a built page to land on', () => {
    for (const r of roles) expect(homePath(permissionsOf(r)), r).not.toBe('/welcome');
  });

  it('shows nothing for an unknown role', () => {
    expect(visibleNav(permissionsOf('intruder'))).toEqual([]);
  });
});

describe('matchPath', () => {
  it('extracts the patient id and ignores a trailing slash', () => {
    expect(matchPath('/patients/:id', '/patients/0b6f8c1e-3f0a-4a51-9a8e-1c2d3e4f5a6b/')).toEqual({
      id: '0b6f8c1e-3f0a-4a51-9a8e-1c2d3e4f5a6b',
    });
    expect(matchPath('/patients/:id', '/patients')).toBeNull();
    expect(matchPath('/patients', '/patients/x')).toBeNull();
    expect(matchPath('/patients/:id', '/patients/%E0%A4%A')).toBeNull();
  });
});

describe('display formats', () => {
  it('shows dates as MM/DD/YYYY without a time-zone shift', () => {
    expect(formatDate('1961-04-09')).toBe('04/09/1961');
  });

  it('counts age in whole years, a day before and on the birthday', () => {
    expect(ageOn('1961-04-09', new Date(2026, 3, 8))).toBe(64);
    expect(ageOn('1961-04-09', new Date(2026, 3, 9))).toBe(65);
    expect(ageOn(null)).toBeNull();
  });

  it('counts length of stay in midnights and leaves open stays blank', () => {
    expect(lengthOfStay('2026-03-01T08:00:00', '2026-03-04T07:00:00')).toBe(3);
    expect(lengthOfStay('2026-03-01T08:00:00', '2026-03-01T20:00:00')).toBe(0);
    expect(lengthOfStay('2026-03-01T08:00:00', null)).toBeNull();
  });

  it('writes names family name first, in capitals', () => {
    expect(formatName({ familyName: 'Nguyen', givenName: 'Mai', middleName: 'T' })).toBe('NGUYEN, Mai T');
  });
});

describe('idle timeout warning', () => {
  it('counts down from the last request the server saw', () => {
    expect(secondsLeft(900, 0, 840_000)).toBe(60);
    expect(secondsLeft(900, 0, 901_000)).toBe(0);
  });

  it('warns in the last minute, or the last quarter of a short timeout', () => {
    expect(warnAt(900)).toBe(60);
    expect(warnAt(120)).toBe(30);
  });
});

describe('matching model display', () => {
  const outcome = (over: Partial<FitOutcome>) =>
    ({
      fitted: true,
      reason: null,
      patients: 1200,
      candidatePairs: 3400,
      randomPairs: 50000,
      iterations: 9,
      model: { source: 'fitted' },
      ...over,
    }) as FitOutcome;
  it('says what a fit did, and why nothing was fitted when the model stays', () => {
    expect(fitOutcomeText(outcome({}))).toBe(
      'Fitted from 1,200 patients (3,400 candidate pairs, 9 EM iterations); the new fit is in use now.',
    );
    expect(
      fitOutcomeText(outcome({ fitted: false, reason: '25 records, fewer than 100', model: { source: 'default' } as FitOutcome['model'] })),
    ).toBe('Nothing fitted; the default model stays in use: 25 records, fewer than 100.');
  });
  it.each([
    [1, 2, '50%'],
    [0, 0, '—'],
    [2, 3, '67%'],
  ])('shows %i of %i as %s', (part, whole, text) => {
    expect(formatShare(part, whole)).toBe(text);
  });
  it('names fields as people do', () => {
    expect(fieldLabel('dateOfBirth')).toBe('Date of birth');
    expect(fieldLabel('postcode')).toBe('ZIP code');
  });
});

describe('localDayRange (message log days)', () => {
  it('bounds local calendar days, the last one inclusive', () => {
    const r = localDayRange('2026-03-01', '2026-03-02');
    expect(r.from).toBe(new Date(2026, 2, 1).toISOString());
    expect(r.to).toBe(new Date(2026, 2, 3).toISOString());
  });
  it('rolls the end over a month and leaves out empty or impossible days', () => {
    expect(localDayRange('', '2026-02-28').to).toBe(new Date(2026, 2, 1).toISOString());
    expect(localDayRange('2026-02-30', '')).toEqual({});
    expect(localDayRange('', '')).toEqual({});
  });
});

describe('CAC evidence highlighting', () => {
  it.each([
    ['one span', 'abc kidney injury def', [{ start: 4, end: 17 }], ['abc ', '[kidney injury]', ' def']],
    [
      'overlapping spans merge',
      'acute on chronic heart',
      [
        { start: 0, end: 8 },
        { start: 6, end: 16 },
      ],
      ['[acute on chronic]', ' heart'],
    ],
    [
      'spans out of order and past the end are clipped',
      'heart failure',
      [
        { start: 6, end: 99 },
        { start: 0, end: 5 },
      ],
      ['[heart]', ' ', '[failure]'],
    ],
    ['an empty span marks nothing', 'text', [{ start: 2, end: 2 }], ['text']],
  ])('%s', (_name, text, spans, parts) => {
    expect(highlightSpans(text, spans).map((p) => (p.mark ? `[${p.text}]` : p.text))).toEqual(parts);
  });
});
