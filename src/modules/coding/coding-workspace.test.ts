/**
 * The abstracting screen's server side: open queries named on the workspace so the screen can say why final coding
 * waits, version history with what changed and the DRG before and after, and "next encounter" passing over the one
 * on screen.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { answerQuery, sendQuery } from '../queries/index.js';
import { makeCodingWorld, heartFailureWithCc, type CodingWorld } from './coding-fixtures.test-support.js';
import { claimNext, getAbstract, listAbstractVersions, saveDraft } from './index.js';

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
});
