/**
 * The HIM director's figures, computed from facts about encounters (no db, clock or env): DNFB (discharged, not final
 * billed) with its hold reason and age, its trend, the coding backlog and throughput, top MS-DRGs and the case mix
 * index. Days are UTC calendar days; amounts are integer cents.
 */

/** One discharged, not cancelled encounter of a patient not merged away, with what the figures need. */
export interface EncounterFact {
  encounterId: string;
  patientId: string;
  /** What a restricted record shows of itself in a list (its existence): MRN, name, account number. */
  mrn: string;
  patientName: string;
  accountNumber: string;
  restricted: boolean;
  facilityId: string;
  type: string;
  payer: string | null;
  attendingId: string | null;
  attending: string | null;
  /** The service line: the attending physician's specialty ('Unassigned' without one). */
  service: string;
  admitAt: string;
  dischargeAt: string;
  codingStatus: 'not_started' | 'draft' | 'final';
  finalDrg: string | null;
  codedBy: string | null;
  codedAt: string | null;
  chargesCents: number;
  /** The claim's status (draft | ready | released) or null when no claim was built. */
  claimStatus: string | null;
  /** The claim's scrubber found an error (a claim edit holds it). */
  claimHasErrors: boolean;
  /** When the final bill was released (the end of DNFB), or null. */
  releasedAt: string | null;
  /** An open or escalated physician query. */
  queryOpen: boolean;
  /** Chart completion holds the final bill (the facility bills only complete records and this one is not). */
  chartHoldsBill: boolean;
}

/**
 * Why a DNFB account is not billed, one reason per account, the first that applies in this order: a physician query
 * open (CDI waits on the physician), not coded (the coding backlog), the chart incomplete where the facility bills only
 * complete records, a claim edit (the scrubber found an error), and coded with a clean claim (or none yet) waiting to
 * be released.
 */
export const DnfbReason = {
  queryOpen: 'query_open',
  notCoded: 'not_coded',
  chartIncomplete: 'chart_incomplete',
  claimEdit: 'claim_edit',
  awaitingRelease: 'awaiting_release',
} as const;
export type DnfbReason = (typeof DnfbReason)[keyof typeof DnfbReason];
export const DNFB_REASONS: readonly DnfbReason[] = Object.values(DnfbReason);

export const DNFB_REASON_LABELS: Record<DnfbReason, string> = {
  query_open: 'Query open',
  not_coded: 'Not coded',
  chart_incomplete: 'Chart incomplete',
  claim_edit: 'Claim edit',
  awaiting_release: 'Awaiting release',
};

/** Whole UTC days from one instant's date to another's (dates only: 23:59 to 00:01 next day is 1). */
export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso.slice(0, 10)) - Date.parse(fromIso.slice(0, 10))) / 86_400_000);
}

/** In DNFB at the end of `day` (YYYY-MM-DD): discharged that day or before, and no final bill released by then. */
export function inDnfbOn(f: Pick<EncounterFact, 'dischargeAt' | 'releasedAt'>, day: string): boolean {
  return f.dischargeAt.slice(0, 10) <= day && (f.releasedAt === null || f.releasedAt.slice(0, 10) > day);
}

/** The reason a DNFB account is held now (null when it is billed). */
export function dnfbReasonOf(f: EncounterFact): DnfbReason | null {
  if (f.releasedAt !== null) return null;
  if (f.queryOpen) return DnfbReason.queryOpen;
  if (f.codingStatus !== 'final') return DnfbReason.notCoded;
  if (f.chartHoldsBill) return DnfbReason.chartIncomplete;
  if (f.claimHasErrors && f.claimStatus !== 'released') return DnfbReason.claimEdit;
  return DnfbReason.awaitingRelease;
}

/** DNFB age buckets, in days since discharge (the usual 0-3 / 4-7 / 8-14 / 15-30 / over 30 of DNFB reports). */
export const DNFB_AGE_BUCKETS = [
  { label: '0-3', min: 0, max: 3 },
  { label: '4-7', min: 4, max: 7 },
  { label: '8-14', min: 8, max: 14 },
  { label: '15-30', min: 15, max: 30 },
  { label: '31+', min: 31, max: Number.POSITIVE_INFINITY },
] as const;

export function dnfbAgeBucketOf(days: number): string {
  return DNFB_AGE_BUCKETS.find((b) => days >= b.min && days <= b.max)?.label ?? '31+';
}

export interface DnfbSummary {
  count: number;
  chargesCents: number;
  meanDays: number;
  maxDays: number;
  byReason: { reason: DnfbReason; label: string; count: number; chargesCents: number }[];
  byAge: { bucket: string; count: number; chargesCents: number }[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** DNFB now (`today`, YYYY-MM-DD): count, charges, days since discharge, split by reason and by age. */
export function dnfbSummary(facts: readonly EncounterFact[], today: string): DnfbSummary {
  const held = facts.filter((f) => inDnfbOn(f, today));
  const days = held.map((f) => Math.max(0, daysBetween(f.dischargeAt, today)));
  const sum = (xs: readonly EncounterFact[]) => xs.reduce((s, f) => s + f.chargesCents, 0);
  return {
    count: held.length,
    chargesCents: sum(held),
    meanDays: held.length === 0 ? 0 : round2(days.reduce((a, b) => a + b, 0) / held.length),
    maxDays: days.length === 0 ? 0 : Math.max(...days),
    byReason: DNFB_REASONS.map((reason) => {
      const xs = held.filter((f) => dnfbReasonOf(f) === reason);
      return { reason, label: DNFB_REASON_LABELS[reason], count: xs.length, chargesCents: sum(xs) };
    }),
    byAge: DNFB_AGE_BUCKETS.map((b) => {
      const xs = held.filter((_, i) => dnfbAgeBucketOf(days[i] ?? 0) === b.label);
      return { bucket: b.label, count: xs.length, chargesCents: sum(xs) };
    }),
  };
}

/** Every day from `from` to `to` inclusive (YYYY-MM-DD), at most `cap` days (the last ones). */
export function daysOf(from: string, to: string, cap = 366): string[] {
  const out: string[] = [];
  for (let t = Date.parse(to); t >= Date.parse(from) && out.length < cap; t -= 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out.reverse();
}

/**
 * The DNFB count and charges at the end of each day. Reconstructed from the discharge and release dates, so a past
 * day's count is what was unbilled then; the reason split is only known for today (it is not kept day by day).
 */
export function dnfbTrend(
  facts: readonly EncounterFact[],
  days: readonly string[],
): { day: string; count: number; chargesCents: number }[] {
  return days.map((day) => {
    const xs = facts.filter((f) => inDnfbOn(f, day));
    return { day, count: xs.length, chargesCents: xs.reduce((s, f) => s + f.chargesCents, 0) };
  });
}

/** The coding backlog now: discharged and not final-coded, by encounter type, with the oldest discharge's age. */
export function codingBacklog(facts: readonly EncounterFact[], today: string): { type: string; count: number; oldestDays: number }[] {
  const by = new Map<string, { type: string; count: number; oldestDays: number }>();
  for (const f of facts) {
    if (f.codingStatus === 'final' || f.dischargeAt.slice(0, 10) > today) continue;
    const e = by.get(f.type) ?? { type: f.type, count: 0, oldestDays: 0 };
    e.count++;
    e.oldestDays = Math.max(e.oldestDays, daysBetween(f.dischargeAt, today));
    by.set(f.type, e);
  }
  return [...by.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

/** One final coding (a final version saved; re-coding after reopening counts again). */
export interface FinalCoding {
  encounterId: string;
  coderId: string;
  coder: string;
  type: string;
  savedAt: string;
}

export interface Throughput {
  byCoderDay: { coderId: string; coder: string; day: string; type: string; count: number }[];
  byCoder: { coderId: string; coder: string; total: number; days: number; perDay: number; byType: Record<string, number> }[];
}

/** Encounters final-coded per coder per day by encounter type, and each coder's mean per day worked (days with a coding). */
export function codingThroughput(codings: readonly FinalCoding[]): Throughput {
  const day = new Map<string, Throughput['byCoderDay'][number]>();
  const coder = new Map<string, { coder: string; total: number; days: Set<string>; byType: Record<string, number> }>();
  for (const c of codings) {
    const d = c.savedAt.slice(0, 10);
    const k = `${c.coderId}|${d}|${c.type}`;
    const e = day.get(k) ?? { coderId: c.coderId, coder: c.coder, day: d, type: c.type, count: 0 };
    e.count++;
    day.set(k, e);
    const t = coder.get(c.coderId) ?? { coder: c.coder, total: 0, days: new Set<string>(), byType: {} };
    t.total++;
    t.days.add(d);
    t.byType[c.type] = (t.byType[c.type] ?? 0) + 1;
    coder.set(c.coderId, t);
  }
  return {
    byCoderDay: [...day.values()].sort(
      (a, b) => a.day.localeCompare(b.day) || a.coder.localeCompare(b.coder) || a.type.localeCompare(b.type),
    ),
    byCoder: [...coder]
      .map(([coderId, t]) => ({
        coderId,
        coder: t.coder,
        total: t.total,
        days: t.days.size,
        perDay: round2(t.total / t.days.size),
        byType: t.byType,
      }))
      .sort((a, b) => b.total - a.total || a.coder.localeCompare(b.coder)),
  };
}

/** Federal fiscal year of a date: FY N runs from 1 October of N-1 to 30 September of N (IPPS weights follow it). */
export function fiscalYearOf(iso: string): number {
  const y = Number(iso.slice(0, 4));
  return Number(iso.slice(5, 7)) >= 10 ? y + 1 : y;
}

/** Relative weights by fiscal year and MS-DRG (CMS Table 5). */
export type WeightTable = ReadonlyMap<number, ReadonlyMap<string, number>>;

export type WeightSource = 'cms_table5' | 'hospital_specific';

/** A weighing of cases: the weight of one case, or null when it has none (the DRG is not in the table, or no charges). */
export interface Weighing {
  source: WeightSource;
  /** The fiscal years of the CMS tables used (empty for hospital-specific weights). */
  fiscalYears: number[];
  weightOf(f: Pick<EncounterFact, 'finalDrg' | 'dischargeAt' | 'chargesCents'>): number | null;
}

/**
 * CMS weights: a discharge takes the table of its fiscal year; when that year was not imported, the nearest imported
 * year before it (else after it). The fiscal years used are reported with the figures.
 */
export function cmsWeighing(table: WeightTable): Weighing {
  const years = [...table.keys()].sort((a, b) => a - b);
  const used = new Set<number>();
  const yearFor = (fy: number) => (table.has(fy) ? fy : ([...years].reverse().find((y) => y < fy) ?? years.find((y) => y > fy)));
  return {
    source: 'cms_table5',
    get fiscalYears() {
      return [...used].sort((a, b) => a - b);
    },
    weightOf(f) {
      if (f.finalDrg === null) return null;
      const fy = yearFor(fiscalYearOf(f.dischargeAt));
      if (fy === undefined) return null;
      const w = table.get(fy)?.get(f.finalDrg);
      if (w === undefined) return null;
      used.add(fy);
      return w;
    },
  };
}

/**
 * Hospital-specific relative weights: a DRG's mean charge per case over the mean charge per case of all cases, over
 * the given final-coded cases with charges. A case without charges, or without a DRG, has no weight.
 */
export function hospitalSpecificWeights(cases: readonly Pick<EncounterFact, 'finalDrg' | 'chargesCents'>[]): Map<string, number> {
  const withCharges = cases.filter((c) => c.finalDrg !== null && c.chargesCents > 0);
  if (withCharges.length === 0) return new Map();
  const mean = withCharges.reduce((s, c) => s + c.chargesCents, 0) / withCharges.length;
  const by = new Map<string, { sum: number; n: number }>();
  for (const c of withCharges) {
    const e = by.get(c.finalDrg ?? '') ?? { sum: 0, n: 0 };
    e.sum += c.chargesCents;
    e.n++;
    by.set(c.finalDrg ?? '', e);
  }
  return new Map([...by].map(([drg, e]) => [drg, Math.round((e.sum / e.n / mean) * 10_000) / 10_000]));
}

export function hospitalSpecificWeighing(weights: ReadonlyMap<string, number>): Weighing {
  return {
    source: 'hospital_specific',
    fiscalYears: [],
    weightOf: (f) => (f.finalDrg === null || f.chargesCents <= 0 ? null : (weights.get(f.finalDrg) ?? null)),
  };
}

export interface CmiCell {
  month: string;
  service: string;
  cases: number;
  weightedCases: number;
  unweighted: number;
  weightSum: number;
  cmi: number | null;
}

function entry<T>(m: Map<string, T>, key: string, make: () => T): T {
  const found = m.get(key);
  if (found !== undefined) return found;
  const made = make();
  m.set(key, made);
  return made;
}

/** Case mix index (sum of relative weights / cases with a weight) of final-coded cases by discharge month and service line. */
export function caseMixIndex(
  facts: readonly EncounterFact[],
  weighing: Weighing,
): { byMonth: CmiCell[]; byMonthService: CmiCell[]; overall: CmiCell } {
  const cell = (month: string, service: string): CmiCell => ({
    month,
    service,
    cases: 0,
    weightedCases: 0,
    unweighted: 0,
    weightSum: 0,
    cmi: null,
  });
  const byMonth = new Map<string, CmiCell>();
  const byMs = new Map<string, CmiCell>();
  const overall = cell('all', 'all');
  for (const f of facts) {
    if (f.codingStatus !== 'final' || f.finalDrg === null) continue;
    const month = f.dischargeAt.slice(0, 7);
    const w = weighing.weightOf(f);
    const cells = [
      entry(byMonth, month, () => cell(month, 'all')),
      entry(byMs, `${month}|${f.service}`, () => cell(month, f.service)),
      overall,
    ];
    for (const c of cells) {
      c.cases++;
      if (w === null) c.unweighted++;
      else {
        c.weightedCases++;
        c.weightSum += w;
      }
    }
  }
  const done = (c: CmiCell): CmiCell => ({
    ...c,
    weightSum: Math.round(c.weightSum * 10_000) / 10_000,
    cmi: c.weightedCases === 0 ? null : Math.round((c.weightSum / c.weightedCases) * 10_000) / 10_000,
  });
  const order = (a: CmiCell, b: CmiCell) => a.month.localeCompare(b.month) || a.service.localeCompare(b.service);
  return {
    byMonth: [...byMonth.values()].map(done).sort(order),
    byMonthService: [...byMs.values()].map(done).sort(order),
    overall: done(overall),
  };
}

/** The MS-DRGs of final-coded cases, most cases first: cases, charges, mean length of stay, relative weight. */
export function topDrgs(
  facts: readonly EncounterFact[],
  weighing: Weighing,
  limit = 10,
): { drg: string; cases: number; chargesCents: number; meanLos: number; weight: number | null }[] {
  const by = new Map<string, { drg: string; cases: number; chargesCents: number; los: number; weight: number | null }>();
  for (const f of facts) {
    if (f.codingStatus !== 'final' || f.finalDrg === null) continue;
    const e = by.get(f.finalDrg) ?? { drg: f.finalDrg, cases: 0, chargesCents: 0, los: 0, weight: null };
    e.cases++;
    e.chargesCents += f.chargesCents;
    e.los += Math.max(0, daysBetween(f.admitAt, f.dischargeAt));
    e.weight ??= weighing.weightOf(f);
    by.set(f.finalDrg, e);
  }
  return [...by.values()]
    .sort((a, b) => b.cases - a.cases || a.drg.localeCompare(b.drg))
    .slice(0, limit)
    .map((e) => ({ drg: e.drg, cases: e.cases, chargesCents: e.chargesCents, meanLos: round2(e.los / e.cases), weight: e.weight }));
}

/** A physician query, for the query figures. */
export interface QueryFact {
  encounterId: string;
  status: string;
  sentAt: string;
  answeredAt: string | null;
  agreed: number | null;
}

/** Query volume, mean response time (hours, answered only) and agreement rate (agreed / answered), as the queries module reports. */
export function queryFigures(qs: readonly QueryFact[]): {
  sent: number;
  answered: number;
  pending: number;
  meanResponseHours: number | null;
  agreementRate: number | null;
} {
  const answered = qs.filter((q) => q.status === 'answered');
  const hours = answered.map((q) => (Date.parse(q.answeredAt ?? q.sentAt) - Date.parse(q.sentAt)) / 3_600_000);
  return {
    sent: qs.length,
    answered: answered.length,
    pending: qs.filter((q) => q.status === 'open' || q.status === 'escalated').length,
    meanResponseHours: answered.length === 0 ? null : round2(hours.reduce((a, b) => a + b, 0) / answered.length),
    agreementRate:
      answered.length === 0 ? null : Math.round((answered.filter((q) => q.agreed === 1).length / answered.length) * 1000) / 1000,
  };
}

/**
 * MPI duplicate rate: patients named in open potential-duplicate pairs over active (not merged) patients. AHIMA's
 * target is under 1%.
 */
export function duplicateRate(activePatients: number, patientsInOpenPairs: number): number {
  return activePatients === 0 ? 0 : Math.round((patientsInOpenPairs / activePatients) * 10_000) / 10_000;
}

/** An access request (release of information), for the turnaround figures. */
export interface RoiFact {
  receivedOn: string;
  dueOn: string;
  closedOn: string | null;
}

/**
 * ROI turnaround: mean days from receipt to closing of closed requests, and breaches — closed after their due date
 * (extended when extended), or still open past it on `today` (45 CFR 164.524(b)(2): 30 days, one 30-day extension).
 */
export function roiFigures(
  rs: readonly RoiFact[],
  today: string,
): { received: number; closed: number; meanDays: number | null; breaches: number } {
  const closed = rs.filter((r) => r.closedOn !== null);
  const days = closed.map((r) => daysBetween(r.receivedOn, r.closedOn ?? r.receivedOn));
  return {
    received: rs.length,
    closed: closed.length,
    meanDays: closed.length === 0 ? null : round2(days.reduce((a, b) => a + b, 0) / closed.length),
    breaches: rs.filter((r) => (r.closedOn ?? today) > r.dueOn && (r.closedOn !== null || today > r.dueOn)).length,
  };
}
