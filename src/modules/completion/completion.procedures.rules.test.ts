import { describe, expect, it } from 'vitest';
import {
  analyseEncounter,
  scheduledSurgeries,
  type DocumentFacts,
  type EncounterFacts,
  type ScheduledProcedure,
} from './completion.rules.js';

// A stay from 1 March 10:00 to 5 March 12:00 UTC, attended by `att`.
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
const appt = (over: Partial<ScheduledProcedure> = {}): ScheduledProcedure => ({
  appointmentId: 'a1',
  patientId: 'p1',
  typeCode: 'PROC',
  startAt: '2026-03-02T14:00:00Z',
  endAt: '2026-03-02T15:00:00Z',
  status: 'completed',
  surgeonProviderId: 'surg',
  ...over,
});
let n = 0;
const doc = (typeCode: string, serviceAt = '2026-03-01T12:00:00Z'): DocumentFacts => ({
  id: `d${++n}`,
  typeCode,
  status: 'final',
  serviceAt,
  authorProviderId: 'att',
  requiresCosign: false,
  signatures: [{ role: 'author', providerId: 'att', signedAt: '2026-03-02T00:00:00Z' }],
  pendingTranscription: false,
  text: typeCode === 'DS' ? 'Final diagnosis: pneumonia' : typeCode === 'OP' ? 'Procedure: x\nSurgeon: y\nFindings: z' : 'text',
});

describe('scheduled procedures are surgeries of the stay they fall in (42 CFR 482.51(b)(6): "coded or scheduled")', () => {
  it.each([
    ['a completed procedure appointment during the stay counts (42 CFR 482.51(b)(6))', appt(), true],
    ['a checked-in procedure appointment during the stay counts (42 CFR 482.51(b)(6))', appt({ status: 'checked_in' }), true],
    ['a cancelled procedure appointment does not count (42 CFR 482.51(b)(6): no surgery took place)', appt({ status: 'cancelled' }), false],
    ['a no-show does not count (42 CFR 482.51(b)(6): no surgery took place)', appt({ status: 'no_show' }), false],
    ['an appointment booked in error (deleted) does not count (42 CFR 482.51(b)(6))', appt({ status: 'deleted' }), false],
    ['a booked appointment never checked in does not count (42 CFR 482.51(b)(6))', appt({ status: 'booked' }), false],
    ['another patient’s appointment does not count (42 CFR 482.51(b)(6))', appt({ patientId: 'p2' }), false],
    [
      'an appointment before admission does not count (42 CFR 482.51(b)(6))',
      appt({ startAt: '2026-02-27T09:00:00Z', endAt: '2026-02-27T10:00:00Z' }),
      false,
    ],
    [
      'an appointment after discharge does not count (42 CFR 482.51(b)(6))',
      appt({ startAt: '2026-03-05T12:00:00Z', endAt: '2026-03-05T13:00:00Z' }),
      false,
    ],
    [
      'an appointment booked for before the registration time that runs into the stay counts (42 CFR 482.51(b)(6))',
      appt({ startAt: '2026-03-01T09:30:00Z', endAt: '2026-03-01T10:30:00Z' }),
      true,
    ],
  ])('%s', (_name, a, counts) => {
    const found = scheduledSurgeries(enc(), [a]);
    expect(found.length > 0).toBe(counts);
    if (counts)
      expect(found[0]).toEqual({ code: 'PROC', date: a.startAt.slice(0, 10), surgeonProviderId: a.surgeonProviderId, appointmentId: 'a1' });
  });
});

const requirements = (e: EncounterFacts, docs: DocumentFacts[]) =>
  analyseEncounter(e, docs)
    .findings.map((f) => `${f.type}:${f.requirement}:${f.responsibleProviderId}`)
    .sort();

describe('a scheduled surgery is held to the rules of a coded one', () => {
  it.each([
    [
      'a completed procedure appointment without coded PCS needs an operative report, anesthesia record and consent from its provider (42 CFR 482.51(b)(6), 482.52(b), 482.51(b)(2))',
      enc(),
      [appt()],
      [doc('HP'), doc('DS')],
      ['missing_document:anesthesia_record:surg', 'missing_document:informed_consent:surg', 'missing_document:operative_report:surg'],
    ],
    [
      'an appointment whose provider is no physician user falls to the attending (42 CFR 482.51(b)(6))',
      enc(),
      [appt({ surgeonProviderId: null })],
      [doc('HP'), doc('DS')],
      ['missing_document:anesthesia_record:att', 'missing_document:informed_consent:att', 'missing_document:operative_report:att'],
    ],
    [
      'a cancelled procedure appointment requires nothing (42 CFR 482.51(b)(6))',
      enc(),
      [appt({ status: 'cancelled' })],
      [doc('HP'), doc('DS')],
      [],
    ],
    [
      'an outpatient visit with a completed procedure needs an H&P before surgery (42 CFR 482.51(b)(1))',
      enc({ type: 'outpatient' }),
      [appt()],
      [doc('OP'), doc('ANES'), doc('CONSENT')],
      ['missing_document:history_and_physical:att'],
    ],
    [
      'an H&P dated after the scheduled surgery is late for it, from the surgeon (42 CFR 482.51(b)(1))',
      enc(),
      [appt({ startAt: '2026-03-01T14:00:00Z', endAt: '2026-03-01T15:00:00Z' })],
      [doc('HP', '2026-03-02T08:00:00Z'), doc('DS'), doc('OP'), doc('ANES'), doc('CONSENT')],
      ['late_document:history_and_physical_before_surgery:surg'],
    ],
    [
      'a scheduled surgery with its operative report, anesthesia record and consent needs nothing more (42 CFR 482.51(b))',
      enc(),
      [appt()],
      [doc('HP'), doc('DS'), doc('OP'), doc('ANES'), doc('CONSENT')],
      [],
    ],
  ])('%s', (_name, e, appts, docs, expected) => {
    expect(requirements({ ...e, surgeries: scheduledSurgeries(e, appts) }, docs)).toEqual(expected);
  });
});
