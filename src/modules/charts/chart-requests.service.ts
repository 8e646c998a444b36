/**
 * Chart requests ("retrieve patients' records for physicians"): a clinician or department asks HIM for a record;
 * HIM works the queue by the time each is needed and fulfils it electronically or by pulling the paper chart, or
 * cancels it with a reason. CMS CoP 42 CFR 482.24(a): the medical record service retrieves records promptly.
 *
 * Access: a request's reason and encounter are the record's clinical content. Making a request and reading one opens
 * the record through the record-access step (a restricted record needs break-the-glass, as reading it would); the
 * queue shows a restricted record's requests as their existence (who, for whom, when needed, the charts to pull).
 * Fulfilling and cancelling change only the queue and where the paper is, under the tracking ListScope.
 *
 * Electronic fulfilment grants nothing: it tells the requester the record is complete and available in Custodian
 * (their list shows it fulfilled, with the way to the record), and they open it through the record-access step with
 * their own permissions — a restricted record still needs their own break-the-glass. It is refused for a requester
 * who is not a user who may read records (a department is sent the paper chart instead).
 */
import { z } from 'zod';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { conflict, invalid, notFound } from '../../core/errors.js';
import type { ChartRequestTable } from '../../db/schema-charts.js';
import { anyOf, Permission, requirePermission, roleHas, scopeDetail, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './chart-requests.repository.js';
import { findUserRole } from './chart-requests.repository.js';
import { userDisplayName } from './charts.repository.js';
import {
  Fulfilment,
  isBorrower,
  neededByOf,
  neededByProblem,
  NewChartRequestSchema,
  parseInput,
  requestStepProblem,
  RequestStatus,
  type NewChartRequest,
} from './charts.rules.js';
import { borrowerLocation, chartOfCode, chartsOfPatients, moveChartInTx, trackingScope } from './charts.service.js';
import { activeLocation } from './locations.service.js';
import { requestViews, type ChartDeps, type ChartRequestView } from './charts.views.js';

const asker = anyOf(Permission.chartRequest, Permission.chartTrack);
const tracks = (actor: Actor) => roleHas(actor.role, Permission.chartTrack);

export const FulfilSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('electronic') }),
  z.object({
    method: z.literal('paper'),
    /** The pulled chart, as scanned. */
    barcode: z.string().min(1).max(40),
    /** Where it goes when the request names no place and the requester is not a user. */
    toLocationId: z.string().min(1).max(64).nullish(),
    dueBackAt: z.iso.datetime({ offset: true }).nullish(),
  }),
]);
export type FulfilInput = z.input<typeof FulfilSchema>;

/** Asks HIM for a record. A clinician asks for themselves; HIM staff may enter a request for a user or a named department. */
export async function createChartRequest(deps: ChartDeps, actor: Actor, input: NewChartRequest): Promise<ChartRequestView> {
  const v = parseInput(NewChartRequestSchema, input);
  if (!tracks(actor) && !actor.system && ((v.requesterUserId && v.requesterUserId !== actor.userId) || v.requesterName))
    throw invalid('requesterUserId: you request a record for yourself');
  const scope = await deps.records.open(actor, v.encounterId ? { encounterId: v.encounterId } : { patientId: v.patientId }, {
    permission: asker,
    mode: 'write',
    resourceType: 'chart_request',
  });
  if (scope.patientId !== v.patientId) throw notFound('encounter');
  if (scope.mergedInto) throw conflict('this record was merged into another: request the surviving record');
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const neededBy = neededByOf(v.priority, now, v.neededBy ? new Date(v.neededBy) : null);
    const problem = neededByProblem(neededBy, now);
    if (problem) throw invalid(`neededBy: ${problem}`);
    const requesterUserId = v.requesterName ? null : (v.requesterUserId ?? (actor.system ? null : actor.userId));
    const requesterName = requesterUserId ? await userDisplayName(trx, requesterUserId) : v.requesterName;
    if (!requesterName) throw invalid(requesterUserId ? 'requesterUserId: no such active user' : 'requesterName: name who asks');
    if (v.deliverToLocationId && !isBorrower((await activeLocation(trx, v.deliverToLocationId, 'deliverToLocationId')).kind))
      throw invalid('deliverToLocationId: a chart is delivered to a person or a department');
    const row: ChartRequestTable = {
      patient_id: scope.patientId,
      id: newId(),
      encounter_id: scope.encounterId,
      requester_user_id: requesterUserId,
      requester_name: requesterName,
      deliver_to_location_id: v.deliverToLocationId ?? null,
      priority: v.priority,
      reason: v.reason,
      needed_by: neededBy.toISOString(),
      status: RequestStatus.open,
      requested_by: actor.userId,
      requested_at: now.toISOString(),
      fulfilled_at: null,
      fulfilled_by: null,
      fulfilment: null,
      chart_id: null,
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
      updated_at: now.toISOString(),
    };
    await repo.insertRequest(trx, scope, row);
    await recordAudit(trx, deps.audit, scope.actor, {
      action: 'create',
      resourceType: 'chart_request',
      resourceId: row.id,
      patientId: row.patient_id,
      outcome: 'success',
      detail: scopeDetail(scope, { priority: row.priority, ...(row.encounter_id ? { encounterId: row.encounter_id } : {}) }),
    });
    const created = await repo.findRequest(trx, scope, row.id);
    return (await requestViews(trx, [created!], now, { showsDetails: () => true }))[0]!;
  });
}

/**
 * The queue. HIM staff see every request (open ones soonest needed first, each with the patient's paper charts and
 * where they are; `mine` for those they entered); a clinician sees the requests they made or that name them.
 */
export async function listChartRequests(
  deps: ChartDeps,
  actor: Actor,
  opts: { status?: RequestStatus | 'all' | undefined; mine?: boolean | undefined } = {},
): Promise<ChartRequestView[]> {
  const list = await deps.records.openList(actor, { permission: asker, resourceType: 'chart_request' });
  const status = opts.status === 'all' ? null : (opts.status ?? RequestStatus.open);
  const staff = tracks(actor);
  const rows = await repo.listRequests(deps.db, list, { status, userId: staff && !opts.mine ? null : actor.userId, limit: 500 });
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const charts = staff
      ? await chartsOfPatients(
          trx,
          list,
          rows.map((r) => r.patient_id),
          now,
        )
      : null;
    await recordAudit(trx, deps.audit, actor, {
      action: 'search',
      resourceType: 'chart_request',
      outcome: 'success',
      detail: { status: status ?? 'all', resultCount: rows.length },
    });
    return requestViews(trx, rows, now, {
      showsDetails: (r) => list.showsDetails({ patientId: r.patient_id, restricted: r.restricted }),
      ...(charts ? { chartsOf: (id: string) => charts.get(id) ?? [] } : {}),
    });
  });
}

/** Finds a request the user may see: HIM staff any, a clinician theirs; another's answers not found. */
async function requestTarget(deps: ChartDeps, actor: Actor, id: string) {
  await requirePermission(deps, actor, asker, { type: 'chart_request', id });
  const t = await repo.findRequestTarget(deps.db, id);
  if (!t || (!tracks(actor) && t.requester_user_id !== actor.userId && t.requested_by !== actor.userId)) throw notFound('request');
  return t;
}

/** One request with its reason and encounter: an audited read of the record (break-the-glass for a restricted one). */
export async function getChartRequest(deps: ChartDeps, actor: Actor, id: string): Promise<ChartRequestView> {
  const t = await requestTarget(deps, actor, id);
  const scope = await deps.records.open(
    actor,
    { patientId: t.patient_id },
    { permission: asker, mode: 'read', resourceType: 'chart_request', resourceId: id },
  );
  const row = await repo.findRequest(deps.db, scope, id);
  if (!row) throw notFound('request');
  return (await requestViews(deps.db, [row], deps.clock.now(), { showsDetails: () => true }))[0]!;
}

/**
 * Fulfils an open request: electronically (the record is available in Custodian; see the module comment), or by
 * pulling the paper chart, which is checked out to the requester (or where the request says) in the same transaction.
 */
export async function fulfilChartRequest(deps: ChartDeps, actor: Actor, id: string, input: FulfilInput): Promise<ChartRequestView> {
  const v = parseInput(FulfilSchema, input);
  const list = await trackingScope(deps, actor);
  return deps.db.transaction().execute(async (trx) => {
    const r = await repo.findRequestForTracking(trx, list, id);
    if (!r) throw notFound('request');
    const refused = requestStepProblem(r.status as RequestStatus);
    if (refused) throw conflict(refused);
    const now = isoNow(deps.clock);
    let chartId: string | null = null;
    if (v.method === 'electronic') {
      const role = r.requester_user_id ? await findUserRole(trx, r.requester_user_id) : undefined;
      if (!role || !roleHas(role, Permission.patientRead))
        throw invalid('method: the requester cannot open records in Custodian: pull the paper chart');
    } else {
      const chart = await chartOfCode(trx, list, v.barcode);
      if (chart.patient_id !== r.patient_id) throw invalid("barcode: this is another patient's chart");
      const to = v.toLocationId
        ? await borrowerLocation(trx, deps, actor, { locationId: v.toLocationId })
        : r.deliver_to_location_id
          ? await borrowerLocation(trx, deps, actor, { locationId: r.deliver_to_location_id })
          : r.requester_user_id
            ? await borrowerLocation(trx, deps, actor, { userId: r.requester_user_id })
            : null;
      if (!to) throw invalid('toLocationId: say where the chart goes');
      const due = v.dueBackAt ? new Date(v.dueBackAt) : null;
      await moveChartInTx(trx, deps, list, actor, chart, { action: 'check_out', to, dueBackAt: due, requestId: r.id });
      chartId = chart.id;
    }
    const closed = await repo.closeRequestIfOpen(
      trx,
      list,
      { patientId: r.patient_id, id: r.id },
      {
        status: RequestStatus.fulfilled,
        fulfilment: v.method,
        fulfilled_at: now,
        fulfilled_by: actor.userId,
        chart_id: chartId,
        updated_at: now,
      },
    );
    if (!closed) throw conflict('this request was closed meanwhile');
    await recordAudit(trx, deps.audit, actor, {
      action: 'update',
      resourceType: 'chart_request',
      resourceId: r.id,
      patientId: r.patient_id,
      outcome: 'success',
      detail: { fulfilment: v.method === 'electronic' ? Fulfilment.electronic : Fulfilment.paper, ...(chartId ? { chartId } : {}) },
    });
    const after = await repo.findRequestForTracking(trx, list, r.id);
    const shows = list.showsDetails({ patientId: r.patient_id, restricted: r.restricted });
    return (await requestViews(trx, [after!], deps.clock.now(), { showsDetails: () => shows }))[0]!;
  });
}

/** Cancels an open request with a reason: HIM staff any, a clinician their own. */
export async function cancelChartRequest(deps: ChartDeps, actor: Actor, id: string, reason: string): Promise<ChartRequestView> {
  await requestTarget(deps, actor, id);
  const why = reason.trim();
  if (why.length < 3) throw invalid('reason: say why the request is cancelled');
  const list = await deps.records.openList(actor, { permission: asker, resourceType: 'chart_request' });
  return deps.db.transaction().execute(async (trx) => {
    const r = await repo.findRequestForTracking(trx, list, id);
    if (!r) throw notFound('request');
    const refused = requestStepProblem(r.status as RequestStatus);
    if (refused) throw conflict(refused);
    const now = isoNow(deps.clock);
    const set = { status: RequestStatus.cancelled, cancelled_at: now, cancelled_by: actor.userId, cancel_reason: why, updated_at: now };
    if (!(await repo.closeRequestIfOpen(trx, list, { patientId: r.patient_id, id }, set)))
      throw conflict('this request was closed meanwhile');
    await recordAudit(trx, deps.audit, actor, {
      action: 'cancel',
      resourceType: 'chart_request',
      resourceId: id,
      patientId: r.patient_id,
      outcome: 'success',
    });
    const shows = list.showsDetails({ patientId: r.patient_id, restricted: r.restricted });
    return (await requestViews(trx, [{ ...r, ...set }], deps.clock.now(), { showsDetails: () => shows }))[0]!;
  });
}
