import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { systemActor } from '../access/index.js';
import { updateEncounter } from '../patients/index.js';
import { makeCompletionWorld, PASSWORD, type CompletionWorld } from './completion-fixtures.test-support.js';
import {
  analyseChart,
  analyseDischarges,
  disputeDeficiency,
  getChartCompletion,
  listCompletionWorklist,
  listInbox,
  reanalyseForDocument,
  reassignDeficiency,
  signFromInbox,
  waiveDeficiency,
} from './completion.service.js';
import { completionReport, listSuspensions } from './completion.reports.js';
import { setCompletionSettings } from './completion.settings.js';
import { listWorklist } from '../coding/index.js';
import { FACILITY_ID } from '../../../test/support/factories.js';
import { mailHeaders, mailParts, startSmtpListener } from '../../../test/support/smtp.js';
import { manualClock } from '../../core/shared/clock.js';
import { createMailer } from '../mail/index.js';
import { notify } from '../queries/index.js';
import { emailNoticeDigest } from './completion.notices.js';
import { sendCompletionNotices } from './completion.service.js';

const DS = 'Discharge summary\nFinal diagnosis: community-acquired pneumonia';
const HP = 'History and physical';

describe.each(engines)('chart completion on %s', (engine) => {
  let t: TestDatabase;
  let w: CompletionWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeCompletionWorld(t);
  });
  afterEach(async () => {
    w.dispose();
    await t.dispose();
  });

  const statuses = async (encounterId: string) =>
    (await getChartCompletion(w.deps, w.analyst, encounterId)).deficiencies.map((d) => `${d.requirement}:${d.status}`).sort();

  it('sends in-app notices at 7 days, and one email digest per physician naming no patient (bylaws; 45 CFR 164.502(b))', async () => {
    const smtp = await startSmtpListener();
    const mailer = createMailer({ smtpUrl: smtp.url })!;
    try {
      const charts = [await w.chart(), await w.chart()];
      for (const c of charts) await analyseChart(w.deps, w.analyst, c.encounterId);
      await t.db.updateTable('users').set({ email: 'dr.morgan@hospital.example' }).where('id', '=', w.physician.userId).execute();
      const clock = manualClock('2026-03-16T09:00:00Z');
      const deps = {
        ...w.deps,
        clock,
        notices: { send: (n: Parameters<typeof notify>[2]) => notify(t.db, clock, n), digest: emailNoticeDigest({ db: t.db, mailer }) },
      };
      // Six days: no notice age reached yet.
      expect(await sendCompletionNotices(deps, systemActor('test'))).toBe(0);
      clock.set('2026-03-18T09:00:00Z');
      expect(await sendCompletionNotices(deps, systemActor('test'))).toBe(4);
      const inApp = await t.db.selectFrom('notifications').select(['kind', 'message']).where('user_id', '=', w.physician.userId).execute();
      expect(inApp.map((n) => n.kind)).toEqual(Array(4).fill('completion_notice_7'));
      const mail = await smtp.nextMessage(0);
      expect(mail.to).toEqual(['dr.morgan@hospital.example']);
      const text = mailParts(mail)
        .map((p) => p.body)
        .join('\n')
        .replace(/\s+/g, ' ');
      expect(mailHeaders(mail)['subject']).toBe('Chart completion: 4 deficiencies waiting for you');
      expect(text).toContain('4 chart deficiencies assigned to you reached a notice age (the oldest is 7 days old)');
      const accounts = await t.db
        .selectFrom('encounters')
        .select('account_number')
        .where(
          'id',
          'in',
          charts.map((c) => c.encounterId),
        )
        .execute();
      for (const a of accounts) expect(mail.raw).not.toContain(a.account_number);
      expect(text).not.toMatch(/discharge summary|history and physical/i);
      // Once per deficiency and age: a second run sends nothing, in the app or by email.
      expect(await sendCompletionNotices(deps, systemActor('test'))).toBe(0);
      expect(smtp.messages).toHaveLength(1);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it('analyses a chart at discharge: missing H&P and discharge summary go to the attending (42 CFR 482.22(c)(5), 482.24(c)(4)(vii))', async () => {
    const c = await w.chart({ dischargeAt: null });
    expect(await analyseDischarges(w.deps, systemActor('test'))).toEqual([]);
    await updateEncounter(w.deps, { ...w.analyst, system: true }, c.patientId, c.encounterId, { dischargeAt: '2026-03-05T15:00:00Z' });
    const results = await analyseDischarges(w.deps, systemActor('test'));
    expect(results).toEqual([{ encounterId: c.encounterId, outcome: 'analysed', status: 'incomplete', created: 2, completed: 0 }]);
    const view = await getChartCompletion(w.deps, w.analyst, c.encounterId);
    expect(view.record.status).toBe('incomplete');
    expect(view.deficiencies.map((d) => [d.requirement, d.responsibleProviderId])).toEqual([
      ['history_and_physical', w.providers.attending],
      ['discharge_summary', w.providers.attending],
    ]);
    // The sweep analyses a discharge once.
    expect(await analyseDischarges(w.deps, systemActor('test'))).toEqual([]);
  });

  it('re-analyses when a document arrives and when it is signed; the chart becomes complete (42 CFR 482.24(c)(1))', async () => {
    const c = await w.chart();
    await analyseChart(w.deps, w.analyst, c.encounterId);
    const hp = await w.file(c, 'HP', HP);
    await reanalyseForDocument(w.deps, hp);
    expect(await statuses(c.encounterId)).toEqual(['authentication:open', 'discharge_summary:open', 'history_and_physical:completed']);
    const ds = await w.file(c, 'DS', DS);
    await reanalyseForDocument(w.deps, ds);
    const inbox = await listInbox(w.deps, w.physician);
    expect(inbox.map((i) => [i.type, i.documentId])).toEqual([
      ['unsigned', hp],
      ['unsigned', ds],
    ]);
    const signed = await signFromInbox(w.deps, w.physician, {
      deficiencyIds: inbox.map((i) => i.id),
      attestation: 'I have reviewed and authenticate this document.',
      password: PASSWORD,
    });
    expect(signed.every((r) => r.ok)).toBe(true);
    const view = await getChartCompletion(w.deps, w.analyst, c.encounterId);
    expect(view.record.status).toBe('complete');
    expect(view.record.completedAt).not.toBeNull();
    expect(await listInbox(w.deps, w.physician)).toEqual([]);
  });

  it("shows each chart's completion on the DNFB worklist, and what holds the final bill where the facility bills only complete records", async () => {
    const open = await w.chart();
    const done = await w.chart();
    const unseen = await w.chart();
    await analyseChart(w.deps, w.analyst, open.encounterId);
    await analyseChart(w.deps, w.analyst, done.encounterId);
    for (const [type, text] of [
      ['HP', HP],
      ['DS', DS],
    ] as const)
      await reanalyseForDocument(w.deps, await w.file(done, type, text));
    const inbox = await listInbox(w.deps, w.physician);
    await signFromInbox(w.deps, w.physician, {
      deficiencyIds: inbox.filter((i) => i.encounterId === done.encounterId).map((i) => i.id),
      attestation: 'I have reviewed and authenticate this document.',
      password: PASSWORD,
    });
    const column = async () => {
      const { items } = await listWorklist(w.deps, w.coder, {});
      return new Map(items.map((i) => [i.encounterId, i.completion]));
    };
    let c = await column();
    expect(c.get(open.encounterId)).toEqual({ status: 'incomplete', outstanding: 2, blocksFinalBill: false });
    expect(c.get(done.encounterId)).toEqual({ status: 'complete', outstanding: 0, blocksFinalBill: false });
    expect(c.get(unseen.encounterId)).toBeNull();
    await setCompletionSettings(w.deps, w.director, FACILITY_ID, { completionRequiredForBilling: true });
    c = await column();
    expect(c.get(open.encounterId)).toEqual({ status: 'incomplete', outstanding: 2, blocksFinalBill: true });
    expect(c.get(done.encounterId)?.blocksFinalBill).toBe(false);
    // Day 31 after discharge (42 CFR 482.24(c)(4)(viii)): delinquent, and still holding the bill.
    w.deps.clock.set('2026-04-05T16:00:00Z');
    expect((await column()).get(open.encounterId)).toEqual({ status: 'delinquent', outstanding: 2, blocksFinalBill: true });
  });

  it('refuses batch signing without the physician re-entering the right password', async () => {
    const c = await w.chart();
    await w.file(c, 'HP', HP);
    await analyseChart(w.deps, w.analyst, c.encounterId);
    const inbox = await listInbox(w.deps, w.physician);
    await expect(
      signFromInbox(w.deps, w.physician, {
        deficiencyIds: [inbox[0]!.id],
        attestation: 'I authenticate this document.',
        password: 'wrong password here',
      }),
    ).rejects.toThrow(/password/);
    expect((await t.db.selectFrom('document_signatures').select('id').execute()).length).toBe(0);
  });

  it('re-analyses both charts when a document is moved to another encounter (misfile)', async () => {
    const a = await w.chart();
    const b = await w.chart();
    await analyseChart(w.deps, w.analyst, a.encounterId);
    await analyseChart(w.deps, w.analyst, b.encounterId);
    const hp = await w.file(a, 'HP', HP);
    await reanalyseForDocument(w.deps, hp);
    expect(await statuses(a.encounterId)).toContain('history_and_physical:completed');
    await w.docs.moveDocument(w.director, hp, { patientId: b.patientId, encounterId: b.encounterId, reason: 'filed to the wrong patient' });
    await reanalyseForDocument(w.deps, hp);
    expect(await statuses(a.encounterId)).toContain('history_and_physical:open');
    expect(await statuses(b.encounterId)).toContain('history_and_physical:completed');
  });

  it('waives a deficiency with a reason, and it is not raised again (bylaws)', async () => {
    const c = await w.chart();
    await w.file(c, 'HP', HP);
    const view = await analyseChart(w.deps, w.analyst, c.encounterId);
    const ds = view.deficiencies.find((d) => d.requirement === 'discharge_summary')!;
    await expect(waiveDeficiency(w.deps, w.analyst, ds.id, { reason: '' })).rejects.toThrow(/reason/);
    const waived = await waiveDeficiency(w.deps, w.analyst, ds.id, { reason: 'patient left against medical advice; bylaws waive' });
    expect(waived.status).toBe('waived');
    await analyseChart(w.deps, w.analyst, c.encounterId);
    expect(await statuses(c.encounterId)).toEqual(['authentication:open', 'discharge_summary:waived']);
    const events = (await getChartCompletion(w.deps, w.analyst, c.encounterId)).events.filter((e) => e.kind === 'waived');
    expect(events.map((e) => e.reason)).toEqual(['patient left against medical advice; bylaws waive']);
  });

  it('a physician disputes ("not my patient"); the analyst reassigns with a reason and it moves inboxes', async () => {
    const c = await w.chart();
    await w.file(c, 'HP', HP);
    await analyseChart(w.deps, w.analyst, c.encounterId);
    const mine = await listInbox(w.deps, w.physician);
    const ds = mine.find((i) => i.requirement === 'discharge_summary')!;
    await expect(disputeDeficiency(w.deps, w.physician2, ds.id, { reason: 'not my patient' })).rejects.toThrow(/not found/);
    expect((await disputeDeficiency(w.deps, w.physician, ds.id, { reason: 'not my patient' })).status).toBe('disputed');
    expect((await listInbox(w.deps, w.physician)).map((i) => i.id)).not.toContain(ds.id);
    const r = await reassignDeficiency(w.deps, w.analyst, ds.id, {
      providerId: w.providers.other,
      reason: 'covering physician discharged',
    });
    expect([r.status, r.responsibleProviderId]).toEqual(['open', w.providers.other]);
    expect((await listInbox(w.deps, w.physician2)).map((i) => i.id)).toEqual([ds.id]);
  });

  it('an incomplete chart is delinquent on day 31 after discharge, not day 30 (42 CFR 482.24(c)(4)(viii)); suspension list', async () => {
    const c = await w.chart({ dischargeAt: '2026-03-05T15:00:00Z' });
    await analyseChart(w.deps, w.analyst, c.encounterId);
    w.deps.clock.set('2026-04-04T23:00:00Z'); // day 30
    expect((await getChartCompletion(w.deps, w.analyst, c.encounterId)).record.status).toBe('incomplete');
    expect(await listSuspensions(w.deps, w.director)).toEqual([]);
    w.deps.clock.set('2026-04-05T01:00:00Z'); // day 31
    expect((await getChartCompletion(w.deps, w.analyst, c.encounterId)).record.status).toBe('delinquent');
    expect((await listCompletionWorklist(w.deps, w.analyst, { status: 'delinquent' })).map((r) => r.encounterId)).toEqual([c.encounterId]);
    const s = await listSuspensions(w.deps, w.director);
    expect(s.map((x) => [x.providerId, x.delinquentRecords])).toEqual([[w.providers.attending, 1]]);
  });

  it("judges delinquency by the record's own facility's bylaws in the suspension list and the report (482.24(c)(4)(viii); bylaws)", async () => {
    const c = await w.chart({ dischargeAt: '2026-03-05T15:00:00Z' });
    await analyseChart(w.deps, w.analyst, c.encounterId);
    await setCompletionSettings(w.deps, w.director, FACILITY_ID, { delinquentAfterDays: 45 });
    w.deps.clock.set('2026-04-05T01:00:00Z'); // day 31: delinquent by the defaults, not by this facility's 45 days
    expect(await listSuspensions(w.deps, w.director)).toEqual([]);
    expect(await listSuspensions(w.deps, w.director, { facilityId: FACILITY_ID })).toEqual([]);
    const april = (await completionReport(w.deps, w.director, { month: '2026-04', months: 1 })).trend[0]!;
    expect(april.delinquent).toBe(0);
    w.deps.clock.set('2026-04-20T01:00:00Z'); // day 46
    expect((await listSuspensions(w.deps, w.director, { facilityId: FACILITY_ID })).map((x) => x.delinquentRecords)).toEqual([1]);
    expect((await completionReport(w.deps, w.director, { month: '2026-04', months: 1 })).trend[0]!.delinquent).toBe(1);
    // Another facility's filter leaves this record out.
    expect(await listSuspensions(w.deps, w.director, { facilityId: 'other-facility' })).toEqual([]);
  });

  it('a surgical case needs an operative report from the surgeon, with procedure, surgeon and findings (42 CFR 482.51(b)(6))', async () => {
    const c = await w.chart({ surgery: true });
    await w.file(c, 'HP', HP);
    await w.file(c, 'DS', DS);
    await w.file(c, 'ANES', 'Anesthesia record');
    await w.file(c, 'CONSENT', 'Consent');
    const op = await w.file(c, 'OP', 'Procedure: cholecystectomy\nSurgeon: Okafor', w.physician2);
    const view = await analyseChart(w.deps, w.analyst, c.encounterId);
    const content = view.deficiencies.find((d) => d.type === 'incomplete_content')!;
    expect([content.documentId, content.responsibleProviderId, content.message]).toEqual([
      op,
      w.providers.other,
      'Content incomplete: findings not stated',
    ]);
  });

  it('a restricted chart shows only its existence on the worklist and stays closed without break-the-glass', async () => {
    const c = await w.chart({ restricted: true });
    await analyseDischarges(w.deps, systemActor('test'));
    const row = (await listCompletionWorklist(w.deps, w.analyst, {})).find((r) => r.encounterId === c.encounterId)!;
    expect([row.details, row.status, row.dischargeAt]).toEqual([false, 'withheld', null]);
    await expect(getChartCompletion(w.deps, w.analyst, c.encounterId)).rejects.toThrow(/restricted/);
  });
});
