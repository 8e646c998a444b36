/**
 * A document's life after filing: authentication (author signature, co-signature where the type requires it),
 * status changes (final; entered in error with a reason), misfile moves to the right patient or encounter (logged,
 * audited on both records), and destruction at the end of retention (a tombstone: metadata kept, content removed).
 * A legal hold blocks every change, move and destruction of what it covers.
 */
import { conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { Permission, scopeDetail, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './documents.repository.js';
import * as pages from './documents.pages.repository.js';
import { DocumentStatus, MoveSchema, parseInput, SignSchema, StatusSchema, statusChangeProblem } from './documents.rules.js';
import { assertNoHold, documentView, openDocument } from './documents.reading.js';
import type { DocumentsDeps, DocumentView } from './documents.views.js';

/** Signs the current version as its author or co-signer (21 CFR 11.50-style manifestation: signer, time, meaning). */
export async function signDocument(
  deps: DocumentsDeps,
  actor: Actor,
  documentId: string,
  input: { attestation: string; role: string },
): Promise<DocumentView> {
  const s = parseInput(SignSchema, input);
  const { scope } = await openDocument(deps, actor, documentId, { permission: Permission.documentSign, mode: 'write' });
  return deps.db.transaction().execute(async (trx) => {
    const doc = await repo.findDocument(trx, scope, documentId);
    if (!doc) throw notFound('document');
    if (doc.status === DocumentStatus.destroyed || doc.status === DocumentStatus.enteredInError)
      throw conflict(`a ${doc.status.replace(/_/g, ' ')} document cannot be signed`);
    await assertNoHold(trx, scope, doc, 'sign');
    const version = doc.current_version;
    const sigs = (await repo.listSignatures(trx, scope, documentId)).filter((x) => x.version === version);
    const type = await repo.findType(trx, doc.type_code);
    if (s.role === 'cosigner') {
      if (!sigs.some((x) => x.role === 'author')) throw conflict('the author signs first: there is nothing to co-sign yet');
      if (sigs.some((x) => x.role === 'cosigner')) throw conflict('this version is already co-signed');
      if (sigs.some((x) => x.signer_id === actor.userId)) throw conflict('the author cannot co-sign their own document');
    } else if (sigs.some((x) => x.role === 'author')) throw conflict('this version already has its author signature');
    const signer = await trx.selectFrom('users').select('display_name').where('id', '=', actor.userId).executeTakeFirst();
    const now = isoNow(deps.clock);
    await repo.insertSignature(trx, scope, {
      patient_id: scope.patientId,
      id: newId(),
      document_id: documentId,
      version,
      role: s.role,
      signer_id: actor.userId,
      signer_name: signer?.display_name ?? actor.username,
      attestation: s.attestation,
      signed_at: now,
    });
    // Authenticated: final once the author signed and, where the type requires it, a co-signer too.
    const needsCosign = (type?.requires_cosign ?? 0) === 1;
    const complete = s.role === 'cosigner' || !needsCosign;
    if (complete && doc.status === DocumentStatus.preliminary)
      await repo.updateDocument(trx, scope, documentId, { status: DocumentStatus.final, updated_at: now });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.sign,
      resourceType: 'document',
      resourceId: documentId,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope, { version, role: s.role }),
    });
    return documentView(trx, scope, documentId);
  });
}

/** Makes a document final, or marks it entered in error (with the reason; it stays in the record, flagged). */
export async function setStatus(
  deps: DocumentsDeps,
  actor: Actor,
  documentId: string,
  status: string,
  reason: string,
): Promise<DocumentView> {
  const s = parseInput(StatusSchema, { status, reason });
  const { scope } = await openDocument(deps, actor, documentId, { permission: Permission.documentWrite, mode: 'write' });
  return deps.db.transaction().execute(async (trx) => {
    const doc = await repo.findDocument(trx, scope, documentId);
    if (!doc) throw notFound('document');
    const problem = statusChangeProblem(doc.status, s.status);
    if (problem) throw conflict(problem);
    await assertNoHold(trx, scope, doc, 'change the status of');
    await repo.updateDocument(trx, scope, documentId, { status: s.status, status_reason: s.reason, updated_at: isoNow(deps.clock) });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.statusChange,
      resourceType: 'document',
      resourceId: documentId,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope, { from: doc.status, to: s.status }),
    });
    return documentView(trx, scope, documentId);
  });
}

/**
 * Moves a misfiled document to the right patient or encounter (AHIMA misfile correction): the document keeps its id,
 * versions and signatures; the move is in the misfile log and audited on both records.
 */
export async function moveDocument(
  deps: DocumentsDeps,
  actor: Actor,
  documentId: string,
  input: { patientId: string; encounterId?: string | null | undefined; reason: string },
): Promise<DocumentView> {
  const m = parseInput(MoveSchema, input);
  const { scope: from } = await openDocument(deps, actor, documentId, { permission: Permission.documentAdmin, mode: 'write' });
  const use = { permission: Permission.documentAdmin, mode: 'write' as const, resourceType: 'document', resourceId: documentId };
  const to = m.encounterId
    ? await deps.records.open(actor, { encounterId: m.encounterId }, use)
    : await deps.records.open(actor, { patientId: m.patientId }, use);
  if (to.patientId !== m.patientId) throw notFound('encounter');
  if (to.mergedInto) throw conflict('the target record was merged into another: move the document to the surviving record');
  return deps.db.transaction().execute(async (trx) => {
    const doc = await repo.findDocument(trx, from, documentId);
    if (!doc) throw notFound('document');
    if (doc.status === DocumentStatus.destroyed) throw conflict('this document was destroyed');
    if (doc.patient_id === to.patientId && doc.encounter_id === (m.encounterId ?? null))
      throw invalid('the document is already filed there');
    await assertNoHold(trx, from, doc, 'move');
    const now = isoNow(deps.clock);
    await repo.moveDocumentRows(trx, from, to, documentId, m.encounterId ?? null);
    await repo.updateDocument(trx, to, documentId, { updated_at: now });
    await pages.reindexPatientOfDocument(trx, to, documentId);
    const moveId = newId();
    await repo.insertMove(trx, to, {
      patient_id: to.patientId,
      id: moveId,
      document_id: documentId,
      from_patient_id: from.patientId,
      from_encounter_id: doc.encounter_id,
      to_patient_id: to.patientId,
      to_encounter_id: m.encounterId ?? null,
      reason: m.reason,
      moved_by: actor.userId,
      moved_at: now,
    });
    for (const [scope, side] of [
      [from, 'from'],
      [to, 'to'],
    ] as const) {
      await recordAudit(trx, deps.audit, scope.actor, {
        action: AuditAction.move,
        resourceType: 'document',
        resourceId: documentId,
        patientId: scope.patientId,
        outcome: 'success',
        detail: scopeDetail(scope, { misfile: moveId, side, fromPatientId: from.patientId, toPatientId: to.patientId }),
      });
    }
    return documentView(trx, to, documentId);
  });
}

/**
 * Destroys a document at the end of its retention, on the record of a destruction certificate: it becomes a
 * tombstone (status destroyed, its metadata, versions' hashes gone, signatures and history kept), its pages and
 * index entries are removed, and each content blob is deleted once no other version references it. Refused under
 * a legal hold.
 */
export async function destroyDocument(
  deps: DocumentsDeps,
  actor: Actor,
  documentId: string,
  input: { certificateId: string },
): Promise<DocumentView> {
  const certificateId = typeof input.certificateId === 'string' ? input.certificateId.trim() : '';
  if (!certificateId || certificateId.length > 100) throw invalid('certificateId: the destruction certificate is required');
  const { scope } = await openDocument(deps, actor, documentId, { permission: Permission.documentAdmin, mode: 'write' });
  const { view, blobs } = await deps.db.transaction().execute(async (trx) => {
    const doc = await repo.findDocument(trx, scope, documentId);
    if (!doc) throw notFound('document');
    if (doc.status === DocumentStatus.destroyed) throw conflict('this document was already destroyed');
    await assertNoHold(trx, scope, doc, 'destroy');
    const versions = await repo.listVersions(trx, scope, documentId);
    const now = isoNow(deps.clock);
    await pages.deletePages(trx, scope, documentId);
    await repo.clearVersionBlobs(trx, scope, documentId);
    await repo.updateDocument(trx, scope, documentId, {
      status: DocumentStatus.destroyed,
      destroyed_at: now,
      destruction_certificate_id: certificateId,
      updated_at: now,
    });
    const hashes = [...new Set(versions.map((v) => v.blob_sha256).filter((h): h is string => h !== null))];
    const unreferenced: string[] = [];
    for (const h of hashes) if ((await repo.countBlobReferences(trx, h)) === 0) unreferenced.push(h);
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.destroy,
      resourceType: 'document',
      resourceId: documentId,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope, { certificateId, versions: versions.length, blobsRemoved: unreferenced.length }),
    });
    return { view: await documentView(trx, scope, documentId), blobs: unreferenced };
  });
  // After the commit: a blob is removed only once no committed version needs it.
  for (const h of blobs) if ((await repo.countBlobReferences(deps.db, h)) === 0) await deps.blobs.remove(h);
  return view;
}
