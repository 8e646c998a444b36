import type { Kysely } from 'kysely';
/**
 * Changing an abstract: save drafts, final-code (blocking checks, lock, stamp, version), reopen with a reason. Every
 * change writes a version row and an audit event in one transaction.
 */
import type { CodingAbstractTable, Database } from '../../db/schema.js';
import { isoNow } from '../../core/shared/clock.js';
import { conflict, DomainError, ErrorCode, invalid } from '../../core/errors.js';
import { Permission, scopeDetail, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { countPendingQueries } from '../queries/index.js';
import * as repo from './coding.repository.js';
import { emptyAbstract, type AbstractData, type AbstractInput } from './coding.rules.js';
import { evaluateAbstract, type Feedback } from './coding.feedback.js';
import {
  CodingAction,
  ensureAbstract,
  factsOf,
  loadEncounter,
  openEncounter,
  parseData,
  parseInput,
  type CodingDeps,
} from './coding.service.js';

function checkEditable(a: CodingAbstractTable, actor: Actor, expectedVersion: number | undefined): void {
  if (a.status === 'final') throw conflict('the abstract is final-coded and locked: reopen it with a reason to change it');
  if (expectedVersion !== undefined && expectedVersion !== a.version)
    throw conflict(`the abstract changed since you opened it (version ${a.version}, yours ${expectedVersion}): reload`);
  if (a.assigned_to && a.assigned_to !== actor.userId) throw conflict('this encounter is assigned to another coder');
}

async function workingDrgOf(
  deps: CodingDeps,
  e: repo.EncounterForCoding,
  data: AbstractData,
): Promise<{ drg: string | null; title: string | null; feedback: Feedback }> {
  const feedback = await evaluateAbstract(deps, e.id, data, factsOf(e));
  return { drg: feedback.drg?.drg ?? null, title: feedback.drg?.title ?? null, feedback };
}

export interface SaveResult {
  version: number;
  status: 'draft' | 'final';
  workingDrg: string | null;
  workingDrgTitle: string | null;
  codedBy?: string | null;
  codedAt?: string | null;
  feedback: Feedback;
}

/** Saves a draft at any time (assigns the encounter to the coder when unassigned); keeps the version. */
export async function saveDraft(
  deps: CodingDeps,
  actor: Actor,
  encounterId: string,
  input: AbstractInput,
  expectedVersion?: number,
  opts: {
    /** More writes of the same change in the save's transaction (a CAC decision row): both land or neither. */
    alsoInTransaction?: (trx: Kysely<Database>, saved: { version: number }) => Promise<void>;
  } = {},
): Promise<SaveResult> {
  const data = parseInput(input);
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingWrite,
    mode: 'write',
    resourceType: 'coding_abstract',
  });
  const e = await loadEncounter(deps.db, scope);
  const w = await workingDrgOf(deps, e, data);
  return deps.db.transaction().execute(async (trx) => {
    const a = await ensureAbstract(trx, deps.clock, scope, e);
    checkEditable(a, actor, expectedVersion);
    const now = isoNow(deps.clock);
    const version = a.version + 1;
    const json = JSON.stringify(data);
    await repo.updateAbstract(trx, scope, {
      version,
      data: json,
      working_drg: w.drg,
      working_drg_title: w.title,
      updated_by: actor.userId,
      updated_at: now,
      ...(a.assigned_to ? {} : { assigned_to: actor.userId, assigned_at: now }),
    });
    await repo.insertVersion(trx, {
      encounter_id: e.id,
      version,
      patient_id: e.patient_id,
      kind: 'draft',
      data: json,
      drg: w.drg,
      reason: null,
      saved_by: actor.userId,
      saved_at: now,
    });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: CodingAction.saveDraft,
      resourceType: 'coding_abstract',
      resourceId: e.id,
      patientId: e.patient_id,
      outcome: 'success',
      detail: scopeDetail(scope, { version }),
    });
    await opts.alsoInTransaction?.(trx, { version });
    return { version, status: 'draft', workingDrg: w.drg, workingDrgTitle: w.title, feedback: w.feedback };
  });
}

/**
 * Final-codes the encounter: refuses while anything blocks (workspace errors, code-set errors, blocking MCE edits,
 * an open query), then locks the abstract, stamps coder and time and keeps the final version.
 */
export async function finalCode(
  deps: CodingDeps,
  actor: Actor,
  encounterId: string,
  input?: AbstractInput,
  expectedVersion?: number,
): Promise<SaveResult> {
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingWrite,
    mode: 'write',
    resourceType: 'coding_abstract',
  });
  const e = await loadEncounter(deps.db, scope);
  if (!e.discharge_at) throw new DomainError(ErrorCode.preconditionFailed, 'the patient is not discharged yet');
  const current = await repo.findAbstract(deps.db, scope);
  const data = input ? parseInput(input) : current ? parseData(current.data) : emptyAbstract(e.discharge_status);
  const w = await workingDrgOf(deps, e, data);
  const pending = await countPendingQueries(deps.db, scope);
  const blocking = [
    ...w.feedback.blocking,
    ...(pending > 0 ? [`${pending} physician ${pending === 1 ? 'query is' : 'queries are'} still open`] : []),
  ];
  if (blocking.length > 0) throw new DomainError(ErrorCode.preconditionFailed, `cannot final-code: ${blocking.join('; ')}`, { blocking });
  return deps.db.transaction().execute(async (trx) => {
    const a = await ensureAbstract(trx, deps.clock, scope, e);
    checkEditable(a, actor, expectedVersion);
    const now = isoNow(deps.clock);
    const version = a.version + 1;
    const json = JSON.stringify(data);
    await repo.updateAbstract(trx, scope, {
      status: 'final',
      version,
      data: json,
      working_drg: w.drg,
      working_drg_title: w.title,
      final_drg: w.drg,
      coded_by: actor.userId,
      coded_at: now,
      query_answered: 0,
      updated_by: actor.userId,
      updated_at: now,
      ...(a.assigned_to ? {} : { assigned_to: actor.userId, assigned_at: now }),
    });
    await repo.insertVersion(trx, {
      encounter_id: e.id,
      version,
      patient_id: e.patient_id,
      kind: 'final',
      data: json,
      drg: w.drg,
      reason: null,
      saved_by: actor.userId,
      saved_at: now,
    });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: CodingAction.finalCode,
      resourceType: 'coding_abstract',
      resourceId: e.id,
      patientId: e.patient_id,
      outcome: 'success',
      detail: scopeDetail(scope, { version, drg: w.drg }),
    });
    return {
      version,
      status: 'final',
      workingDrg: w.drg,
      workingDrgTitle: w.title,
      codedBy: actor.userId,
      codedAt: now,
      feedback: w.feedback,
    };
  });
}

/** Reopens a final-coded abstract for correction; the reason is kept in the version and the audit trail. */
export async function reopenAbstract(
  deps: CodingDeps,
  actor: Actor,
  encounterId: string,
  reason: string,
): Promise<{ version: number; status: 'draft' }> {
  const why = reason.trim();
  if (why.length < 10) throw invalid('reason: explain in at least 10 characters why the coding is reopened');
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingWrite,
    mode: 'write',
    resourceType: 'coding_abstract',
  });
  return deps.db.transaction().execute(async (trx) => {
    const e = await loadEncounter(trx, scope);
    const a = await repo.findAbstract(trx, scope);
    if (!a || a.status !== 'final') throw conflict('only a final-coded abstract can be reopened');
    const now = isoNow(deps.clock);
    const version = a.version + 1;
    await repo.updateAbstract(trx, scope, {
      status: 'draft',
      version,
      coded_by: null,
      coded_at: null,
      assigned_to: actor.userId,
      assigned_at: now,
      updated_by: actor.userId,
      updated_at: now,
    });
    await repo.insertVersion(trx, {
      encounter_id: e.id,
      version,
      patient_id: e.patient_id,
      kind: 'reopen',
      data: a.data,
      drg: a.final_drg,
      reason: why,
      saved_by: actor.userId,
      saved_at: now,
    });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: CodingAction.reopen,
      resourceType: 'coding_abstract',
      resourceId: e.id,
      patientId: e.patient_id,
      outcome: 'success',
      detail: scopeDetail(scope, { version, reason: why }),
    });
    return { version, status: 'draft' as const };
  });
}
