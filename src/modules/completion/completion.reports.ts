/**
 * Completion reports: deficiencies by physician, by type and by age; the delinquency rate in The Joint Commission's
 * form (delinquent records against the average monthly discharges of the three months before; flagged above 50%,
 * RC.01.04.01 EP 3) with its trend by month; time from discharge to completion; the suspension list of physicians
 * over the medical staff's threshold; CSV and XLSX export. Aggregates only: no patient is named.
 */
import { z } from 'zod';
import { tablesCsv, tablesXlsx, type ReportTable } from '../../core/shared/report-export.js';
import { anyOf, Permission, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { delinquentCutoff, settingsCache } from './completion.analysis.js';
import * as repo from './completion.repository.js';
import {
  ageBucket,
  AGE_BUCKETS,
  completionDueAt,
  delinquencyRate,
  median,
  scorecards,
  type CompletionSettings,
  type ScorecardDeficiency,
  type ScorecardRow,
} from './completion.rules.js';
import { parseInput } from './completion.service.js';
import type { CompletionDeps } from './completion.views.js';

const reportUse = { permission: anyOf(Permission.reportsRead, Permission.completionAnalyse), resourceType: 'completion_report' };

export interface Suspension {
  providerId: string;
  providerName: string | null;
  delinquentRecords: number;
  oldestDischargeAt: string;
}

/** Each facility's settings, loaded once for a report: its own bylaws, or the defaults (facility ''). */
async function facilitySettings(
  deps: CompletionDeps,
): Promise<{ of: (facilityId: string) => CompletionSettings; all: CompletionSettings[] }> {
  const cache = settingsCache(deps.db);
  const ids = await repo.settingsFacilities(deps.db);
  const byId = new Map<string, CompletionSettings>();
  for (const id of ['', ...ids]) byId.set(id, await cache(id));
  const fallback = byId.get('')!;
  return { of: (id) => byId.get(id) ?? fallback, all: [...byId.values()] };
}

/**
 * Physicians with at least the bylaws' number of delinquent records (the suspension list), most first. Each record
 * is judged delinquent by its own facility's days; the threshold is the facility's when `facilityId` narrows the list
 * to one facility, else the defaults' (facility '').
 */
export async function listSuspensions(deps: CompletionDeps, actor: Actor, opts: { facilityId?: string } = {}): Promise<Suspension[]> {
  const list = await deps.records.openList(actor, reportUse);
  const settings = await facilitySettings(deps);
  const now = deps.clock.now();
  const s = settings.of(opts.facilityId ?? '');
  const cutoffOf = (id: string) => delinquentCutoff(now, settings.of(id));
  const latest = settings.all.map((x) => delinquentCutoff(now, x)).reduce((a, b) => (a > b ? a : b));
  const rows = (await repo.delinquentByProvider(deps.db, list, cutoffOf, latest, opts.facilityId)).filter(
    (r) => r.records >= s.suspensionDelinquentRecords,
  );
  const names = await repo.providerNames(
    deps.db,
    rows.map((r) => r.provider_id),
  );
  await audited(deps, actor, 'suspensions', rows.length);
  return rows
    .map((r) => ({
      providerId: r.provider_id,
      providerName: names.get(r.provider_id) ?? null,
      delinquentRecords: r.records,
      oldestDischargeAt: r.oldest,
    }))
    .sort((a, b) => b.delinquentRecords - a.delinquentRecords || a.oldestDischargeAt.localeCompare(b.oldestDischargeAt));
}

async function audited(deps: CompletionDeps, actor: Actor, report: string, rows: number): Promise<void> {
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.read,
      resourceType: 'completion_report',
      outcome: 'success',
      detail: { report, rows },
    }),
  );
}

export const ReportQuerySchema = z.object({
  /** The month the report ends with (YYYY-MM); the current month by default. */
  month: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional(),
  months: z.coerce.number().int().min(1).max(24).default(12),
  /** One facility's records, judged by its settings; all facilities (each by its own settings) when absent. */
  facilityId: z.string().min(1).max(64).optional(),
});

export interface MonthFigures {
  month: string;
  discharges: number;
  /** Delinquent at the end of the month (or now, for the current month). */
  delinquent: number;
  averageMonthlyDischarges: number;
  rate: number;
  flagged: boolean;
  completed: number;
  /** Median days from discharge to completion of the records discharged that month and complete. */
  medianDaysToComplete: number | null;
}

export interface CompletionReport {
  asOf: string;
  byPhysician: { providerId: string | null; providerName: string | null; open: number; disputed: number; byType: Record<string, number> }[];
  byType: Record<string, number>;
  byAge: Record<string, number>;
  trend: MonthFigures[];
}

const monthStart = (y: number, m: number) => new Date(Date.UTC(y, m, 1));
const ym = (d: Date) => d.toISOString().slice(0, 7);

/** The completion report: outstanding deficiencies by physician, type and age, and the monthly delinquency trend. */
export async function completionReport(deps: CompletionDeps, actor: Actor, input: unknown = {}): Promise<CompletionReport> {
  const q = ReportQuerySchema.parse(input ?? {});
  const list = await deps.records.openList(actor, reportUse);
  const now = deps.clock.now();
  const settings = await facilitySettings(deps);
  const outstanding = await repo.listOutstanding(deps.db, list, q.facilityId);
  const names = await repo.providerNames(
    deps.db,
    outstanding.map((d) => d.responsible_provider_id).filter((x): x is string => x !== null),
  );
  const byPhysician = new Map<string | null, CompletionReport['byPhysician'][number]>();
  const byType: Record<string, number> = {};
  const byAge: Record<string, number> = Object.fromEntries(AGE_BUCKETS.map((b) => [b.label, 0]));
  for (const d of outstanding) {
    const p = d.responsible_provider_id;
    const row = byPhysician.get(p) ?? { providerId: p, providerName: p ? (names.get(p) ?? null) : null, open: 0, disputed: 0, byType: {} };
    if (d.status === 'disputed') row.disputed++;
    else row.open++;
    row.byType[d.type] = (row.byType[d.type] ?? 0) + 1;
    byPhysician.set(p, row);
    byType[d.type] = (byType[d.type] ?? 0) + 1;
    byAge[ageBucket(d.created_at, now)]!++;
  }
  const [y, m] = (q.month ?? ym(now)).split('-').map(Number) as [number, number];
  const first = monthStart(y, m - 1 - (q.months - 1) - 3);
  const end = monthStart(y, m);
  const records = await repo.listRecordsDischarged(deps.db, list, first.toISOString(), end.toISOString(), q.facilityId);
  const trend: MonthFigures[] = [];
  for (let i = q.months - 1; i >= 0; i--) {
    const start = monthStart(y, m - 1 - i);
    const stop = monthStart(y, m - i);
    const at = stop.getTime() < now.getTime() ? new Date(stop.getTime() - 1) : now;
    const atIso = at.toISOString();
    const cutoffs = new Map<string, string>();
    const cutoffOf = (id: string) => cutoffs.get(id) ?? cutoffs.set(id, delinquentCutoff(at, settings.of(id))).get(id)!;
    const inMonth = records.filter((r) => r.discharge_at >= start.toISOString() && r.discharge_at < stop.toISOString());
    const prior = records.filter(
      (r) => r.discharge_at >= monthStart(y, m - 1 - i - 3).toISOString() && r.discharge_at < start.toISOString(),
    );
    // Delinquent at the month's end: discharged before the cutoff and not complete by then.
    const delinquent = records.filter(
      (r) => r.discharge_at < cutoffOf(r.facility_id) && (r.completed_at === null || r.completed_at > atIso),
    ).length;
    const average = prior.length / 3;
    const done = inMonth.filter((r) => r.completed_at !== null);
    trend.push({
      month: ym(start),
      discharges: inMonth.length,
      delinquent,
      averageMonthlyDischarges: Math.round(average * 100) / 100,
      ...delinquencyRate(delinquent, average),
      completed: done.length,
      medianDaysToComplete: median(
        done.map((r) => (Date.parse(r.completed_at!) - Date.parse(r.discharge_at)) / 86_400_000).map((x) => Math.round(x * 10) / 10),
      ),
    });
  }
  await audited(deps, actor, 'completion', outstanding.length);
  return {
    asOf: now.toISOString(),
    byPhysician: [...byPhysician.values()].sort((a, b) => b.open + b.disputed - a.open - a.disputed),
    byType,
    byAge,
    trend,
  };
}

function tables(r: CompletionReport): ReportTable[] {
  return [
    {
      name: 'By physician',
      header: ['provider', 'open', 'disputed'],
      rows: r.byPhysician.map((p) => [p.providerName ?? p.providerId ?? 'unassigned', p.open, p.disputed]),
    },
    { name: 'By type', header: ['type', 'outstanding'], rows: Object.entries(r.byType) },
    { name: 'By age', header: ['age (days)', 'outstanding'], rows: Object.entries(r.byAge) },
    {
      name: 'Delinquency trend',
      header: [
        'month',
        'discharges',
        'delinquent',
        'average monthly discharges',
        'rate',
        'flagged',
        'completed',
        'median days to complete',
      ],
      rows: r.trend.map((t) => [
        t.month,
        t.discharges,
        t.delinquent,
        t.averageMonthlyDischarges,
        Math.round(t.rate * 1000) / 1000,
        t.flagged ? 'yes' : 'no',
        t.completed,
        t.medianDaysToComplete,
      ]),
    },
  ];
}

/** The report as CSV: one section per table, a blank line between. */
export function reportCsv(r: CompletionReport): string {
  return tablesCsv(tables(r));
}

/** The report as an XLSX workbook (exceljs): one sheet per table. */
export async function reportXlsx(r: CompletionReport): Promise<Uint8Array> {
  return tablesXlsx(tables(r));
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const ScorecardQueryFields = z.object({
  /** First day of the period (UTC); the first of the current month by default. */
  from: day.optional(),
  /** Last day of the period, included (UTC); today by default. */
  to: day.optional(),
  /** One facility's records, judged by its settings; all facilities (each by its own settings) when absent. */
  facilityId: z.string().min(1).max(64).optional(),
});

export const ScorecardQuerySchema = ScorecardQueryFields.refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
  error: 'from must not be after to',
  path: ['from'],
});

export interface Scorecard extends ScorecardRow {
  providerName: string | null;
}

export interface ScorecardReport {
  asOf: string;
  from: string;
  to: string;
  facilityId: string | null;
  suspensionDelinquentRecords: number;
  physicians: Scorecard[];
}

/**
 * Physician scorecards for a period: deficiencies created in it and assigned to each physician — completed, completed
 * by the record's completion deadline (its facility's bylaws), median days to complete, disputed — and, as of now,
 * each physician's open deficiencies, delinquent records and place on the suspension list. Restricted records are
 * counted like any other; no patient or record is named.
 */
export async function physicianScorecards(deps: CompletionDeps, actor: Actor, input: unknown = {}): Promise<ScorecardReport> {
  const q = parseInput(ScorecardQuerySchema, input ?? {});
  const list = await deps.records.openList(actor, reportUse);
  const now = deps.clock.now();
  const today = now.toISOString().slice(0, 10);
  const from = q.from ?? `${today.slice(0, 7)}-01`;
  const to = q.to ?? today;
  const toExclusive = new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000).toISOString();
  const settings = await facilitySettings(deps);
  const cutoffs = new Map<string, string>();
  const delinquent = (facilityId: string, dischargeAt: string, recordStatus: string) => {
    const cutoff = cutoffs.get(facilityId) ?? cutoffs.set(facilityId, delinquentCutoff(now, settings.of(facilityId))).get(facilityId)!;
    return recordStatus === 'incomplete' && dischargeAt < cutoff;
  };
  const period = await repo.listScorecardDeficiencies(deps.db, list, `${from}T00:00:00.000Z`, toExclusive, q.facilityId);
  const outstanding = await repo.listOutstanding(deps.db, list, q.facilityId);
  const inPeriod: ScorecardDeficiency[] = period.map((d) => ({
    providerId: d.responsible_provider_id!,
    encounterId: d.encounter_id,
    status: d.status,
    createdAt: d.created_at,
    resolvedAt: d.resolved_at,
    recordDueAt: completionDueAt(d.discharge_at, settings.of(d.facility_id)),
    recordDelinquent: false,
  }));
  const current: ScorecardDeficiency[] = outstanding
    .filter((d) => d.responsible_provider_id !== null)
    .map((d) => ({
      providerId: d.responsible_provider_id!,
      encounterId: d.encounter_id,
      status: d.status,
      createdAt: d.created_at,
      resolvedAt: d.resolved_at,
      recordDueAt: completionDueAt(d.discharge_at, settings.of(d.facility_id)),
      recordDelinquent: delinquent(d.facility_id, d.discharge_at, d.record_status),
    }));
  const disputedBy = await repo.listDisputers(deps.db, list, `${from}T00:00:00.000Z`, toExclusive, q.facilityId);
  const threshold = settings.of(q.facilityId ?? '').suspensionDelinquentRecords;
  const rows = scorecards(inPeriod, current, disputedBy, threshold);
  const names = await repo.providerNames(
    deps.db,
    rows.map((r) => r.providerId),
  );
  await audited(deps, actor, 'scorecards', rows.length);
  return {
    asOf: now.toISOString(),
    from,
    to,
    facilityId: q.facilityId ?? null,
    suspensionDelinquentRecords: threshold,
    physicians: rows.map((r) => ({ ...r, providerName: names.get(r.providerId) ?? null })),
  };
}

function scorecardTables(r: ScorecardReport): ReportTable[] {
  return [
    {
      name: 'Physician scorecards',
      header: [
        'provider',
        'assigned',
        'completed',
        'completed on time',
        'median days to complete',
        'disputes',
        'open now',
        'delinquent records now',
        'suspended',
      ],
      rows: r.physicians.map((p) => [
        p.providerName ?? p.providerId,
        p.assigned,
        p.completed,
        p.completedOnTime,
        p.medianDaysToComplete,
        p.disputes,
        p.open,
        p.delinquentRecords,
        p.suspended ? 'yes' : 'no',
      ]),
    },
  ];
}

export function scorecardCsv(r: ScorecardReport): string {
  return tablesCsv(scorecardTables(r));
}

export async function scorecardXlsx(r: ScorecardReport): Promise<Uint8Array> {
  return tablesXlsx(scorecardTables(r));
}
