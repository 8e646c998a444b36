/**
 * The list behind each dashboard figure (drill-down), and the filters every figure shares. Pure: the service passes
 * the facts and whether each row may show its details.
 */
import {
  daysBetween,
  dnfbAgeBucketOf,
  dnfbReasonOf,
  inDnfbOn,
  type DnfbReason,
  type EncounterFact,
  type FinalCoding,
} from './dashboard.rules.js';

/** Filters every figure takes; each applies where the data has it. Dates are YYYY-MM-DD, inclusive. */
export interface DashboardFilter {
  /** Discharges (throughput: codings; queries: sending) from this day; DNFB and the backlog are as of today. */
  from: string;
  to: string;
  facility?: string | undefined;
  /** Service line: the attending physician's specialty. */
  service?: string | undefined;
  /** The attending physician (provider id). */
  physician?: string | undefined;
  payer?: string | undefined;
}

export const Figures = ['dnfb', 'backlog', 'throughput', 'drg', 'cmi', 'queries'] as const;
export type Figure = (typeof Figures)[number];

/** Which part of a figure: a DNFB reason, age bucket or trend day; a backlog type; a coder's day; a DRG; a CMI month. */
export interface FigureSelection {
  figure: Figure;
  reason?: DnfbReason | undefined;
  age?: string | undefined;
  day?: string | undefined;
  type?: string | undefined;
  coderId?: string | undefined;
  drg?: string | undefined;
  month?: string | undefined;
}

/**
 * The facts the filter keeps (facility, service line, attending, payer; not the dates, which each figure applies). A
 * filter on what a restricted record hides (service line, attending, payer) leaves out such a record the user has not
 * opened, as the coding worklist does: else comparing a filtered count with another would tell its payer or physician.
 */
export function applyFilter(
  facts: readonly EncounterFact[],
  f: DashboardFilter,
  shows: (x: EncounterFact) => boolean = () => true,
): EncounterFact[] {
  const hidden = f.service !== undefined || f.physician !== undefined || f.payer !== undefined;
  return facts.filter(
    (x) =>
      (!hidden || shows(x)) &&
      (f.facility === undefined || x.facilityId === f.facility) &&
      (f.service === undefined || x.service === f.service) &&
      (f.physician === undefined || x.attendingId === f.physician) &&
      (f.payer === undefined || x.payer === f.payer),
  );
}

/** Discharged within the filter's dates. */
export function dischargedIn(x: Pick<EncounterFact, 'dischargeAt'>, f: Pick<DashboardFilter, 'from' | 'to'>): boolean {
  const d = x.dischargeAt.slice(0, 10);
  return d >= f.from && d <= f.to;
}

/**
 * The encounters behind a figure (already filtered by `applyFilter`). Throughput and queries name their encounters
 * through the codings and queries passed in.
 */
export function encountersBehind(
  facts: readonly EncounterFact[],
  sel: FigureSelection,
  f: DashboardFilter,
  today: string,
  more: { codings?: readonly FinalCoding[]; queryEncounterIds?: readonly string[] } = {},
): EncounterFact[] {
  switch (sel.figure) {
    case 'dnfb':
      return facts.filter(
        (x) =>
          inDnfbOn(x, sel.day ?? today) &&
          (sel.reason === undefined || (sel.day === undefined && dnfbReasonOf(x) === sel.reason)) &&
          (sel.age === undefined || dnfbAgeBucketOf(Math.max(0, daysBetween(x.dischargeAt, sel.day ?? today))) === sel.age),
      );
    case 'backlog':
      return facts.filter(
        (x) => x.codingStatus !== 'final' && x.dischargeAt.slice(0, 10) <= today && (sel.type === undefined || x.type === sel.type),
      );
    case 'throughput': {
      const ids = new Set(
        (more.codings ?? [])
          .filter(
            (c) =>
              (sel.coderId === undefined || c.coderId === sel.coderId) &&
              (sel.day === undefined || c.savedAt.slice(0, 10) === sel.day) &&
              (sel.type === undefined || c.type === sel.type),
          )
          .map((c) => c.encounterId),
      );
      return facts.filter((x) => ids.has(x.encounterId));
    }
    case 'drg':
    case 'cmi':
      return facts.filter(
        (x) =>
          x.codingStatus === 'final' &&
          x.finalDrg !== null &&
          dischargedIn(x, f) &&
          (sel.drg === undefined || x.finalDrg === sel.drg) &&
          (sel.month === undefined || x.dischargeAt.slice(0, 7) === sel.month),
      );
    case 'queries': {
      const ids = new Set(more.queryEncounterIds ?? []);
      return facts.filter((x) => ids.has(x.encounterId));
    }
  }
}

/**
 * Whether choosing the rows reads a field a restricted record hides (dates, type, payer, attending, service, DRG,
 * codes, reason): then a restricted row the user has not opened must not be listed, or its being listed would tell
 * what it hides; it is counted as withheld instead. The plain DNFB and backlog lists choose by what the coding
 * worklist already shows of such a record (discharged, not billed or not coded), so there it is listed, details withheld.
 */
export function selectionReadsHiddenFields(sel: FigureSelection, f: DashboardFilter): boolean {
  if (f.service !== undefined || f.physician !== undefined || f.payer !== undefined) return true;
  if (sel.figure !== 'dnfb' && sel.figure !== 'backlog') return true;
  return sel.reason !== undefined || sel.age !== undefined || sel.day !== undefined || sel.type !== undefined;
}

/** One row of a drill-down list. `details: false`: a restricted record not opened; only that it exists shows. */
export interface DrillRow {
  encounterId: string;
  patientId: string;
  mrn: string;
  patientName: string;
  accountNumber: string;
  restricted: boolean;
  details: boolean;
  type: string | null;
  payer: string | null;
  attending: string | null;
  service: string | null;
  dischargeAt: string | null;
  daysSinceDischarge: number | null;
  dnfbReason: DnfbReason | null;
  codingStatus: string | null;
  drg: string | null;
  chargesCents: number | null;
}

/** The rows of the list, and how many restricted rows behind the figure are withheld from it (counted, not listed). */
export function drillRows(
  behind: readonly EncounterFact[],
  shows: (x: EncounterFact) => boolean,
  readsHidden: boolean,
  today: string,
): { rows: DrillRow[]; withheld: number } {
  const rows: DrillRow[] = [];
  let withheld = 0;
  for (const x of behind) {
    if (shows(x)) {
      rows.push({
        encounterId: x.encounterId,
        patientId: x.patientId,
        mrn: x.mrn,
        patientName: x.patientName,
        accountNumber: x.accountNumber,
        restricted: x.restricted,
        details: true,
        type: x.type,
        payer: x.payer,
        attending: x.attending,
        service: x.service,
        dischargeAt: x.dischargeAt,
        daysSinceDischarge: Math.max(0, daysBetween(x.dischargeAt, today)),
        dnfbReason: dnfbReasonOf(x),
        codingStatus: x.codingStatus,
        drg: x.finalDrg,
        chargesCents: x.chargesCents,
      });
    } else if (readsHidden) withheld++;
    else
      rows.push({
        encounterId: x.encounterId,
        patientId: x.patientId,
        mrn: x.mrn,
        patientName: x.patientName,
        accountNumber: x.accountNumber,
        restricted: true,
        details: false,
        type: null,
        payer: null,
        attending: null,
        service: null,
        dischargeAt: null,
        daysSinceDischarge: null,
        dnfbReason: null,
        codingStatus: null,
        drg: null,
        chargesCents: null,
      });
  }
  // Oldest discharge first; withheld rows last, so their place tells nothing.
  rows.sort(
    (a, b) =>
      Number(b.details) - Number(a.details) ||
      (b.daysSinceDischarge ?? 0) - (a.daysSinceDischarge ?? 0) ||
      a.encounterId.localeCompare(b.encounterId),
  );
  return { rows, withheld };
}
