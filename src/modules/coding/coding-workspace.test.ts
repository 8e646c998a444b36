/**
 * The abstracting screen's server side: open queries named on the workspace so the screen can say why final coding
 * waits, version history with what changed and the DRG before and after, and "next encounter" passing over the one
 * on screen.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { answerQuery, sendQuery } from '../queries/index.js';
import { makeCodingWorld, heartFailureWithCc, type CodingWorld } from './coding-fixtures.test-support.js';
import {
  claimNext,
  finalCode,
  getAbstract,
  listAbstractVersions,
  listAuditCandidates,
  listWorklist,
  qualityReport,
  saveDraft,
} from './index.js';

describe.each(engines)('abstracting workspace on %s', (engine) => {
  let t: TestDatabase;
  let w: CodingWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeCodingWorld(t);
  });
  afterEach(() => t.dispose());

  it('counts the open physician queries on the workspace until the physician answers', async () => {
    const id = await w.encounter();
    await saveDraft(w.deps, w.coder, id, heartFailureWithCc);
    expect((await getAbstract(w.deps, w.coder, id)).pendingQueries).toBe(0);
    const q = await sendQuery(w.deps, w.coder, id, {
      type: 'open_ended',
      question: 'Based on the indicators below, can the type and acuity of the heart failure be further specified?',
      indicators: [{ kind: 'lab', text: 'BNP 1,250 pg/mL' }],
    });
    expect((await getAbstract(w.deps, w.coder, id)).pendingQueries).toBe(1);
    await answerQuery(w.deps, w.physician, q.id, { text: 'Acute on chronic systolic heart failure', attest: true });
    expect((await getAbstract(w.deps, w.coder, id)).pendingQueries).toBe(0);
  });

  it('lists each version with who saved it, what changed and the DRG before and after', async () => {
    const id = await w.encounter();
    await saveDraft(w.deps, w.coder, id, { principalDx: { code: 'I50.23', poa: 'Y' }, dischargeStatus: '01' });
    await saveDraft(w.deps, w.coder, id, heartFailureWithCc, 1);
    const versions = await listAbstractVersions(w.deps, w.coder, id);
    expect(
      versions.map((v) => ({ version: v.version, drgBefore: v.drgBefore, drg: v.drg, added: v.changes?.added, by: v.savedByName })),
    ).toEqual([
      { version: 2, drgBefore: '293', drg: '292', added: ['N179'], by: expect.any(String) },
      { version: 1, drgBefore: null, drg: '293', added: ['I5023'], by: expect.any(String) },
    ]);
    expect(versions[0]!.changes?.removed).toEqual([]);
  });

  it('passes over the encounter on screen when the coder asks for the next one', async () => {
    const first = await w.encounter({ dischargeAt: '2026-02-01T12:00:00.000Z', admitAt: '2026-01-28T12:00:00.000Z' });
    const second = await w.encounter({ dischargeAt: '2026-03-08T12:00:00.000Z', admitAt: '2026-03-06T12:00:00.000Z' });
    expect((await claimNext(w.deps, w.coder))?.encounterId).toBe(first);
    expect((await claimNext(w.deps, w.coder, { skip: first }))?.encounterId).toBe(second);
  });

  it('searches the worklist by name, MRN and account, offers the payers on it, and pages through all of it', async () => {
    const a = await w.encounter({ account: 'ACC-SEARCH-1', payerName: 'Aetna' });
    const b = await w.encounter({ account: 'ACC-SEARCH-2', payerName: 'Medicare Part A' });
    const pb = await t.db.selectFrom('encounters').select('patient_id').where('id', '=', b).executeTakeFirstOrThrow();
    await t.db.updateTable('patients').set({ family_name: 'Smythe', given_name: 'Jim' }).where('id', '=', pb.patient_id).execute();
    const mrnB = (await t.db.selectFrom('patients').select('mrn').where('id', '=', pb.patient_id).executeTakeFirstOrThrow()).mrn;
    const ids = async (f: Parameters<typeof listWorklist>[2]) => (await listWorklist(w.deps, w.coder, f)).items.map((i) => i.encounterId);
    expect(await ids({ text: 'smythe jim' })).toEqual([b]);
    expect(await ids({ text: mrnB })).toEqual([b]);
    expect(await ids({ text: 'acc-search-1' })).toEqual([a]);
    const r = await listWorklist(w.deps, w.coder, { payer: 'Aetna' });
    expect(r.items.map((i) => i.encounterId)).toEqual([a]);
    expect(r.total).toBe(1);
    expect(r.payers).toEqual(['Aetna', 'Medicare Part A']);
    const page1 = await listWorklist(w.deps, w.coder, { limit: 1, offset: 0, sort: 'account', dir: 'asc' });
    const page2 = await listWorklist(w.deps, w.coder, { limit: 1, offset: 1, sort: 'account', dir: 'asc' });
    expect([page1.total, page2.total]).toEqual([2, 2]);
    expect([...page1.items, ...page2.items].map((i) => i.encounterId)).toEqual([a, b]);
  });

  it('counts a DRG change after a query sent before any codes were saved, from the version saved before the answer', async () => {
    const id = await w.encounter();
    const q = await sendQuery(w.deps, w.coder, id, {
      type: 'open_ended',
      question: 'Based on the indicators below, can the clinical significance of the creatinine values be further specified?',
      indicators: [{ kind: 'lab', text: 'Creatinine 1.3 -> 2.2 -> 1.6 mg/dL' }],
    });
    await saveDraft(w.deps, w.coder, id, { principalDx: { code: 'I50.23', poa: 'Y' }, dischargeStatus: '01' });
    w.deps.clock.advance(60_000);
    await answerQuery(w.deps, w.physician, q.id, { text: 'Acute kidney injury', attest: true });
    w.deps.clock.advance(60_000);
    await finalCode(w.deps, w.coder, id, heartFailureWithCc);
    // A second query with nothing saved before its answer has no DRG before to compare: said, not guessed.
    const other = await w.encounter();
    const q2 = await sendQuery(w.deps, w.coder, other, {
      type: 'open_ended',
      question: 'Based on the indicators below, can the type and acuity of the heart failure be further specified?',
      indicators: [{ kind: 'lab', text: 'BNP 1,250 pg/mL' }],
    });
    await answerQuery(w.deps, w.physician, q2.id, { text: 'Acute on chronic systolic heart failure', attest: true });
    w.deps.clock.advance(60_000);
    await finalCode(w.deps, w.coder, other, heartFailureWithCc);
    const quality = await qualityReport(w.deps, w.director);
    expect(quality.drgChangeAfterQuery).toMatchObject({ queries: 1, changed: 1, rate: 1, unmeasured: 1 });
  });

  it('lets the HIM director open the coding audit list', async () => {
    const id = await w.encounter();
    await finalCode(w.deps, w.coder, id, heartFailureWithCc);
    expect((await listAuditCandidates(w.deps, w.director)).map((c) => c.encounterId)).toContain(id);
  });
});
