import { describe, expect, it } from 'vitest';
import {
  analyseEncounter,
  CompletionSettingsSchema,
  completionDueAt,
  defaultSettings,
  DeficiencyStatus,
  delinquencyRate,
  isSurgicalPcs,
  missingElements,
  noticeAgesReached,
  reconcile,
  recordStatus,
  scorecards,
  type ScorecardDeficiency,
  type ScorecardRow,
  type DocumentFacts,
  type EncounterFacts,
} from './completion.rules.js';

const enc = (over: Partial<EncounterFacts> = {}): EncounterFacts => ({
  encounterId: 'e1',
  patientId: 'p1',
  type: 'inpatient',
  admitAt: '2026-03-01T10:00:00Z',
  dischargeAt: '2026-03-05T12:00:00Z',
  attendingProviderId: 'att',
  surgeries: [],
  ...over,
});

let n = 0;
const doc = (typeCode: string, over: Partial<DocumentFacts> = {}): DocumentFacts => ({
  id: `d${++n}`,
  typeCode,
  status: 'final',
  serviceAt: '2026-03-01T12:00:00Z',
  authorProviderId: 'att',
  requiresCosign: false,
  signatures: [{ role: 'author', providerId: 'att', signedAt: '2026-03-02T00:00:00Z' }],
  pendingTranscription: false,
  text: typeCode === 'DS' ? 'Final diagnosis: pneumonia' : typeCode === 'OP' ? 'Procedure: x\nSurgeon: y\nFindings: z' : 'text',
  ...over,
});
const surgery = [{ code: '0DTJ4ZZ', date: '2026-03-02', surgeonProviderId: 'surg' }];
const complete = () => [doc('HP'), doc('DS')];

const requirements = (e: EncounterFacts, docs: DocumentFacts[], s = defaultSettings) =>
  analyseEncounter(e, docs, s)
    .findings.map((f) => `${f.type}:${f.requirement}:${f.responsibleProviderId}`)
    .sort();

describe('required documents', () => {
  it('lets a facility turn the H&P timeliness rule off (bylaws)', () => {
    const s = CompletionSettingsSchema.parse({ requires: { timelyHistoryAndPhysical: false } });
    expect(requirements(enc(), [doc('HP', { serviceAt: '2026-03-03T16:00:00Z' }), doc('DS')], s)).toEqual([]);
    expect(s.hpWithinHours).toBe(24);
  });

  it.each([
    ['inpatient stay with H&P and discharge summary needs nothing more (482.24(c))', enc(), complete(), []],
    [
      'inpatient stay without an H&P lacks the history and physical (42 CFR 482.22(c)(5)(i))',
      enc(),
      [doc('DS')],
      ['missing_document:history_and_physical:att'],
    ],
    [
      'an H&P 10 days before admission needs an update after admission (42 CFR 482.22(c)(5)(ii))',
      enc(),
      [doc('HP', { serviceAt: '2026-02-19T10:00:00Z' }), doc('DS')],
      ['missing_document:updated_history_and_physical:att'],
    ],
    [
      'an H&P older than 30 days does not count at all (42 CFR 482.22(c)(5)(i))',
      enc(),
      [doc('HP', { serviceAt: '2026-01-10T10:00:00Z' }), doc('DS')],
      ['missing_document:history_and_physical:att'],
    ],
    [
      'a coded surgical procedure needs an operative report, anesthesia record and consent from the surgeon (42 CFR 482.51(b)(6), 482.52(b), 482.51(b)(2))',
      enc({ surgeries: surgery }),
      complete(),
      ['missing_document:anesthesia_record:surg', 'missing_document:informed_consent:surg', 'missing_document:operative_report:surg'],
    ],
    [
      'an outpatient surgery needs an H&P before surgery (42 CFR 482.51(b)(1))',
      enc({ type: 'outpatient', surgeries: surgery }),
      [doc('OP'), doc('ANES'), doc('CONSENT')],
      ['missing_document:history_and_physical:att'],
    ],
    [
      'an H&P 30 hours after admission is late: within 24 hours (42 CFR 482.22(c)(5)(i))',
      enc(),
      [doc('HP', { serviceAt: '2026-03-02T16:00:00Z' }), doc('DS')],
      ['late_document:timely_history_and_physical:att'],
    ],
    [
      'an H&P 23 hours after admission is on time (42 CFR 482.22(c)(5)(i))',
      enc(),
      [doc('HP', { serviceAt: '2026-03-02T09:00:00Z' }), doc('DS')],
      [],
    ],
    [
      'an H&P dated after the surgery is late for it, from the surgeon (42 CFR 482.51(b)(1))',
      enc({ surgeries: [{ code: '0DTJ4ZZ', date: '2026-03-01', surgeonProviderId: 'surg' }] }),
      [doc('HP', { serviceAt: '2026-03-02T08:00:00Z' }), doc('DS'), doc('OP'), doc('ANES'), doc('CONSENT')],
      ['late_document:history_and_physical_before_surgery:surg'],
    ],
    [
      'an inpatient stay needs a discharge summary (42 CFR 482.24(c)(4)(vii))',
      enc(),
      [doc('HP')],
      ['missing_document:discharge_summary:att'],
    ],
    [
      'a stay under 48 hours closes with a final progress note instead (bylaws; 42 CFR 482.24(c)(4)(vii))',
      enc({ dischargeAt: '2026-03-02T09:00:00Z' }),
      [doc('HP'), doc('PN')],
      [],
    ],
    [
      'a long stay is not closed by a progress note (42 CFR 482.24(c)(4)(vii))',
      enc(),
      [doc('HP'), doc('PN')],
      ['missing_document:discharge_summary:att'],
    ],
    [
      'an emergency visit needs an ED record (42 CFR 482.24(c); 482.55)',
      enc({ type: 'emergency' }),
      [],
      ['missing_document:ed_record:att'],
    ],
    [
      'a document entered in error does not satisfy a requirement (42 CFR 482.24(c))',
      enc({ type: 'emergency' }),
      [doc('ED', { status: 'entered_in_error' })],
      ['missing_document:ed_record:att'],
    ],
  ])('%s', (_name, e, docs, expected) => {
    expect(requirements(e, docs)).toEqual(expected);
  });

  it('a rule the facility turns off raises nothing (configurable per facility)', () => {
    const s = CompletionSettingsSchema.parse({ requires: { edRecord: false } });
    expect(requirements(enc({ type: 'emergency' }), [], s)).toEqual([]);
  });
});

describe('authentication (42 CFR 482.24(c)(1))', () => {
  it.each([
    [
      'an unsigned discharge summary is a signature deficiency of its author (42 CFR 482.24(c)(1))',
      [doc('HP'), doc('DS', { signatures: [], authorProviderId: 'res' })],
      ['unsigned:authentication:res'],
    ],
    [
      "a resident's signed note of a type that requires co-signature needs the attending's (42 CFR 482.24(c)(1); bylaws)",
      [
        doc('HP'),
        doc('DS', { authorProviderId: 'res', requiresCosign: true, signatures: [{ role: 'author', providerId: 'res', signedAt: 'x' }] }),
      ],
      ['cosignature:cosignature:att'],
    ],
    ['the attending as author needs no co-signature (bylaws)', [doc('HP'), doc('DS', { requiresCosign: true })], []],
    [
      'an unauthenticated verbal order is a verbal-order deficiency due within the state hours (42 CFR 482.24(c)(3)(ii))',
      [...complete(), doc('VO', { signatures: [], authorProviderId: 'att' })],
      ['verbal_order:verbal_order_authentication:att'],
    ],
    ['a nursing note is not a physician-authored document (42 CFR 482.24(c)(1))', [...complete(), doc('NURS', { signatures: [] })], []],
    [
      'a dictated, untranscribed document is pending, not missing or unsigned (bylaws)',
      [doc('HP'), doc('DS', { pendingTranscription: true, signatures: [], text: null })],
      [],
    ],
  ])('%s', (_name, docs, expected) => {
    expect(requirements(enc(), docs)).toEqual(expected);
  });

  it('a verbal order is due the configured hours after it was given (42 CFR 482.24(c)(3)(ii))', () => {
    const vo = doc('VO', { signatures: [], serviceAt: '2026-03-02T08:00:00Z' });
    const f = analyseEncounter(enc(), [...complete(), vo], CompletionSettingsSchema.parse({ verbalOrderHours: 24 })).findings;
    expect(f[0]!.dueAt).toBe('2026-03-03T08:00:00.000Z');
  });

  it('pending transcriptions are listed so the record is not complete (bylaws)', () => {
    const a = analyseEncounter(enc(), [doc('HP'), doc('DS', { pendingTranscription: true })]);
    expect(a.pending).toHaveLength(1);
    expect(recordStatus(0, a.pending.length, '2026-03-05T12:00:00Z', new Date('2026-03-06T00:00:00Z'))).toBe('incomplete');
  });
});

describe('content a rule can decide', () => {
  it.each([
    ['DS', 'Final diagnosis: community-acquired pneumonia', []],
    ['DS', 'Discharge diagnoses: sepsis', []],
    ['DS', 'Hospital course unremarkable.', ['final diagnosis']],
    ['OP', 'Procedure performed: appendectomy\nSurgeon: Dr B\nFindings: inflamed appendix', []],
    ['OP', 'Procedure: appendectomy\nSurgeon: Dr B', ['findings']],
  ])('%s "%s" lacks %j (42 CFR 482.24(c)(4)(vii), 482.51(b)(6))', (type, text, lacks) => {
    expect(missingElements(type, text)).toEqual(lacks);
  });

  it('an operative report without findings is an incomplete-content deficiency of its author (42 CFR 482.51(b)(6))', () => {
    const op = doc('OP', { authorProviderId: 'surg', text: 'Procedure: x\nSurgeon: y' });
    const f = analyseEncounter(enc({ surgeries: surgery }), [...complete(), op, doc('ANES'), doc('CONSENT')]).findings;
    expect(f.map((x) => [x.type, x.responsibleProviderId, x.message])).toEqual([
      ['incomplete_content', 'surg', 'Content incomplete: findings not stated'],
    ]);
  });

  it('text not yet read (OCR pending) is not judged (42 CFR 482.24(c))', () => {
    expect(requirements(enc(), [doc('HP'), doc('DS', { text: null })])).toEqual([]);
  });
});

describe('record status and deadlines (42 CFR 482.24(c)(4)(viii))', () => {
  const discharge = '2026-03-05T22:00:00Z';
  it.each([
    ['nothing outstanding is complete', 0, '2026-05-01T00:00:00Z', 'complete'],
    ['outstanding on day 30 is incomplete', 1, '2026-04-04T23:59:00Z', 'incomplete'],
    ['outstanding on day 31 is delinquent', 1, '2026-04-05T00:01:00Z', 'delinquent'],
  ])('%s (42 CFR 482.24(c)(4)(viii))', (_n, outstanding, now, expected) => {
    expect(recordStatus(outstanding, 0, discharge, new Date(now))).toBe(expected);
  });

  it('the bylaws may set a shorter deadline (42 CFR 482.24(c)(4)(viii): at most 30 days)', () => {
    const s = CompletionSettingsSchema.parse({ delinquentAfterDays: 14 });
    expect(recordStatus(1, 0, discharge, new Date('2026-03-20T00:00:00Z'), s)).toBe('delinquent');
  });

  it('a deficiency is due at the end of day 30 after discharge (42 CFR 482.24(c)(4)(viii))', () => {
    expect(completionDueAt(discharge, defaultSettings)).toBe('2026-04-04T23:59:59.999Z');
  });

  it('notices go out at the configured ages (bylaws)', () => {
    expect(noticeAgesReached('2026-03-01T00:00:00Z', new Date('2026-03-16T00:00:00Z'), defaultSettings)).toEqual([7, 14]);
  });
});

describe('reconciliation of a new analysis with stored deficiencies (42 CFR 482.24(c))', () => {
  const f = (key: string) => ({ ...analyseEncounter(enc(), []).findings[0]!, key });
  it.each([
    ['a new finding becomes a deficiency', [], ['a'], ['a'], []],
    ['an open deficiency found again is kept', [{ id: '1', key: 'a', status: 'open', source: 'analysis' }], ['a'], [], []],
    ['an open deficiency no longer found is completed', [{ id: '1', key: 'a', status: 'open', source: 'analysis' }], [], [], ['1']],
    ['a disputed deficiency no longer found is completed', [{ id: '1', key: 'a', status: 'disputed', source: 'analysis' }], [], [], ['1']],
    ['a waived deficiency is not raised again', [{ id: '1', key: 'a', status: 'waived', source: 'analysis' }], ['a'], [], []],
    [
      'a completed deficiency that returns is raised again',
      [{ id: '1', key: 'a', status: 'completed', source: 'analysis' }],
      ['a'],
      ['a'],
      [],
    ],
    ['a deficiency added by hand is left alone', [{ id: '1', key: 'm', status: 'open', source: 'manual' }], [], [], []],
  ])('%s', (_n, stored, found, create, completed) => {
    const r = reconcile(stored, found.map(f));
    expect(r.create.map((x) => x.key)).toEqual(create);
    expect(r.complete).toEqual(completed);
    expect(DeficiencyStatus.open).toBe('open');
  });
});

describe('reports and codes', () => {
  it.each([
    [10, 30, 0.3333333333333333, false],
    [16, 30, 0.5333333333333333, true],
    [0, 0, 0, false],
  ])(
    '%i delinquent against %i average monthly discharges is %f, flagged %s (The Joint Commission RC.01.04.01 EP 3: above 50%)',
    (d, avg, rate, flagged) => {
      expect(delinquencyRate(d, avg)).toEqual({ rate, flagged });
    },
  );

  it.each([
    ['0DTJ4ZZ', true],
    ['02HV33Z', true],
    ['5A1955Z', false],
    ['BW03ZZZ', false],
  ])('%s is a surgical procedure: %s (ICD-10-PCS Medical and Surgical section)', (code, surgical) => {
    expect(isSurgicalPcs(code)).toBe(surgical);
  });
});

describe('physician scorecards (42 CFR 482.24(c)(4)(viii) completion deadline; bylaws suspension threshold)', () => {
  const due = '2026-04-04T23:59:59.999Z';
  const def = (over: Partial<ScorecardDeficiency>): ScorecardDeficiency => ({
    providerId: 'p1',
    encounterId: 'e1',
    status: 'open',
    createdAt: '2026-03-05T12:00:00.000Z',
    resolvedAt: null,
    recordDueAt: due,
    recordDelinquent: false,
    ...over,
  });
  const card = (over: Partial<ScorecardRow>): ScorecardRow => ({
    providerId: 'p1',
    assigned: 0,
    completed: 0,
    completedOnTime: 0,
    medianDaysToComplete: null,
    disputes: 0,
    open: 0,
    delinquentRecords: 0,
    suspended: false,
    ...over,
  });
  const twoPhysicians = {
    inPeriod: [
      def({}),
      def({ status: 'disputed' }),
      def({ providerId: 'p2', status: 'waived', resolvedAt: '2026-03-06T00:00:00.000Z' }),
      def({ providerId: 'p2', status: 'completed', resolvedAt: '2026-03-07T00:00:00.000Z' }),
    ],
    outstanding: [
      def({ recordDelinquent: true }),
      def({ status: 'disputed', recordDelinquent: true }),
      def({ encounterId: 'e2', recordDelinquent: true }),
      def({ providerId: 'p2', encounterId: 'e3' }),
    ],
    disputedBy: ['p1', 'p1', 'p3'],
  };
  const cases: {
    name: string;
    inPeriod: ScorecardDeficiency[];
    outstanding: ScorecardDeficiency[];
    disputedBy: string[];
    threshold: number;
    want: ScorecardRow[];
  }[] = [
    { name: 'nothing assigned gives no rows', inPeriod: [], outstanding: [], disputedBy: [], threshold: 1, want: [] },
    {
      // Days 1, 3, 30.49999… (at the deadline) and 30.5 (a millisecond after): median (3 + 30.49999…) / 2 = 16.7.
      name: 'completed by the record deadline is on time, after it is not; median days to complete',
      inPeriod: [
        def({ status: 'completed', resolvedAt: '2026-03-06T12:00:00.000Z' }),
        def({ status: 'completed', resolvedAt: '2026-03-08T12:00:00.000Z' }),
        def({ status: 'completed', resolvedAt: due }),
        def({ status: 'completed', resolvedAt: '2026-04-05T00:00:00.000Z' }),
      ],
      outstanding: [],
      disputedBy: [],
      threshold: 1,
      want: [card({ assigned: 4, completed: 4, completedOnTime: 3, medianDaysToComplete: 16.7 })],
    },
    {
      // p1: two records delinquent (e1 counted once), two disputes raised; p2: a waiver is not a completion, one
      // completed in 1.5 days, one open not delinquent; p3 disputed one that is no longer theirs (reassigned).
      name: 'open, disputes by who raised them, delinquent records counted once, suspension at the threshold (2)',
      ...twoPhysicians,
      threshold: 2,
      want: [
        card({ assigned: 2, disputes: 2, open: 2, delinquentRecords: 2, suspended: true }),
        card({ providerId: 'p2', assigned: 2, completed: 1, completedOnTime: 1, medianDaysToComplete: 1.5, open: 1 }),
        card({ providerId: 'p3', disputes: 1 }),
      ],
    },
    {
      name: 'below the threshold (3) is not suspended',
      ...twoPhysicians,
      threshold: 3,
      want: [
        card({ assigned: 2, disputes: 2, open: 2, delinquentRecords: 2 }),
        card({ providerId: 'p2', assigned: 2, completed: 1, completedOnTime: 1, medianDaysToComplete: 1.5, open: 1 }),
        card({ providerId: 'p3', disputes: 1 }),
      ],
    },
  ];
  it.each(cases)('$name', ({ inPeriod, outstanding, disputedBy, threshold, want }) => {
    expect(scorecards(inPeriod, outstanding, disputedBy, threshold)).toEqual(want);
  });
});
