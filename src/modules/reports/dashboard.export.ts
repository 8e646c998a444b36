/** The dashboard and its drill-down lists as report tables (CSV, XLSX through src/core/shared/report-export.ts). */
import type { ReportTable } from '../../core/shared/report-export.js';
import type { DrillRow } from './dashboard-drill.rules.js';
import type { Dashboard } from './dashboard.service.js';

const dollars = (cents: number | null) => (cents === null ? null : Math.round(cents) / 100);

/** One table per figure; amounts in dollars. */
export function dashboardTables(d: Dashboard): ReportTable[] {
  return [
    {
      name: 'DNFB by reason',
      header: ['reason', 'accounts', 'charges'],
      rows: [
        ...d.dnfb.byReason.map((r) => [r.label, r.count, dollars(r.chargesCents)]),
        ['Total', d.dnfb.count, dollars(d.dnfb.chargesCents)],
      ],
    },
    {
      name: 'DNFB by age',
      header: ['days since discharge', 'accounts', 'charges'],
      rows: d.dnfb.byAge.map((a) => [a.bucket, a.count, dollars(a.chargesCents)]),
    },
    {
      name: 'DNFB trend',
      header: ['day', 'accounts', 'charges'],
      rows: d.dnfb.trend.map((t) => [t.day, t.count, dollars(t.chargesCents)]),
    },
    {
      name: 'Coding backlog',
      header: ['encounter type', 'not final-coded', 'oldest (days)'],
      rows: d.coding.backlog.map((b) => [b.type, b.count, b.oldestDays]),
    },
    {
      name: 'Coding throughput',
      header: ['coder', 'day', 'encounter type', 'final-coded'],
      rows: d.coding.throughput.byCoderDay.map((r) => [r.coder, r.day, r.type, r.count]),
    },
    {
      name: 'Top MS-DRGs',
      header: ['MS-DRG', 'cases', 'charges', 'mean LOS', 'relative weight'],
      rows: d.drgs.map((r) => [r.drg, r.cases, dollars(r.chargesCents), r.meanLos, r.weight]),
    },
    {
      name: 'Case mix index',
      header: ['month', 'service line', 'cases', 'weighted cases', 'CMI', 'weights'],
      rows: [...d.caseMix.byMonth, ...d.caseMix.byMonthService].map((c) => [
        c.month,
        c.service,
        c.cases,
        c.weightedCases,
        c.cmi,
        d.caseMix.weights.label,
      ]),
    },
    {
      name: 'Queries',
      header: ['sent', 'answered', 'pending', 'mean response (hours)', 'agreement rate'],
      rows: [[d.queries.sent, d.queries.answered, d.queries.pending, d.queries.meanResponseHours, d.queries.agreementRate]],
    },
    {
      name: 'MPI and ROI',
      header: ['figure', 'value'],
      rows: [
        ['active patients', d.mpi.activePatients],
        ['patients in open duplicate pairs', d.mpi.patientsInOpenPairs],
        ['duplicate rate', d.mpi.duplicateRate],
        ['ROI requests received', d.roi.received],
        ['ROI requests closed', d.roi.closed],
        ['ROI mean turnaround (days)', d.roi.meanDays],
        ['ROI breaches', d.roi.breaches],
      ],
    },
    operationsTable(d),
  ];
}

/** A drill-down list as a table: ids and what each row may show (a restricted row not opened shows its ids only). */
export function drillTable(items: readonly DrillRow[], withheld: number): ReportTable[] {
  return [
    {
      name: 'Encounters',
      header: [
        'encounter',
        'patient',
        'type',
        'payer',
        'attending',
        'service',
        'discharged',
        'days',
        'DNFB reason',
        'coding',
        'MS-DRG',
        'charges',
      ],
      rows: [
        ...items.map((r) => [
          r.encounterId,
          r.mrn,
          r.patientName,
          r.accountNumber,
          r.type,
          r.payer,
          r.attending,
          r.service,
          r.dischargeAt?.slice(0, 10) ?? null,
          r.daysSinceDischarge,
          r.dnfbReason,
          r.codingStatus,
          r.drg,
          dollars(r.chargesCents),
        ]),
        ...(withheld > 0 ? [[`${withheld} restricted record(s) counted, not listed`]] : []),
      ],
    },
  ];
}

/** Delinquency, A/R and denials, interface health and no-shows: one figure per row. */
function operationsTable(d: Dashboard): ReportTable {
  const o = d.operations;
  const r = o.receivables;
  return {
    name: 'Operations',
    header: ['figure', 'value'],
    rows: [
      ['delinquent records (this month)', o.delinquency?.delinquent ?? null],
      ['average monthly discharges', o.delinquency?.averageMonthlyDischarges ?? null],
      ['delinquency rate', o.delinquency?.rate ?? null],
      ['delinquency over 50% (flag)', o.delinquency ? (o.delinquency.flagged ? 'yes' : 'no') : null],
      ['deficiencies outstanding', o.delinquency?.outstandingDeficiencies ?? null],
      ['A/R claims', r.arClaims],
      ['A/R balance', dollars(r.arCents)],
      ...Object.entries(r.arByAge).map(([age, cents]) => [`A/R ${age} days`, dollars(cents)]),
      ['claims adjudicated', r.adjudicatedClaims],
      ['claims denied', r.deniedClaims],
      ['denied charges', dollars(r.deniedChargeCents)],
      ['denial rate', r.denialRate],
      ...Object.entries(r.denialsByWork).map(([work, n]) => [`denials ${work.replace(/_/g, ' ')}`, n]),
      ['HL7 messages received', o.interfaces.received],
      ['HL7 messages in error (AE)', o.interfaces.errors],
      ['HL7 messages rejected (AR)', o.interfaces.rejected],
      ['HL7 error rate', o.interfaces.errorRate],
      ['HL7 last message received', o.interfaces.lastReceivedAt],
      ['appointments scheduled', o.appointments.scheduled],
      ['appointments completed', o.appointments.completed],
      ['no-shows', o.appointments.noShow],
      ['no-show rate', o.appointments.noShowRate],
    ],
  };
}
