/**
 * Coding quality audit: an auditor re-abstracts a final-coded encounter blind (the coder's codes and DRG are not
 * shown until the auditor submits), then gets the code-level agreement with the coder's final version.
 */
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { conflict, notFound } from '../../core/errors.js';
import { Permission, requirePermission, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { CodingAuditTable } from '../../db/schema.js';
import * as repo from './coding.repository.js';
import { compareAbstracts, emptyAbstract, type AbstractData, type AbstractInput, type CodeAgreement } from './coding.rules.js';
import { assertRecordOpen, documentsOf, encounterHeader, factsOf, loadEncounter, parseData, parseInput, providerChoices, type AbstractView, type CodingDeps } from './coding.service.js';
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
  await requirePermission(deps, actor, Permission.codingAudit, { type: 'coding_audit' });
  const rows = await deps.db
    .selectFrom('coding_abstracts as a')
    .innerJoin('encounters as e', 'e.id', 'a.encounter_id')
    .leftJoin('coding_audits as x', (j) => j.onRef('x.encounter_id', '=', 'a.encounter_id').on('x.auditor_id', '=', actor.userId))
    .select(['a.encounter_id', 'e.account_number', 'e.type', 'e.discharge_at', 'a.coded_at', 'x.id as audit_id', 'x.status as audit_status', 'x.agreement'])
    .where((eb) => eb.or([eb('a.status', '=', 'final'), eb('x.id', 'is not', null)]))
    .orderBy('a.coded_at', 'desc')
    .limit(Math.min(limit, 500))
    .execute();
  return rows.map((r) => ({
    encounterId: r.encounter_id, accountNumber: r.account_number, type: r.type, dischargeAt: r.discharge_at, codedAt: r.coded_at, auditId: r.audit_id, auditStatus: r.audit_status,
    codeAgreementRate: r.agreement ? (JSON.parse(r.agreement) as CodeAgreement).codeAgreementRate : null,
  }));
}

/** Starts (or resumes) this auditor's blind re-abstraction of a final-coded encounter. */
export async function startAudit(deps: CodingDeps, actor: Actor, encounterId: string): Promise<AuditView> {
  await requirePermission(deps, actor, Permission.codingAudit, { type: 'coding_audit', id: encounterId });
  const id = await deps.db.transaction().execute(async (trx) => {
    const e = await loadEncounter(trx, encounterId);
    const a = await repo.findAbstract(trx, e.id);
    if (!a || a.status !== 'final') throw conflict('only final-coded encounters are audited');
    const open = await trx.selectFrom('coding_audits').select('id').where('encounter_id', '=', e.id).where('auditor_id', '=', actor.userId).where('status', '=', 'in_progress').executeTakeFirst();
    if (open) return open.id;
    const row: CodingAuditTable = { id: newId(), patient_id: e.patient_id, encounter_id: e.id, auditor_id: actor.userId, status: 'in_progress', data: JSON.stringify(emptyAbstract(e.discharge_status)), drg: null, coder_version: a.version, agreement: null, created_at: isoNow(deps.clock), submitted_at: null };
    await trx.insertInto('coding_audits').values(row).execute();
    await recordAudit(trx, deps.audit, actor, { action: 'create', resourceType: 'coding_audit', resourceId: row.id, patientId: e.patient_id, outcome: 'success', detail: { encounterId: e.id } });
    return row.id;
  });
  return getAudit(deps, actor, id);
}

async function loadAuditRow(deps: CodingDeps, actor: Actor, auditId: string): Promise<CodingAuditTable> {
  const row = await deps.db.selectFrom('coding_audits').selectAll().where('id', '=', auditId).where('auditor_id', '=', actor.userId).executeTakeFirst();
  if (!row) throw notFound('audit');
  return row;
}

/** The audit workspace: encounter, documents and the auditor's codes; the coder's codes only once submitted. */
export async function getAudit(deps: CodingDeps, actor: Actor, auditId: string): Promise<AuditView> {
  await requirePermission(deps, actor, Permission.codingAudit, { type: 'coding_audit', id: auditId });
  const row = await loadAuditRow(deps, actor, auditId);
  return deps.db.transaction().execute(async (trx) => {
    const e = await loadEncounter(trx, row.encounter_id);
    await assertRecordOpen(trx, deps.clock, actor, e);
    let coder: AuditView['coder'] = null;
    if (row.status === 'submitted') {
      const v = await repo.findVersion(trx, e.id, row.coder_version);
      if (v) coder = { version: v.version, data: parseData(v.data), drg: v.drg };
    }
    await recordAudit(trx, deps.audit, actor, { action: 'read', resourceType: 'coding_audit', resourceId: row.id, patientId: e.patient_id, outcome: 'success' });
    return {
      id: row.id, status: row.status as AuditView['status'], encounter: encounterHeader(e), documents: await documentsOf(trx, e), providers: await providerChoices(trx),
      data: parseData(row.data), drg: row.drg, coder, agreement: row.agreement ? (JSON.parse(row.agreement) as CodeAgreement) : null,
    };
  });
}

/** Live feedback for the auditor's own codes (the same checks coders get). */
export async function getAuditFeedback(deps: CodingDeps, actor: Actor, auditId: string, input: AbstractInput): Promise<Feedback> {
  await requirePermission(deps, actor, Permission.codingAudit, { type: 'coding_audit', id: auditId });
  const row = await loadAuditRow(deps, actor, auditId);
  const e = await loadEncounter(deps.db, row.encounter_id);
  return evaluateAbstract(deps, e.id, parseInput(input), factsOf(e));
}

/** Saves the auditor's re-abstraction; `submit` closes it and computes the agreement with the coder's version. */
export async function saveAudit(deps: CodingDeps, actor: Actor, auditId: string, input: AbstractInput, submit = false): Promise<AuditView> {
  await requirePermission(deps, actor, Permission.codingAudit, { type: 'coding_audit', id: auditId });
  const row = await loadAuditRow(deps, actor, auditId);
  if (row.status === 'submitted') throw conflict('this audit is submitted');
  const data = parseInput(input);
  const e = await loadEncounter(deps.db, row.encounter_id);
  const fb = await evaluateAbstract(deps, e.id, data, factsOf(e));
  const drg = fb.drg?.drg ?? null;
  await deps.db.transaction().execute(async (trx) => {
    let agreement: CodeAgreement | null = null;
    if (submit) {
      const v = await repo.findVersion(trx, e.id, row.coder_version);
      if (!v) throw notFound('coder version');
      agreement = compareAbstracts(parseData(v.data), data, { coder: v.drg, auditor: drg });
    }
    const now = isoNow(deps.clock);
    await trx.updateTable('coding_audits').set({ data: JSON.stringify(data), drg, ...(submit ? { status: 'submitted', submitted_at: now, agreement: JSON.stringify(agreement) } : {}) }).where('id', '=', row.id).execute();
    await recordAudit(trx, deps.audit, actor, { action: submit ? 'submit' : 'update', resourceType: 'coding_audit', resourceId: row.id, patientId: e.patient_id, outcome: 'success', ...(agreement ? { detail: { codeAgreementRate: agreement.codeAgreementRate, drgAgree: agreement.drg.agree } } : {}) });
  });
  return getAudit(deps, actor, auditId);
}
