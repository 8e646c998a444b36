import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { answerQuery, sendQuery } from '../queries/index.js';
import { breakGlass } from '../patients/index.js';
import { makeCodingWorld, heartFailureWithCc, type CodingWorld } from './coding-fixtures.test-support.js';
import {
  assignEncounter,
  claimNext,
  getEncounterAccess,
  dnfbTotals,
  finalCode,
  getAbstract,
  getAbstractVersion,
  getAudit,
  getFeedback,
  listAbstractVersions,
  listWorklist,
  productivityReport,
  qualityReport,
  reopenAbstract,
  saveAudit,
  saveDraft,
  startAudit,
} from './index.js';

describe.each(engines)('coding workspace on %s', (engine) => {
  let t: TestDatabase;
  let w: CodingWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeCodingWorld(t);
  });
  afterEach(() => t.dispose());

  it('gives live feedback: working MS-DRG with its CC explained, and what removing the CC does', async () => {
    const id = await w.encounter();
    const fb = await getFeedback(w.deps, w.coder, id, heartFailureWithCc);
    expect(fb.drg).toMatchObject({ drg: '292', title: expect.stringMatching(/heart failure/i) });
    expect(fb.drg?.secondaryDxSeverity).toEqual([{ code: 'N179', flag: 'CC' }]);
    expect(fb.whatIf).toEqual([expect.objectContaining({ code: 'N179', kind: 'remove_secondary_dx', drg: '293', changesDrg: true })]);
    expect(fb.blocking).toEqual([]);
    expect(fb.titles.I5023).toMatch(/acute on chronic systolic/i);
  }, 60_000);

  it('shows in the edits panel only the notes that bear on the codes assigned, naming the tabular they come from', async () => {
    const id = await w.encounter();
    const fb = await getFeedback(w.deps, w.coder, id, {
      principalDx: { code: 'E11.9', poa: 'Y' },
      secondaryDx: [{ code: 'E10.9', poa: 'Y' }],
      dischargeStatus: '01',
    });
    // The Excludes1 pair is shown; E11's "use additional code, if applicable" reminders are not.
    expect(fb.findings.map((f) => f.rule)).toContain('excludes1');
    expect(fb.findings.some((f) => f.rule === 'use_additional_code')).toBe(false);
    expect(fb.findings.every((f) => f.bearsOnCodes)).toBe(true);
    expect(fb.codeSetSources?.notes).toEqual(['ICD-10-CM FY2023 tabular (2022-10-01)']);
  }, 60_000);

  it('blocks final coding on a missing POA, a header code and a missing principal diagnosis', async () => {
    const id = await w.encounter();
    await expect(
      finalCode(w.deps, w.coder, id, { principalDx: null, secondaryDx: [{ code: 'N17.9' }], dischargeStatus: '01' }),
    ).rejects.toMatchObject({ code: 'precondition_failed', message: expect.stringMatching(/principal diagnosis/) });
    const fb = await getFeedback(w.deps, w.coder, id, {
      principalDx: { code: 'I50', poa: 'Y' },
      secondaryDx: [{ code: 'N17.9' }],
      dischargeStatus: '01',
    });
    expect(fb.issues.map((i) => i.rule)).toContain('poa_required');
    expect(fb.findings.map((f) => f.rule)).toContain('header_code');
    await expect(
      finalCode(w.deps, w.coder, id, { principalDx: { code: 'I50', poa: 'Y' }, secondaryDx: [{ code: 'N17.9' }], dischargeStatus: '01' }),
    ).rejects.toMatchObject({ code: 'precondition_failed' });
    expect((await getAbstract(w.deps, w.coder, id)).status).toBe('not_started');
  });

  it('saves drafts as versions, final-codes with coder and time, locks the abstract, and reopens with a reason', async () => {
    const id = await w.encounter();
    const d1 = await saveDraft(w.deps, w.coder, id, { principalDx: { code: 'I50.23', poa: 'Y' }, dischargeStatus: '01' });
    expect(d1).toMatchObject({ version: 1, status: 'draft', workingDrg: '293' });
    const d2 = await saveDraft(w.deps, w.coder, id, heartFailureWithCc, 1);
    expect(d2).toMatchObject({ version: 2, workingDrg: '292' });
    await expect(saveDraft(w.deps, w.coder, id, heartFailureWithCc, 1)).rejects.toMatchObject({ code: 'conflict' });
    w.deps.clock.advance(3600_000);
    const f = await finalCode(w.deps, w.coder, id);
    expect(f).toMatchObject({
      version: 3,
      status: 'final',
      workingDrg: '292',
      codedBy: w.coder.userId,
      codedAt: '2026-03-10T09:00:00.000Z',
    });
    await expect(saveDraft(w.deps, w.coder, id, heartFailureWithCc)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/locked/),
    });
    await expect(reopenAbstract(w.deps, w.coder, id, 'short')).rejects.toMatchObject({ code: 'invalid' });
    const r = await reopenAbstract(w.deps, w.coder, id, 'Late discharge summary adds sepsis');
    expect(r).toEqual({ version: 4, status: 'draft' });
    const versions = await listAbstractVersions(w.deps, w.coder, id);
    expect(versions.map((v) => [v.version, v.kind])).toEqual([
      [4, 'reopen'],
      [3, 'final'],
      [2, 'draft'],
      [1, 'draft'],
    ]);
    expect(versions[0]!.reason).toBe('Late discharge summary adds sepsis');
    expect((await getAbstractVersion(w.deps, w.coder, id, 3)).data?.secondaryDx).toEqual([{ code: 'N179', poa: 'Y' }]);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('resource_type', '=', 'coding_abstract')
      .where('resource_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['save_draft', 'final_code', 'reopen']));
    expect(audit.find((a) => a.action === 'reopen')?.detail).toContain('Late discharge summary');
    const after = await getAbstract(w.deps, w.coder, id);
    expect(after).toMatchObject({ status: 'draft', codedBy: null, version: 4 });
  });

  it('keeps another coder out of an assigned encounter and lets the director reassign', async () => {
    const id = await w.encounter();
    await saveDraft(w.deps, w.coder, id, heartFailureWithCc);
    await expect(saveDraft(w.deps, w.coder2, id, heartFailureWithCc)).rejects.toMatchObject({ code: 'conflict' });
    await expect(assignEncounter(w.deps, w.coder2, id, w.coder.userId)).rejects.toMatchObject({ code: 'invalid' });
    await assignEncounter(w.deps, w.director, id, w.coder2.userId);
    expect((await saveDraft(w.deps, w.coder2, id, heartFailureWithCc)).version).toBe(2);
  });

  it('lists discharged, not final-coded encounters with age, LOS and filters, and totals them by age bucket', async () => {
    const old = await w.encounter({ dischargeAt: '2026-02-01T12:00:00.000Z', admitAt: '2026-01-28T12:00:00.000Z', payerName: 'Aetna' });
    const recent = await w.encounter({ dischargeAt: '2026-03-09T12:00:00.000Z', admitAt: '2026-03-08T12:00:00.000Z' });
    const er = await w.encounter({ type: 'emergency', dischargeAt: '2026-03-05T12:00:00.000Z', admitAt: '2026-03-05T08:00:00.000Z' });
    const done = await w.encounter();
    await finalCode(w.deps, w.coder, done, heartFailureWithCc);
    const all = await listWorklist(w.deps, w.coder);
    expect(all.items.map((i) => i.encounterId)).toEqual([old, er, recent]);
    expect(all.items[0]).toMatchObject({
      daysSinceDischarge: 37,
      lengthOfStay: 4,
      payerName: 'Aetna',
      status: 'not_started',
      queryStatus: 'none',
      attending: 'Test Morgan',
    });
    expect((await listWorklist(w.deps, w.coder, { type: 'emergency' })).items.map((i) => i.encounterId)).toEqual([er]);
    expect((await listWorklist(w.deps, w.coder, { payer: 'Aetna' })).items.map((i) => i.encounterId)).toEqual([old]);
    expect((await listWorklist(w.deps, w.coder, { minDays: 2, maxDays: 10 })).items.map((i) => i.encounterId)).toEqual([er]);
    expect((await listWorklist(w.deps, w.coder, { sort: 'days', dir: 'asc' })).items.map((i) => i.encounterId)).toEqual([recent, er, old]);
    await assignEncounter(w.deps, w.director, recent, w.coder2.userId);
    expect((await listWorklist(w.deps, w.coder2, { assignee: 'me' })).items.map((i) => i.encounterId)).toEqual([recent]);
    expect((await listWorklist(w.deps, w.coder, { assignee: 'unassigned' })).total).toBe(2);
    const totals = await dnfbTotals(w.deps, w.director);
    expect(totals.total).toBe(3);
    expect(totals.byAge).toEqual([
      { bucket: '0-3', count: 1, inpatient: 1 },
      { bucket: '4-7', count: 1, inpatient: 0 },
      { bucket: '8-14', count: 0, inpatient: 0 },
      { bucket: '15-30', count: 0, inpatient: 0 },
      { bucket: '30+', count: 1, inpatient: 1 },
    ]);
    expect(totals.byCoder).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: w.coder2.userId, count: 1 }),
        expect.objectContaining({ userId: null, count: 2 }),
      ]),
    );
  });

  it('claims the oldest unassigned encounter, skipping one on hold for a query, and shows the answered query', async () => {
    const old = await w.encounter({ dischargeAt: '2026-02-01T12:00:00.000Z', admitAt: '2026-01-28T12:00:00.000Z' });
    const newer = await w.encounter({ dischargeAt: '2026-03-08T12:00:00.000Z', admitAt: '2026-03-06T12:00:00.000Z' });
    await saveDraft(w.deps, w.coder2, old, heartFailureWithCc);
    const q = await sendQuery(w.deps, w.coder2, old, {
      type: 'open_ended',
      question: 'Based on the indicators below, can the type and acuity of the heart failure be further specified?',
      indicators: [{ kind: 'lab', text: 'BNP 1,250 pg/mL' }],
    });
    expect((await listWorklist(w.deps, w.coder, { queryStatus: 'open' })).items.map((i) => i.encounterId)).toEqual([old]);
    expect((await claimNext(w.deps, w.coder))?.encounterId).toBe(newer);
    await answerQuery(w.deps, w.physician, q.id, { text: 'Acute on chronic systolic heart failure', attest: true });
    const item = (await listWorklist(w.deps, w.coder2, { assignee: 'me' })).items[0];
    expect(item).toMatchObject({ encounterId: old, queryStatus: 'answered' });
    await finalCode(w.deps, w.coder2, old);
    const quality = await qualityReport(w.deps, w.director);
    expect(quality.drgChangeAfterQuery).toMatchObject({ queries: 1, changed: 0, rate: 0 });
  });

  it('opens a restricted record only after break-the-glass, and leaves it out of claim next', async () => {
    const id = await w.encounter();
    const e = await t.db.selectFrom('encounters').select('patient_id').where('id', '=', id).executeTakeFirstOrThrow();
    await t.db.updateTable('patients').set({ restricted: 1, restriction_reason: 'VIP' }).where('id', '=', e.patient_id).execute();
    await expect(getAbstract(w.deps, w.coder, id)).rejects.toMatchObject({ code: 'break_glass_required' });
    expect(await getEncounterAccess(w.deps, w.coder, id)).toEqual({ patientId: e.patient_id, restricted: true, open: false });
    expect(await claimNext(w.deps, w.coder)).toBeNull();
    expect((await listWorklist(w.deps, w.coder)).items[0]).toMatchObject({ encounterId: id, restricted: true });
    await breakGlass(w.deps, w.coder, e.patient_id, 'Coding review of the inpatient account');
    expect((await getAbstract(w.deps, w.coder, id)).encounter.id).toBe(id);
  });

  it('counts final codings per coder, day, hour and type', async () => {
    const a = await w.encounter();
    const b = await w.encounter({ type: 'outpatient', admitAt: '2026-03-04T08:00:00.000Z', dischargeAt: '2026-03-04T12:00:00.000Z' });
    await finalCode(w.deps, w.coder, a, heartFailureWithCc);
    w.deps.clock.advance(2 * 3600_000);
    await finalCode(w.deps, w.coder, b, { principalDx: { code: 'R07.9' }, reasonForVisit: ['R07.9'] });
    const r = await productivityReport(w.deps, w.director, { from: '2026-03-10', to: '2026-03-10' });
    expect(r.byCoder).toEqual([
      expect.objectContaining({
        coderId: w.coder.userId,
        total: 2,
        days: 1,
        perDay: 2,
        hoursActive: 2,
        perHour: 1,
        byType: { inpatient: 1, outpatient: 1 },
      }),
    ]);
    expect(r.byCoderHour.map((h) => [h.hour, h.count])).toEqual([
      [8, 1],
      [10, 1],
    ]);
  });

  it('lets an auditor re-abstract blind and reports code-level agreement after submission', async () => {
    const id = await w.encounter();
    await finalCode(w.deps, w.coder, id, heartFailureWithCc);
    const started = await startAudit(w.deps, w.auditor, id);
    expect(started).toMatchObject({ status: 'in_progress', coder: null, agreement: null });
    expect(started.data.principalDx).toBeNull();
    const done = await saveAudit(
      w.deps,
      w.auditor,
      started.id,
      {
        principalDx: { code: 'I50.23', poa: 'Y' },
        secondaryDx: [{ code: 'E11.9', poa: 'Y' }],
        admittingDx: 'R06.02',
        dischargeStatus: '01',
      },
      true,
    );
    expect(done.status).toBe('submitted');
    expect(done.coder?.drg).toBe('292');
    expect(done.agreement).toMatchObject({
      principalDx: { agree: true },
      secondaryDx: { matched: [], coderOnly: ['N179'], auditorOnly: ['E119'] },
      drg: { coder: '292', auditor: '293', agree: false },
      codeAgreementRate: 0.333,
    });
    await expect(getAudit(w.deps, w.coder2, started.id)).rejects.toMatchObject({ code: 'forbidden' });
    await reopenAbstract(w.deps, w.coder, id, 'Audit finding: N17.9 not supported');
    const q = await qualityReport(w.deps, w.director);
    expect(q.audits).toMatchObject({ submitted: 1, drgAgreementRate: 0, recodedAfterAudit: 1, recodeRate: 1 });
  });
});
