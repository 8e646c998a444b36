import { describe, expect, it } from 'vitest';
import {
  REQUEST_TYPE_RULES,
  denialLetterText,
  heldBackReason,
  needsPart2Notice,
  releaseBlockers,
  type RequestFacts,
  type RequesterType,
} from './roi.requests.rules.js';

const validAuth = { valid: true, revoked: false, psychotherapyNotes: false, part2: false, coversCategories: [] };

describe('what each requester type needs', () => {
  it.each([
    ['patient', 'individual_access', false, false, false, '164.524(a)(1)'],
    ['personal_representative', 'individual_access', false, false, false, '164.502(g)'],
    ['provider_treatment', 'treatment_payment_operations', false, false, false, '164.506(c)(2)'],
    ['payer_payment', 'treatment_payment_operations', false, true, false, '164.506(c)(1)'],
    ['attorney', 'authorization', true, false, false, '164.508(a)(1)'],
    ['insurer', 'authorization', true, false, false, '164.508(a)(1)'],
    ['ssa_disability', 'authorization', true, false, false, '164.508(a)(1)'],
    ['workers_comp', 'workers_comp', false, true, true, '164.512(l)'],
    ['law_enforcement', 'law_enforcement', false, true, true, '164.512(f)'],
    ['court_order', 'court_order', false, false, true, '164.512(e)(1)(i)'],
    ['subpoena', 'subpoena', false, true, true, '164.512(e)(1)(ii)'],
    ['public_health', 'public_health', false, true, true, '164.512(b)'],
    ['research_waiver', 'research_waiver', false, true, true, '164.512(i)'],
  ] as const)(
    '%s: basis %s, authorization %s, minimum necessary %s, accountable %s (45 CFR %s)',
    (type, basis, auth, minNec, acc, cite) => {
      const r = REQUEST_TYPE_RULES[type];
      expect([r.basis, r.needsAuthorization, r.minimumNecessary, r.accountable]).toEqual([basis, auth, minNec, acc]);
      expect(r.citation).toContain(cite);
    },
  );
});

describe('what blocks a release', () => {
  const cases: [string, RequestFacts, string[]][] = [
    ['164.524: the patient needs nothing', { requesterType: 'patient' }, []],
    ['164.506(c): treatment needs nothing', { requesterType: 'provider_treatment' }, []],
    ['164.508(a)(1): an attorney without an authorization', { requesterType: 'attorney' }, ['authorization_missing']],
    [
      '164.508(b)(2): an attorney with a defective authorization',
      { requesterType: 'attorney', authorization: { ...validAuth, valid: false } },
      ['authorization_invalid'],
    ],
    [
      '164.508(b)(5): a revoked authorization stops the release',
      { requesterType: 'insurer', authorization: { ...validAuth, revoked: true } },
      ['authorization_revoked'],
    ],
    ['164.508(a)(1): an attorney with a valid authorization', { requesterType: 'attorney', authorization: validAuth }, []],
    ['164.512(e)(1)(ii): a subpoena alone is not enough', { requesterType: 'subpoena' }, ['subpoena_without_assurance']],
    ['164.512(e)(1)(ii)(A)-(B): a subpoena with satisfactory assurance', { requesterType: 'subpoena', satisfactoryAssurance: true }, []],
    ['164.512(e)(1)(ii): a subpoena with the patient’s authorization', { requesterType: 'subpoena', authorization: validAuth }, []],
    ['164.512(e)(1)(i): a court order not on file', { requesterType: 'court_order' }, ['legal_document_missing']],
    ['164.512(e)(1)(i): a court order on file', { requesterType: 'court_order', legalDocumentOnFile: true }, []],
    ['164.512(f)(1)(ii): law enforcement without legal process', { requesterType: 'law_enforcement' }, ['legal_document_missing']],
    ['164.512(i)(2): research without the waiver documentation', { requesterType: 'research_waiver' }, ['irb_waiver_missing']],
    ['164.512(b): public health', { requesterType: 'public_health' }, []],
  ];
  it.each(cases)('%s', (_rule, facts, codes) => {
    expect(releaseBlockers(facts).map((b) => b.code)).toEqual(codes);
  });
});

describe('what is held back', () => {
  const cases: [string, RequesterType, Partial<RequestFacts>, Parameters<typeof heldBackReason>[1], boolean][] = [
    ['164.524(a)(1)(i): psychotherapy notes are outside the patient’s access', 'patient', {}, 'psychotherapy_notes', true],
    [
      '164.508(a)(2): psychotherapy notes under a general authorization',
      'attorney',
      { authorization: validAuth },
      'psychotherapy_notes',
      true,
    ],
    [
      '164.508(a)(2): psychotherapy notes under their own authorization',
      'attorney',
      { authorization: { ...validAuth, psychotherapyNotes: true } },
      'psychotherapy_notes',
      false,
    ],
    [
      '164.508(a)(2)(ii): psychotherapy notes a court order names',
      'court_order',
      { legalDocumentOnFile: true, orderCoversCategories: ['psychotherapy_notes'] },
      'psychotherapy_notes',
      false,
    ],
    ['42 CFR 2.23: Part 2 records to the patient', 'patient', {}, 'part2', false],
    ['42 CFR 2.31: Part 2 records under a general authorization', 'attorney', { authorization: validAuth }, 'part2', true],
    ['42 CFR 2.31: Part 2 records under a Part 2 consent', 'attorney', { authorization: { ...validAuth, part2: true } }, 'part2', false],
    ['42 CFR 2.61: Part 2 records on a subpoena', 'subpoena', { satisfactoryAssurance: true }, 'part2', true],
    [
      '42 CFR 2.64: Part 2 records on a subpart E court order',
      'court_order',
      { legalDocumentOnFile: true, part2CourtOrder: true },
      'part2',
      false,
    ],
    ['42 CFR 2.12: Part 2 records for treatment need consent', 'provider_treatment', {}, 'part2', true],
    ['164.508(c)(1)(i): HIV information not named in the authorization', 'insurer', { authorization: validAuth }, 'hiv', true],
    [
      '164.508(c)(1)(i): HIV information named in the authorization',
      'insurer',
      { authorization: { ...validAuth, coversCategories: ['hiv'] } },
      'hiv',
      false,
    ],
    ['164.524: the patient gets behavioral health records', 'patient', {}, 'behavioral_health', false],
    ['164.506(c): treatment gets reproductive health records', 'provider_treatment', {}, 'reproductive_health', false],
  ];
  it.each(cases)('%s', (_rule, requesterType, facts, category, held) => {
    expect(heldBackReason({ requesterType, ...facts }, category) !== null).toBe(held);
  });
});

describe('42 CFR 2.32 redisclosure notice', () => {
  it.each([
    ['attorney', true, true],
    ['attorney', false, false],
    ['patient', true, false],
    ['court_order', true, true],
  ] as const)('%s releasing Part 2 records %s: notice %s', (type, part2, notice) => {
    expect(needsPart2Notice(type, part2)).toBe(notice);
  });
});

describe('the written denial (45 CFR 164.524(d)(2))', () => {
  it('gives review rights for a reviewable ground (164.524(a)(3), (a)(4))', () => {
    const t = denialLetterText('endangers_life_or_safety', 'A licensed professional judged it would endanger you');
    expect(t).toContain('164.524(a)(3)(i)');
    expect(t).toContain('reviewed by a licensed health care professional');
    expect(t).toContain('Office for Civil Rights');
  });
  it('says an unreviewable ground is not reviewed (164.524(a)(2))', () => {
    expect(denialLetterText('privacy_act', 'Privacy Act record')).toContain('not subject to review');
  });
});
