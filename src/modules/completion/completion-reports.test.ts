import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { systemActor } from '../access/index.js';
import { makeCompletionWorld, type CompletionWorld } from './completion-fixtures.test-support.js';
import { completionReport, reportCsv, reportXlsx } from './completion.reports.js';
import { analyseDischarges } from './completion.service.js';

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
