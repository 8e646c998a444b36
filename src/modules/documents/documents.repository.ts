/**
 * SQL of the legal health record: tables document_types, documents, document_versions, document_signatures,
 * legal_holds and document_moves, owned by this module (pages and the full-text index: documents.pages.repository.ts).
 * Reads and writes of one patient's rows take the RecordScope of the record-access step and constrain their SQL by
 * its patient id; lists across patients take a ListScope. `locateDocument` answers ids and flags only (no PHI), so a
 * service can learn which record to open.
 */
import type { Db } from '../../db/database.js';
import type {
  DocumentMoveTable,
  DocumentSignatureTable,
  DocumentTable,
  DocumentTypeTable,
  DocumentVersionTable,
  LegalHoldTable,
} from '../../db/schema-documents.js';
import type { ListScope, RecordScope } from '../access/index.js';

// ---- document types (no patient data)

export async function listTypes(db: Db, opts: { includeInactive?: boolean } = {}): Promise<DocumentTypeTable[]> {
  let q = db.selectFrom('document_types').selectAll();
  if (!opts.includeInactive) q = q.where('active', '=', 1);
  return q.orderBy('name').execute();
}

export async function findType(db: Db, code: string): Promise<DocumentTypeTable | undefined> {
  return db.selectFrom('document_types').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function upsertType(db: Db, row: DocumentTypeTable): Promise<void> {
  const exists = await findType(db, row.code);
  if (exists) await db.updateTable('document_types').set(row).where('code', '=', row.code).execute();
  else await db.insertInto('document_types').values(row).execute();
}

// ---- documents

/** Which record a document is in, and its flags: ids and flags only, to open the record with. */
export interface DocumentLocation {
  id: string;
  patient_id: string;
  encounter_id: string | null;
  confidentiality: string;
}

export async function locateDocument(db: Db, id: string): Promise<DocumentLocation | undefined> {
  return db.selectFrom('documents').select(['id', 'patient_id', 'encounter_id', 'confidentiality']).where('id', '=', id).executeTakeFirst();
}

export async function locateByExternalId(db: Db, sourceSystem: string, externalId: string): Promise<DocumentLocation | undefined> {
  return db
    .selectFrom('documents')
    .select(['id', 'patient_id', 'encounter_id', 'confidentiality'])
    .where('source_system', '=', sourceSystem)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export async function insertDocument(db: Db, scope: RecordScope, row: DocumentTable): Promise<void> {
  await db
    .insertInto('documents')
    .values({ ...row, patient_id: scope.patientId })
    .execute();
}

export async function findDocument(db: Db, scope: RecordScope, id: string): Promise<DocumentTable | undefined> {
  return db.selectFrom('documents').selectAll().where('patient_id', '=', scope.patientId).where('id', '=', id).executeTakeFirst();
}

export async function updateDocument(db: Db, scope: RecordScope, id: string, set: Partial<DocumentTable>): Promise<void> {
  await db.updateTable('documents').set(set).where('patient_id', '=', scope.patientId).where('id', '=', id).execute();
}

export interface DocumentFilter {
  encounterId?: string | null | undefined;
  typeCode?: string | null | undefined;
  status?: string | null | undefined;
}

export async function listDocuments(db: Db, scope: RecordScope, f: DocumentFilter): Promise<(DocumentTable & DocVersionFacts)[]> {
  let q = db
    .selectFrom('documents as d')
    .innerJoin('document_versions as v', (j) =>
      j.onRef('v.patient_id', '=', 'd.patient_id').onRef('v.document_id', '=', 'd.id').onRef('v.version', '=', 'd.current_version'),
    )
    .selectAll('d')
    .select(['v.media_type', 'v.page_count', 'v.byte_size', 'v.text_source'])
    .where('d.patient_id', '=', scope.patientId);
  if (f.encounterId) q = q.where('d.encounter_id', '=', f.encounterId);
  if (f.typeCode) q = q.where('d.type_code', '=', f.typeCode);
  if (f.status) q = q.where('d.status', '=', f.status);
  return q.orderBy('d.service_at', 'desc').orderBy('d.id', 'desc').limit(5000).execute();
}

export interface DocVersionFacts {
  media_type: string;
  page_count: number;
  byte_size: number;
  text_source: string;
}

/** Moves one document (and its versions, signatures and pages) to another record: a misfile corrected. */
export async function moveDocumentRows(db: Db, from: RecordScope, to: RecordScope, id: string, encounterId: string | null): Promise<void> {
  await db
    .updateTable('documents')
    .set({ patient_id: to.patientId, encounter_id: encounterId })
    .where('patient_id', '=', from.patientId)
    .where('id', '=', id)
    .execute();
  for (const table of ['document_versions', 'document_signatures', 'document_pages'] as const) {
    await db
      .updateTable(table)
      .set({ patient_id: to.patientId })
      .where('patient_id', '=', from.patientId)
      .where('document_id', '=', id)
      .execute();
  }
}

// ---- versions

export async function insertVersion(db: Db, scope: RecordScope, row: DocumentVersionTable): Promise<void> {
  await db
    .insertInto('document_versions')
    .values({ ...row, patient_id: scope.patientId })
    .execute();
}

export async function listVersions(db: Db, scope: RecordScope, documentId: string): Promise<DocumentVersionTable[]> {
  return db
    .selectFrom('document_versions')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('document_id', '=', documentId)
    .orderBy('version')
    .execute();
}

export async function findVersion(
  db: Db,
  scope: RecordScope,
  documentId: string,
  version: number,
): Promise<DocumentVersionTable | undefined> {
  return db
    .selectFrom('document_versions')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('document_id', '=', documentId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function setVersionTextSource(db: Db, scope: RecordScope, documentId: string, version: number, source: string): Promise<void> {
  await db
    .updateTable('document_versions')
    .set({ text_source: source })
    .where('patient_id', '=', scope.patientId)
    .where('document_id', '=', documentId)
    .where('version', '=', version)
    .execute();
}

/** Drops the content references of a destroyed document's versions (metadata stays: the tombstone). */
export async function clearVersionBlobs(db: Db, scope: RecordScope, documentId: string): Promise<void> {
  await db
    .updateTable('document_versions')
    .set({ blob_sha256: null, text_source: 'none' })
    .where('patient_id', '=', scope.patientId)
    .where('document_id', '=', documentId)
    .execute();
}

/** How many versions (of any document) still reference a blob: a hash, no patient data. */
export async function countBlobReferences(db: Db, sha256: string): Promise<number> {
  const r = await db
    .selectFrom('document_versions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('blob_sha256', '=', sha256)
    .executeTakeFirstOrThrow();
  return r.n;
}

// ---- signatures

export async function insertSignature(db: Db, scope: RecordScope, row: DocumentSignatureTable): Promise<void> {
  await db
    .insertInto('document_signatures')
    .values({ ...row, patient_id: scope.patientId })
    .execute();
}

export async function listSignatures(db: Db, scope: RecordScope, documentId: string): Promise<DocumentSignatureTable[]> {
  return db
    .selectFrom('document_signatures')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('document_id', '=', documentId)
    .orderBy('signed_at')
    .execute();
}

// ---- legal holds

export async function insertHold(db: Db, scope: RecordScope, row: LegalHoldTable): Promise<void> {
  await db
    .insertInto('legal_holds')
    .values({ ...row, patient_id: scope.patientId })
    .execute();
}

export async function locateHold(db: Db, id: string): Promise<{ id: string; patient_id: string } | undefined> {
  return db.selectFrom('legal_holds').select(['id', 'patient_id']).where('id', '=', id).executeTakeFirst();
}

export async function findHold(db: Db, scope: RecordScope, id: string): Promise<LegalHoldTable | undefined> {
  return db.selectFrom('legal_holds').selectAll().where('patient_id', '=', scope.patientId).where('id', '=', id).executeTakeFirst();
}

export async function releaseHold(
  db: Db,
  scope: RecordScope,
  id: string,
  set: Pick<LegalHoldTable, 'released_by' | 'released_at' | 'release_reason'>,
): Promise<void> {
  await db.updateTable('legal_holds').set(set).where('patient_id', '=', scope.patientId).where('id', '=', id).execute();
}

/** The active holds that cover a document: on its patient, its encounter, or itself. */
export async function activeHoldsCovering(
  db: Db,
  scope: RecordScope,
  doc: { id: string; encounter_id: string | null },
): Promise<LegalHoldTable[]> {
  return db
    .selectFrom('legal_holds')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('released_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('scope', '=', 'patient'),
        eb.and([eb('scope', '=', 'document'), eb('document_id', '=', doc.id)]),
        ...(doc.encounter_id ? [eb.and([eb('scope', '=', 'encounter'), eb('encounter_id', '=', doc.encounter_id)])] : []),
      ]),
    )
    .execute();
}

export async function listHoldsOfPatient(db: Db, scope: RecordScope, activeOnly: boolean): Promise<LegalHoldTable[]> {
  let q = db.selectFrom('legal_holds').selectAll().where('patient_id', '=', scope.patientId);
  if (activeOnly) q = q.where('released_at', 'is', null);
  return q.orderBy('placed_at', 'desc').execute();
}

export async function listHolds(
  db: Db,
  _list: ListScope,
  activeOnly: boolean,
): Promise<(LegalHoldTable & { mrn: string; restricted: number })[]> {
  let q = db
    .selectFrom('legal_holds as h')
    .innerJoin('patients as p', 'p.id', 'h.patient_id')
    .selectAll('h')
    .select(['p.mrn', 'p.restricted']);
  if (activeOnly) q = q.where('h.released_at', 'is', null);
  return q.orderBy('h.placed_at', 'desc').limit(2000).execute();
}

// ---- misfile log

export async function insertMove(db: Db, to: RecordScope, row: DocumentMoveTable): Promise<void> {
  await db
    .insertInto('document_moves')
    .values({ ...row, patient_id: to.patientId })
    .execute();
}

export async function listMoves(db: Db, _list: ListScope, limit: number): Promise<DocumentMoveTable[]> {
  return db.selectFrom('document_moves').selectAll().orderBy('moved_at', 'desc').limit(limit).execute();
}

// ---- MPI merge

export const DOCUMENTS_PATIENT_TABLES = [
  'documents',
  'document_versions',
  'document_signatures',
  'document_pages',
  'legal_holds',
  'document_moves',
] as const;
export type DocumentsPatientTable = (typeof DOCUMENTS_PATIENT_TABLES)[number];

/** The ids of a record's documents (and of its holds and log entries). */
export async function listDocumentIds(db: Db, scope: RecordScope): Promise<string[]> {
  return (await db.selectFrom('documents').select('id').where('patient_id', '=', scope.patientId).execute()).map((r) => r.id);
}

export async function listHoldAndMoveIds(db: Db, scope: RecordScope, table: 'legal_holds' | 'document_moves'): Promise<string[]> {
  return (await db.selectFrom(table).select('id').where('patient_id', '=', scope.patientId).execute()).map((r) => r.id);
}

export async function moveHoldOrLogRows(
  db: Db,
  table: 'legal_holds' | 'document_moves',
  from: RecordScope,
  to: RecordScope,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .updateTable(table)
    .set({ patient_id: to.patientId })
    .where('patient_id', '=', from.patientId)
    .where('id', 'in', [...ids])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Documents and holds of an encounter whose id changed follow it (only these documents/holds). */
export async function renameEncounter(
  db: Db,
  to: RecordScope,
  table: 'documents' | 'legal_holds',
  ids: readonly string[],
  e: { from: string; to: string },
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable(table)
    .set({ encounter_id: e.to })
    .where('patient_id', '=', to.patientId)
    .where('id', 'in', [...ids])
    .where('encounter_id', '=', e.from)
    .execute();
}
