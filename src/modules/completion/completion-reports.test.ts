import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { systemActor } from '../access/index.js';
import { makeCompletionWorld, PASSWORD, type CompletionWorld } from './completion-fixtures.test-support.js';
import {
  completionReport,
  physicianScorecards,
  reportCsv,
  reportXlsx,
  scorecardCsv,
  scorecardXlsx,
  type Scorecard,
} from './completion.reports.js';
import {
  analyseDischarges,
  disputeDeficiency,
  listInbox,
  reanalyseForDocument,
  reassignDeficiency,
  signFromInbox,
} from './completion.service.js';

describe.each(engines)('completion report figures on a seeded month, %s', (engine) => {
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

  it('counts delinquent records against the average monthly discharges of the three months before (The Joint Commission RC.01.04.01 EP 3)', async () => {
    for (const d of ['2026-01-10', '2026-02-10', '2026-02-20', '2026-03-05', '2026-03-06'])
      await w.chart({ admitAt: `${d}T01:00:00Z`, dischargeAt: `${d}T12:00:00Z` });
    w.deps.clock.set('2026-03-10T08:00:00Z');
    await analyseDischarges(w.deps, systemActor('test'));
    w.deps.clock.set('2026-04-20T08:00:00Z');
    const r = await completionReport(w.deps, w.director, { month: '2026-04', months: 2 });
    expect(r.trend.map((m) => [m.month, m.discharges, m.delinquent, m.averageMonthlyDischarges, m.rate, m.flagged])).toEqual([
      // March: delinquent at month end = discharged before March 1 (3); Dec-Feb average (0 + 1 + 2) / 3 = 1.
      ['2026-03', 2, 3, 1, 3, true],
      // April (to now): discharged before March 21 (all 5); Jan-Mar average (1 + 2 + 2) / 3.
      ['2026-04', 0, 5, 1.67, 3, true],
    ]);
    expect(r.byType).toEqual({ missing_document: 10 });
    expect(r.byAge).toEqual({ '0-7': 0, '8-14': 0, '15-30': 0, '31+': 10 });
    expect(r.byPhysician.map((p) => [p.providerId, p.open])).toEqual([[w.providers.attending, 10]]);
    expect(reportCsv(r)).toContain('2026-03,2,3,1,3,yes');
    expect((await reportXlsx(r)).byteLength).toBeGreaterThan(1000);
  });
});

describe.each(engines)('physician scorecards on a seeded month, %s', (engine) => {
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

  it('counts assigned, completed on time (42 CFR 482.24(c)(4)(viii)), median days, disputes, open, delinquent and suspended; restricted records counted, never named', async () => {
    w.deps.clock.set('2026-03-06T08:00:00Z');
    const a = await w.chart({ restricted: true });
    const b = await w.chart();
    const c = await w.chart();
    await analyseDischarges(w.deps, systemActor('test')); // H&P and discharge summary missing on each: 6, attending
    w.deps.clock.set('2026-03-08T08:00:00Z'); // B's documents arrive (2 completed after 2 days), unsigned
    await reanalyseForDocument(w.deps, await w.file(b, 'HP', 'History and physical'));
    await reanalyseForDocument(w.deps, await w.file(b, 'DS', 'Discharge summary\nFinal diagnosis: pneumonia'));
    w.deps.clock.set('2026-03-09T08:00:00Z'); // signed a day later (2 more completed after 1 day); C's DS disputed
    const unsigned = (await listInbox(w.deps, w.physician)).filter((i) => i.type === 'unsigned');
    expect(unsigned).toHaveLength(2);
    const signed = await signFromInbox(w.deps, w.physician, {
      deficiencyIds: unsigned.map((i) => i.id),
      attestation: 'I have reviewed and authenticate this document.',
      password: PASSWORD,
    });
    expect(signed.every((s) => s.ok)).toBe(true);
    const cds = (await listInbox(w.deps, w.physician)).find(
      (i) => i.encounterId === c.encounterId && i.requirement === 'discharge_summary',
    )!;
    await disputeDeficiency(w.deps, w.physician, cds.id, { reason: 'not my patient' });
    await reassignDeficiency(w.deps, w.analyst, cds.id, { providerId: w.providers.other, reason: 'covering physician' });
    w.deps.clock.set('2026-04-06T08:00:00Z'); // day 32: A and C delinquent

    const r = await physicianScorecards(w.deps, w.director, { from: '2026-03-01', to: '2026-03-31' });
    const figures = (x: Scorecard) => [
      x.providerId,
      x.assigned,
      x.completed,
      x.completedOnTime,
      x.medianDaysToComplete,
      x.disputes,
      x.open,
      x.delinquentRecords,
      x.suspended,
    ];
    expect(r.physicians.map(figures)).toEqual([
      // A 2 + B 4 + C's H&P; median of 2, 2, 1, 1 days; open A 2 + C 1; delinquent A (restricted) and C.
      [w.providers.attending, 7, 4, 4, 1.5, 1, 3, 2, true],
      [w.providers.other, 1, 0, 0, null, 0, 1, 1, true],
    ]);
    expect(r.physicians[0]!.providerName).toContain('Morgan');
    const json = JSON.stringify(r);
    for (const id of [a.patientId, a.encounterId, c.patientId, c.encounterId]) expect(json).not.toContain(id);

    // April: nothing assigned or disputed in the period; open and delinquent are as of now.
    const april = await physicianScorecards(w.deps, w.director, { from: '2026-04-01', to: '2026-04-30' });
    expect(april.physicians.map(figures)).toEqual([
      [w.providers.attending, 0, 0, 0, null, 0, 3, 2, true],
      [w.providers.other, 0, 0, 0, null, 0, 1, 1, true],
    ]);
    await expect(physicianScorecards(w.deps, w.director, { from: '2026-04-02', to: '2026-04-01' })).rejects.toThrow(
      /from must not be after to/,
    );
    expect(scorecardCsv(r).split('\r\n').slice(0, 3)).toEqual([
      'Physician scorecards',
      'provider,assigned,completed,completed on time,median days to complete,disputes,open now,delinquent records now,suspended',
      `"${r.physicians[0]!.providerName}",7,4,4,1.5,1,3,2,yes`,
    ]);
    expect((await scorecardXlsx(r)).byteLength).toBeGreaterThan(1000);
  });
});
