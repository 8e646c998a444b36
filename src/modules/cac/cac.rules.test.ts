import { describe, expect, it } from 'vitest';
import { emptyAbstract } from '../coding/index.js';
import {
  acceptanceReport,
  addAcceptedCode,
  decisionCountMap,
  DecisionSchema,
  joinDocuments,
  locateEvidence,
  settingOf,
  tuneByDecisions,
} from './cac.rules.js';

describe('care setting (Guidelines II.H inpatient, IV.H outpatient)', () => {
  it.each([
    ['inpatient', 'inpatient'],
    ['observation', 'outpatient'],
    ['emergency', 'outpatient'],
    ['outpatient', 'outpatient'],
  ])('codes a %s encounter as %s', (type, setting) => expect(settingOf(type)).toBe(setting));
});

describe('evidence back to its document', () => {
  const docs = [
    { documentId: 'a', version: 2, text: 'Heart failure.' },
    { documentId: 'b', version: 1, text: 'Acute kidney injury.' },
  ];
  const { text, starts } = joinDocuments(docs);
  it('maps a span of the joined text to the document and its own offsets', () => {
    const at = text.indexOf('kidney');
    expect(locateEvidence(docs, starts, { start: at, end: at + 6, text: 'kidney' })).toEqual({
      documentId: 'b',
      version: 1,
      start: 6,
      end: 12,
      text: 'kidney',
    });
    expect(locateEvidence(docs, starts, { start: 0, end: 5, text: 'Heart' })).toMatchObject({ documentId: 'a', start: 0 });
  });
  it('places no span across two documents', () => {
    expect(locateEvidence(docs, starts, { start: 6, end: text.indexOf('kidney'), text: 'x' })).toBeUndefined();
  });
});

describe('adding an accepted code to the abstract', () => {
  const base = { ...emptyAbstract('01'), principalDx: { code: 'I5023', poa: 'Y' as const } };
  it('adds a diagnosis as secondary unless the coder names it principal', () => {
    expect(addAcceptedCode(base, 'N179', 'cm', 'secondary')).toMatchObject({
      principalDx: { code: 'I5023' },
      secondaryDx: [{ code: 'N179', poa: '' }],
    });
  });
  it('keeps the replaced principal as the first secondary diagnosis', () => {
    const r = addAcceptedCode({ ...base, secondaryDx: [{ code: 'E119', poa: 'Y' }] }, 'J189', 'cm', 'principal');
    expect(r.principalDx).toEqual({ code: 'J189', poa: '' });
    expect(r.secondaryDx).toEqual([
      { code: 'I5023', poa: 'Y' },
      { code: 'E119', poa: 'Y' },
    ]);
  });
  it('adds a procedure without a date for the coder to give', () => {
    expect(addAcceptedCode(base, '02HP32Z', 'pcs', 'procedure').procedures).toEqual([
      { code: '02HP32Z', date: null, operatingProviderId: null },
    ]);
  });
});

describe('decisions and the acceptance report', () => {
  it('refuses a rejection without a reason', () => {
    expect(DecisionSchema.safeParse({ decision: 'rejected', code: 'J18.9', system: 'cm' }).success).toBe(false);
    expect(DecisionSchema.parse({ decision: 'rejected', code: 'j18.9', system: 'cm', reason: 'ruled out' })).toMatchObject({
      code: 'J189',
    });
  });
  it('counts only the latest decision on a code of an encounter', () => {
    const row = (e: string, code: string, decision: string, by: string, at: string) => ({
      encounter_id: e,
      code,
      system: 'cm',
      decision,
      decided_by: by,
      decided_at: at,
    });
    const r = acceptanceReport([
      row('e1', 'J189', 'accepted', 'u2', '2026-03-02'),
      row('e1', 'J189', 'rejected', 'u1', '2026-03-01'),
      row('e2', 'J189', 'rejected', 'u1', '2026-03-01'),
      row('e2', 'N179', 'accepted', 'u1', '2026-03-01'),
    ]);
    expect(r.total).toEqual({ accepted: 2, rejected: 1, rate: 2 / 3 });
    expect(r.byCode).toEqual([
      { key: 'J189', system: 'cm', accepted: 1, rejected: 1, rate: 0.5 },
      { key: 'N179', system: 'cm', accepted: 1, rejected: 0, rate: 1 },
    ]);
    expect(r.byCoder).toEqual([
      { key: 'u1', accepted: 1, rejected: 1, rate: 0.5 },
      { key: 'u2', accepted: 1, rejected: 0, rate: 1 },
    ]);
    expect(acceptanceReport([]).total.rate).toBeNull();
  });
});

describe("tuning the ranking by coders' decisions", () => {
  const s = (code: string, score: number) => ({ code, system: 'cm', score });
  it.each([
    ['no history leaves the score', 0, 0, 0.6, 0.6],
    ['always rejected (8) drops toward half', 0, 8, 0.6, 0.6 * (0.5 + 1 / 10)],
    ['always accepted (8) lifts toward one and a half, capped at 1', 8, 0, 0.6, Math.min(1, 0.6 * (0.5 + 9 / 10))],
    ['even decisions leave it', 3, 3, 0.6, 0.6],
  ])('%s', (_n, accepted, rejected, score, tuned) => {
    const counts = new Map(accepted + rejected ? [['cm|J189', { accepted, rejected }]] : []);
    const [r] = tuneByDecisions([s('J189', score)], counts);
    expect(r?.score).toBeCloseTo(tuned, 3);
    expect(r?.engineScore).toBe(score);
    expect(r?.tuning).toEqual(accepted + rejected ? { accepted, rejected } : null);
  });
  it('ranks again by the tuned score', () => {
    const counts = decisionCountMap([
      { system: 'cm', code: 'J189', decision: 'rejected', n: 5 },
      { system: 'cm', code: 'N179', decision: 'accepted', n: 2 },
      { system: 'cm', code: 'N179', decision: 'rejected', n: 1 },
    ]);
    expect(counts.get('cm|N179')).toEqual({ accepted: 2, rejected: 1 });
    expect(tuneByDecisions([s('J189', 0.7), s('N179', 0.5), s('E119', 0.46)], counts).map((x) => x.code)).toEqual(['N179', 'E119', 'J189']);
  });
});
