import { describe, expect, it } from 'vitest';
import {
  authorizationDefects,
  checkAuthorization,
  checkAuthorizationLine,
  isCalendarDate,
  type AuthorizationForm,
} from './roi.authorization.rules.js';

/** A complete, valid authorization checked on 2026-06-15; each case changes one thing. */
const makeAuthorization = (over: Partial<Record<keyof AuthorizationForm, unknown>> = {}): AuthorizationForm =>
  ({
    id: 'a1',
    checkedOn: '2026-06-15',
    description: 'Discharge summary and operative report, admission of March 2026',
    discloser: 'Custodian General Hospital',
    recipient: 'Smith & Jones LLP',
    purpose: 'Personal injury claim',
    initiatedByPatient: false,
    expirationDate: '2026-12-31',
    expirationEvent: null,
    signatureDate: '2026-06-01',
    signedBy: 'patient',
    representativeAuthority: null,
    statements: { rightToRevoke: true, revocationHowTo: true, conditioning: true, redisclosure: true },
    psychotherapyNotes: false,
    combinedWith: [],
    part2: false,
    part2SudDescription: null,
    plainLanguage: true,
    ...over,
  }) as AuthorizationForm;

const defectsOf = (over: Partial<Record<keyof AuthorizationForm, unknown>>): string[] =>
  checkAuthorization(makeAuthorization(over)).defects;

describe('a complete authorization', () => {
  it('is valid with no defects (45 CFR 164.508(c)(1)-(3))', () => {
    expect(checkAuthorization(makeAuthorization())).toEqual({ id: 'a1', valid: true, defects: [] });
  });
  it('lists every defect code once, sorted, when the form is empty', () => {
    const empty = { id: 'e', checkedOn: '2026-06-15' } as AuthorizationForm;
    expect(checkAuthorization(empty)).toEqual({
      id: 'e',
      valid: false,
      defects: [
        'missing_conditioning_statement',
        'missing_description',
        'missing_discloser',
        'missing_expiration',
        'missing_purpose',
        'missing_recipient',
        'missing_redisclosure_statement',
        'missing_revocation_statement',
        'missing_signature',
        'not_plain_language',
      ],
    });
  });
});

type Case = [string, Partial<Record<keyof AuthorizationForm, unknown>>, string[]];

const core: Case[] = [
  ['164.508(c)(1)(i) no description', { description: null }, ['missing_description']],
  ['164.508(c)(1)(i) a blank description', { description: '   ' }, ['missing_description']],
  ['164.508(c)(1)(i) a description that is not text', { description: 5 }, ['missing_description']],
  ['164.508(c)(1)(ii) no discloser', { discloser: undefined }, ['missing_discloser']],
  ['164.508(c)(1)(iii) no recipient', { recipient: '' }, ['missing_recipient']],
  ['164.508(c)(1)(iv) no purpose', { purpose: null }, ['missing_purpose']],
  ['164.508(c)(1)(iv) no purpose, even when the patient initiated it', { purpose: null, initiatedByPatient: true }, ['missing_purpose']],
  [
    '164.508(c)(1)(iv) "at the request of the individual" when the patient did not initiate it',
    { purpose: 'At the request of the individual.' },
    ['missing_purpose'],
  ],
  [
    '164.508(c)(1)(iv) "at the request of the individual" when the patient initiated it',
    { purpose: 'at the request of the individual', initiatedByPatient: true },
    [],
  ],
  ['164.508(c)(1)(v) no expiration date or event', { expirationDate: null, expirationEvent: null }, ['missing_expiration']],
  ['164.508(c)(1)(v) an expiration date that is not a calendar date', { expirationDate: '2026-02-30' }, ['missing_expiration']],
  ['164.508(c)(1)(v) an expiration event alone', { expirationDate: null, expirationEvent: 'End of the litigation' }, []],
  ['164.508(c)(1)(v) "none" outside research', { expirationDate: null, expirationEvent: 'None' }, ['missing_expiration']],
  ['164.508(c)(1)(v) "none" for research', { expirationDate: null, expirationEvent: 'none', purpose: 'Research study 2026-17' }, []],
  ['164.508(b)(2)(i) expired the day before the check', { expirationDate: '2026-06-14' }, ['expired']],
  ['164.508(b)(2)(i) expiring on the day of the check is still in force', { expirationDate: '2026-06-15' }, []],
  ['164.508(b)(2)(i) an expired date with an event too', { expirationDate: '2025-01-01', expirationEvent: 'end of claim' }, ['expired']],
];

const signature: Case[] = [
  ['164.508(c)(1)(vi) not signed', { signedBy: null }, ['missing_signature']],
  ['164.508(c)(1)(vi) signed by someone the form does not name', { signedBy: 'neighbour' }, ['missing_signature']],
  ['164.508(c)(1)(vi) not signed and not dated', { signedBy: null, signatureDate: null }, ['missing_signature']],
  ['164.508(c)(1)(vi) signed, no date', { signatureDate: null }, ['missing_signature_date']],
  ['164.508(c)(1)(vi) signed, a date that is not a calendar date', { signatureDate: '06/01/2026' }, ['missing_signature_date']],
  ['164.508(b)(2)(v) signed after the day of the check', { signatureDate: '2026-06-16' }, ['signed_in_future']],
  ['164.508(c)(1)(vi) signed on the day of the check', { signatureDate: '2026-06-15' }, []],
  ['164.508(c)(1)(vi) by a representative without the authority', { signedBy: 'representative' }, ['missing_representative_authority']],
  [
    '164.508(c)(1)(vi) by a representative with the authority',
    { signedBy: 'representative', representativeAuthority: 'Health care power of attorney' },
    [],
  ],
  [
    '164.508(c)(1)(vi) by a representative, undated, in the future checks',
    { signedBy: 'representative', signatureDate: null, representativeAuthority: ' ' },
    ['missing_representative_authority', 'missing_signature_date'],
  ],
];

const statements: Case[] = [
  [
    '164.508(c)(2)(i) no right to revoke',
    { statements: { rightToRevoke: false, revocationHowTo: true, conditioning: true, redisclosure: true } },
    ['missing_revocation_statement'],
  ],
  [
    '164.508(c)(2)(i) the right to revoke without how to revoke or the notice',
    { statements: { rightToRevoke: true, conditioning: true, redisclosure: true } },
    ['missing_revocation_statement'],
  ],
  [
    '164.508(c)(2)(ii) no conditioning statement',
    { statements: { rightToRevoke: true, revocationHowTo: true, conditioning: null, redisclosure: true } },
    ['missing_conditioning_statement'],
  ],
  [
    '164.508(c)(2)(iii) no redisclosure statement',
    { statements: { rightToRevoke: true, revocationHowTo: true, conditioning: true } },
    ['missing_redisclosure_statement'],
  ],
  [
    '164.508(c)(2) no statements at all',
    { statements: null },
    ['missing_conditioning_statement', 'missing_redisclosure_statement', 'missing_revocation_statement'],
  ],
  ['164.508(c)(3) not in plain language', { plainLanguage: false }, ['not_plain_language']],
  ['164.508(c)(3) plain language not shown', { plainLanguage: null }, ['not_plain_language']],
];

const compound: Case[] = [
  [
    '164.508(b)(3)(ii) psychotherapy notes with another psychotherapy-notes authorization',
    { psychotherapyNotes: true, combinedWith: ['psychotherapy_authorization'] },
    [],
  ],
  [
    '164.508(b)(3)(ii) psychotherapy notes with another authorization',
    { psychotherapyNotes: true, combinedWith: ['authorization_other'] },
    ['invalid_compound'],
  ],
  [
    '164.508(b)(3)(ii) psychotherapy notes with a research consent',
    { psychotherapyNotes: true, combinedWith: ['research_consent'] },
    ['invalid_compound'],
  ],
  ['164.508(b)(3)(ii) psychotherapy notes alone', { psychotherapyNotes: true, combinedWith: null }, []],
  [
    '164.508(b)(3)(ii) an authorization joined to a psychotherapy-notes authorization',
    { combinedWith: ['psychotherapy_authorization'] },
    ['invalid_compound'],
  ],
  ['164.508(b)(3) an authorization combined with a consent to treat', { combinedWith: ['consent_to_treat'] }, ['invalid_compound']],
  [
    '164.508(b)(3) psychotherapy notes combined with a consent to treat',
    { psychotherapyNotes: true, combinedWith: ['consent_to_treat'] },
    ['invalid_compound'],
  ],
  [
    '164.508(b)(3)(iii) an authorization combined with other authorizations',
    { combinedWith: ['authorization_other', 'marketing_authorization'] },
    [],
  ],
  [
    '164.508(b)(3)(i) a research authorization with the consent to participate',
    { combinedWith: ['research_consent'], purpose: 'research' },
    [],
  ],
  [
    '164.508(b)(3) an authorization combined with a document that is no authorization',
    { combinedWith: ['admission_agreement'] },
    ['invalid_compound'],
  ],
];

const part2: Case[] = [
  ['42 CFR 2.31(a)(3) Part 2 records without the SUD description', { part2: true }, ['part2_missing_sud_description']],
  [
    '42 CFR 2.31(a)(3) Part 2 records with a blank SUD description',
    { part2: true, part2SudDescription: ' ' },
    ['part2_missing_sud_description'],
  ],
  [
    '42 CFR 2.31(a)(3) Part 2 records with the SUD description',
    { part2: true, part2SudDescription: 'Diagnosis and treatment dates for opioid use disorder, 2025' },
    [],
  ],
  ['42 CFR 2.31(a)(3) a SUD description is not needed without Part 2 records', { part2: false }, []],
];

describe.each([
  ['core elements', core],
  ['signature', signature],
  ['required statements and plain language', statements],
  ['compound authorizations', compound],
  ['42 CFR Part 2 consent', part2],
])('%s', (_name, cases) => {
  it.each(cases)('%s', (_rule, over, defects) => {
    expect(defectsOf(over)).toEqual(defects);
    expect(checkAuthorization(makeAuthorization(over)).valid).toBe(defects.length === 0);
  });
});

describe('every defect code is reachable', () => {
  it('by one of the cases above', () => {
    const seen = new Set([...core, ...signature, ...statements, ...compound, ...part2].flatMap(([, over]) => defectsOf(over)));
    expect([...seen].sort()).toEqual([...authorizationDefects].sort());
  });
});

describe('one line of the CLI input', () => {
  const today = '2026-06-15';
  it.each([
    ['not JSON', 'not json', null],
    ['JSON that is not an object', '[1,2]', null],
    ['JSON null', 'null', null],
    ['no id', '{"description":"x"}', null],
    ['a null id', '{"id":null,"checkedOn":"2026-06-15"}', null],
    ['a date of the check that is no date', '{"id":"b7","checkedOn":"15/06/2026"}', 'b7'],
  ])('%s is unreadable', (_what, line, id) => {
    expect(checkAuthorizationLine(line, today)).toEqual({ id, valid: false, defects: ['unreadable'] });
  });
  it('checks a line without a date of the check as of today', () => {
    const line = JSON.stringify({ ...makeAuthorization(), checkedOn: undefined, expirationDate: '2026-06-14' });
    expect(checkAuthorizationLine(line, today).defects).toEqual(['expired']);
    expect(checkAuthorizationLine(line, '2026-06-14').defects).toEqual([]);
  });
  it('keeps a numeric id as given', () => {
    expect(checkAuthorizationLine(JSON.stringify({ ...makeAuthorization(), id: 42 }), today)).toEqual({ id: 42, valid: true, defects: [] });
  });
  it('knows calendar dates', () => {
    expect([isCalendarDate('2028-02-29'), isCalendarDate('2026-02-29'), isCalendarDate('2026-1-01'), isCalendarDate(20260101)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});
