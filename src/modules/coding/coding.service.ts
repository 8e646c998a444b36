/**
 * Abstracting an encounter: open the workspace, save drafts, final-code (blocking checks, lock, stamp, version),
 * reopen with a reason, read versions. Every change writes a version row and an audit event in one transaction.
 */
import type { Kysely } from 'kysely';
import type { Database, CodingAbstractTable, EncounterDocumentTable } from '../../db/schema.js';
import type { Db } from '../../db/database.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { conflict, DomainError, ErrorCode, invalid, notFound } from '../../core/errors.js';
import { Permission, scopeDetail, type Actor, type RecordAccess, type RecordScope, type RecordUse } from '../access/index.js';
import { recordAudit, type AuditLog } from '../audit/index.js';
import { countPendingQueries, type CodingForQueries } from '../queries/index.js';
import * as repo from './coding.repository.js';
import { AbstractDataSchema, emptyAbstract, type AbstractData, type AbstractInput, type EncounterFacts } from './coding.rules.js';
import { evaluateAbstract, type Feedback, type FeedbackDeps } from './coding.feedback.js';
import { diffAbstracts, type AbstractChanges } from './coding-versions.rules.js';

export interface CodingDeps extends FeedbackDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
}

export const CodingAction = { finalCode: 'final_code', reopen: 'reopen', assign: 'assign', saveDraft: 'save_draft' } as const;

export function factsOf(e: repo.EncounterForCoding): EncounterFacts {
  return { type: e.type, admitAt: e.admit_at, dischargeAt: e.discharge_at, dateOfBirth: e.date_of_birth, sex: e.sex };
}

/**
 * Opens an encounter's record through the record-access step: a restricted record (VIP, employee) opens only with
 * this user's active break-the-glass grant (HIPAA 164.312(a)(2)(ii)); a read is audited there.
 */
export function openEncounter(deps: Pick<CodingDeps, 'records'>, actor: Actor, encounterId: string, use: RecordUse): Promise<RecordScope> {
  return deps.records.open(actor, { encounterId }, { resourceId: encounterId, ...use });
}

/** The encounter of an opened record, for coding; merged-away patients and unknown ids answer alike (not found). */
export async function loadEncounter(db: Db, scope: RecordScope): Promise<repo.EncounterForCoding> {
  const e = await repo.findEncounterForCoding(db, scope);
  if (!e || e.merged_into !== null) throw notFound('encounter');
  return e;
}

/** Who the encounter belongs to and whether it is restricted (ids only), so a screen can offer break-the-glass. */
export async function getEncounterAccess(
  deps: CodingDeps,
  actor: Actor,
  encounterId: string,
): Promise<{ patientId: string; restricted: boolean; open: boolean }> {
  return deps.records.status(actor, { encounterId }, Permission.codingRead);
}

export function parseData(json: string): AbstractData {
  return AbstractDataSchema.parse(JSON.parse(json));
}

export function parseInput(input: AbstractInput): AbstractData {
  const r = AbstractDataSchema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw invalid(`${i.path.join('.') || 'abstract'}: ${i.message}`);
  }
  return r.data;
}

export interface AbstractView {
  encounter: {
    id: string;
    patientId: string;
    accountNumber: string;
    type: string;
    admitAt: string;
    dischargeAt: string | null;
    dischargeStatus: string | null;
    payerName: string | null;
    reasonForVisit: string | null;
    attending: string | null;
    attendingProviderId: string | null;
    mrn: string;
    patientName: string;
    dateOfBirth: string | null;
    sex: string | null;
  };
  status: 'not_started' | 'draft' | 'final';
  version: number;
  data: AbstractData;
  assignedTo: string | null;
  codedBy: string | null;
  codedAt: string | null;
  workingDrg: string | null;
  workingDrgTitle: string | null;
  finalDrg: string | null;
  queryAnswered: boolean;
  /** Physician queries still open or escalated on the encounter: each holds final coding. */
  pendingQueries: number;
  documents: { id: string; kind: string; title: string; author: string | null; authoredAt: string; text: string }[];
  providers: { id: string; name: string }[];
}

export function encounterHeader(e: repo.EncounterForCoding): AbstractView['encounter'] {
  return {
    id: e.id,
    patientId: e.patient_id,
    accountNumber: e.account_number,
    type: e.type,
    admitAt: e.admit_at,
    dischargeAt: e.discharge_at,
    dischargeStatus: e.discharge_status,
    payerName: e.payer_name,
    reasonForVisit: e.reason_for_visit,
    attending: e.attending_family
      ? `${e.attending_given ?? ''} ${e.attending_family}${e.attending_credentials ? `, ${e.attending_credentials}` : ''}`.trim()
      : null,
    attendingProviderId: e.attending_provider_id,
    mrn: e.mrn,
    patientName: `${e.family_name}, ${e.given_name}`,
    dateOfBirth: e.date_of_birth,
    sex: e.sex,
  };
}

export async function documentsOf(db: Db, scope: RecordScope): Promise<AbstractView['documents']> {
  return (await repo.listDocuments(db, scope)).map((d) => ({
    id: d.id,
    kind: d.kind,
    title: d.title,
    author: d.author,
    authoredAt: d.authored_at,
    text: d.text,
  }));
}

export async function providerChoices(db: Db): Promise<AbstractView['providers']> {
  return (await repo.listProviders(db)).map((p) => ({
    id: p.id,
    name: `${p.given_name} ${p.family_name}${p.credentials ? `, ${p.credentials}` : ''}`,
  }));
}

/** Opens an encounter in the abstracting workspace (audited read). */
export async function getAbstract(deps: CodingDeps, actor: Actor, encounterId: string): Promise<AbstractView> {
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingRead,
    mode: 'read',
    resourceType: 'coding_abstract',
  });
  return deps.db.transaction().execute(async (trx) => {
    const e = await loadEncounter(trx, scope);
    const a = await repo.findAbstract(trx, scope);
    return {
      encounter: encounterHeader(e),
      status: (a?.status as 'draft' | 'final' | undefined) ?? 'not_started',
      version: a?.version ?? 0,
      data: a ? parseData(a.data) : emptyAbstract(e.discharge_status),
      assignedTo: a?.assigned_to ?? null,
      codedBy: a?.coded_by ?? null,
      codedAt: a?.coded_at ?? null,
      workingDrg: a?.working_drg ?? null,
      workingDrgTitle: a?.working_drg_title ?? null,
      finalDrg: a?.final_drg ?? null,
      queryAnswered: a?.query_answered === 1,
      pendingQueries: await countPendingQueries(trx, scope),
      documents: await documentsOf(trx, scope),
      providers: await providerChoices(trx),
    };
  });
}

/**
 * Live feedback for the codes on screen (nothing stored). The grouping uses the patient's age and sex, so the record
 * is opened (and the read audited) like the workspace itself.
 */
export async function getFeedback(deps: CodingDeps, actor: Actor, encounterId: string, input: AbstractInput): Promise<Feedback> {
  const data = parseInput(input);
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingRead,
    mode: 'read',
    resourceType: 'coding_feedback',
  });
  const e = await loadEncounter(deps.db, scope);
  return evaluateAbstract(deps, encounterId, data, factsOf(e));
}

/** The abstract row of an opened encounter, created (status draft, version 0) on first touch. */
export async function ensureAbstract(trx: Db, clock: Clock, scope: RecordScope, e: repo.EncounterForCoding): Promise<CodingAbstractTable> {
  const a = await repo.findAbstract(trx, scope);
  if (a) return a;
  const now = isoNow(clock);
  const row: CodingAbstractTable = {
    encounter_id: e.id,
    patient_id: e.patient_id,
    status: 'draft',
    version: 0,
    data: JSON.stringify(emptyAbstract(e.discharge_status)),
    assigned_to: null,
    assigned_at: null,
    working_drg: null,
    working_drg_title: null,
    final_drg: null,
    coded_by: null,
    coded_at: null,
    query_answered: 0,
    updated_by: null,
    created_at: now,
    updated_at: now,
  };
  await repo.insertAbstract(trx, row);
  return row;
}

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

export interface VersionView {
  version: number;
  kind: string;
  drg: string | null;
  reason: string | null;
  savedBy: string;
  savedByName: string | null;
  savedAt: string;
  data?: AbstractData;
  /** The DRG of the version before (null for the first). */
  drgBefore?: string | null;
  /** Codes added, removed or changed against the version before. */
  changes?: AbstractChanges;
}

/** Every saved version, newest first, each with what changed against the one before and the DRG before and after. */
export async function listAbstractVersions(deps: CodingDeps, actor: Actor, encounterId: string): Promise<VersionView[]> {
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingRead,
    mode: 'read',
    resourceType: 'coding_abstract_versions',
  });
  const rows = await repo.listVersions(deps.db, scope);
  const names = await userNames(
    deps.db,
    rows.map((r) => r.saved_by),
  );
  const ascending = [...rows].sort((a, b) => a.version - b.version);
  const before = new Map<number, (typeof rows)[number] | null>(ascending.map((r, i) => [r.version, ascending[i - 1] ?? null]));
  return rows.map((r) => {
    const prev = before.get(r.version) ?? null;
    return {
      version: r.version,
      kind: r.kind,
      drg: r.drg,
      reason: r.reason,
      savedBy: r.saved_by,
      savedByName: names.get(r.saved_by) ?? null,
      savedAt: r.saved_at,
      drgBefore: prev?.drg ?? null,
      changes: diffAbstracts(prev ? parseData(prev.data) : null, parseData(r.data)),
    };
  });
}

export async function getAbstractVersion(deps: CodingDeps, actor: Actor, encounterId: string, version: number): Promise<VersionView> {
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingRead,
    mode: 'read',
    resourceType: 'coding_abstract_version',
    detail: { version },
  });
  return deps.db.transaction().execute(async (trx) => {
    const r = await repo.findVersion(trx, scope, version);
    if (!r) throw notFound('version');
    const names = await userNames(trx, [r.saved_by]);
    return {
      version: r.version,
      kind: r.kind,
      drg: r.drg,
      reason: r.reason,
      savedBy: r.saved_by,
      savedByName: names.get(r.saved_by) ?? null,
      savedAt: r.saved_at,
      data: parseData(r.data),
    };
  });
}

export async function userNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const want = [...new Set(ids.filter((x): x is string => !!x))];
  if (want.length === 0) return new Map();
  const rows = await repo.userDisplayNames(db, want);
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/**
 * Files a document with the encounter of an opened record (the encounter documents a coder reads; the legal health
 * record's documents module will take them over). The caller audits the change it is part of.
 */
export async function fileEncounterDocument(trx: Db, scope: RecordScope, doc: EncounterDocumentTable): Promise<void> {
  await repo.insertDocument(trx, scope, doc);
}

/** Flags the encounter on the worklist after a physician answered a query (called in the answer's transaction). */
export async function markQueryAnswered(trx: Db, clock: Clock, scope: RecordScope): Promise<void> {
  const e = await loadEncounter(trx, scope);
  await ensureAbstract(trx, clock, scope, e);
  await repo.updateAbstract(trx, scope, { query_answered: 1, updated_at: isoNow(clock) });
}

/** The working DRG saved with the encounter's abstract (null before a draft is saved). */
export async function workingDrgOfEncounter(db: Db, scope: RecordScope): Promise<string | null> {
  return (await repo.findAbstract(db, scope))?.working_drg ?? null;
}

/** The coding workspace's side of the queries module's CodingForQueries port (wired in src/app/bootstrap.ts). */
export const codingForQueries: CodingForQueries = { loadEncounter, workingDrgOfEncounter, fileEncounterDocument, markQueryAnswered };
