import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { officialCodeSets } from '../../../test/support/data.js';
import { DomainError } from '../../core/errors.js';
import { queryAuditEvents } from '../audit/index.js';
import type { CodesService } from '../codes/index.js';
import { makeCodingWorld, type CodingWorld } from '../coding/coding-fixtures.test-support.js';
import {
  finalOutpatient,
  getOutpatientAbstract,
  listOutpatientAbstractVersions,
  reopenOutpatient,
  saveOutpatientDraft,
  type OutpatientAbstractDeps,
  type OutpatientAbstractInput,
} from './index.js';

const codes: CodesService = { warmUp: () => undefined, ready: () => true, sets: () => officialCodeSets() };
const DOS = '2026-03-01';

/** An ED visit for a hand laceration: E/M by MDM (low: 99283) with modifier 25, and the simple repair. */
const edVisit: OutpatientAbstractInput = {
  side: 'facility',
  firstListedDx: 'S61.411A',
  otherDx: ['W26.0XXA'],
  lines: [
    { code: '99283', modifiers: ['25'], units: 1, dateOfService: DOS, pointers: [1], revenueCode: '0450' },
    { code: '12002', modifiers: [], units: 1, dateOfService: DOS, pointers: [1, 2], revenueCode: '0450' },
  ],
  em: { category: 'emergency', basis: 'mdm', problems: 'low', data: 'low', risk: 'moderate', code: '99283' },
};

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

// Building the official code sets takes seconds (tens on a busy machine): once, before the first test needs them.
beforeAll(() => {
  officialCodeSets();
}, 180_000);

describe.each(engines)('the stored outpatient abstract on %s', (engine) => {
  let t: TestDatabase;
  let w: CodingWorld;
  let deps: OutpatientAbstractDeps;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeCodingWorld(t);
    deps = { ...w.deps, codes };
  });
  afterEach(() => t.dispose());

  const edEncounter = () => w.encounter({ type: 'emergency', admitAt: `${DOS}T10:00:00.000Z`, dischargeAt: `${DOS}T14:00:00.000Z` });

  it('saves drafts as versions, audited, and reads them back through the record-access step', async () => {
    const id = await edEncounter();
    const before = await getOutpatientAbstract(deps, w.coder, id);
    expect(before).toMatchObject({ status: 'not_started', version: 0, emCategory: 'emergency', data: { firstListedDx: null, lines: [] } });
    const r = await saveOutpatientDraft(deps, w.coder, id, edVisit, 0);
    expect(r).toEqual({ version: 1, status: 'draft' });
    const v = await getOutpatientAbstract(deps, w.coder, id);
    expect(v.status).toBe('draft');
    expect(v.data).toMatchObject({ firstListedDx: 'S61411A', otherDx: ['W260XXA'], em: { code: '99283', basis: 'mdm' } });
    expect(v.data.lines[0]).toMatchObject({ code: '99283', modifiers: ['25'], revenueCode: '0450', charge: null });
    const events = await queryAuditEvents(t.db, { userId: w.coder.userId }, 20);
    expect(events.map((e) => `${e.action} ${e.resourceType}`)).toEqual(
      expect.arrayContaining(['save_draft outpatient_abstract', 'read outpatient_abstract']),
    );
    // A save over a newer version than the one opened is refused.
    expect((await refusal(saveOutpatientDraft(deps, w.coder, id, edVisit, 0))).code).toBe('conflict');
  });

  it('refuses final coding while outpatient edits block, naming each, and stores nothing final', async () => {
    const id = await edEncounter();
    const bad: OutpatientAbstractInput = {
      ...edVisit,
      firstListedDx: null,
      otherDx: [],
      lines: [{ code: '99283', modifiers: [], units: 1, dateOfService: DOS, pointers: [], revenueCode: null }],
      em: { category: 'emergency', basis: 'time', totalMinutes: 40, code: '99283' },
    };
    const e = await refusal(finalOutpatient(deps, w.coder, id, bad));
    expect(e.code).toBe('precondition_failed');
    const blocking = (e.details as { blocking: string[] }).blocking;
    expect(blocking).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/first-listed/i),
        expect.stringMatching(/line 1: 99283 points at no diagnosis/),
        expect.stringMatching(/line 1: .*revenue code/),
        expect.stringMatching(/emergency department visits are selected by MDM only/),
      ]),
    );
    expect((await getOutpatientAbstract(deps, w.coder, id)).status).toBe('not_started');
  });

  it('refuses an invalid ICD-10-CM code at final coding', async () => {
    const id = await edEncounter();
    const e = await refusal(finalOutpatient(deps, w.coder, id, { ...edVisit, otherDx: ['S61.4'] }));
    expect((e.details as { blocking: string[] }).blocking.join(' ')).toMatch(/S61\.?4/);
  });

  it('final-codes, locks, reopens with a reason, and keeps every version with what changed', async () => {
    const id = await edEncounter();
    await saveOutpatientDraft(deps, w.coder, id, { ...edVisit, lines: edVisit.lines?.slice(0, 1) });
    const f = await finalOutpatient(deps, w.coder, id, edVisit, 1);
    expect(f).toMatchObject({ version: 2, status: 'final', warnings: [] });
    const v = await getOutpatientAbstract(deps, w.coder, id);
    expect(v).toMatchObject({ status: 'final', codedBy: w.coder.userId });
    expect((await refusal(saveOutpatientDraft(deps, w.coder, id, edVisit))).code).toBe('conflict');
    expect((await refusal(reopenOutpatient(deps, w.coder, id, 'typo'))).code).toBe('invalid');
    expect(await reopenOutpatient(deps, w.coder, id, 'Repair length corrected after review')).toEqual({ version: 3, status: 'draft' });
    const versions = await listOutpatientAbstractVersions(deps, w.coder, id);
    expect(versions.map((x) => x.kind)).toEqual(['reopen', 'final', 'draft']);
    expect(versions[1]?.changes.added).toEqual(['12002']);
    expect(versions[0]?.reason).toBe('Repair length corrected after review');
  });

  it('warns, without blocking, when the E/M chosen is above what the recorded MDM supports', async () => {
    const id = await edEncounter();
    const high: OutpatientAbstractInput = {
      ...edVisit,
      lines: [{ code: '99285', modifiers: [], units: 1, dateOfService: DOS, pointers: [1], revenueCode: '0450' }],
      em: { category: 'emergency', basis: 'mdm', problems: 'low', data: 'low', risk: 'low', code: '99285' },
    };
    const f = await finalOutpatient(deps, w.coder, id, high);
    expect(f.warnings).toEqual([expect.stringMatching(/99285 is above the level the recorded MDM supports \(99283\)/)]);
  });

  it('leaves inpatient stays to the inpatient abstract, and the coder role only may write', async () => {
    const stay = await w.encounter();
    expect((await refusal(getOutpatientAbstract(deps, w.coder, stay))).code).toBe('precondition_failed');
    const id = await edEncounter();
    expect((await refusal(saveOutpatientDraft(deps, w.auditor, id, edVisit))).code).toBe('forbidden');
  });
});
