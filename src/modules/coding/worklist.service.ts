/**
 * The coding worklist (DNFB: discharged, not final billed): discharged encounters whose abstract is not final,
 * with their age, filters and sorting, assignment, "claim next" and the director's totals.
 */
import { isoNow } from '../../core/shared/clock.js';
import { conflict, invalid, notFound } from '../../core/errors.js';
import { Permission, Role, requirePermission, scopeDetail, type Actor, type ListScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { completionStatusesOf, type ChartCompletionStatus } from '../completion/index.js';
import { queryStatusesOf } from '../queries/index.js';
import * as repo from './coding.repository.js';
import { AGE_BUCKETS, ageBucketOf, daysBetween } from './coding.rules.js';
import { CodingAction, ensureAbstract, loadEncounter, openEncounter, type CodingDeps } from './coding.service.js';

export type QueryState = 'open' | 'escalated' | 'answered' | 'none';

export interface WorklistItem {
  encounterId: string;
  patientId: string;
  mrn: string;
  patientName: string;
  accountNumber: string;
  type: string;
  payerName: string | null;
  admitAt: string;
  dischargeAt: string;
  daysSinceDischarge: number;
  lengthOfStay: number;
  attending: string | null;
  workingDrg: string | null;
  workingDrgTitle: string | null;
  status: 'not_started' | 'draft';
  queryStatus: QueryState;
  assignedTo: string | null;
  assigneeName: string | null;
  /**
   * The chart's completion (deficiency analysis) beside the coding work — coding and completion are separate queues —
   * and whether it holds the final bill at a facility that bills only complete records; null before the analysis.
   */
  completion: ChartCompletionStatus | null;
  /** VIP or employee record: opens with break-the-glass only. */
  restricted: boolean;
  /**
   * False for a restricted record this user has not opened: the item then shows only that the work exists (ids,
   * MRN, name, account, status and assignee); dates, type, payer, attending and DRG are withheld.
   */
  details: boolean;
}

export const WorklistSort = ['days', 'type', 'payer', 'los', 'account', 'assignee', 'drg'] as const;
export type WorklistSort = (typeof WorklistSort)[number];

export interface WorklistFilter {
  type?: string | undefined;
  payer?: string | undefined;
  /** 'me', 'unassigned' or a user id. */
  assignee?: string | undefined;
  queryStatus?: QueryState | undefined;
  status?: 'not_started' | 'draft' | undefined;
  minDays?: number | undefined;
  maxDays?: number | undefined;
  sort?: WorklistSort | undefined;
  dir?: 'asc' | 'desc' | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  /** Words of the patient's name, the MRN or the account number (every word must match one of them). */
  text?: string | undefined;
}

/**
 * Whether an item matches the search words: each word is part of the patient's name, the MRN or the account number.
 * These are what a withheld (restricted) item shows, so searching them reveals nothing it hides.
 */
export function matchesWorklistText(i: Pick<WorklistItem, 'patientName' | 'mrn' | 'accountNumber'>, text: string): boolean {
  const words = text
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  const name = i.patientName.toLowerCase();
  const ids = [i.mrn.toLowerCase(), i.accountNumber.toLowerCase()];
  return words.every((w) => name.includes(w) || ids.some((x) => x.includes(w)));
}

/** An answered query counts while the coder has not final-coded since (the worklist flag); open wins over answered. */
function queryStateOf(statuses: string[] | undefined, answeredFlag: number | null): QueryState {
  if (!statuses || statuses.length === 0) return 'none';
  if (statuses.includes('escalated')) return 'escalated';
  if (statuses.includes('open')) return 'open';
  return answeredFlag === 1 ? 'answered' : 'none';
}

/** What listing the worklist needs (no grouper or encoder). */
export type WorklistDeps = Pick<CodingDeps, 'db' | 'clock' | 'audit' | 'records'>;

async function loadItems(
  deps: WorklistDeps,
  list: ListScope,
  f: WorklistFilter,
  opts: { forTotals?: boolean } = {},
): Promise<WorklistItem[]> {
  const actor = list.actor;
  const assignedTo = f.assignee === 'me' ? actor.userId : f.assignee === 'unassigned' ? null : f.assignee;
  const rows = await repo.listUncodedEncounters(deps.db, list, { type: f.type, payer: f.payer, assignedTo });
  const queries = await queryStatusesOf(
    deps.db,
    list,
    rows.map((r) => r.encounter_id),
  );
  const completion = await completionStatusesOf(
    deps,
    list,
    rows.map((r) => r.encounter_id),
  );
  const today = isoNow(deps.clock);
  return rows.map((r) => {
    const item: WorklistItem = {
      encounterId: r.encounter_id,
      patientId: r.patient_id,
      mrn: r.mrn,
      patientName: `${r.family_name}, ${r.given_name}`,
      accountNumber: r.account_number,
      type: r.type,
      payerName: r.payer_name,
      admitAt: r.admit_at,
      dischargeAt: r.discharge_at,
      daysSinceDischarge: Math.max(0, daysBetween(r.discharge_at, today)),
      lengthOfStay: Math.max(0, daysBetween(r.admit_at, r.discharge_at)),
      attending: r.attending_family ? `${r.attending_given ?? ''} ${r.attending_family}`.trim() : null,
      workingDrg: r.working_drg,
      workingDrgTitle: r.working_drg_title,
      status: r.status === 'draft' ? 'draft' : 'not_started',
      queryStatus: queryStateOf(queries.get(r.encounter_id), r.query_answered),
      assignedTo: r.assigned_to,
      assigneeName: r.assignee_name,
      completion: completion.get(r.encounter_id) ?? null,
      restricted: r.restricted === 1,
      details: true,
    };
    return opts.forTotals || list.showsDetails({ patientId: r.patient_id, restricted: r.restricted }) ? item : withheld(item);
  });
}

/** A restricted item for a user who has not opened the record: the work exists; its clinical and financial facts do not show. */
function withheld(i: WorklistItem): WorklistItem {
  return {
    ...i,
    type: '',
    payerName: null,
    admitAt: '',
    dischargeAt: '',
    daysSinceDischarge: 0,
    lengthOfStay: 0,
    attending: null,
    workingDrg: null,
    workingDrgTitle: null,
    completion: null,
    details: false,
  };
}

/** A filter on what a withheld item hides would reveal it by matching: such items appear only without those filters. */
function filtersHiddenFields(f: WorklistFilter): boolean {
  return f.type !== undefined || f.payer !== undefined || f.minDays !== undefined || f.maxDays !== undefined;
}

const sortKey: Record<WorklistSort, (i: WorklistItem) => string | number> = {
  days: (i) => i.daysSinceDischarge,
  type: (i) => i.type,
  payer: (i) => i.payerName ?? '',
  los: (i) => i.lengthOfStay,
  account: (i) => i.accountNumber,
  assignee: (i) => i.assigneeName ?? '',
  drg: (i) => i.workingDrg ?? '',
};

/** The worklist, filtered and sorted (oldest discharge first by default). Audited as a search with the count. */
export async function listWorklist(
  deps: WorklistDeps,
  actor: Actor,
  f: WorklistFilter = {},
): Promise<{ total: number; items: WorklistItem[]; payers: string[] }> {
  const list = await deps.records.openList(actor, { permission: Permission.codingRead, resourceType: 'coding_worklist' });
  // Type and payer filter here rather than in SQL, so the payer choices are every payer on the list (of items whose
  // details show), whatever is chosen: a choice, not typed text that misses by spelling.
  let items = await loadItems(deps, list, { assignee: f.assignee });
  const payers = [...new Set(items.flatMap((i) => (i.details && i.payerName ? [i.payerName] : [])))].sort();
  items = items.filter((i) => (f.type === undefined || i.type === f.type) && (f.payer === undefined || i.payerName === f.payer));
  const text = f.text?.trim() ?? '';
  const hiddenFilter = filtersHiddenFields(f);
  items = items.filter(
    (i) =>
      (i.details || !hiddenFilter) &&
      (f.queryStatus === undefined || i.queryStatus === f.queryStatus) &&
      (f.status === undefined || i.status === f.status) &&
      (f.minDays === undefined || i.daysSinceDischarge >= f.minDays) &&
      (f.maxDays === undefined || i.daysSinceDischarge <= f.maxDays) &&
      (text === '' || matchesWorklistText(i, text)),
  );
  const key = sortKey[f.sort ?? 'days'];
  const sign = (f.dir ?? (f.sort === undefined || f.sort === 'days' || f.sort === 'los' ? 'desc' : 'asc')) === 'asc' ? 1 : -1;
  // Withheld items go last whatever the sort, so their place in it cannot tell what they hide.
  items.sort((a, b) => {
    if (a.details !== b.details) return a.details ? -1 : 1;
    if (!a.details) return a.accountNumber.localeCompare(b.accountNumber);
    const ka = key(a),
      kb = key(b);
    return (ka < kb ? -1 : ka > kb ? 1 : a.accountNumber.localeCompare(b.accountNumber)) * sign;
  });
  const offset = f.offset ?? 0;
  const page = items.slice(offset, offset + Math.min(f.limit ?? 100, 500));
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: 'coding_worklist',
      outcome: 'success',
      detail: { resultCount: page.length, total: items.length },
    }),
  );
  return { total: items.length, items: page, payers };
}

/**
 * Assigns an encounter to a coder (or unassigns with null). Coders may take work for themselves only; HIM
 * directors assign to any coder.
 */
export async function assignEncounter(
  deps: CodingDeps,
  actor: Actor,
  encounterId: string,
  userId: string | null,
): Promise<{ assignedTo: string | null }> {
  await requirePermission(deps, actor, Permission.codingAssign, { type: 'coding_abstract', id: encounterId });
  if (actor.role === Role.coder && userId !== null && userId !== actor.userId)
    throw invalid('userId: coders assign encounters to themselves; ask the HIM director to reassign');
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingAssign,
    mode: 'write',
    resourceType: 'coding_abstract',
  });
  return deps.db.transaction().execute(async (trx) => {
    const e = await loadEncounter(trx, scope);
    if (userId !== null) {
      const u = await repo.findUserRole(trx, userId);
      if (!u || u.role !== Role.coder || u.disabled === 1) throw invalid('userId: not an active coder');
    }
    const a = await ensureAbstract(trx, deps.clock, scope, e);
    if (a.status === 'final') throw conflict('the encounter is final-coded');
    if (actor.role === Role.coder && a.assigned_to && a.assigned_to !== actor.userId)
      throw conflict('this encounter is assigned to another coder');
    await repo.updateAbstract(trx, scope, { assigned_to: userId, assigned_at: userId ? isoNow(deps.clock) : null });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: CodingAction.assign,
      resourceType: 'coding_abstract',
      resourceId: e.id,
      patientId: e.patient_id,
      outcome: 'success',
      detail: scopeDetail(scope, { assignedTo: userId }),
    });
    return { assignedTo: userId };
  });
}

/**
 * "Claim next": the coder's own unfinished work first, else the oldest unassigned discharge that is not waiting
 * on a physician query (inpatients before other types at the same age). Restricted records are left to the
 * director's assignment: opening one needs break-the-glass, which a coder should choose, not be dealt.
 */
export async function claimNext(
  deps: CodingDeps,
  actor: Actor,
  opts: { type?: string | undefined; skip?: string | undefined } = {},
): Promise<WorklistItem | null> {
  const list = await deps.records.openList(actor, { permission: Permission.codingWrite, resourceType: 'coding_worklist' });
  // `skip`: the encounter on screen, when the coder asks for the next one from the abstracting page.
  const items = (await loadItems(deps, list, { type: opts.type })).filter(
    (i) => i.queryStatus !== 'open' && i.queryStatus !== 'escalated' && i.encounterId !== opts.skip,
  );
  const rank = (i: WorklistItem) => (i.type === 'inpatient' ? 0 : 1);
  const order = (a: WorklistItem, b: WorklistItem) =>
    b.daysSinceDischarge - a.daysSinceDischarge || rank(a) - rank(b) || a.accountNumber.localeCompare(b.accountNumber);
  const mine = items.filter((i) => i.assignedTo === actor.userId).sort(order);
  // Own work first; a withheld item (restricted, assigned by the director) sorts by account only, after the others.
  const next = mine.filter((i) => i.details)[0] ?? mine[0] ?? items.filter((i) => i.assignedTo === null && !i.restricted).sort(order)[0];
  if (!next) return null;
  if (next.assignedTo !== actor.userId) await assignEncounter(deps, actor, next.encounterId, actor.userId);
  return { ...next, assignedTo: actor.userId, assigneeName: actor.username };
}

/** Active coders (for the director's assignment list). */
export async function listCoders(deps: CodingDeps, actor: Actor): Promise<{ id: string; name: string }[]> {
  await requirePermission(deps, actor, Permission.codingAssign, { type: 'user' });
  const rows = await repo.listActiveUsersOfRole(deps.db, Role.coder);
  return rows.map((r) => ({ id: r.id, name: r.display_name }));
}

export interface DnfbTotals {
  total: number;
  byAge: { bucket: string; count: number; inpatient: number }[];
  byCoder: { userId: string | null; name: string; count: number; oldestDays: number }[];
  byType: { type: string; count: number }[];
  onQueryHold: number;
}

/** The HIM director's DNFB totals: by age bucket (days since discharge), by coder, by type. */
export async function dnfbTotals(deps: CodingDeps, actor: Actor): Promise<DnfbTotals> {
  const list = await deps.records.openList(actor, { permission: Permission.reportsRead, resourceType: 'coding_report' });
  // Totals count every uncoded encounter in its real age bucket, restricted ones included: the report shows counts
  // and coders, never an individual encounter's facts.
  const items = await loadItems(deps, list, {}, { forTotals: true });
  const byAge = AGE_BUCKETS.map((b) => ({ bucket: b.label, count: 0, inpatient: 0 }));
  const coders = new Map<string, DnfbTotals['byCoder'][number]>();
  const types = new Map<string, number>();
  for (const i of items) {
    const b = byAge.find((x) => x.bucket === ageBucketOf(i.daysSinceDischarge));
    if (!b) throw notFound('bucket');
    b.count++;
    if (i.type === 'inpatient') b.inpatient++;
    const k = i.assignedTo ?? '';
    const c = coders.get(k) ?? { userId: i.assignedTo, name: i.assigneeName ?? 'Unassigned', count: 0, oldestDays: 0 };
    c.count++;
    c.oldestDays = Math.max(c.oldestDays, i.daysSinceDischarge);
    coders.set(k, c);
    types.set(i.type, (types.get(i.type) ?? 0) + 1);
  }
  return {
    total: items.length,
    byAge,
    byCoder: [...coders.values()].sort((a, b) => b.count - a.count),
    byType: [...types].map(([type, count]) => ({ type, count })),
    onQueryHold: items.filter((i) => i.queryStatus === 'open' || i.queryStatus === 'escalated').length,
  };
}
