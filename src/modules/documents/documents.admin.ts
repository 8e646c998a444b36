/**
 * HIM administration of the record: legal holds (placed on a patient's record, one encounter or one document, and
 * released, each with its reason), the misfile log, and the document type list.
 */
import { conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { Permission, requirePermission, scopeDetail, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './documents.repository.js';
import { DocumentTypeUpdateSchema, HoldSchema, parseInput } from './documents.rules.js';
import {
  holdView,
  misfileView,
  typeView,
  type DocumentsDeps,
  type DocumentTypeView,
  type HoldView,
  type MisfileView,
} from './documents.views.js';

export interface HoldInput {
  patientId: string;
  encounterId?: string | null | undefined;
  documentId?: string | null | undefined;
  matter: string;
  reason: string;
}

const adminUse = (resourceId?: string) => ({
  permission: Permission.documentAdmin,
  mode: 'write' as const,
  resourceType: 'legal_hold',
  ...(resourceId ? { resourceId } : {}),
});

/** Places a legal hold: while active, nothing it covers is changed, moved or destroyed. */
export async function placeHold(deps: DocumentsDeps, actor: Actor, input: HoldInput): Promise<HoldView> {
  const h = parseInput(HoldSchema, input);
  const scope = h.encounterId
    ? await deps.records.open(actor, { encounterId: h.encounterId }, adminUse())
    : await deps.records.open(actor, { patientId: h.patientId }, adminUse());
  if (scope.patientId !== h.patientId) throw notFound('encounter');
  return deps.db.transaction().execute(async (trx) => {
    if (h.documentId && !(await repo.findDocument(trx, scope, h.documentId))) throw notFound('document');
    const row = {
      patient_id: scope.patientId,
      id: newId(),
      scope: h.documentId ? 'document' : h.encounterId ? 'encounter' : 'patient',
      encounter_id: h.encounterId ?? null,
      document_id: h.documentId ?? null,
      matter: h.matter,
      reason: h.reason,
      placed_by: actor.userId,
      placed_at: isoNow(deps.clock),
      released_by: null,
      released_at: null,
      release_reason: null,
    };
    await repo.insertHold(trx, scope, row);
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.placeHold,
      resourceType: 'legal_hold',
      resourceId: row.id,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope, { scope: row.scope, encounterId: row.encounter_id, documentId: row.document_id }),
    });
    return holdView(row);
  });
}

/** Releases a legal hold, with the reason (the matter closed). */
export async function releaseHold(deps: DocumentsDeps, actor: Actor, holdId: string, reason: string): Promise<HoldView> {
  const why = typeof reason === 'string' ? reason.trim() : '';
  if (why.length < 3 || why.length > 1000) throw invalid('reason: say why the hold is released');
  const loc = await repo.locateHold(deps.db, holdId);
  if (!loc) throw notFound('legal hold');
  const scope = await deps.records.open(actor, { patientId: loc.patient_id }, adminUse(holdId));
  return deps.db.transaction().execute(async (trx) => {
    const hold = await repo.findHold(trx, scope, holdId);
    if (!hold) throw notFound('legal hold');
    if (hold.released_at) throw conflict('this hold was already released');
    const set = { released_by: actor.userId, released_at: isoNow(deps.clock), release_reason: why };
    await repo.releaseHold(trx, scope, holdId, set);
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.releaseHold,
      resourceType: 'legal_hold',
      resourceId: holdId,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope),
    });
    return holdView({ ...hold, ...set });
  });
}

/**
 * Legal holds, newest first (active ones unless asked). A hold on a record the user may not see shows its existence
 * only: ids and dates, not its matter or reason.
 */
export async function listHolds(
  deps: DocumentsDeps,
  actor: Actor,
  opts: { activeOnly?: boolean } = {},
): Promise<(HoldView & { mrn: string; details: boolean })[]> {
  const list = await deps.records.openList(actor, { permission: Permission.documentAdmin, resourceType: 'legal_hold' });
  const rows = await repo.listHolds(deps.db, list, opts.activeOnly !== false);
  return deps.db.transaction().execute(async (trx) => {
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: 'legal_hold',
      outcome: 'success',
      detail: { resultCount: rows.length },
    });
    return rows.map((r) => {
      const details = list.showsDetails({ patientId: r.patient_id, restricted: r.restricted });
      const v = holdView(r);
      return { ...v, mrn: r.mrn, details, ...(details ? {} : { matter: '', reason: '', releaseReason: null }) };
    });
  });
}

/** The misfile log: documents moved between records, newest first (ids, reason, who and when). */
export async function listMisfiles(
  deps: DocumentsDeps,
  actor: Actor,
  opts: { limit?: number } = {},
): Promise<(MisfileView & { details: boolean })[]> {
  const list = await deps.records.openList(actor, { permission: Permission.documentAdmin, resourceType: 'document_move' });
  const rows = await repo.listMoves(deps.db, list, Math.min(Math.max(opts.limit ?? 500, 1), 2000));
  const withheld = await list.withheldAmong(rows.flatMap((r) => [r.from_patient_id, r.to_patient_id]));
  return deps.db.transaction().execute(async (trx) => {
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: 'document_move',
      outcome: 'success',
      detail: { resultCount: rows.length },
    });
    return rows.map((r) => {
      const details = !withheld.has(r.from_patient_id) && !withheld.has(r.to_patient_id);
      return { ...misfileView(r), details, ...(details ? {} : { reason: '' }) };
    });
  });
}

/** Adds or changes a document type (the HIM director keeps the list). */
export async function updateDocumentType(deps: DocumentsDeps, actor: Actor, code: string, input: unknown): Promise<DocumentTypeView> {
  await requirePermission(deps, actor, Permission.documentAdmin, { type: 'document_type', id: code });
  if (!/^[A-Z0-9_-]{1,20}$/.test(code)) throw invalid('code: 1 to 20 capital letters, digits, _ or -');
  const t = parseInput(DocumentTypeUpdateSchema, input);
  return deps.db.transaction().execute(async (trx) => {
    const row = {
      code,
      name: t.name,
      loinc_code: t.loincCode ?? null,
      category: t.category,
      requires_cosign: t.requiresCosign ? 1 : 0,
      default_confidentiality: JSON.stringify(t.defaultConfidentiality),
      active: t.active ? 1 : 0,
      updated_at: isoNow(deps.clock),
    };
    await repo.upsertType(trx, row);
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.update,
      resourceType: 'document_type',
      resourceId: code,
      outcome: 'success',
    });
    return typeView(row);
  });
}
