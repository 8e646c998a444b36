import { describe, expect, it } from 'vitest';
import { FEDERAL_CLOCK_POLICY } from './roi.clock.rules.js';
import { buildRoiReport, monthsBetween, roiReportTables, type RoiReportRequest } from './roi.reports.rules.js';

const req = (over: Partial<RoiReportRequest>): RoiReportRequest => ({
  requesterType: 'attorney',
  clockKind: 'third_party',
  status: 'open',
  receivedOn: '2026-03-01',
  extendedDueOn: null,
  closedOn: null,
  denialGround: null,
  ...over,
});

describe('ROI reports (pure)', () => {
  const period = { from: '2026-01-01', to: '2026-03-31', today: '2026-04-20' };

  it('lists the months of a period, across a year end', () => {
    expect(monthsBetween('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('measures turnaround from receipt to release by requester type: median, average, maximum days', () => {
    const r = buildRoiReport(
      [
        req({ status: 'released', receivedOn: '2026-01-05', closedOn: '2026-01-15' }), // 10 days
        req({ status: 'released', receivedOn: '2026-02-01', closedOn: '2026-02-05' }), // 4
        req({ status: 'released', receivedOn: '2026-03-01', closedOn: '2026-03-21' }), // 20
        req({ requesterType: 'patient', clockKind: 'access', status: 'released', receivedOn: '2026-02-10', closedOn: '2026-02-13' }),
        req({ status: 'released', receivedOn: '2025-12-01', closedOn: '2025-12-02' }), // before the period
      ],
      [],
      FEDERAL_CLOCK_POLICY,
      period,
    );
    expect(r.turnaround).toEqual([
      { requesterType: 'attorney', released: 3, medianDays: 10, averageDays: 11.3, maxDays: 20 },
      { requesterType: 'patient', released: 1, medianDays: 3, averageDays: 3, maxDays: 3 },
    ]);
  });

  it('counts the backlog by clock state today, and breaches of the 30-day access limit (164.524(b)(2)) apart from the service target', () => {
    const r = buildRoiReport(
      [
        // Access received 2026-03-01: due 2026-03-31, open on 2026-04-20 — breached.
        req({ requesterType: 'patient', clockKind: 'access', receivedOn: '2026-03-01' }),
        // Access with the one extension to 2026-04-30: 10 days left — on time (escalation is 5 days before).
        req({ requesterType: 'patient', clockKind: 'access', receivedOn: '2026-03-05', extendedDueOn: '2026-04-30' }),
        // Access due 2026-04-24: 4 days left — escalated.
        req({ requesterType: 'patient', clockKind: 'access', receivedOn: '2026-03-25' }),
        // Released on day 35 of a 30-day access clock: closed late.
        req({ requesterType: 'patient', clockKind: 'access', status: 'released', receivedOn: '2026-01-10', closedOn: '2026-02-14' }),
        // An attorney's request past the 30-day service target.
        req({ receivedOn: '2026-02-01' }),
      ],
      [],
      FEDERAL_CLOCK_POLICY,
      period,
    );
    expect(r.backlog).toEqual([
      { requesterType: 'attorney', open: 1, onTime: 0, escalated: 0, breached: 1 },
      { requesterType: 'patient', open: 3, onTime: 1, escalated: 1, breached: 1 },
    ]);
    expect(r.breaches).toEqual([
      { requesterType: 'attorney', legalClock: false, closedLate: 0, openPastDue: 1 },
      { requesterType: 'patient', legalClock: true, closedLate: 1, openPastDue: 1 },
    ]);
  });

  it('counts volumes and denials by month of receipt, and revenue invoiced and paid by month', () => {
    const r = buildRoiReport(
      [
        req({ receivedOn: '2026-01-03', status: 'released', closedOn: '2026-01-09' }),
        req({ receivedOn: '2026-01-20', status: 'denied', closedOn: '2026-01-22', denialGround: 'no_valid_basis' }),
        req({ receivedOn: '2026-03-02', status: 'denied', closedOn: '2026-03-03', denialGround: 'no_valid_basis' }),
        req({ receivedOn: '2026-03-09', status: 'denied', closedOn: '2026-03-12', denialGround: 'endangers_life_or_safety' }),
        req({ receivedOn: '2026-03-30' }),
      ],
      [
        { createdOn: '2026-01-09', totalCents: 2_550, paidCents: 2_550 },
        { createdOn: '2026-03-15', totalCents: 650, paidCents: 0 },
        { createdOn: '2026-03-20', totalCents: 10_000, paidCents: 4_000 },
        { createdOn: '2026-04-02', totalCents: 999, paidCents: 999 }, // after the period
      ],
      FEDERAL_CLOCK_POLICY,
      period,
    );
    expect(r.volumes).toEqual([
      { month: '2026-01', received: 2, released: 1, denied: 1, open: 0 },
      { month: '2026-02', received: 0, released: 0, denied: 0, open: 0 },
      { month: '2026-03', received: 3, released: 0, denied: 2, open: 1 },
    ]);
    expect(r.denials).toEqual([
      { ground: 'no_valid_basis', count: 2 },
      { ground: 'endangers_life_or_safety', count: 1 },
    ]);
    expect(r.revenue).toEqual([
      { month: '2026-01', invoices: 1, invoiced: 25.5, paid: 25.5, outstanding: 0 },
      { month: '2026-02', invoices: 0, invoiced: 0, paid: 0, outstanding: 0 },
      { month: '2026-03', invoices: 2, invoiced: 106.5, paid: 40, outstanding: 66.5 },
    ]);
    const tables = roiReportTables(r);
    expect(tables.map((t) => t.name)).toEqual(['Turnaround', 'Backlog', 'Breaches', 'Volumes', 'Denials', 'Revenue']);
    expect(tables.find((t) => t.name === 'Revenue')!.rows[2]).toEqual(['2026-03', 2, 106.5, 40, 66.5]);
  });
});
