/**
 * Chart completion rules (pure: no db, clock or env). Deficiency analysis of one discharged encounter from its facts,
 * the record status (incomplete, complete, delinquent), reconciliation of a new analysis with the stored
 * deficiencies, and the facility's configurable settings with their defaults and sources:
 * - 42 CFR 482.22(c)(5)(i): H&P no more than 30 days before or 24 hours after admission, and before surgery;
 *   (c)(5)(ii): an updated examination when the H&P is older than that; 482.51(b)(1) the same before surgery.
 * - 42 CFR 482.51(b)(2): informed consent in the chart before surgery; 482.51(b)(6): operative report (procedure,
 *   findings, surgeon) written or dictated immediately after surgery; 482.52(b): anesthesia record.
 * - 42 CFR 482.24(c)(1): every entry authenticated (signed) by its author; 482.24(c)(3)(ii)(iii): verbal orders
 *   authenticated within the time state law sets; (c)(4)(vii): discharge summary with outcome and final diagnosis;
 *   (c)(4)(viii): record completed within 30 days after discharge.
 * - 42 CFR 482.24(c)(4)(vi) / ED record: emergency services (482.55) documented for every emergency visit.
 */
import { z } from 'zod';

export const DeficiencyType = {
  missingDocument: 'missing_document',
  unsigned: 'unsigned',
  cosignature: 'cosignature',
  verbalOrder: 'verbal_order',
  incompleteContent: 'incomplete_content',
  /** A required document dated too late (an H&P more than 24 hours after admission, or after the surgery). */
  late: 'late_document',
} as const;
export type DeficiencyType = (typeof DeficiencyType)[keyof typeof DeficiencyType];

export const DeficiencyStatus = { open: 'open', completed: 'completed', waived: 'waived', disputed: 'disputed' } as const;
export type DeficiencyStatus = (typeof DeficiencyStatus)[keyof typeof DeficiencyStatus];

/** Statuses that keep a record incomplete. */
export const OUTSTANDING: readonly string[] = [DeficiencyStatus.open, DeficiencyStatus.disputed];

export const RecordStatus = { incomplete: 'incomplete', complete: 'complete', delinquent: 'delinquent' } as const;
export type RecordStatus = (typeof RecordStatus)[keyof typeof RecordStatus];

/** Sources cited by each rule (shown beside each deficiency). */
export const Citation = {
  hp: '42 CFR 482.22(c)(5)(i); 482.51(b)(1)',
  hpUpdate: '42 CFR 482.22(c)(5)(ii); 482.51(b)(1)(ii)',
  hpTimely: '42 CFR 482.22(c)(5)(i)-(ii) (within 24 hours after admission)',
  hpBeforeSurgery: '42 CFR 482.51(b)(1) (before surgery)',
  operative: '42 CFR 482.51(b)(6)',
  consent: '42 CFR 482.51(b)(2); 482.24(c)(4)(v)',
  anesthesia: '42 CFR 482.52(b)',
  dischargeSummary: '42 CFR 482.24(c)(4)(vii)',
  edRecord: '42 CFR 482.24(c); 482.55',
  authentication: '42 CFR 482.24(c)(1)',
  cosignature: '42 CFR 482.24(c)(1); 482.22(c)(3) medical staff bylaws',
  verbalOrder: '42 CFR 482.24(c)(3)(ii)',
  completion: '42 CFR 482.24(c)(4)(viii)',
  manual: 'HIM analyst review (42 CFR 482.24(c))',
} as const;

/** The facility's completion settings (medical staff bylaws), set by the HIM director; defaults cited. */
export const CompletionSettingsSchema = z.object({
  /** 482.24(c)(4)(viii): complete within 30 days after discharge; delinquent from day 31. */
  delinquentAfterDays: z.number().int().min(1).max(365).default(30),
  /** 482.22(c)(5)(i)-(ii): an H&P older than 30 days before admission needs an update. */
  hpMaxAgeDays: z.number().int().min(1).max(90).default(30),
  /** 482.22(c)(5)(i)-(ii): the H&P, or its update, within this many hours after admission (24 in the rule). */
  hpWithinHours: z.number().int().min(1).max(168).default(24),
  /** Bylaws: a stay shorter than this may close with a final progress note instead of a discharge summary. */
  shortStayHours: z.number().int().min(0).max(240).default(48),
  /** State law: verbal and telephone orders authenticated within this many hours (48 in many states). */
  verbalOrderHours: z.number().int().min(1).max(720).default(48),
  /** In-app notices to the responsible physician at these ages of an open deficiency (days). */
  noticeDays: z.array(z.number().int().min(0).max(365)).max(10).default([7, 14, 21]),
  /** Suspension list: physicians with at least this many delinquent records. */
  suspensionDelinquentRecords: z.number().int().min(1).max(1000).default(1),
  /** The facility bills only complete records (the DNFB worklist shows what blocks the final bill). */
  completionRequiredForBilling: z.boolean().default(false),
  /** Document types a physician authors and must sign (482.24(c)(1)). */
  authenticatedTypes: z.array(z.string().min(1).max(20)).max(50).default(['HP', 'DS', 'OP', 'PN', 'CN', 'ED', 'ANES', 'VO']),
  /** Which required-document rules apply (all by default). */
  requires: z
    .object({
      historyAndPhysical: z.boolean().default(true),
      /** A late H&P (after the hours above, or after the surgery) is a deficiency the analyst reviews and waives. */
      timelyHistoryAndPhysical: z.boolean().default(true),
      operativeReport: z.boolean().default(true),
      anesthesiaRecord: z.boolean().default(true),
      informedConsent: z.boolean().default(true),
      dischargeSummary: z.boolean().default(true),
      edRecord: z.boolean().default(true),
      contentChecks: z.boolean().default(true),
    })
    .prefault({}),
});
export type CompletionSettings = z.output<typeof CompletionSettingsSchema>;
export const defaultSettings: CompletionSettings = CompletionSettingsSchema.parse({});

/** What the analysis knows of an encounter (from patients, coding and documents; ids and dates, no PHI). */
export interface EncounterFacts {
  encounterId: string;
  patientId: string;
  /** inpatient | outpatient | emergency | observation */
  type: string;
  admitAt: string;
  dischargeAt: string | null;
  attendingProviderId: string | null;
  /**
   * Surgical procedures coded (ICD-10-PCS Medical and Surgical section) or scheduled (`scheduledSurgeries`), with the
   * operating provider; a scheduled one carries its appointment's id.
   */
  surgeries: { code: string; date: string | null; surgeonProviderId: string | null; appointmentId?: string }[];
}

/** A procedure appointment of the patient (scheduling: an appointment of a surgical type), as the analysis sees it. */
export interface ScheduledProcedure {
  appointmentId: string;
  patientId: string;
  typeCode: string;
  startAt: string;
  endAt: string;
  /** booked | checked_in | completed | cancelled | no_show | deleted */
  status: string;
  /** The provider of the appointment's provider resource when it is linked to a user with a provider, else null. */
  surgeonProviderId: string | null;
}

/** Appointment statuses that mean the procedure took place (checked in, completed); booked, cancelled, no-show, deleted do not. */
export const PERFORMED_APPOINTMENT_STATUSES: readonly string[] = ['checked_in', 'completed'];

/**
 * The scheduled surgeries of an encounter (42 CFR 482.51(b)(6): "a surgical procedure was coded or scheduled"): the
 * patient's checked-in or completed procedure appointments whose time overlaps the encounter, from admission to
 * discharge (start before discharge, end after admission; an appointment booked for 09:00 whose patient was
 * registered at 09:10 still belongs to the stay). Appointments carry no encounter; the time and the patient link them.
 * The surgeon is the appointment's provider when known (else the analysis falls back to the attending).
 */
export function scheduledSurgeries(
  e: Pick<EncounterFacts, 'patientId' | 'admitAt' | 'dischargeAt'>,
  appointments: readonly ScheduledProcedure[],
): EncounterFacts['surgeries'] {
  const admit = Date.parse(e.admitAt);
  const discharge = e.dischargeAt === null ? Infinity : Date.parse(e.dischargeAt);
  return appointments
    .filter(
      (a) =>
        a.patientId === e.patientId &&
        PERFORMED_APPOINTMENT_STATUSES.includes(a.status) &&
        Date.parse(a.startAt) < discharge &&
        Date.parse(a.endAt) > admit,
    )
    .map((a) => ({
      code: a.typeCode,
      date: a.startAt.slice(0, 10),
      surgeonProviderId: a.surgeonProviderId,
      appointmentId: a.appointmentId,
    }));
}

/** What the analysis knows of one document of the encounter. */
export interface DocumentFacts {
  id: string;
  typeCode: string;
  /** preliminary | final | amended | entered_in_error | destroyed */
  status: string;
  serviceAt: string;
  /** The author's provider (the signing physician), when known. */
  authorProviderId: string | null;
  /** The type requires a co-signature (document types, bylaws). */
  requiresCosign: boolean;
  /** Signatures on the current version. */
  signatures: { role: string; providerId: string | null; signedAt: string }[];
  /** Dictated, not yet transcribed (no content yet): pending, not missing. */
  pendingTranscription: boolean;
  /** The current version's text, when there is any to read (native or OCR); null when it cannot be decided yet. */
  text: string | null;
}

/** One deficiency the analysis finds. `key` is stable across analyses of the same encounter. */
export interface Finding {
  key: string;
  type: DeficiencyType;
  requirement: string;
  documentId: string | null;
  documentTypeCode: string;
  responsibleProviderId: string | null;
  citation: string;
  message: string;
  /** When it must be done: the verbal-order window, else the record's completion deadline. */
  dueAt: string;
}

export interface Analysis {
  findings: Finding[];
  /** Dictated documents awaiting transcription: not deficiencies, but the record is not complete while any remain. */
  pending: { documentId: string; typeCode: string }[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const live = (d: DocumentFacts) => d.status !== 'entered_in_error' && d.status !== 'destroyed';

/** When the record must be complete: the end of the bylaws' last day after discharge (482.24(c)(4)(viii)). */
export function completionDueAt(dischargeAt: string, s: CompletionSettings): string {
  const d = new Date(dischargeAt);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + s.delinquentAfterDays + 1) - 1;
  return new Date(end).toISOString();
}

/** Whole calendar days (UTC) from discharge to `now`: the day of discharge is day 0. */
export function daysSinceDischarge(dischargeAt: string, now: Date): number {
  const d = new Date(dischargeAt);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.floor((today - start) / DAY);
}

/** Required documents of the encounter (482.22(c)(5), 482.51(b), 482.52(b), 482.24(c)(4)(vii), ED record). */
function requiredDocuments(e: EncounterFacts, docs: DocumentFacts[], s: CompletionSettings, due: string): Finding[] {
  const out: Finding[] = [];
  const has = (codes: string[]) => docs.some((d) => live(d) && codes.includes(d.typeCode));
  const surgeon = e.surgeries.find((x) => x.surgeonProviderId)?.surgeonProviderId ?? e.attendingProviderId;
  const missing = (code: string, requirement: string, responsible: string | null, citation: string, message: string) =>
    out.push({
      key: `missing:${requirement}`,
      type: DeficiencyType.missingDocument,
      requirement,
      documentId: null,
      documentTypeCode: code,
      responsibleProviderId: responsible,
      citation,
      message,
      dueAt: due,
    });
  const late = (code: string, requirement: string, responsible: string | null, citation: string, message: string) =>
    out.push({
      key: `late:${requirement}`,
      type: DeficiencyType.late,
      requirement,
      documentId: null,
      documentTypeCode: code,
      responsibleProviderId: responsible,
      citation,
      message,
      dueAt: due,
    });
  const inpatient = e.type === 'inpatient';
  const surgical = e.surgeries.length > 0;
  if (s.requires.historyAndPhysical && (inpatient || surgical)) {
    // An H&P after admission counts; one within 30 days before needs an update after admission; older ones do not count.
    const admit = Date.parse(e.admitAt);
    const hps = docs.filter((d) => live(d) && d.typeCode === 'HP').map((d) => Date.parse(d.serviceAt));
    const after = hps.filter((t) => t >= admit);
    if (after.length === 0) {
      if (hps.some((t) => t >= admit - s.hpMaxAgeDays * DAY))
        missing('HP', 'updated_history_and_physical', e.attendingProviderId, Citation.hpUpdate, 'Updated H&P after admission missing');
      else missing('HP', 'history_and_physical', e.attendingProviderId, Citation.hp, 'History and physical missing');
    } else if (s.requires.timelyHistoryAndPhysical) {
      // The first H&P (or update) after admission must be within the hours the rule gives (24): later is late.
      const first = Math.min(...after);
      if (inpatient && first > admit + s.hpWithinHours * HOUR)
        late(
          'HP',
          'timely_history_and_physical',
          e.attendingProviderId,
          Citation.hpTimely,
          `H&P completed more than ${s.hpWithinHours} hours after admission`,
        );
      // Before surgery (482.51(b)(1)): a surgery dated before the day of the first usable H&P (dates only: same day counts).
      const usable = hps.filter((t) => t >= admit - s.hpMaxAgeDays * DAY);
      const firstDay = new Date(Math.min(...usable)).toISOString().slice(0, 10);
      const early = e.surgeries.find((x) => x.date !== null && x.date < firstDay);
      if (early)
        late(
          'HP',
          'history_and_physical_before_surgery',
          early.surgeonProviderId ?? e.attendingProviderId,
          Citation.hpBeforeSurgery,
          'H&P dated after the surgery',
        );
    }
  }
  if (surgical) {
    if (s.requires.operativeReport && !has(['OP']))
      missing('OP', 'operative_report', surgeon, Citation.operative, 'Operative report missing');
    if (s.requires.anesthesiaRecord && !has(['ANES']))
      missing('ANES', 'anesthesia_record', surgeon, Citation.anesthesia, 'Anesthesia record missing');
    if (s.requires.informedConsent && !has(['CONSENT']))
      missing('CONSENT', 'informed_consent', surgeon, Citation.consent, 'Informed consent for surgery missing');
  }
  if (s.requires.dischargeSummary && inpatient && e.dischargeAt) {
    const shortStay = Date.parse(e.dischargeAt) - Date.parse(e.admitAt) < s.shortStayHours * HOUR;
    if (!has(shortStay ? ['DS', 'PN'] : ['DS']))
      missing(
        'DS',
        'discharge_summary',
        e.attendingProviderId,
        Citation.dischargeSummary,
        shortStay ? 'Discharge summary or final progress note missing (short stay)' : 'Discharge summary missing',
      );
  }
  if (s.requires.edRecord && e.type === 'emergency' && !has(['ED']))
    missing('ED', 'ed_record', e.attendingProviderId, Citation.edRecord, 'Emergency department record missing');
  return out;
}

/** Authentication of each physician-authored document (482.24(c)(1)), co-signature, verbal orders (c)(3)(ii). */
function authentication(e: EncounterFacts, docs: DocumentFacts[], s: CompletionSettings, due: string): Finding[] {
  const out: Finding[] = [];
  for (const d of docs) {
    if (!live(d) || d.pendingTranscription || !s.authenticatedTypes.includes(d.typeCode)) continue;
    const author = d.authorProviderId ?? e.attendingProviderId;
    const base = { documentId: d.id, documentTypeCode: d.typeCode, dueAt: due };
    const signedByAuthor = d.signatures.some((x) => x.role === 'author');
    if (!signedByAuthor) {
      const verbal = d.typeCode === 'VO';
      out.push({
        ...base,
        key: `${verbal ? 'verbal' : 'unsigned'}:${d.id}`,
        type: verbal ? DeficiencyType.verbalOrder : DeficiencyType.unsigned,
        requirement: verbal ? 'verbal_order_authentication' : 'authentication',
        responsibleProviderId: author,
        citation: verbal ? Citation.verbalOrder : Citation.authentication,
        message: verbal ? 'Verbal order not authenticated' : 'Document not signed',
        ...(verbal ? { dueAt: new Date(Date.parse(d.serviceAt) + s.verbalOrderHours * HOUR).toISOString() } : {}),
      });
      continue;
    }
    // The supervising (attending) physician co-signs where the type requires it, unless the attending wrote it.
    const needsCosign = d.requiresCosign && e.attendingProviderId !== null && d.authorProviderId !== e.attendingProviderId;
    if (needsCosign && !d.signatures.some((x) => x.role === 'cosigner'))
      out.push({
        ...base,
        key: `cosign:${d.id}`,
        type: DeficiencyType.cosignature,
        requirement: 'cosignature',
        responsibleProviderId: e.attendingProviderId,
        citation: Citation.cosignature,
        message: 'Co-signature of the supervising physician missing',
      });
  }
  return out;
}

/** What the content of a discharge summary or operative report must name, as a rule can tell from its text. */
export const contentElements: Record<string, { element: string; pattern: RegExp }[]> = {
  DS: [{ element: 'final diagnosis', pattern: /\b(final|discharge|principal)\s+diagnos[ie]s\b/i }],
  OP: [
    { element: 'procedure', pattern: /\bprocedures?(\s+performed)?\s*:/i },
    { element: 'surgeon', pattern: /\bsurgeons?\s*:/i },
    { element: 'findings', pattern: /\bfindings\s*:/i },
  ],
};

/** The elements the text lacks (482.24(c)(4)(vii) final diagnosis; 482.51(b)(6) procedure, findings, surgeon). */
export function missingElements(typeCode: string, text: string): string[] {
  return (contentElements[typeCode] ?? []).filter((c) => !c.pattern.test(text)).map((c) => c.element);
}

function content(docs: DocumentFacts[], e: EncounterFacts, s: CompletionSettings, due: string): Finding[] {
  if (!s.requires.contentChecks) return [];
  const out: Finding[] = [];
  for (const d of docs) {
    if (!live(d) || d.pendingTranscription || d.text === null || !(d.typeCode in contentElements)) continue;
    const lacks = missingElements(d.typeCode, d.text);
    if (lacks.length === 0) continue;
    out.push({
      key: `content:${d.id}`,
      type: DeficiencyType.incompleteContent,
      requirement: d.typeCode === 'DS' ? 'discharge_summary_content' : 'operative_report_content',
      documentId: d.id,
      documentTypeCode: d.typeCode,
      responsibleProviderId: d.authorProviderId ?? e.attendingProviderId,
      citation: d.typeCode === 'DS' ? Citation.dischargeSummary : Citation.operative,
      message: `Content incomplete: ${lacks.join(', ')} not stated`,
      dueAt: due,
    });
  }
  return out;
}

/** Deficiency analysis of one discharged encounter. */
export function analyseEncounter(e: EncounterFacts, docs: DocumentFacts[], s: CompletionSettings = defaultSettings): Analysis {
  const due = completionDueAt(e.dischargeAt ?? e.admitAt, s);
  return {
    findings: [...requiredDocuments(e, docs, s, due), ...authentication(e, docs, s, due), ...content(docs, e, s, due)],
    pending: docs.filter((d) => live(d) && d.pendingTranscription).map((d) => ({ documentId: d.id, typeCode: d.typeCode })),
  };
}

/** A stored deficiency, as reconciliation needs it. */
export interface StoredDeficiency {
  id: string;
  key: string | null;
  status: string;
  source: string;
}

export interface Reconciliation {
  create: Finding[];
  /** Open or disputed deficiencies the record no longer has (the document arrived, was signed, ...). */
  complete: string[];
}

/**
 * Compares a new analysis with the stored deficiencies: new findings become deficiencies, outstanding ones no longer
 * found are completed; a waived deficiency is not raised again, a completed one is raised again only if it returns
 * (e.g. a new, unsigned version); deficiencies an analyst added by hand are left alone.
 */
export function reconcile(stored: readonly StoredDeficiency[], findings: readonly Finding[]): Reconciliation {
  const found = new Set(findings.map((f) => f.key));
  const auto = stored.filter((d) => d.source === 'analysis' && d.key !== null);
  const blocking = new Set(auto.filter((d) => d.status !== DeficiencyStatus.completed).map((d) => d.key));
  return {
    create: findings.filter((f) => !blocking.has(f.key)),
    complete: auto.filter((d) => OUTSTANDING.includes(d.status) && !found.has(d.key!)).map((d) => d.id),
  };
}

/**
 * The record's status: complete when nothing is outstanding or pending; delinquent when still incomplete after the
 * bylaws' days from discharge (482.24(c)(4)(viii): day 31 by default); otherwise incomplete.
 */
export function recordStatus(
  outstanding: number,
  pending: number,
  dischargeAt: string,
  now: Date,
  s: CompletionSettings = defaultSettings,
): RecordStatus {
  if (outstanding === 0 && pending === 0) return RecordStatus.complete;
  return daysSinceDischarge(dischargeAt, now) > s.delinquentAfterDays ? RecordStatus.delinquent : RecordStatus.incomplete;
}

/** The notice ages (days) an open deficiency created at `createdAt` has reached by `now`, oldest age last. */
export function noticeAgesReached(createdAt: string, now: Date, s: CompletionSettings): number[] {
  const age = Math.floor((now.getTime() - Date.parse(createdAt)) / DAY);
  return s.noticeDays.filter((d) => age >= d);
}

/** Age buckets of the deficiency-age report (days since created). */
export const AGE_BUCKETS = [
  { label: '0-7', max: 7 },
  { label: '8-14', max: 14 },
  { label: '15-30', max: 30 },
  { label: '31+', max: Infinity },
] as const;

export function ageBucket(createdAt: string, now: Date): string {
  const age = Math.floor((now.getTime() - Date.parse(createdAt)) / DAY);
  return AGE_BUCKETS.find((b) => age <= b.max)!.label;
}

/**
 * The Joint Commission's medical record delinquency rate (RC.01.04.01 EP 3): delinquent records against the average
 * monthly discharges (of the three months before); above 50% is flagged.
 */
export function delinquencyRate(delinquent: number, averageMonthlyDischarges: number): { rate: number; flagged: boolean } {
  const rate = averageMonthlyDischarges > 0 ? delinquent / averageMonthlyDischarges : 0;
  return { rate, flagged: rate > 0.5 };
}

/** ICD-10-PCS codes of the Medical and Surgical section (first character 0) are surgical procedures. */
export const isSurgicalPcs = (code: string): boolean => /^0[0-9A-HJ-NP-Z]{6}$/.test(code.toUpperCase());

/** One deficiency as the physician scorecard sees it (aggregates only: no patient). */
export interface ScorecardDeficiency {
  providerId: string;
  encounterId: string;
  status: string;
  createdAt: string;
  resolvedAt: string | null;
  /** The record's completion deadline (`completionDueAt` of its discharge by its facility's bylaws). */
  recordDueAt: string;
  /** Whether the record is delinquent now (incomplete past its deadline). */
  recordDelinquent: boolean;
}

export interface ScorecardRow {
  providerId: string;
  /** Deficiencies created in the period and assigned to the physician (now). */
  assigned: number;
  /** Of those, completed. */
  completed: number;
  /** Of those, completed by the record's completion deadline (482.24(c)(4)(viii)). */
  completedOnTime: number;
  /** Median days from a deficiency's creation to its completion (one decimal); null when none was completed. */
  medianDaysToComplete: number | null;
  /** Disputes ("not my patient") the physician raised in the period. */
  disputes: number;
  /** Now, across all periods: open deficiencies, and records delinquent with one of them outstanding. */
  open: number;
  delinquentRecords: number;
  /** On the suspension list now (at least `suspensionDelinquentRecords` delinquent records). */
  suspended: boolean;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Physician scorecards: `inPeriod` are the deficiencies created in the period, `outstanding` every open or disputed
 * deficiency now (any period), `disputedBy` the physician of each dispute raised in the period; one row per physician
 * in any of them, most delinquent records first, then most open.
 */
export function scorecards(
  inPeriod: readonly ScorecardDeficiency[],
  outstanding: readonly ScorecardDeficiency[],
  disputedBy: readonly string[],
  suspensionDelinquentRecords: number,
): ScorecardRow[] {
  const rows = new Map<string, ScorecardRow & { days: number[]; delinquent: Set<string> }>();
  const row = (providerId: string) => {
    let r = rows.get(providerId);
    if (!r) {
      r = {
        providerId,
        assigned: 0,
        completed: 0,
        completedOnTime: 0,
        medianDaysToComplete: null,
        disputes: 0,
        open: 0,
        delinquentRecords: 0,
        suspended: false,
        days: [],
        delinquent: new Set(),
      };
      rows.set(providerId, r);
    }
    return r;
  };
  for (const d of inPeriod) {
    const r = row(d.providerId);
    r.assigned++;
    if (d.status === DeficiencyStatus.completed && d.resolvedAt !== null) {
      r.completed++;
      if (d.resolvedAt <= d.recordDueAt) r.completedOnTime++;
      r.days.push((Date.parse(d.resolvedAt) - Date.parse(d.createdAt)) / DAY);
    }
  }
  for (const p of disputedBy) row(p).disputes++;
  for (const d of outstanding) {
    const r = row(d.providerId);
    if (d.status === DeficiencyStatus.open) r.open++;
    if (d.recordDelinquent) r.delinquent.add(d.encounterId);
  }
  return [...rows.values()]
    .map(({ days, delinquent, ...r }) => ({
      ...r,
      medianDaysToComplete: days.length ? Math.round(median(days)! * 10) / 10 : null,
      delinquentRecords: delinquent.size,
      suspended: delinquent.size >= suspensionDelinquentRecords,
    }))
    .sort((a, b) => b.delinquentRecords - a.delinquentRecords || b.open - a.open || a.providerId.localeCompare(b.providerId));
}
