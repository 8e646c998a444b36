/**
 * Query aging (AHIMA/ACDIS compliant query practice: an unanswered query is escalated, then closed): the pass over
 * pending queries that every read of query lists runs first, and the escalation run as a command or a schedule.
 */
import type { Db } from '../../db/database.js';
import type { Clock } from '../../core/shared/clock.js';
import { Permission, requirePermission, systemActor, type Actor, type ListScope, type RecordAccess } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './queries.repository.js';
import { agedStatus, defaultQueryPolicy, QueryStatus, type QueryPolicy } from './queries.rules.js';
import { notify } from './notifications.service.js';
import type { QueryDeps } from './queries.service.js';

/**
 * Ages pending queries under the policy: escalates those unanswered after `escalateAfterDays` and expires those
 * past `expireAfterDays`, notifying the author. Runs on every read of query lists and from `custodian queries escalate`.
 */
export async function applyQueryAging(
  db: Db,
  deps: { clock: Clock; records: RecordAccess },
  policy: QueryPolicy = defaultQueryPolicy,
): Promise<{ escalated: number; expired: number }> {
  const clock = deps.clock;
  const list = await systemList(deps);
  const pending = await repo.listPendingQueries(db, list, [QueryStatus.open, QueryStatus.escalated]);
  const now = clock.now();
  let escalated = 0,
    expired = 0;
  for (const q of pending) {
    const next = agedStatus(q.status as QueryStatus, q.sent_at, now, policy);
    if (next === q.status) continue;
    const at = now.toISOString();
    if (next === QueryStatus.escalated) escalated++;
    else expired++;
    await repo.advanceQueryStatus(
      db,
      list,
      { id: q.id, patientId: q.patient_id, from: q.status },
      next === QueryStatus.escalated ? { status: next, escalated_at: at } : { status: next, closed_at: at },
    );
    await notify(db, clock, {
      userId: q.author_id,
      kind: `query_${next}`,
      patientId: q.patient_id,
      encounterId: q.encounter_id,
      resourceId: q.id,
      message:
        next === QueryStatus.escalated
          ? `A query is unanswered after ${policy.escalateAfterDays} days and was escalated`
          : `A query expired unanswered after ${policy.expireAfterDays} days`,
    });
  }
  return { escalated, expired };
}

/** The list scope of the aging job (the system's own work over every patient's queries). */
function systemList(deps: { records: RecordAccess }): Promise<ListScope> {
  return deps.records.openList(systemActor('query-aging'), { permission: Permission.queryWrite, resourceType: 'physician_query' });
}

/** The escalation run as a command (CLI, cron, or the director's button); audited with the counts. */
export async function escalateQueries(deps: QueryDeps, actor: Actor): Promise<{ escalated: number; expired: number }> {
  await requirePermission(deps, actor, Permission.queryWrite, { type: 'physician_query' });
  return deps.db.transaction().execute(async (trx) => {
    const r = await applyQueryAging(trx, deps, deps.queryPolicy);
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.escalate,
      resourceType: 'physician_query',
      outcome: 'success',
      detail: r,
    });
    return r;
  });
}

/** The scheduled escalation (CLI or cron): no signed-in user, audited as the system job `query-escalation`. */
export async function runScheduledEscalation(deps: Omit<QueryDeps, 'coding'>): Promise<{ escalated: number; expired: number }> {
  return deps.db.transaction().execute(async (trx) => {
    const r = await applyQueryAging(trx, deps, deps.queryPolicy);
    await recordAudit(trx, deps.audit, systemActor('query-escalation'), {
      action: AuditAction.escalate,
      resourceType: 'physician_query',
      outcome: 'success',
      detail: r,
    });
    return r;
  });
}
