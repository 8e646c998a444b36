/**
 * The HIM director's dashboard: every figure computed from the stored data through a list scope (restricted records
 * are counted, never shown), and the list of encounters behind each figure. Audited: the dashboard as a read, a
 * drill-down as a search with its count, an export as an export.
 */
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { invalid } from '../../core/errors.js';
import { Permission, type Actor, type ListScope, type RecordAccess } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import { completionStatusesOf } from '../completion/index.js';
import type { Mailer } from '../mail/index.js';
import * as repo from './dashboard.repository.js';
import { operationsFigures, type OperationsFigures } from './dashboard-operations.js';
import {
  caseMixIndex,
  cmsWeighing,
  codingBacklog,
  codingThroughput,
  daysOf,
  dnfbSummary,
  dnfbTrend,
  duplicateRate,
  hospitalSpecificWeighing,
  hospitalSpecificWeights,
  queryFigures,
  roiFigures,
  topDrgs,
  DNFB_REASONS,
  DNFB_AGE_BUCKETS,
  type EncounterFact,
  type WeightSource,
} from './dashboard.rules.js';
import {
  applyFilter,
  dischargedIn,
  drillRows,
  encountersBehind,
  Figures,
  selectionReadsHiddenFields,
  type DashboardFilter,
  type DrillRow,
  type FigureSelection,
} from './dashboard-drill.rules.js';

export interface ReportsDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  /** Scheduled delivery of saved reports (off when CUSTODIAN_SMTP_URL is unset). */
  mailer?: Mailer;
}

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const Text = z.string().trim().min(1).max(100).optional();

/** The filters of every dashboard route (query string). */
export const DashboardQuerySchema = z.object({
  from: Day.optional(),
  to: Day.optional(),
  facility: Text,
  service: Text,
  physician: Text,
  payer: Text,
});

/** A drill-down: the figure, the part of it, and the filters. */
export const DrillQuerySchema = DashboardQuerySchema.extend({
  figure: z.enum(Figures),
  reason: z.enum(DNFB_REASONS as [string, ...string[]]).optional(),
  age: z.enum(DNFB_AGE_BUCKETS.map((b) => b.label) as [string, ...string[]]).optional(),
  day: Day.optional(),
  type: Text,
  coderId: Text,
  drg: z
    .string()
    .regex(/^\d{3}$/, 'a three-digit MS-DRG')
    .optional(),
  month: z
    .string()
    .regex(/^\d{4}-\d{2}$/, 'a month YYYY-MM')
    .optional(),
});

const addDays = (day: string, n: number) => new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10);

/** The filter with its default dates: the 30 days to today; at most two years. */
function filterOf(q: z.infer<typeof DashboardQuerySchema>, today: string): DashboardFilter {
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -29);
  if (from > to) throw invalid('from: the range starts after it ends');
  if (addDays(from, 731) < to) throw invalid('from: a dashboard covers at most two years');
  return { from, to, facility: q.facility, service: q.service, physician: q.physician, payer: q.payer };
}

interface Loaded {
  list: ListScope;
  today: string;
  filter: DashboardFilter;
  all: EncounterFact[];
  facts: EncounterFact[];
}

/** Every discharged encounter's facts, through the list scope; `facts` are those the filter keeps. */
async function load(deps: ReportsDeps, actor: Actor, query: z.infer<typeof DashboardQuerySchema>, resourceType: string): Promise<Loaded> {
  const today = isoNow(deps.clock).slice(0, 10);
  const filter = filterOf(query, today);
  const list = await deps.records.openList(actor, { permission: Permission.reportsRead, resourceType });
  const rows = await repo.listDischargedEncounters(deps.db, list, filter.facility);
  const ids = rows.map((r) => r.encounter_id);
  const [charges, claims, openQueries, completion] = await Promise.all([
    repo.chargesByEncounter(deps.db, list),
    repo.listClaims(deps.db, list),
    repo.encountersWithOpenQueries(deps.db, list),
    completionStatusesOf(deps, list, ids),
  ]);
  const claimOf = new Map<string, { status: string; errors: boolean; releasedAt: string | null }>();
  for (const c of claims) {
    const prev = claimOf.get(c.encounter_id);
    // The earliest release ends DNFB; otherwise the latest claim (claims come oldest first) tells the edit state.
    if (prev?.releasedAt) continue;
    const findings = JSON.parse(c.findings || '[]') as { severity?: string }[];
    claimOf.set(c.encounter_id, { status: c.status, errors: findings.some((f) => f.severity === 'error'), releasedAt: c.released_at });
  }
  const all = rows.map((r): EncounterFact => {
    const claim = claimOf.get(r.encounter_id);
    return {
      encounterId: r.encounter_id,
      patientId: r.patient_id,
      mrn: r.mrn,
      patientName: `${r.family_name}, ${r.given_name}`,
      accountNumber: r.account_number,
      restricted: r.restricted === 1,
      facilityId: r.facility_id,
      type: r.type,
      payer: r.payer_name,
      attendingId: r.attending_provider_id,
      attending: r.attending_family ? `${r.attending_given ?? ''} ${r.attending_family}`.trim() : null,
      service: r.specialty ?? 'Unassigned',
      admitAt: r.admit_at,
      dischargeAt: r.discharge_at,
      codingStatus: r.coding_status === 'final' ? 'final' : r.coding_status === 'draft' ? 'draft' : 'not_started',
      finalDrg: r.coding_status === 'final' ? r.final_drg : null,
      codedBy: r.coded_by,
      codedAt: r.coded_at,
      chargesCents: charges.get(r.encounter_id) ?? 0,
      claimStatus: claim?.status ?? null,
      claimHasErrors: claim?.errors ?? false,
      releasedAt: claim?.status === 'released' ? (claim.releasedAt ?? today) : null,
      queryOpen: openQueries.has(r.encounter_id),
      chartHoldsBill: completion.get(r.encounter_id)?.blocksFinalBill ?? false,
    };
  });
  return { list, today, filter, all, facts: applyFilter(all, filter, (x) => list.showsDetails(x)) };
}

const bounds = (f: DashboardFilter) => ({ from: `${f.from}T00:00:00.000Z`, to: `${f.to}T23:59:59.999Z` });

export interface Dashboard {
  asOf: string;
  filter: DashboardFilter;
  dnfb: ReturnType<typeof dnfbSummary> & { trend: ReturnType<typeof dnfbTrend> };
  coding: { backlog: ReturnType<typeof codingBacklog>; throughput: ReturnType<typeof codingThroughput> };
  drgs: ReturnType<typeof topDrgs>;
  caseMix: ReturnType<typeof caseMixIndex> & { weights: { source: WeightSource; label: string; fiscalYears: number[] } };
  queries: ReturnType<typeof queryFigures>;
  mpi: { activePatients: number; openPairs: number; patientsInOpenPairs: number; duplicateRate: number; target: number };
  roi: ReturnType<typeof roiFigures>;
  /** Delinquency, A/R and denials, interface health and no-shows (dashboard-operations.ts). */
  operations: OperationsFigures;
  /** Choices for the filters: facilities, service lines, physicians and payers on the discharges. */
  choices: { facilities: string[]; services: string[]; physicians: { id: string; name: string }[]; payers: string[] };
}

/** The weighing of cases: CMS Table 5 when any year is imported, else hospital-specific weights over all final-coded cases. */
async function weighingOf(deps: ReportsDeps, all: readonly EncounterFact[]) {
  const table = await repo.loadWeightTable(deps.db);
  if (table.size > 0) return cmsWeighing(table);
  return hospitalSpecificWeighing(hospitalSpecificWeights(all.filter((f) => f.codingStatus === 'final')));
}

/** The director's figures for the filter. */
export async function directorDashboard(deps: ReportsDeps, actor: Actor, query: unknown): Promise<Dashboard> {
  const q = parse(DashboardQuerySchema, query);
  const { list, today, filter, all, facts } = await load(deps, actor, q, 'dashboard');
  const b = bounds(filter);
  const kept = new Set(facts.map((f) => f.encounterId));
  const codings = (await repo.listFinalCodings(deps.db, list, b)).filter((c) => kept.has(c.encounterId));
  const queries = (await repo.listQueriesSent(deps.db, list, b)).filter((x) => kept.has(x.encounterId));
  const weighing = await weighingOf(deps, all);
  const inRange = facts.filter((f) => dischargedIn(f, filter));
  const mix = caseMixIndex(inRange, weighing);
  const drgs = topDrgs(inRange, weighing);
  const mpi = await repo.mpiCounts(deps.db, list);
  const roi = roiFigures(await repo.listRoiRequests(deps.db, list, filter), today);
  const attendings = await repo.listAttendings(deps.db);
  const operations = await operationsFigures(deps, actor, list, filter, today);
  const shown = all.filter((f) => list.showsDetails(f));
  const result: Dashboard = {
    asOf: today,
    filter,
    dnfb: { ...dnfbSummary(facts, today), trend: dnfbTrend(facts, daysOf(filter.from, filter.to)) },
    coding: { backlog: codingBacklog(facts, today), throughput: codingThroughput(codings) },
    drgs,
    caseMix: {
      ...mix,
      weights: {
        source: weighing.source,
        label:
          weighing.source === 'cms_table5'
            ? `CMS IPPS Table 5 relative weights (FY ${weighing.fiscalYears.join(', ') || 'none matched'})`
            : "Hospital-specific relative weights (each MS-DRG's mean charge over the hospital's mean charge per case)",
        fiscalYears: weighing.fiscalYears,
      },
    },
    queries: queryFigures(queries),
    mpi: {
      activePatients: mpi.active,
      openPairs: mpi.openPairs,
      patientsInOpenPairs: mpi.inOpenPairs,
      duplicateRate: duplicateRate(mpi.active, mpi.inOpenPairs),
      target: 0.01,
    },
    roi,
    operations,
    choices: {
      facilities: uniq(all.map((f) => f.facilityId)),
      services: uniq(shown.map((f) => f.service)),
      physicians: attendings.filter((a) => shown.some((f) => f.attendingId === a.id)).map((a) => ({ id: a.id, name: a.name })),
      payers: uniq(shown.flatMap((f) => (f.payer ? [f.payer] : []))),
    },
  };
  await audited(deps, actor, AuditAction.read, 'dashboard', { from: filter.from, to: filter.to, encounters: facts.length });
  return result;
}

/** The encounters behind one figure: rows that may show, and how many restricted rows are counted but withheld. */
export async function dashboardEncounters(
  deps: ReportsDeps,
  actor: Actor,
  query: unknown,
): Promise<{ figure: FigureSelection; total: number; withheld: number; items: DrillRow[] }> {
  const q = parse(DrillQuerySchema, query);
  const { list, today, filter, facts } = await load(deps, actor, q, 'dashboard_drilldown');
  const sel: FigureSelection = {
    figure: q.figure,
    reason: q.reason as FigureSelection['reason'],
    age: q.age,
    day: q.day,
    type: q.type,
    coderId: q.coderId,
    drg: q.drg,
    month: q.month,
  };
  const b = bounds(filter);
  const more = {
    ...(sel.figure === 'throughput' ? { codings: await repo.listFinalCodings(deps.db, list, b) } : {}),
    ...(sel.figure === 'queries' ? { queryEncounterIds: (await repo.listQueriesSent(deps.db, list, b)).map((x) => x.encounterId) } : {}),
  };
  const behind = encountersBehind(facts, sel, filter, today, more);
  const { rows, withheld } = drillRows(behind, (x) => list.showsDetails(x), selectionReadsHiddenFields(sel, filter), today);
  await audited(deps, actor, AuditAction.search, 'dashboard_drilldown', { figure: sel.figure, count: behind.length, withheld });
  return { figure: sel, total: behind.length, withheld, items: rows };
}

const uniq = (xs: readonly string[]) => [...new Set(xs)].sort();

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw invalid(r.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  return r.data;
}

export async function audited(
  deps: ReportsDeps,
  actor: Actor,
  action: AuditAction,
  resourceType: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await deps.db.transaction().execute((trx) => recordAudit(trx, deps.audit, actor, { action, resourceType, outcome: 'success', detail }));
}
