/**
 * The stored outpatient abstract of one outpatient, emergency, observation or clinic encounter: open it, save drafts,
 * final-code it after the outpatient edits (refused, naming them, while any blocks), reopen with a reason, and list
 * its versions. Every path opens the record through the record-access step (a restricted record needs the user's
 * break-the-glass grant) and every change writes a version row and an audit event in one transaction.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Db } from '../../db/database.js';
import type { OutpatientAbstractTable } from '../../db/schema-outpatient.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { conflict, DomainError, ErrorCode, invalid } from '../../core/errors.js';
import { Permission, scopeDetail, type Actor, type RecordAccess, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import { encounterHeader, loadEncounter, openEncounter, userNames, type AbstractView } from '../coding/index.js';
import { validateCodes, type CodesService } from '../codes/index.js';
import * as repo from './outpatient.repository.js';
import {
  blockingEdits,
  defaultEmCategory,
  diagnosesOf,
  diffOutpatient,
  emptyOutpatientAbstract,
  OutpatientAbstractSchema,
  warningEdits,
  type OutpatientAbstractData,
  type OutpatientAbstractInput,
} from './outpatient-abstract.rules.js';
import { checkOutpatientCodes, type OutpatientCheck, type OutpatientCheckInput } from './outpatient.service.js';
import type { EmCategory } from './outpatient.rules.js';

export interface OutpatientAbstractDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  codes: CodesService;
}

const RESOURCE = 'outpatient_abstract';

export interface OutpatientAbstractView {
  encounter: AbstractView['encounter'];
  status: 'not_started' | 'draft' | 'final';
  version: number;
  data: OutpatientAbstractData;
  /** The E/M category the encounter type suggests (ED visit: emergency; observation: hospital; clinic: office). */
  emCategory: EmCategory;
  codedBy: string | null;
  codedByName: string | null;
  codedAt: string | null;
}

export interface OutpatientSaveResult {
  version: number;
  status: 'draft' | 'final';
  codedAt?: string;
  warnings?: string[];
}

function parseOutpatient(input: unknown): OutpatientAbstractData {
  const r = OutpatientAbstractSchema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw invalid(`${i.path.join('.') || 'abstract'}: ${i.message}`);
  }
  return r.data;
}

const parseStored = (json: string): OutpatientAbstractData => OutpatientAbstractSchema.parse(JSON.parse(json));

/** Opens the encounter's record and loads it; an inpatient stay is coded on the inpatient abstract instead. */
async function openOutpatient(deps: OutpatientAbstractDeps, actor: Actor, encounterId: string, mode: 'read' | 'write') {
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: mode === 'read' ? Permission.codingRead : Permission.codingWrite,
    mode,
    resourceType: RESOURCE,
  });
  const e = await loadEncounter(deps.db, scope);
  if (e.type === 'inpatient')
    throw new DomainError(ErrorCode.preconditionFailed, 'an inpatient stay is coded on the inpatient abstract, not the outpatient one');
  return { scope, e };
}

/** The outpatient abstract of an encounter (empty when not started), with the encounter header. */
export async function getOutpatientAbstract(
  deps: OutpatientAbstractDeps,
  actor: Actor,
  encounterId: string,
): Promise<OutpatientAbstractView> {
  const { scope, e } = await openOutpatient(deps, actor, encounterId, 'read');
  const a = await repo.findOutpatientAbstract(deps.db, scope);
  const names = await userNames(deps.db, [a?.coded_by ?? null]);
  return {
    encounter: encounterHeader(e),
    status: a ? (a.status as 'draft' | 'final') : 'not_started',
    version: a?.version ?? 0,
    data: a ? parseStored(a.data) : emptyOutpatientAbstract(),
    emCategory: defaultEmCategory(e.type),
    codedBy: a?.coded_by ?? null,
    codedByName: a?.coded_by ? (names.get(a.coded_by) ?? null) : null,
    codedAt: a?.coded_at ?? null,
  };
}

async function ensureRow(trx: Db, clock: Clock, scope: RecordScope, side: string): Promise<OutpatientAbstractTable> {
  const a = await repo.findOutpatientAbstract(trx, scope);
  if (a) return a;
  const now = isoNow(clock);
  const row: OutpatientAbstractTable = {
    patient_id: scope.patientId,
    encounter_id: scope.encounterId ?? '',
    side,
    status: 'draft',
    version: 0,
    data: JSON.stringify(emptyOutpatientAbstract()),
    em_code: null,
    coded_by: null,
    coded_at: null,
    updated_by: null,
    created_at: now,
    updated_at: now,
  };
  await repo.insertOutpatientAbstract(trx, scope, row);
  return row;
}

function checkEditable(a: OutpatientAbstractTable, expectedVersion: number | undefined): void {
  if (a.status === 'final') throw conflict('the outpatient abstract is final-coded and locked: reopen it with a reason to change it');
  if (expectedVersion !== undefined && expectedVersion !== a.version)
    throw conflict(`the abstract changed since you opened it (version ${a.version}, yours ${expectedVersion}): reload`);
}

/** One version and its audit event, in the caller's transaction. */
async function keepVersion(
  trx: Db,
  deps: OutpatientAbstractDeps,
  scope: RecordScope,
  v: { version: number; kind: 'draft' | 'final' | 'reopen'; data: string; reason: string | null; action: AuditAction; now: string },
): Promise<void> {
  await repo.insertOutpatientVersion(trx, scope, {
    version: v.version,
    kind: v.kind,
    data: v.data,
    reason: v.reason,
    saved_by: scope.actor.userId,
    saved_at: v.now,
  });
  await recordAudit(trx, deps.audit, scope.actor, {
    action: v.action,
    resourceType: RESOURCE,
    resourceId: scope.encounterId ?? null,
    patientId: scope.patientId,
    outcome: 'success',
    detail: scopeDetail(scope, { version: v.version, ...(v.reason ? { reason: v.reason } : {}) }),
  });
}

/** Saves a draft at any time (a new version); the edits are the screen's to show, a draft is never refused for them. */
export async function saveOutpatientDraft(
  deps: OutpatientAbstractDeps,
  actor: Actor,
  encounterId: string,
  input: OutpatientAbstractInput,
  expectedVersion?: number,
): Promise<OutpatientSaveResult> {
  const data = parseOutpatient(input);
  const { scope } = await openOutpatient(deps, actor, encounterId, 'write');
  return deps.db.transaction().execute(async (trx) => {
    const a = await ensureRow(trx, deps.clock, scope, data.side);
    checkEditable(a, expectedVersion);
    const now = isoNow(deps.clock);
    const version = a.version + 1;
    const json = JSON.stringify(data);
    await repo.updateOutpatientAbstract(trx, scope, {
      version,
      side: data.side,
      data: json,
      em_code: data.em?.code ?? null,
      updated_by: actor.userId,
      updated_at: now,
    });
    await keepVersion(trx, deps, scope, { version, kind: 'draft', data: json, reason: null, action: AuditAction.saveDraft, now });
    return { version, status: 'draft' as const };
  });
}

/** The outpatient check of an abstract: Section IV, line edits, PTP, MUE, APC, and the E/M level on the coder's basis. */
export function checkOutpatientAbstract(codes: CodesService, d: OutpatientAbstractData): OutpatientCheck {
  const input: OutpatientCheckInput = {
    side: d.side,
    diagnoses: diagnosesOf(d).map((code) => ({ code })),
    lines: d.lines.map((l) => ({ ...l, revenueCode: l.revenueCode ?? undefined })),
    em: d.em
      ? d.em.basis === 'time'
        ? { category: d.em.category, totalMinutes: d.em.totalMinutes ?? undefined }
        : { category: d.em.category, problems: d.em.problems ?? undefined, data: d.em.data ?? undefined, risk: d.em.risk ?? undefined }
      : undefined,
  };
  return checkOutpatientCodes(codes, input);
}

/**
 * Final-codes the encounter's outpatient abstract: refuses (412, naming each) while an outpatient edit blocks, then
 * locks it, stamps coder and time and keeps the final version. Warnings are answered, not blocking.
 */
export async function finalOutpatient(
  deps: OutpatientAbstractDeps,
  actor: Actor,
  encounterId: string,
  input?: OutpatientAbstractInput,
  expectedVersion?: number,
): Promise<OutpatientSaveResult> {
  const { scope, e } = await openOutpatient(deps, actor, encounterId, 'write');
  const current = await repo.findOutpatientAbstract(deps.db, scope);
  const data = input ? parseOutpatient(input) : current ? parseStored(current.data) : emptyOutpatientAbstract();
  const check = checkOutpatientAbstract(deps.codes, data);
  const dx = diagnosesOf(data);
  const date = (data.lines[0]?.dateOfService ?? e.admit_at).slice(0, 10);
  const codeErrors =
    dx.length === 0
      ? []
      : validateCodes(deps.codes, { date, diagnoses: dx })
          .findings.filter((f) => f.severity === 'error')
          .map((f) => f.message);
  const blocking = blockingEdits(data, check, codeErrors);
  if (data.lines.length === 0) blocking.push('no service line: code at least one service');
  if (blocking.length > 0) throw new DomainError(ErrorCode.preconditionFailed, `cannot final-code: ${blocking.join('; ')}`, { blocking });
  return deps.db.transaction().execute(async (trx) => {
    const a = await ensureRow(trx, deps.clock, scope, data.side);
    checkEditable(a, expectedVersion);
    const now = isoNow(deps.clock);
    const version = a.version + 1;
    const json = JSON.stringify(data);
    await repo.updateOutpatientAbstract(trx, scope, {
      status: 'final',
      version,
      side: data.side,
      data: json,
      em_code: data.em?.code ?? null,
      coded_by: actor.userId,
      coded_at: now,
      updated_by: actor.userId,
      updated_at: now,
    });
    await keepVersion(trx, deps, scope, { version, kind: 'final', data: json, reason: null, action: AuditAction.finalCode, now });
    return { version, status: 'final' as const, codedAt: now, warnings: warningEdits(data, check) };
  });
}

/** Reopens a final-coded outpatient abstract for correction; the reason is kept in the version and the audit trail. */
export async function reopenOutpatient(
  deps: OutpatientAbstractDeps,
  actor: Actor,
  encounterId: string,
  reason: string,
): Promise<{ version: number; status: 'draft' }> {
  const why = reason.trim();
  if (why.length < 10) throw invalid('reason: explain in at least 10 characters why the coding is reopened');
  const { scope } = await openOutpatient(deps, actor, encounterId, 'write');
  return deps.db.transaction().execute(async (trx) => {
    const a = await repo.findOutpatientAbstract(trx, scope);
    if (a?.status !== 'final') throw conflict('only a final-coded abstract can be reopened');
    const now = isoNow(deps.clock);
    const version = a.version + 1;
    await repo.updateOutpatientAbstract(trx, scope, {
      status: 'draft',
      version,
      coded_by: null,
      coded_at: null,
      updated_by: actor.userId,
      updated_at: now,
    });
    await keepVersion(trx, deps, scope, { version, kind: 'reopen', data: a.data, reason: why, action: AuditAction.reopen, now });
    return { version, status: 'draft' as const };
  });
}

export interface OutpatientVersionView {
  version: number;
  kind: string;
  reason: string | null;
  savedBy: string;
  savedByName: string | null;
  savedAt: string;
  changes: { added: string[]; removed: string[] };
}

/** Every saved version, newest first, with the codes added and removed against the one before. */
export async function listOutpatientAbstractVersions(
  deps: OutpatientAbstractDeps,
  actor: Actor,
  encounterId: string,
): Promise<OutpatientVersionView[]> {
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingRead,
    mode: 'read',
    resourceType: 'outpatient_abstract_versions',
  });
  const rows = await repo.listOutpatientVersions(deps.db, scope);
  const names = await userNames(
    deps.db,
    rows.map((r) => r.saved_by),
  );
  return rows.map((r, i) => {
    const prev = rows[i + 1];
    return {
      version: r.version,
      kind: r.kind,
      reason: r.reason,
      savedBy: r.saved_by,
      savedByName: names.get(r.saved_by) ?? null,
      savedAt: r.saved_at,
      changes: diffOutpatient(prev ? parseStored(prev.data) : null, parseStored(r.data)),
    };
  });
}
