import { describe, expect, it } from 'vitest';
import {
  caseMixIndex,
  cmsWeighing,
  codingBacklog,
  codingThroughput,
  daysBetween,
  dnfbReasonOf,
  dnfbSummary,
  dnfbTrend,
  duplicateRate,
  fiscalYearOf,
  hospitalSpecificWeighing,
  hospitalSpecificWeights,
  queryFigures,
  roiFigures,
  topDrgs,
  type EncounterFact,
} from './dashboard.rules.js';
import { applyFilter, drillRows, encountersBehind, selectionReadsHiddenFields, type DashboardFilter } from './dashboard-drill.rules.js';

let n = 0;
function fact(over: Partial<EncounterFact> = {}): EncounterFact {
  n++;
  return {
    encounterId: `e${String(n).padStart(3, '0')}`,
    patientId: `p${n}`,
    mrn: `M${n}`,
    patientName: 'Doe, Jane',
    accountNumber: `A${n}`,
    restricted: false,
    facilityId: 'F1',
    type: 'inpatient',
    payer: 'Medicare',
    attendingId: 'dr1',
    attending: 'A Morgan',
    service: 'Medicine',
    admitAt: '2026-03-01T10:00:00.000Z',
    dischargeAt: '2026-03-05T10:00:00.000Z',
    codingStatus: 'not_started',
    finalDrg: null,
    codedBy: null,
    codedAt: null,
    chargesCents: 0,
    claimStatus: null,
    claimHasErrors: false,
    releasedAt: null,
    queryOpen: false,
    chartHoldsBill: false,
    ...over,
  };
}

describe('DNFB reason (one per account, first that applies)', () => {
  const final = { codingStatus: 'final' as const, finalDrg: '291' };
  it.each([
    ['a released bill is not DNFB', { ...final, releasedAt: '2026-03-08T00:00:00.000Z', queryOpen: true }, null],
    ['an open query wins over not coded', { queryOpen: true }, 'query_open'],
    ['not coded', {}, 'not_coded'],
    ['a draft abstract is not coded', { codingStatus: 'draft' as const }, 'not_coded'],
    ['not coded wins over an incomplete chart', { chartHoldsBill: true }, 'not_coded'],
    ['coded, the chart holds the bill', { ...final, chartHoldsBill: true }, 'chart_incomplete'],
    ['coded, the claim has a scrubber error', { ...final, claimStatus: 'draft', claimHasErrors: true }, 'claim_edit'],
    ['coded, clean claim not released', { ...final, claimStatus: 'ready' }, 'awaiting_release'],
    ['coded, no claim yet', final, 'awaiting_release'],
  ] as const)('%s', (_name, over, reason) => {
    expect(dnfbReasonOf(fact(over))).toBe(reason);
  });
});

describe('DNFB summary and trend (hand-computed)', () => {
  // Today 2026-03-20. a: discharged 03-05 (15 days), not coded, $100. b: 03-18 (2 days), query open, $50.
  // c: 03-10 (10 days), coded, chart incomplete, $0. d: released 03-12 (billed, out). e: discharged 03-25 (future, out).
  const today = '2026-03-20';
  const facts = [
    fact({ dischargeAt: '2026-03-05T23:00:00.000Z', chargesCents: 10_000 }),
    fact({ dischargeAt: '2026-03-18T01:00:00.000Z', chargesCents: 5_000, queryOpen: true }),
    fact({ dischargeAt: '2026-03-10T12:00:00.000Z', codingStatus: 'final', finalDrg: '871', chartHoldsBill: true }),
    fact({
      dischargeAt: '2026-03-06T12:00:00.000Z',
      codingStatus: 'final',
      finalDrg: '871',
      claimStatus: 'released',
      releasedAt: '2026-03-12T09:00:00.000Z',
      chargesCents: 7_000,
    }),
    fact({ dischargeAt: '2026-03-25T12:00:00.000Z' }),
  ];
  it('counts accounts, charges and days since discharge, split by reason and age', () => {
    const s = dnfbSummary(facts, today);
    expect(s).toMatchObject({ count: 3, chargesCents: 15_000, meanDays: 9, maxDays: 15 });
    expect(Object.fromEntries(s.byReason.map((r) => [r.reason, r.count]))).toEqual({
      query_open: 1,
      not_coded: 1,
      chart_incomplete: 1,
      claim_edit: 0,
      awaiting_release: 0,
    });
    expect(s.byAge.map((a) => a.count)).toEqual([1, 0, 1, 1, 0]);
  });
  it('reconstructs each day from discharge and release dates', () => {
    const t = dnfbTrend(facts, ['2026-03-04', '2026-03-06', '2026-03-12', '2026-03-18']);
    // 03-06: a, d. 03-12: a, c (d released that day). 03-18: a, b, c.
    expect(t.map((x) => x.count)).toEqual([0, 2, 2, 3]);
    expect(t.map((x) => x.chargesCents)).toEqual([0, 17_000, 10_000, 15_000]);
  });
  it('counts whole calendar days', () => {
    expect(daysBetween('2026-03-05T23:59:00.000Z', '2026-03-06T00:01:00.000Z')).toBe(1);
  });
});

describe('coding backlog and throughput', () => {
  it('counts the backlog by type with the oldest age', () => {
    const b = codingBacklog(
      [
        fact({ type: 'inpatient', dischargeAt: '2026-03-01T00:00:00.000Z' }),
        fact({ type: 'inpatient', dischargeAt: '2026-03-15T00:00:00.000Z', codingStatus: 'draft' }),
        fact({ type: 'outpatient', dischargeAt: '2026-03-19T00:00:00.000Z' }),
        fact({ type: 'outpatient', codingStatus: 'final' }),
      ],
      '2026-03-20',
    );
    expect(b).toEqual([
      { type: 'inpatient', count: 2, oldestDays: 19 },
      { type: 'outpatient', count: 1, oldestDays: 1 },
    ]);
  });
  it('counts final codings per coder per day by type, and the mean per day worked', () => {
    const t = codingThroughput([
      { encounterId: 'e1', coderId: 'c1', coder: 'Ann', type: 'inpatient', savedAt: '2026-03-02T09:00:00.000Z' },
      { encounterId: 'e2', coderId: 'c1', coder: 'Ann', type: 'inpatient', savedAt: '2026-03-02T15:00:00.000Z' },
      { encounterId: 'e3', coderId: 'c1', coder: 'Ann', type: 'outpatient', savedAt: '2026-03-03T09:00:00.000Z' },
      { encounterId: 'e4', coderId: 'c2', coder: 'Bob', type: 'inpatient', savedAt: '2026-03-03T10:00:00.000Z' },
    ]);
    expect(t.byCoderDay).toEqual([
      { coderId: 'c1', coder: 'Ann', day: '2026-03-02', type: 'inpatient', count: 2 },
      { coderId: 'c1', coder: 'Ann', day: '2026-03-03', type: 'outpatient', count: 1 },
      { coderId: 'c2', coder: 'Bob', day: '2026-03-03', type: 'inpatient', count: 1 },
    ]);
    expect(t.byCoder).toEqual([
      { coderId: 'c1', coder: 'Ann', total: 3, days: 2, perDay: 1.5, byType: { inpatient: 2, outpatient: 1 } },
      { coderId: 'c2', coder: 'Bob', total: 1, days: 1, perDay: 1, byType: { inpatient: 1 } },
    ]);
  });
});

describe('case mix index', () => {
  it.each([
    ['2025-09-30', 2025],
    ['2025-10-01', 2026],
    ['2026-09-30', 2026],
  ])('a discharge on %s is in FY %i', (d, fy) => expect(fiscalYearOf(`${d}T12:00:00.000Z`)).toBe(fy));

  const cases = [
    fact({ codingStatus: 'final', finalDrg: '291', dischargeAt: '2026-01-10T00:00:00.000Z', chargesCents: 30_000, service: 'Cardiology' }),
    fact({ codingStatus: 'final', finalDrg: '291', dischargeAt: '2026-01-20T00:00:00.000Z', chargesCents: 10_000, service: 'Cardiology' }),
    fact({ codingStatus: 'final', finalDrg: '871', dischargeAt: '2026-01-25T00:00:00.000Z', chargesCents: 20_000, service: 'Medicine' }),
    fact({ codingStatus: 'final', finalDrg: '999', dischargeAt: '2026-02-02T00:00:00.000Z', chargesCents: 0, service: 'Medicine' }),
    fact({ codingStatus: 'draft', dischargeAt: '2026-02-03T00:00:00.000Z' }),
  ];
  it('uses CMS weights of the fiscal year, a DRG missing from the table counted unweighted', () => {
    const w = cmsWeighing(
      new Map([
        [
          2026,
          new Map([
            ['291', 1.3],
            ['871', 1.9],
          ]),
        ],
      ]),
    );
    const m = caseMixIndex(cases, w);
    // January: (1.3 + 1.3 + 1.9) / 3 = 1.5; February: 999 has no weight.
    expect(m.byMonth).toEqual([
      { month: '2026-01', service: 'all', cases: 3, weightedCases: 3, unweighted: 0, weightSum: 4.5, cmi: 1.5 },
      { month: '2026-02', service: 'all', cases: 1, weightedCases: 0, unweighted: 1, weightSum: 0, cmi: null },
    ]);
    expect(m.byMonthService.find((c) => c.service === 'Cardiology')?.cmi).toBe(1.3);
    expect(w.fiscalYears).toEqual([2026]);
  });
  it('takes the nearest earlier fiscal year when the discharge year was not imported', () => {
    const w = cmsWeighing(new Map([[2025, new Map([['291', 1.2]])]]));
    expect(w.weightOf({ finalDrg: '291', dischargeAt: '2026-01-10T00:00:00.000Z', chargesCents: 0 })).toBe(1.2);
    expect(w.fiscalYears).toEqual([2025]);
  });
  it('computes hospital-specific weights from charges: DRG mean charge over the mean charge per case', () => {
    // Mean per case (cases with charges) = (300 + 100 + 200) / 3 = 200. DRG 291 mean 200 -> 1; 871 mean 200 -> 1.
    const hs = hospitalSpecificWeights([...cases, fact({ codingStatus: 'final', finalDrg: '871', chargesCents: 60_000 })]);
    // Now mean = (300+100+200+600)/4 = 300; 291: 200/300 = 0.6667; 871: 400/300 = 1.3333.
    expect(Object.fromEntries(hs)).toEqual({ '291': 0.6667, '871': 1.3333 });
    const m = caseMixIndex(cases, hospitalSpecificWeighing(hs));
    // January: (0.6667 + 0.6667 + 1.3333) / 3 = 0.8889; the case without charges has no weight.
    expect(m.byMonth[0]?.cmi).toBe(0.8889);
    expect(m.overall).toMatchObject({ cases: 4, weightedCases: 3, unweighted: 1 });
  });
  it('ranks top DRGs by cases with charges, mean LOS and weight', () => {
    const t = topDrgs(cases, cmsWeighing(new Map([[2026, new Map([['291', 1.3]])]])), 2);
    expect(t).toEqual([
      { drg: '291', cases: 2, chargesCents: 40_000, meanLos: 0, weight: 1.3 },
      { drg: '871', cases: 1, chargesCents: 20_000, meanLos: 0, weight: null },
    ]);
  });
});

describe('queries, MPI and ROI figures', () => {
  it('counts queries, mean response hours and agreement over answered ones', () => {
    expect(
      queryFigures([
        { encounterId: 'e1', status: 'answered', sentAt: '2026-03-01T00:00:00.000Z', answeredAt: '2026-03-01T10:00:00.000Z', agreed: 1 },
        { encounterId: 'e2', status: 'answered', sentAt: '2026-03-01T00:00:00.000Z', answeredAt: '2026-03-02T02:00:00.000Z', agreed: 0 },
        { encounterId: 'e3', status: 'open', sentAt: '2026-03-02T00:00:00.000Z', answeredAt: null, agreed: null },
      ]),
    ).toEqual({ sent: 3, answered: 2, pending: 1, meanResponseHours: 18, agreementRate: 0.5 });
  });
  it('rates MPI duplicates against active patients', () => {
    expect(duplicateRate(400, 6)).toBe(0.015);
    expect(duplicateRate(0, 0)).toBe(0);
  });
  it('measures ROI turnaround and breaches (closed late, or open past due)', () => {
    expect(
      roiFigures(
        [
          { receivedOn: '2026-01-01', dueOn: '2026-01-31', closedOn: '2026-01-11' },
          { receivedOn: '2026-01-01', dueOn: '2026-01-31', closedOn: '2026-02-05' },
          { receivedOn: '2026-02-01', dueOn: '2026-03-03', closedOn: null },
          { receivedOn: '2026-03-01', dueOn: '2026-03-31', closedOn: null },
        ],
        '2026-03-10',
      ),
    ).toEqual({ received: 4, closed: 2, meanDays: 22.5, breaches: 2 });
  });
});

describe('drill-down', () => {
  const f: DashboardFilter = { from: '2026-03-01', to: '2026-03-31' };
  const open = fact({ dischargeAt: '2026-03-05T00:00:00.000Z' });
  const vip = fact({ dischargeAt: '2026-03-06T00:00:00.000Z', restricted: true, queryOpen: true });
  const shows = (x: EncounterFact) => !x.restricted;
  it('lists a restricted record behind the plain DNFB figure by its existence only', () => {
    const behind = encountersBehind([open, vip], { figure: 'dnfb' }, f, '2026-03-20');
    const r = drillRows(behind, shows, selectionReadsHiddenFields({ figure: 'dnfb' }, f), '2026-03-20');
    expect(r.withheld).toBe(0);
    expect(r.rows.map((x) => [x.encounterId, x.details, x.dnfbReason])).toEqual([
      [open.encounterId, true, 'not_coded'],
      [vip.encounterId, false, null],
    ]);
  });
  it('counts, and does not list, a restricted record chosen by what it hides (a reason)', () => {
    const sel = { figure: 'dnfb' as const, reason: 'query_open' as const };
    const behind = encountersBehind([open, vip], sel, f, '2026-03-20');
    expect(behind.map((x) => x.encounterId)).toEqual([vip.encounterId]);
    expect(drillRows(behind, shows, selectionReadsHiddenFields(sel, f), '2026-03-20')).toEqual({ rows: [], withheld: 1 });
  });
  it('leaves a restricted record out of a filter on what it hides, and counts it without one', () => {
    expect(applyFilter([open, vip], f, shows)).toHaveLength(2);
    expect(applyFilter([open, vip], { ...f, payer: 'Medicare' }, shows).map((x) => x.encounterId)).toEqual([open.encounterId]);
    expect(applyFilter([open, vip], { ...f, facility: 'F1' }, shows)).toHaveLength(2);
  });
  it.each([
    [{ figure: 'dnfb' as const }, {}, false],
    [{ figure: 'backlog' as const }, {}, false],
    [{ figure: 'dnfb' as const }, { payer: 'Medicare' }, true],
    [{ figure: 'backlog' as const, type: 'inpatient' }, {}, true],
    [{ figure: 'drg' as const }, {}, true],
    [{ figure: 'dnfb' as const, day: '2026-03-02' }, {}, true],
  ])('selection %j with filter %j reads hidden fields: %s', (sel, extra, expected) => {
    expect(selectionReadsHiddenFields(sel, { ...f, ...extra })).toBe(expected);
  });
});
