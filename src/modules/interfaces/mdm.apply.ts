import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { EncounterTable, PatientTable } from '../../db/schema.js';
import { Hl7Error, Hl7ErrorCode, HL7_NULL, type MdmMessage } from '../../core/hl7/index.js';
import type { Actor, RecordAccess, RecordScope } from '../access/index.js';
import { findEncounterByAccount } from '../patients/index.js';
import { isoInstantOf, patientIdentifiers } from './adt.rules.js';
import type { MdmContent, MdmDocument, MdmDocuments } from './mdm.port.js';
import {
  ACTION_OF_MDM_TRIGGER,
  attestationOf,
  authorOf,
  confidentialityOf,
  documentTypeCandidates,
  isCanceled,
  MdmAction,
  statusOf,
  targetNumbers,
  unknownDocumentType,
  VERSION_KIND_OF,
  versionReason,
  type MdmSettings,
} from './mdm.rules.js';
import { findWithRef } from './patient-lookup.js';

/** What applying an MDM message needs: the documents port, the feed's settings, the record-access step. */
export interface MdmDeps {
  records: RecordAccess;
  documents: MdmDocuments;
  mdm: MdmSettings;
}

export interface MdmContext {
  facilityIds: readonly string[];
  /** MSH-4: the documents' source system (TXA-12 numbers are unique per sending facility). */
  sendingFacility: string;
  sendingApplication: string;
}

/** The outcome of an applied MDM message: the patient, and the document and version it filed or changed. */
export interface MdmApplied {
  patientId: string;
  documentId: string;
  version: number;
}

const err = (code: Hl7ErrorCode, text: string, segment: string, field: number) => new Hl7Error(code, text, { segment, field });

/** The patient of PID-3 (as ADT finds one: identifiers, MPI merges followed to the survivor) and the visit of the account number. */
async function findPatientAndVisit(
  trx: Db,
  m: MdmMessage,
  ctx: MdmContext,
): Promise<{ patient: PatientTable; visit: EncounterTable | null }> {
  const account = m.accountNumber?.id && m.accountNumber.id !== HL7_NULL ? m.accountNumber.id : undefined;
  const hit = await findWithRef(trx, patientIdentifiers(m.patient.identifiers, ctx.sendingFacility), new Set(ctx.facilityIds), account);
  if (!hit) throw err(Hl7ErrorCode.unknownKeyIdentifier, 'the patient is not known here', 'PID', 3);
  if (!account) return { patient: hit.patient, visit: null };
  const visit = hit.visit !== undefined ? hit.visit : ((await findEncounterByAccount(trx, hit.patient.facility_id, account)) ?? null);
  // A document is filed to a visit only when the registration feed has sent it; the message waits for reprocessing.
  if (!visit) throw err(Hl7ErrorCode.unknownKeyIdentifier, 'the visit (account number) is not known here', 'PV1', 19);
  if (visit.patient_id !== hit.patient.id)
    throw err(Hl7ErrorCode.duplicateKeyIdentifier, 'the account number belongs to another patient', 'PV1', 19);
  return { patient: hit.patient, visit };
}

function requireContent(m: MdmMessage): MdmContent {
  if (!m.content) throw err(Hl7ErrorCode.requiredFieldMissing, `document content is required for ${m.trigger}`, 'OBX', 5);
  const fileName = m.document.fileName?.slice(0, 200);
  return { ...m.content, ...(fileName ? { fileName } : {}) };
}

/**
 * TXA-17 authenticated: the TXA-22 authentication becomes the author's signature (which makes the document final,
 * or leaves it awaiting the co-signature its type requires); without TXA-22 the document is made final. TXA-19
 * canceled: entered in error.
 */
async function applyCompletion(
  trx: Db,
  deps: MdmDeps,
  scope: RecordScope,
  m: MdmMessage,
  ctx: MdmContext,
  doc: MdmDocument,
): Promise<MdmDocument> {
  let d = doc;
  const open = (x: MdmDocument) => x.status !== 'entered_in_error' && x.status !== 'destroyed';
  if (statusOf(m.document) === 'final' && open(d)) {
    const a = attestationOf(m, ctx.sendingApplication);
    if (a && !d.authorSigned) d = await deps.documents.sign(trx, scope, d.id, { attestation: a, role: 'author' });
    else if (!a && d.status === 'preliminary' && !d.awaitingCosign)
      d = await deps.documents.setStatus(trx, scope, d.id, 'final', `HL7 MDM ${m.trigger}: authenticated (TXA-17)`);
  }
  if (isCanceled(m.document) && open(d))
    d = await deps.documents.setStatus(trx, scope, d.id, 'entered_in_error', `HL7 MDM ${m.trigger}: canceled by the sender (TXA-19)`);
  return d;
}

/** T02: a new document with its first version. */
async function fileOriginal(trx: Db, deps: MdmDeps, actor: Actor, m: MdmMessage, ctx: MdmContext): Promise<MdmApplied> {
  const number = m.document.uniqueNumber;
  if (!number) throw err(Hl7ErrorCode.requiredFieldMissing, 'unique document number is required', 'TXA', 12);
  const content = requireContent(m);
  const { patient, visit } = await findPatientAndVisit(trx, m, ctx);
  if (await deps.documents.findByExternalId(trx, actor, ctx.sendingFacility, number))
    throw err(Hl7ErrorCode.duplicateKeyIdentifier, 'a document with this unique document number is filed already', 'TXA', 12);
  const typeCode = await deps.documents.resolveType(trx, documentTypeCandidates(m.document.type, deps.mdm));
  if (!typeCode) throw unknownDocumentType();
  const scope = deps.records.forSystem(actor, { patientId: patient.id, encounterId: visit?.id ?? null });
  const author = authorOf(m.document);
  const serviceAt = isoInstantOf(m.document.activityAt ?? m.document.originatedAt);
  const title = m.document.type.text?.slice(0, 200);
  const doc = await deps.documents.fileDocument(trx, scope, {
    patientId: patient.id,
    ...(visit ? { encounterId: visit.id } : {}),
    typeCode,
    ...(title ? { title } : {}),
    ...(author ? { authorName: author } : {}),
    ...(serviceAt ? { serviceAt } : {}),
    status: 'preliminary',
    confidentiality: confidentialityOf(m.document, deps.mdm),
    source: 'hl7',
    externalId: number,
    sourceSystem: ctx.sendingFacility,
    content,
  });
  const after = await applyCompletion(trx, deps, scope, m, ctx, doc);
  return { patientId: patient.id, documentId: after.id, version: after.version };
}

/** The document an event acts on (TXA-12 or TXA-13, see targetNumbers); it must be the PID's patient's. */
async function findTarget(trx: Db, deps: MdmDeps, actor: Actor, m: MdmMessage, action: MdmAction, ctx: MdmContext): Promise<MdmDocument> {
  const numbers = targetNumbers(action, m.document);
  const needed = action === MdmAction.addendum || action === MdmAction.replacement ? 13 : 12;
  if (numbers.length === 0)
    throw err(
      Hl7ErrorCode.requiredFieldMissing,
      `${needed === 13 ? 'parent' : 'unique'} document number is required for ${m.trigger}`,
      'TXA',
      needed,
    );
  for (const n of numbers) {
    const doc = await deps.documents.findByExternalId(trx, actor, ctx.sendingFacility, n.number);
    if (doc) return doc;
  }
  throw err(Hl7ErrorCode.unknownKeyIdentifier, 'the document is not known here', 'TXA', numbers[0]!.field);
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** T04, T06, T08, T10: a version of an existing document (earlier ones kept), then its status and signature. */
async function changeExisting(
  trx: Db,
  deps: MdmDeps,
  actor: Actor,
  m: MdmMessage,
  action: MdmAction,
  ctx: MdmContext,
): Promise<MdmApplied> {
  const content = action === MdmAction.statusChange ? (m.content ? requireContent(m) : undefined) : requireContent(m);
  const { patient } = await findPatientAndVisit(trx, m, ctx);
  const target = await findTarget(trx, deps, actor, m, action, ctx);
  if (target.patientId !== patient.id) throw err(Hl7ErrorCode.duplicateKeyIdentifier, 'the document belongs to another patient', 'PID', 3);
  const scope = deps.records.forSystem(actor, { patientId: patient.id, encounterId: target.encounterId });
  let doc = target;
  // A status change that repeats the content it has does not make a version.
  const kind = VERSION_KIND_OF[action];
  if (content && kind && !(action === MdmAction.statusChange && target.sha256 === sha256(content.bytes)))
    doc = await deps.documents.addVersion(trx, scope, target.id, { content, kind, reason: versionReason(m) });
  doc = await applyCompletion(trx, deps, scope, m, ctx, doc);
  return { patientId: patient.id, documentId: doc.id, version: doc.version };
}

/**
 * Applies one supported MDM message inside the caller's transaction (which also records the message's outcome):
 * its document, version, status and signature commit together before the ACK. Content errors throw Hl7Error (AE).
 */
export async function applyMdm(trx: Db, deps: MdmDeps, actor: Actor, m: MdmMessage, ctx: MdmContext): Promise<MdmApplied> {
  const action = ACTION_OF_MDM_TRIGGER[m.trigger];
  if (!action) throw err(Hl7ErrorCode.unsupportedEventCode, `trigger event ${m.trigger} is not applied here`, 'MSH', 9);
  return action === MdmAction.file ? fileOriginal(trx, deps, actor, m, ctx) : changeExisting(trx, deps, actor, m, action, ctx);
}
