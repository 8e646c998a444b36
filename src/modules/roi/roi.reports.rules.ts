/**
 * Release-of-information reports (pure): turnaround from receipt to release by requester type, the backlog and its
 * clocks as of today, breaches of the clocks (164.524(b)(2), 164.528(c)(1); the service target for third parties),
 * volumes and denials by month, and revenue (invoiced and paid) by month. Counts and money only: no patient, no
 * requester name.
 */
import type { ReportTable } from '../../core/shared/report-export.js';
import { daysBetween, requestClock, type ClockKind, type ClockPolicy } from './roi.clock.rules.js';

/** What a report needs of one request (no names). */
export interface RoiReportRequest {
  requesterType: string;
  clockKind: ClockKind;
  status: string;
  receivedOn: string;
  extendedDueOn: string | null;
  closedOn: string | null;
  denialGround: string | null;
}

export interface RoiReportInvoice {
  /** YYYY-MM-DD the invoice was made (the release). */
  createdOn: string;
  totalCents: number;
  paidCents: number;
}

export interface RoiReport {
  from: string;
  to: string;
  asOf: string;
  /** Released requests received in the period: days from receipt to release, by requester type. */
  turnaround: { requesterType: string; released: number; medianDays: number | null; averageDays: number | null; maxDays: number | null }[];
  /** Open requests today, whenever received, by the state of their clock. */
  backlog: { requesterType: string; open: number; onTime: number; escalated: number; breached: number }[];
  /** Requests received in the period whose clock ran out: closed after the limit, or open past it today. */
  breaches: { requesterType: string; legalClock: boolean; closedLate: number; openPastDue: number }[];
  /** By month of receipt. */
  volumes: { month: string; received: number; released: number; denied: number; open: number }[];
  denials: { ground: string; count: number }[];
  /** By month the invoice was made, in dollars. */
  revenue: { month: string; invoices: number; invoiced: number; paid: number; outstanding: number }[];
}

const month = (day: string) => day.slice(0, 7);
const dollars = (cents: number) => Math.round(cents) / 100;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The months from `from` to `to` (YYYY-MM-DD), as YYYY-MM, oldest first. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = month(from).split('-').map(Number) as [number, number];
  const last = month(to);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > last) return out;
    out.push(key);
    m++;
    if (m > 12) [y, m] = [y + 1, 1];
  }
}

/**
 * The report over requests received in [from, to] (YYYY-MM-DD, inclusive), the backlog of all open requests today,
 * and the invoices made in the period. `requests` may hold requests outside the period (the backlog uses them).
 */
export function buildRoiReport(
  requests: readonly RoiReportRequest[],
  invoices: readonly RoiReportInvoice[],
  policy: ClockPolicy,
  period: { from: string; to: string; today: string },
): RoiReport {
  const inPeriod = requests.filter((r) => r.receivedOn >= period.from && r.receivedOn <= period.to);
  const types = [...new Set(requests.map((r) => r.requesterType))].sort();
  const clockOf = (r: RoiReportRequest) =>
    requestClock(
      { kind: r.clockKind, receivedOn: r.receivedOn, extendedDueOn: r.extendedDueOn, closedOn: r.closedOn },
      policy,
      period.today,
    );

  const turnaround = types.flatMap((t) => {
    const days = inPeriod
      .filter((r) => r.requesterType === t && r.status === 'released' && r.closedOn !== null)
      .map((r) => daysBetween(r.receivedOn, r.closedOn!));
    if (days.length === 0) return [];
    return [
      {
        requesterType: t,
        released: days.length,
        medianDays: median(days),
        averageDays: Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10,
        maxDays: Math.max(...days),
      },
    ];
  });

  const backlog = types.flatMap((t) => {
    const open = requests.filter((r) => r.requesterType === t && r.status === 'open');
    if (open.length === 0) return [];
    const states = open.map((r) => clockOf(r).state);
    return [
      {
        requesterType: t,
        open: open.length,
        onTime: states.filter((s) => s === 'on_time').length,
        escalated: states.filter((s) => s === 'escalated').length,
        breached: states.filter((s) => s === 'breached').length,
      },
    ];
  });

  const breaches = types.flatMap((t) => {
    const mine = inPeriod.filter((r) => r.requesterType === t);
    const closedLate = mine.filter((r) => r.closedOn !== null && clockOf(r).state === 'closed_late').length;
    const openPastDue = mine.filter((r) => r.status === 'open' && clockOf(r).state === 'breached').length;
    if (closedLate + openPastDue === 0) return [];
    return [{ requesterType: t, legalClock: mine.some((r) => r.clockKind !== 'third_party'), closedLate, openPastDue }];
  });

  const volumes = monthsBetween(period.from, period.to).map((mo) => {
    const rs = inPeriod.filter((r) => month(r.receivedOn) === mo);
    return {
      month: mo,
      received: rs.length,
      released: rs.filter((r) => r.status === 'released').length,
      denied: rs.filter((r) => r.status === 'denied').length,
      open: rs.filter((r) => r.status === 'open').length,
    };
  });

  const grounds = new Map<string, number>();
  for (const r of inPeriod)
    if (r.status === 'denied') grounds.set(r.denialGround ?? 'unstated', (grounds.get(r.denialGround ?? 'unstated') ?? 0) + 1);
  const denials = [...grounds]
    .map(([ground, count]) => ({ ground, count }))
    .sort((a, b) => b.count - a.count || a.ground.localeCompare(b.ground));

  const billed = invoices.filter((i) => i.createdOn >= period.from && i.createdOn <= period.to);
  const revenue = monthsBetween(period.from, period.to).map((mo) => {
    const is = billed.filter((i) => month(i.createdOn) === mo);
    const invoiced = is.reduce((a, i) => a + i.totalCents, 0);
    const paid = is.reduce((a, i) => a + Math.min(i.paidCents, i.totalCents), 0);
    return { month: mo, invoices: is.length, invoiced: dollars(invoiced), paid: dollars(paid), outstanding: dollars(invoiced - paid) };
  });

  return { from: period.from, to: period.to, asOf: period.today, turnaround, backlog, breaches, volumes, denials, revenue };
}

/** The report as tables for CSV and XLSX. */
export function roiReportTables(r: RoiReport): ReportTable[] {
  return [
    {
      name: 'Turnaround',
      header: ['requester type', 'released', 'median days', 'average days', 'max days'],
      rows: r.turnaround.map((t) => [t.requesterType, t.released, t.medianDays, t.averageDays, t.maxDays]),
    },
    {
      name: 'Backlog',
      header: ['requester type', 'open', 'on time', 'escalated', 'breached'],
      rows: r.backlog.map((b) => [b.requesterType, b.open, b.onTime, b.escalated, b.breached]),
    },
    {
      name: 'Breaches',
      header: ['requester type', 'legal clock', 'closed late', 'open past due'],
      rows: r.breaches.map((b) => [b.requesterType, b.legalClock ? 'yes' : 'no (service target)', b.closedLate, b.openPastDue]),
    },
    {
      name: 'Volumes',
      header: ['month', 'received', 'released', 'denied', 'open'],
      rows: r.volumes.map((v) => [v.month, v.received, v.released, v.denied, v.open]),
    },
    { name: 'Denials', header: ['ground', 'requests'], rows: r.denials.map((d) => [d.ground, d.count]) },
    {
      name: 'Revenue',
      header: ['month', 'invoices', 'invoiced ($)', 'paid ($)', 'outstanding ($)'],
      rows: r.revenue.map((v) => [v.month, v.invoices, v.invoiced, v.paid, v.outstanding]),
    },
  ];
}
