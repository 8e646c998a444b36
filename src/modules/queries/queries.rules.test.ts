import { describe, expect, it } from 'vitest';
import {
  agedStatus,
  answerAgrees,
  checkQueryCompliance,
  defaultQueryPolicy,
  OTHER_OPTION,
  QueryDraftSchema,
  UNDETERMINED_OPTION,
  type QueryDraftInput,
} from './queries.rules.js';

const indicator = [{ kind: 'lab' as const, text: 'Sodium 126 mmol/L on 3/2' }];
const draft = (over: Partial<QueryDraftInput>) =>
  QueryDraftSchema.parse({
    type: 'open_ended',
    question: 'Please clarify the clinical significance of the sodium values below.',
    indicators: indicator,
    ...over,
  });
const mc = ['Hyponatremia', 'Dilutional hyponatremia', OTHER_OPTION, UNDETERMINED_OPTION];

describe('query compliance check (AHIMA/ACDIS 2022)', () => {
  it.each([
    ['mentions the DRG', 'Clarifying this could change the DRG; what condition do the values represent?', 'financial_impact', 'DRG'],
    ['mentions MS-DRG', 'For the MS-DRG, what condition do the values represent?', 'financial_impact', 'MS-DRG'],
    ['mentions reimbursement', 'To support reimbursement, what condition do the values represent?', 'financial_impact', 'reimbursement'],
    ['mentions payment', 'Payment depends on it: what condition do the values represent?', 'financial_impact', 'Payment'],
    ['mentions money', 'This is money for the hospital: what condition do the values represent?', 'financial_impact', 'money'],
    ['names an MCC', 'Would an MCC apply: what condition do the values represent?', 'financial_impact', 'MCC'],
    ['names a CC', 'Is there a CC here: what condition do the values represent?', 'financial_impact', 'CC'],
    ['mentions quality scores', 'Our quality scores depend on it: what do the values represent?', 'quality_metric', 'quality scores'],
    [
      'mentions severity of illness',
      'To reflect severity of illness, what do the values represent?',
      'quality_metric',
      'severity of illness',
    ],
    ['mentions a quality metric', 'This affects a quality metric; what do the values represent?', 'quality_metric', 'quality metric'],
    ['asks to document', 'Please document acute blood loss anemia in the progress notes.', 'leading', 'Please document'],
    ['asks whether the physician agrees', 'Would you agree that the patient has sepsis?', 'leading', 'Would you agree'],
    ['states a diagnosis to confirm', 'The patient has malnutrition, please confirm in your note.', 'leading', 'please confirm'],
    ['ties the question to coding', 'Can the type be specified so we can code it accurately?', 'leading', 'so we can code'],
  ])('flags a query that %s, quoting the phrase', (_label, question, rule, phrase) => {
    const problems = checkQueryCompliance(draft({ question }));
    expect(problems).toContainEqual(expect.objectContaining({ rule, phrase, field: 'question' }));
  });

  it.each([
    ['an open-ended query with indicators', draft({})],
    [
      'a 30 cc fluid volume (lower-case cc is not the CC designation)',
      draft({ question: 'The patient received 30 cc of fluid; what is the clinical significance of the sodium values?' }),
    ],
    [
      'a multiple-choice query with other and clinically undetermined',
      draft({ type: 'multiple_choice', question: 'Based on the indicators, can the condition be further specified?', options: mc }),
    ],
    [
      'a yes/no query to determine POA',
      draft({ type: 'yes_no', purpose: 'poa_determination', question: 'Was the pressure ulcer of the sacrum present on admission?' }),
    ],
  ])('passes %s', (_label, q) => {
    expect(checkQueryCompliance(q)).toEqual([]);
  });

  it.each([
    ['without other', ['Hyponatremia', 'Dilutional hyponatremia', UNDETERMINED_OPTION], 'missing_other'],
    ['without clinically undetermined', ['Hyponatremia', 'Dilutional hyponatremia', OTHER_OPTION], 'missing_undetermined'],
    ['with one clinical option', ['Hyponatremia', OTHER_OPTION, UNDETERMINED_OPTION], 'missing_options'],
  ])('rejects a multiple-choice query %s', (_label, options, rule) => {
    expect(checkQueryCompliance(draft({ type: 'multiple_choice', options })).map((p) => p.rule)).toContain(rule);
  });

  it('rejects a yes/no query without an allowed purpose (it may not introduce a new diagnosis)', () => {
    expect(checkQueryCompliance(draft({ type: 'yes_no', question: 'Does the patient have hyponatremia?' })).map((p) => p.rule)).toEqual([
      'yes_no_not_allowed',
    ]);
  });

  it('requires clinical indicators', () => {
    expect(checkQueryCompliance(draft({ indicators: [] })).map((p) => p.rule)).toEqual(['missing_indicators']);
  });

  it('checks the wording of options and indicators too', () => {
    const p = checkQueryCompliance(
      draft({
        type: 'multiple_choice',
        options: ['Sepsis (MCC)', 'SIRS', OTHER_OPTION, UNDETERMINED_OPTION],
        indicators: [{ kind: 'finding', text: 'Lactate 4.1; better reimbursement if sepsis' }],
      }),
    );
    expect(p.map((x) => [x.field, x.phrase])).toEqual([
      ['options.0', 'MCC'],
      ['indicators.0.text', 'reimbursement'],
    ]);
  });
});

describe('query aging and agreement', () => {
  const sent = '2026-03-01T08:00:00.000Z';
  it.each([
    [1, 'open'],
    [3, 'escalated'],
    [29, 'escalated'],
    [30, 'expired'],
  ])('after %i days an unanswered query is %s', (days, status) => {
    expect(agedStatus('open', sent, new Date(Date.parse(sent) + days * 86_400_000), defaultQueryPolicy)).toBe(status);
  });
  it('leaves answered queries alone', () => {
    expect(agedStatus('answered', sent, new Date('2027-01-01'), defaultQueryPolicy)).toBe('answered');
  });
  it.each([
    ['multiple_choice', 'Dilutional hyponatremia', null, true],
    ['multiple_choice', UNDETERMINED_OPTION, null, false],
    ['multiple_choice', OTHER_OPTION, 'SIADH', false],
    ['yes_no', 'Yes', null, true],
    ['yes_no', 'No', null, false],
    ['open_ended', null, 'Acute on chronic diastolic heart failure', true],
  ] as const)('a %s answer %j agrees: %s', (type, choice, text, agrees) => {
    expect(answerAgrees(type, choice, text)).toBe(agrees);
  });
});
