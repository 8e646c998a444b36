/**
 * SQL of retention_rule_sets, destruction_batches and destruction_items (this module owns them). The documents,
 * their patients' dates of birth, encounters and legal holds are read in joins, never written: destruction itself goes
 * through the documents service.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { DestructionBatchTable, DestructionItemTable, RetentionRuleSetTable } from '../../db/schema-record-life.js';
import type { ListScope, RecordScope } from '../access/index.js';

export async function listRuleSets(db: Db): Promise<RetentionRuleSetTable[]> {
  return db.selectFrom('retention_rule_sets').selectAll().orderBy('active', 'desc').orderBy('name').execute();
}

export async function findRuleSet(db: Db, id: string): Promise<RetentionRuleSetTable | undefined> {
  return db.selectFrom('retention_rule_sets').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findActiveRuleSet(db: Db): Promise<RetentionRuleSetTable | undefined> {
  return db.selectFrom('retention_rule_sets').selectAll().where('active', '=', 1).executeTakeFirst();
}

export async function insertRuleSet(db: Db, row: RetentionRuleSetTable): Promise<void> {
  await db.insertInto('retention_rule_sets').values(row).execute();
}

export async function updateRuleSet(db: Db, id: string, set: Partial<RetentionRuleSetTable>): Promise<boolean> {
  const r = await db.updateTable('retention_rule_sets').set(set).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Makes one rule set the active one (the others inactive), in the caller's transaction. */
export async function activateRuleSet(db: Db, id: string, by: { updated_by: string; updated_at: string }): Promise<void> {
  await db.updateTable('retention_rule_sets').set({ active: 0 }).where('active', '=', 1).execute();
  await db
    .updateTable('retention_rule_sets')
    .set({ active: 1, ...by })
    .where('id', '=', id)
    .execute();
}

/** A live document with what retention needs of it and its patient. */
export interface CandidateRow {
  id: string;
  patient_id: string;
  encounter_id: string | null;
  type_code: string;
  title: string;
  service_at: string;
  status: string;
  mrn: string;
  family_name: string;
  given_name: string;
  date_of_birth: string | null;
  restricted: number;
  last_encounter_at: string | null;
  /** An active legal hold covers it (patient, encounter or document hold). */
  held: number;
  /** A batch not yet completed names it. */
  pending_batch_id: string | null;
}

function candidates(db: Db) {
  return db
    .selectFrom('documents as d')
    .innerJoin('patients as p', 'p.id', 'd.patient_id')
    .select([
      'd.id',
      'd.patient_id',
      'd.encounter_id',
      'd.type_code',
      'd.title',
      'd.service_at',
      'd.status',
      'p.mrn',
      'p.family_name',
      'p.given_name',
      'p.date_of_birth',
      'p.restricted',
    ])
    .select((eb) => [
      eb
        .selectFrom('encounters as e')
        .select(sql<string>`max(coalesce(e.discharge_at, e.admit_at))`.as('at'))
        .whereRef('e.patient_id', '=', 'd.patient_id')
        .where('e.status', '<>', 'cancelled')
        .as('last_encounter_at'),
      eb
        .case()
        .when(
          eb.exists(
            eb
              .selectFrom('legal_holds as h')
              .select('h.id')
              .whereRef('h.patient_id', '=', 'd.patient_id')
              .where('h.released_at', 'is', null)
              .where((w) =>
                w.or([
                  w('h.scope', '=', 'patient'),
                  w.and([w('h.scope', '=', 'encounter'), w('h.encounter_id', '=', w.ref('d.encounter_id'))]),
                  w.and([w('h.scope', '=', 'document'), w('h.document_id', '=', w.ref('d.id'))]),
                ]),
              ),
          ),
        )
        .then(1)
        .else(0)
        .end()
        .as('held'),
      eb
        .selectFrom('destruction_items as i')
        .innerJoin('destruction_batches as b', 'b.id', 'i.batch_id')
        .select(sql<string>`max(b.id)`.as('b'))
        .whereRef('i.patient_id', '=', 'd.patient_id')
        .whereRef('i.document_id', '=', 'd.id')
        .where('b.status', '<>', 'completed')
        .as('pending_batch_id'),
    ])
    .where('d.status', '<>', 'destroyed')
    .where('p.merged_into', 'is', null);
}

/** Live documents served before `serviceBefore` (no younger one can be eligible), oldest first, across patients. */
export async function listCandidates(db: Db, _list: ListScope, serviceBefore: string, limit: number): Promise<CandidateRow[]> {
  return candidates(db).where('d.service_at', '<', serviceBefore).orderBy('d.service_at').orderBy('d.id').limit(limit).execute();
}

/** The same facts of one document of a record (to select it, and again just before destroying it). */
export async function findCandidate(db: Db, scope: RecordScope | ListScope, documentId: string): Promise<CandidateRow | undefined> {
  let q = candidates(db).where('d.id', '=', documentId);
  if ('patientId' in scope) q = q.where('d.patient_id', '=', scope.patientId);
  return q.executeTakeFirst();
}

/** Which record a document belongs to (ids only), to open it through the record-access step. */
export async function locateDocument(db: Db, documentId: string): Promise<{ patient_id: string } | undefined> {
  return db.selectFrom('documents').select('patient_id').where('id', '=', documentId).executeTakeFirst();
}

export async function insertBatch(db: Db, row: DestructionBatchTable): Promise<void> {
  await db.insertInto('destruction_batches').values(row).execute();
}

export async function insertItem(db: Db, _scope: RecordScope, row: DestructionItemTable): Promise<void> {
  await db.insertInto('destruction_items').values(row).execute();
}

export async function findBatch(db: Db, id: string): Promise<DestructionBatchTable | undefined> {
  return db.selectFrom('destruction_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listBatches(db: Db, limit: number): Promise<DestructionBatchTable[]> {
  return db.selectFrom('destruction_batches').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Changes a batch only while it is in the status read (answers false when someone moved it on since). */
export async function updateBatch(db: Db, id: string, expectStatus: string, set: Partial<DestructionBatchTable>): Promise<boolean> {
  const r = await db.updateTable('destruction_batches').set(set).where('id', '=', id).where('status', '=', expectStatus).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type ItemRow = DestructionItemTable & { family_name: string | null; given_name: string | null; restricted: number | null };

/** A batch's items, with the patient's current name (the certificate's line), in the order selected. */
export async function listItems(db: Db, _list: ListScope, batchId: string): Promise<ItemRow[]> {
  return db
    .selectFrom('destruction_items as i')
    .leftJoin('patients as p', 'p.id', 'i.patient_id')
    .selectAll('i')
    .select(['p.family_name', 'p.given_name', 'p.restricted'])
    .where('i.batch_id', '=', batchId)
    .orderBy('i.mrn')
    .orderBy('i.service_at')
    .orderBy('i.id')
    .execute();
}

export async function setItemOutcome(
  db: Db,
  _list: ListScope,
  patientId: string,
  id: string,
  set: { outcome: string; outcome_reason: string | null; done_at: string },
): Promise<void> {
  await db.updateTable('destruction_items').set(set).where('patient_id', '=', patientId).where('id', '=', id).execute();
}

export async function userNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const list = [...new Set(ids)];
  if (list.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', list).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
