/**
 * Retention and destruction: rule sets the HIM director keeps (one active), the list of documents the active rules
 * make eligible for destruction (never one under legal hold or already destroyed, each with the rule and dates that
 * make it so), and destruction batches: selected, approved, then performed — each document destroyed through the
 * documents service (a tombstone naming the batch, whose record is the certificate of destruction). A document that
 * cannot be destroyed when the batch is performed (a hold placed since, no longer eligible, a restricted record the
 * performer has not opened) is skipped with the reason, and the rest go on.
 *
 * Access (`retention:manage`, HIM director): the rule sets hold no patient data. The eligible list is a list across
 * patients: a restricted record the user has not opened is left out of it (its dates are what it hides, so it is
 * never matched by them); selecting a document opens its record (break-the-glass for a restricted one). Batches show a
 * restricted record's lines as MRN and name only until it is opened.
 */
import { conflict, DomainError, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { Permission, requirePermission, scopeDetail, type Actor, type ListScope, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './retention.repository.js';
import { ruleSetOrActive } from './retention-rule-sets.service.js';
import {
  addYears,
  BatchStatus,
  DEFAULT_DESTRUCTION_METHOD,
  ExecuteSchema,
  ItemOutcome,
  NewBatchSchema,
  parseInput,
  retentionEligibility,
  shortestYears,
  type Eligibility,
  type NewBatch,
  type RuleSet,
} from './retention.rules.js';
import {
  batchView,
  ruleSetView,
  type BatchView,
  type EligibleView,
  type ItemView,
  type RetentionDeps,
  type BatchDetail,
  type RuleSetView,
} from './retention.views.js';

const today = (deps: RetentionDeps) => deps.clock.now().toISOString().slice(0, 10);
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);
const manage = (deps: RetentionDeps, actor: Actor, type: string, id?: string) =>
  requirePermission(deps, actor, Permission.retentionManage, { type, id: id ?? null });
const openList = (deps: RetentionDeps, actor: Actor) =>
  deps.records.openList(actor, { permission: Permission.retentionManage, resourceType: 'destruction_batch' });

async function auditAdmin(
  deps: RetentionDeps,
  actor: Actor,
  action: AuditAction,
  type: string,
  id: string,
  detail?: Record<string, unknown>,
) {
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action,
      resourceType: type,
      resourceId: id,
      outcome: 'success',
      ...(detail ? { detail } : {}),
    }),
  );
}

function judge(set: RuleSet, c: repo.CandidateRow, on: string): Eligibility {
  return retentionEligibility(
    set,
    { typeCode: c.type_code, serviceOn: day(c.service_at)!, dateOfBirth: c.date_of_birth, lastEncounterOn: day(c.last_encounter_at) },
    on,
  );
}

/**
 * The documents the rule set (the active one unless named) makes eligible for destruction today, oldest first: never
 * one under an active legal hold or already destroyed; each says which rule and dates make it so. Restricted records
 * the user has not opened are left out.
 */
export async function listEligible(
  deps: RetentionDeps,
  actor: Actor,
  opts: { ruleSetId?: string | null; limit?: number } = {},
): Promise<{ ruleSet: RuleSetView; asOf: string; items: EligibleView[] }> {
  const list = await openList(deps, actor);
  const set = await ruleSetOrActive(deps, opts.ruleSetId);
  const asOf = today(deps);
  const years = shortestYears(set);
  const limit = Math.min(Math.max(opts.limit ?? 500, 1), 5000);
  const rows = years === null ? [] : await repo.listCandidates(deps.db, list, `${addYears(asOf, -years)}T23:59:59.999Z`, 20_000);
  const items: EligibleView[] = [];
  for (const c of rows) {
    if (items.length >= limit) break;
    if (c.held === 1 || !list.showsDetails({ patientId: c.patient_id, restricted: c.restricted })) continue;
    const e = judge(set, c, asOf);
    if (!e.eligible || !e.eligibleOn) continue;
    items.push({
      documentId: c.id,
      patientId: c.patient_id,
      mrn: c.mrn,
      patientName: `${c.family_name}, ${c.given_name}`,
      typeCode: c.type_code,
      title: c.title,
      serviceOn: day(c.service_at)!,
      lastEncounterOn: day(c.last_encounter_at),
      minor: e.minor,
      eligibleOn: e.eligibleOn,
      why: e.explanation,
      pendingBatchId: c.pending_batch_id,
    });
  }
  await auditAdmin(deps, actor, AuditAction.search, 'retention_eligible', set.id, { resultCount: items.length });
  return { ruleSet: set, asOf, items };
}

const use = (resourceId?: string) => ({
  permission: Permission.retentionManage,
  mode: 'write' as const,
  resourceType: 'destruction_batch',
  ...(resourceId ? { resourceId } : {}),
});

/**
 * A destruction batch of the selected documents (draft): each must be eligible under the rule set today, not under a
 * hold, not destroyed and in no other open batch; each line keeps the rule and dates it was selected under. Selecting
 * opens each document's record (audited there).
 */
export async function createBatch(deps: RetentionDeps, actor: Actor, input: NewBatch): Promise<BatchDetail> {
  const b = parseInput(NewBatchSchema, input);
  await manage(deps, actor, 'destruction_batch');
  const set = await ruleSetOrActive(deps, b.ruleSetId);
  const asOf = today(deps);
  const ids = [...new Set(b.documentIds)];
  const scopes = new Map<string, RecordScope>();
  const lines: { scope: RecordScope; c: repo.CandidateRow; e: Eligibility }[] = [];
  const refused: string[] = [];
  for (const id of ids) {
    const loc = await repo.locateDocument(deps.db, id);
    if (!loc) throw invalid(`documentIds: ${id} is not a document`);
    const scope = scopes.get(loc.patient_id) ?? (await deps.records.open(actor, { patientId: loc.patient_id }, use()));
    scopes.set(loc.patient_id, scope);
    const c = await repo.findCandidate(deps.db, scope, id);
    const e = c && judge(set, c, asOf);
    if (!c || !e?.eligible || c.held === 1 || c.pending_batch_id) refused.push(id);
    else lines.push({ scope, c, e });
  }
  if (refused.length)
    throw invalid(
      `documentIds: not eligible today (destroyed, under a legal hold, in another open batch, or kept by the rules): ${refused.join(', ')}`,
      {
        documentIds: refused,
      },
    );
  const id = newId();
  const now = isoNow(deps.clock);
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertBatch(trx, {
      id,
      rule_set_id: set.id,
      rule_set_name: set.name,
      status: BatchStatus.draft,
      note: b.note?.trim() || null,
      method: null,
      created_by: actor.userId,
      created_at: now,
      approved_by: null,
      approved_at: null,
      performed_by: null,
      performed_at: null,
      destroyed_count: 0,
      skipped_count: 0,
    });
    for (const { scope, c, e } of lines)
      await repo.insertItem(trx, scope, {
        patient_id: scope.patientId,
        id: newId(),
        batch_id: id,
        document_id: c.id,
        type_code: c.type_code,
        service_at: c.service_at,
        mrn: c.mrn,
        eligible_on: e.eligibleOn!,
        eligibility: e.explanation,
        outcome: ItemOutcome.pending,
        outcome_reason: null,
        done_at: null,
      });
    for (const scope of scopes.values())
      await recordAudit(trx, deps.audit, scope.actor, {
        action: AuditAction.create,
        resourceType: 'destruction_batch',
        resourceId: id,
        patientId: scope.patientId,
        outcome: 'success',
        detail: scopeDetail(scope, { documents: lines.filter((l) => l.scope === scope).map((l) => l.c.id) }),
      });
  });
  return getBatch(deps, actor, id);
}

function itemView(list: ListScope, r: repo.ItemRow): ItemView {
  const details = r.restricted === null || list.showsDetails({ patientId: r.patient_id, restricted: r.restricted });
  return {
    id: r.id,
    documentId: r.document_id,
    patientId: r.patient_id,
    mrn: r.mrn,
    patientName: r.family_name ? `${r.family_name}, ${r.given_name ?? ''}` : '',
    details,
    typeCode: details ? r.type_code : '',
    serviceOn: details ? day(r.service_at)! : '',
    eligibleOn: details ? r.eligible_on : '',
    why: details ? r.eligibility : '',
    outcome: r.outcome,
    outcomeReason: r.outcome_reason,
    doneAt: r.done_at,
  };
}

/** A batch with its lines (the certificate's content once completed). */
export async function getBatch(deps: RetentionDeps, actor: Actor, id: string): Promise<BatchDetail> {
  const list = await openList(deps, actor);
  const b = await repo.findBatch(deps.db, id);
  if (!b) throw notFound('destruction batch');
  const items = (await repo.listItems(deps.db, list, id)).map((r) => itemView(list, r));
  const names = await repo.userNames(
    deps.db,
    [b.created_by, b.approved_by, b.performed_by].filter((x): x is string => x !== null),
  );
  await auditAdmin(deps, actor, AuditAction.read, 'destruction_batch', id, { items: items.length });
  return { ...batchView(b, names), itemCount: items.length, items };
}

export async function listBatches(deps: RetentionDeps, actor: Actor): Promise<BatchView[]> {
  await openList(deps, actor);
  const rows = await repo.listBatches(deps.db, 500);
  const names = await repo.userNames(
    deps.db,
    rows.flatMap((b) => [b.created_by, b.approved_by, b.performed_by]).filter((x): x is string => x !== null),
  );
  return rows.map((b) => batchView(b, names));
}

/** The HIM director's authorisation of a draft batch. */
export async function approveBatch(deps: RetentionDeps, actor: Actor, id: string): Promise<BatchDetail> {
  await manage(deps, actor, 'destruction_batch', id);
  await deps.db.transaction().execute(async (trx) => {
    const b = await repo.findBatch(trx, id);
    if (!b) throw notFound('destruction batch');
    if (
      !(await repo.updateBatch(trx, id, BatchStatus.draft, {
        status: BatchStatus.approved,
        approved_by: actor.userId,
        approved_at: isoNow(deps.clock),
      }))
    )
      throw conflict(`this batch is ${b.status}: only a draft is approved`);
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.approve,
      resourceType: 'destruction_batch',
      resourceId: id,
      outcome: 'success',
    });
  });
  return getBatch(deps, actor, id);
}

/** Why a line cannot be destroyed now (checked again just before, as the record may have changed since it was selected). */
async function lineProblem(deps: RetentionDeps, list: ListScope, set: RuleSet | null, item: repo.ItemRow): Promise<string | null> {
  const c = await repo.findCandidate(deps.db, list, item.document_id);
  if (!c) return 'the document was destroyed or merged away since it was selected';
  if (c.held === 1) return 'under legal hold';
  if (!set) return null;
  const e = judge(set, c, today(deps));
  return e.eligible ? null : `no longer eligible: ${e.explanation}`;
}

/**
 * Performs an approved batch: each line's document is destroyed through the documents service with this batch as
 * its certificate (a tombstone remains); a line that cannot be is skipped with the reason, and the rest go on. The
 * batch, completed with its method, performer and counts, is the certificate of destruction.
 */
export async function executeBatch(
  deps: RetentionDeps,
  actor: Actor,
  id: string,
  input: { method?: string | null } = {},
): Promise<BatchDetail> {
  const x = parseInput(ExecuteSchema, input);
  await manage(deps, actor, 'destruction_batch', id);
  const list = await openList(deps, actor);
  const b = await repo.findBatch(deps.db, id);
  if (!b) throw notFound('destruction batch');
  if (b.status !== BatchStatus.approved) throw conflict(`this batch is ${b.status}: only an approved batch is performed`);
  const set = await repo.findRuleSet(deps.db, b.rule_set_id);
  let destroyed = 0;
  let skipped = 0;
  for (const item of await repo.listItems(deps.db, list, id)) {
    if (item.outcome !== ItemOutcome.pending) continue;
    let reason = await lineProblem(deps, list, set ? ruleSetView(set) : null, item);
    if (!reason) {
      try {
        await deps.documents.destroyDocument(actor, item.document_id, { certificateId: id });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        reason =
          e.code === 'break_glass_required' ? 'restricted record: break the glass, then select its documents in a new batch' : e.message;
      }
    }
    await repo.setItemOutcome(deps.db, list, item.patient_id, item.id, {
      outcome: reason ? ItemOutcome.skipped : ItemOutcome.destroyed,
      outcome_reason: reason,
      done_at: isoNow(deps.clock),
    });
    if (reason) skipped++;
    else destroyed++;
  }
  await deps.db.transaction().execute(async (trx) => {
    const ok = await repo.updateBatch(trx, id, BatchStatus.approved, {
      status: BatchStatus.completed,
      method: x.method ?? DEFAULT_DESTRUCTION_METHOD,
      performed_by: actor.userId,
      performed_at: isoNow(deps.clock),
      destroyed_count: destroyed,
      skipped_count: skipped,
    });
    if (!ok) throw conflict('this batch was performed meanwhile');
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.destroy,
      resourceType: 'destruction_batch',
      resourceId: id,
      outcome: 'success',
      detail: { destroyed, skipped },
    });
  });
  return getBatch(deps, actor, id);
}
