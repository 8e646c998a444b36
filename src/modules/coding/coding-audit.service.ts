/**
 * Coding quality audit: an auditor re-abstracts a final-coded encounter blind (the coder's codes and DRG are not
 * shown until the auditor submits), then gets the code-level agreement with the coder's final version.
 */
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { conflict, notFound } from '../../core/errors.js';
import { Permission, requirePermission, scopeDetail, type Actor, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import type { CodingAuditTable } from '../../db/schema.js';
import * as repo from './coding.repository.js';
import { compareAbstracts, emptyAbstract, type AbstractData, type AbstractInput, type CodeAgreement } from './coding.rules.js';
import {
  documentsOf,
  encounterHeader,
  factsOf,
  loadEncounter,
  openEncounter,
  parseData,
  parseInput,
  providerChoices,
  type AbstractView,
  type CodingDeps,
} from './coding.service.js';
import { evaluateAbstract, type Feedback } from './coding.feedback.js';

export interface AuditView {
  id: string;
  status: 'in_progress' | 'submitted';
  encounter: AbstractView['encounter'];
  documents: AbstractView['documents'];
  providers: AbstractView['providers'];
  data: AbstractData;
  drg: string | null;
  /** Only after submission: the coder's final version and the agreement. */
  coder: { version: number; data: AbstractData; drg: string | null } | null;
  agreement: CodeAgreement | null;
}

export interface AuditListItem {
  encounterId: string;
  /** A restricted record this auditor has not opened: only that it exists (account number) shows. */
  restricted: boolean;
  accountNumber: string;
  type: string;
  dischargeAt: string | null;
  codedAt: string | null;
  auditId: string | null;
  auditStatus: string | null;
  codeAgreementRate: number | null;
}

/** Final-coded encounters to audit (most recent first) with any audit of this auditor. */
export async function listAuditCandidates(deps: CodingDeps, actor: Actor, limit = 100): Promise<AuditListItem[]> {
  const list = await deps.records.openList(actor, { permission: Permission.codingAudit, resourceType: 'coding_audit' });
  const rows = await repo.listAuditCandidates(deps.db, list, actor.userId, Math.min(limit, 500));
  const items = rows.map((r) => {
    const d = list.showsDetails({ patientId: r.patient_id, restricted: r.restricted });
    return {
      encounterId: r.encounter_id,
      restricted: r.restricted === 1,
      accountNumber: r.account_number,
      type: d ? r.type : '',
      dischargeAt: d ? r.discharge_at : null,
      codedAt: d ? r.coded_at : null,
      auditId: r.audit_id,
      auditStatus: r.audit_status,
      codeAgreementRate: d && r.agreement ? (JSON.parse(r.agreement) as CodeAgreement).codeAgreementRate : null,
      details: d,
    };
  });
  // Withheld rows go last, so their place in the coding-date order tells nothing.
  return [...items.filter((i) => i.details), ...items.filter((i) => !i.details)].map(({ details: _d, ...i }) => i);
}

/** Starts (or resumes) this auditor's blind re-abstraction of a final-coded encounter. */
export async function startAudit(deps: CodingDeps, actor: Actor, encounterId: string): Promise<AuditView> {
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingAudit,
    mode: 'write',
    resourceType: 'coding_audit',
  });
  const id = await deps.db.transaction().execute(async (trx) => {
    const e = await loadEncounter(trx, scope);
    const a = await repo.findAbstract(trx, scope);
    if (!a || a.status !== 'final') throw conflict('only final-coded encounters are audited');
    const open = await repo.findOpenAudit(trx, scope, actor.userId);
    if (open) return open.id;
    const row: CodingAuditTable = {
      id: newId(),
      patient_id: e.patient_id,
      encounter_id: e.id,
      auditor_id: actor.userId,
      status: 'in_progress',
      data: JSON.stringify(emptyAbstract(e.discharge_status)),
      drg: null,
      coder_version: a.version,
      agreement: null,
      created_at: isoNow(deps.clock),
      submitted_at: null,
    };
    await repo.insertAudit(trx, row);
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.create,
      resourceType: 'coding_audit',
      resourceId: row.id,
      patientId: e.patient_id,
      outcome: 'success',
      detail: scopeDetail(scope, { encounterId: e.id }),
    });
    return row.id;
  });
  return getAudit(deps, actor, id);
}

/**
 * Opens the record of one of this auditor's audits (another auditor's audit is not found) and reads the audit row
 * through the scope.
 */
async function openAudit(
  deps: CodingDeps,
  actor: Actor,
  auditId: string,
  mode: 'read' | 'write',
): Promise<{ scope: RecordScope; row: CodingAuditTable }> {
  await requirePermission(deps, actor, Permission.codingAudit, { type: 'coding_audit', id: auditId });
  const target = await repo.findAuditTarget(deps.db, auditId, actor.userId);
  if (!target) throw notFound('audit');
  const scope = await openEncounter(deps, actor, target.encounter_id, {
    permission: Permission.codingAudit,
    mode,
    resourceType: 'coding_audit',
    resourceId: auditId,
  });
  const row = await repo.findAudit(deps.db, scope, auditId, actor.userId);
  if (!row) throw notFound('audit');
  return { scope, row };
}

/** The audit workspace: encounter, documents and the auditor's codes; the coder's codes only once submitted. */
export async function getAudit(deps: CodingDeps, actor: Actor, auditId: string): Promise<AuditView> {
  const { scope, row } = await openAudit(deps, actor, auditId, 'read');
  return deps.db.transaction().execute(async (trx) => {
    const e = await loadEncounter(trx, scope);
    let coder: AuditView['coder'] = null;
    if (row.status === 'submitted') {
      const v = await repo.findVersion(trx, scope, row.coder_version);
      if (v) coder = { version: v.version, data: parseData(v.data), drg: v.drg };
    }
    return {
      id: row.id,
      status: row.status as AuditView['status'],
      encounter: encounterHeader(e),
      documents: await documentsOf(trx, scope),
      providers: await providerChoices(trx),
      data: parseData(row.data),
      drg: row.drg,
      coder,
      agreement: row.agreement ? (JSON.parse(row.agreement) as CodeAgreement) : null,
    };
  });
}

/** Live feedback for the auditor's own codes (the same checks coders get). */
export async function getAuditFeedback(deps: CodingDeps, actor: Actor, auditId: string, input: AbstractInput): Promise<Feedback> {
  const data = parseInput(input);
  const { scope } = await openAudit(deps, actor, auditId, 'read');
  const e = await loadEncounter(deps.db, scope);
  return evaluateAbstract(deps, e.id, data, factsOf(e));
}

/** Saves the auditor's re-abstraction; `submit` closes it and computes the agreement with the coder's version. */
export async function saveAudit(deps: CodingDeps, actor: Actor, auditId: string, input: AbstractInput, submit = false): Promise<AuditView> {
  const data = parseInput(input);
  const { scope, row } = await openAudit(deps, actor, auditId, 'write');
  if (row.status === 'submitted') throw conflict('this audit is submitted');
  const e = await loadEncounter(deps.db, scope);
  const fb = await evaluateAbstract(deps, e.id, data, factsOf(e));
  const drg = fb.drg?.drg ?? null;
  await deps.db.transaction().execute(async (trx) => {
    let agreement: CodeAgreement | null = null;
    if (submit) {
      const v = await repo.findVersion(trx, scope, row.coder_version);
      if (!v) throw notFound('coder version');
      agreement = compareAbstracts(parseData(v.data), data, { coder: v.drg, auditor: drg });
    }
    const now = isoNow(deps.clock);
    await repo.updateAudit(trx, scope, row.id, {
      data: JSON.stringify(data),
      drg,
      ...(submit ? { status: 'submitted', submitted_at: now, agreement: JSON.stringify(agreement) } : {}),
    });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: submit ? 'submit' : 'update',
      resourceType: 'coding_audit',
      resourceId: row.id,
      patientId: e.patient_id,
      outcome: 'success',
      detail: scopeDetail(scope, agreement ? { codeAgreementRate: agreement.codeAgreementRate, drgAgree: agreement.drg.agree } : {}),
    });
  });
  return getAudit(deps, actor, auditId);
}
