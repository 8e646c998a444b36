import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeCodingWorld, heartFailureWithCc, type CodingWorld } from '../coding/coding-fixtures.test-support.js';
import { getAbstract, saveDraft } from '../coding/index.js';
import {
  answerQuery,
  escalateQueries,
  runScheduledEscalation,
  getInboxQuery,
  listEncounterQueries,
  listInbox,
  OTHER_OPTION,
  sendQuery,
  UNDETERMINED_OPTION,
} from './index.js';
import { listNotifications } from './notifications.service.js';
import { queryReport } from './queries-reports.service.js';

const indicators = [
  { kind: 'lab' as const, text: 'Hemoglobin 10.2 -> 7.9 g/dL after surgery', source: 'Lab 3/2' },
  { kind: 'treatment' as const, text: 'Transfused 2 units PRBC' },
];
const multipleChoice = {
  type: 'multiple_choice' as const,
  question: 'Based on the clinical indicators below, can the condition being treated be further specified?',
  options: ['Acute blood loss anemia', 'Expected postoperative blood loss', OTHER_OPTION, UNDETERMINED_OPTION],
  indicators,
};

describe.each(engines)('physician queries on %s', (engine) => {
  let t: TestDatabase;
  let w: CodingWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeCodingWorld(t);
  });
  afterEach(() => t.dispose());

  it('refuses to send a leading query and lists each problem with its phrase', async () => {
    const id = await w.encounter();
    const err = await sendQuery(w.deps, w.coder, id, {
      ...multipleChoice,
      question: 'Please document acute blood loss anemia so the DRG is correct.',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'invalid',
      details: {
        problems: expect.arrayContaining([
          expect.objectContaining({ rule: 'leading', phrase: 'Please document' }),
          expect.objectContaining({ rule: 'financial_impact', phrase: 'DRG' }),
        ]),
      },
    });
    expect(await t.db.selectFrom('physician_queries').select('id').execute()).toEqual([]);
  });

  it('sends to the attending, the physician reads and answers, the answer joins the record and the coder is notified', async () => {
    const id = await w.encounter();
    await saveDraft(w.deps, w.coder, id, heartFailureWithCc);
    const q = await sendQuery(w.deps, w.coder, id, multipleChoice);
    expect(q).toMatchObject({ status: 'open', providerId: w.providerId, options: multipleChoice.options });
    expect(await t.db.selectFrom('physician_queries').select('drg_at_send').where('id', '=', q.id).executeTakeFirst()).toEqual({
      drg_at_send: '292',
    });
    const inbox = await listInbox(w.deps, w.physician);
    expect(inbox.map((x) => x.id)).toEqual([q.id]);
    expect((await getInboxQuery(w.deps, w.physician, q.id)).indicators[0]).toMatchObject({ text: indicators[0]!.text });
    await expect(answerQuery(w.deps, w.physician, q.id, { choice: 'Sepsis', attest: true })).rejects.toMatchObject({ code: 'invalid' });
    w.deps.clock.advance(5 * 3600_000);
    const a = await answerQuery(w.deps, w.physician, q.id, {
      choice: 'Acute blood loss anemia',
      text: 'Due to surgical blood loss',
      attest: true,
    });
    expect(a).toMatchObject({
      status: 'answered',
      answerChoice: 'Acute blood loss anemia',
      agreed: true,
      signature: expect.stringMatching(/^Electronically signed by /),
    });
    await expect(answerQuery(w.deps, w.physician, q.id, { choice: 'Acute blood loss anemia', attest: true })).rejects.toMatchObject({
      code: 'conflict',
    });
    const record = await getAbstract(w.deps, w.coder, id);
    expect(record.documents).toEqual([
      expect.objectContaining({ kind: 'query_response', text: expect.stringContaining('Acute blood loss anemia') }),
    ]);
    expect(record.queryAnswered).toBe(true);
    expect((await listNotifications(w.deps, w.coder)).map((n) => n.kind)).toEqual(['query_answered']);
    const report = await queryReport(w.deps, w.director);
    expect(report.total).toMatchObject({ sent: 1, answered: 1, meanResponseHours: 5, agreementRate: 1 });
    expect(report.byPhysician).toEqual([expect.objectContaining({ providerId: w.providerId, answered: 1 })]);
    expect(report.byCoder).toEqual([expect.objectContaining({ userId: w.coder.userId, sent: 1 })]);
  });

  it("hides another physician's query as not found", async () => {
    const id = await w.encounter();
    const q = await sendQuery(w.deps, w.coder, id, { ...multipleChoice, providerId: w.otherProviderId });
    expect(await listInbox(w.deps, w.physician)).toEqual([]);
    await expect(getInboxQuery(w.deps, w.physician, q.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('offers the fixed choices on an allowed yes/no query and rejects one without an allowed purpose', async () => {
    const id = await w.encounter();
    await expect(
      sendQuery(w.deps, w.coder, id, { type: 'yes_no', question: 'Does the patient have acute blood loss anemia?', indicators }),
    ).rejects.toMatchObject({ code: 'invalid' });
    const q = await sendQuery(w.deps, w.coder, id, {
      type: 'yes_no',
      purpose: 'poa_determination',
      question: 'Was the stage 3 pressure ulcer of the sacrum present on admission?',
      indicators: [{ kind: 'document_excerpt', text: 'Wound care note 3/3: stage 3 sacral ulcer' }],
    });
    expect(q.options).toEqual(['Yes', 'No', OTHER_OPTION, UNDETERMINED_OPTION]);
  });

  it('escalates unanswered queries after the configured days and expires them later, on read or by command', async () => {
    const id = await w.encounter();
    const q = await sendQuery(w.deps, w.coder, id, multipleChoice);
    w.deps.clock.advance(4 * 86_400_000);
    expect((await listEncounterQueries(w.deps, w.coder, id))[0]).toMatchObject({ id: q.id, status: 'escalated', daysOpen: 4 });
    w.deps.clock.advance(30 * 86_400_000);
    expect(await escalateQueries(w.deps, w.director)).toEqual({ escalated: 0, expired: 1 });
    await expect(answerQuery(w.deps, w.physician, q.id, { choice: 'Acute blood loss anemia', attest: true })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await listNotifications(w.deps, w.coder)).map((n) => n.kind).sort()).toEqual(['query_escalated', 'query_expired']);
    const custom = await escalateQueries({ ...w.deps, queryPolicy: { escalateAfterDays: 1, expireAfterDays: 60 } }, w.director);
    expect(custom).toEqual({ escalated: 0, expired: 0 });
  });

  it('runs the scheduled escalation with a configured policy and audits it as a system job', async () => {
    const id = await w.encounter();
    await sendQuery(w.deps, w.coder, id, multipleChoice);
    w.deps.clock.advance(2 * 86_400_000);
    expect(await runScheduledEscalation({ ...w.deps, queryPolicy: { escalateAfterDays: 7, expireAfterDays: 30 } })).toEqual({
      escalated: 0,
      expired: 0,
    });
    expect(await runScheduledEscalation({ ...w.deps, queryPolicy: { escalateAfterDays: 1, expireAfterDays: 30 } })).toEqual({
      escalated: 1,
      expired: 0,
    });
    const audit = await t.db.selectFrom('audit_events').select(['username', 'action']).where('action', '=', 'escalate').execute();
    expect(audit).toEqual([
      { username: 'query-escalation', action: 'escalate' },
      { username: 'query-escalation', action: 'escalate' },
    ]);
  });
});
