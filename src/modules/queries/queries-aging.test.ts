/** The HIM director's aging view of open queries by physician, and notifications that name patient and account. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeCodingWorld, type CodingWorld } from '../coding/coding-fixtures.test-support.js';
import { answerQuery, listNotifications, queryAgingReport, sendQuery } from './index.js';

const query = {
  type: 'open_ended' as const,
  question: 'Based on the indicators below, can the type and acuity of the heart failure be further specified?',
  indicators: [{ kind: 'lab' as const, text: 'BNP 1,250 pg/mL' }],
};

describe.each(engines)('query aging and notifications on %s', (engine) => {
  let t: TestDatabase;
  let w: CodingWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeCodingWorld(t);
  });
  afterEach(() => t.dispose());

  it('counts open and escalated queries by physician and days waiting, oldest first, answered ones left out', async () => {
    await sendQuery(w.deps, w.coder, await w.encounter(), query);
    w.deps.clock.advance(5 * 86_400_000);
    await sendQuery(w.deps, w.coder, await w.encounter(), { ...query, providerId: w.otherProviderId });
    const answered = await sendQuery(w.deps, w.coder, await w.encounter(), query);
    await answerQuery(w.deps, w.physician, answered.id, { text: 'Acute on chronic systolic heart failure', attest: true });
    w.deps.clock.advance(86_400_000);
    const aging = await queryAgingReport(w.deps, w.director);
    expect(aging.buckets).toEqual(['0-2', '3-7', '8-14', '15-30', '30+']);
    expect(aging.total).toBe(2);
    expect(aging.byPhysician).toEqual([
      { providerId: w.providerId, name: 'Test Morgan, MD', counts: [0, 1, 0, 0, 0], total: 1, escalated: 1, oldestDays: 6 },
      { providerId: w.otherProviderId, name: 'Test Desai, MD', counts: [1, 0, 0, 0, 0], total: 1, escalated: 0, oldestDays: 1 },
    ]);
    await expect(queryAgingReport(w.deps, w.coder)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it("names the patient, MRN and account in the coder's notification of an answer", async () => {
    const id = await w.encounter({ account: 'ACC-NOTE-1' });
    const q = await sendQuery(w.deps, w.coder, id, query);
    await answerQuery(w.deps, w.physician, q.id, { text: 'Acute on chronic systolic heart failure', attest: true });
    const [n] = await listNotifications(w.deps, w.coder);
    const p = await t.db
      .selectFrom('encounters as e')
      .innerJoin('patients as p', 'p.id', 'e.patient_id')
      .select(['p.family_name', 'p.given_name', 'p.mrn'])
      .where('e.id', '=', id)
      .executeTakeFirstOrThrow();
    expect(n).toMatchObject({
      kind: 'query_answered',
      accountNumber: 'ACC-NOTE-1',
      mrn: p.mrn,
      patientName: `${p.family_name}, ${p.given_name}`,
    });
  });
});
