/**
 * SQL of dictations, dictation_versions and transcription_outbox (this module owns them). One patient's rows are read
 * and written under a RecordScope; the queue and the report across patients under a ListScope.
 */
import type { Db } from '../../db/database.js';
import type { DictationTable, DictationVersionTable, TranscriptionOutboxTable } from '../../db/schema-transcription.js';
import type { ListScope, RecordScope } from '../access/index.js';

export const TRANSCRIPTION_PATIENT_TABLES = ['dictations', 'dictation_versions'] as const;

export async function insertDictation(db: Db, _scope: RecordScope, row: DictationTable): Promise<void> {
  await db.insertInto('dictations').values(row).execute();
}

/** Which record a dictation belongs to (ids only), to open it through the record-access step. */
export async function locateDictation(db: Db, id: string): Promise<{ patient_id: string; encounter_id: string | null } | undefined> {
  return db.selectFrom('dictations').select(['patient_id', 'encounter_id']).where('id', '=', id).executeTakeFirst();
}

export async function findDictation(db: Db, scope: RecordScope, id: string): Promise<DictationTable | undefined> {
  return db.selectFrom('dictations').selectAll().where('patient_id', '=', scope.patientId).where('id', '=', id).executeTakeFirst();
}

/** Changes a dictation only while it is in one of the statuses read (false when someone changed it since). */
export async function updateDictation(
  db: Db,
  scope: RecordScope,
  id: string,
  expect: { status: readonly string[]; textVersion?: number },
  set: Partial<DictationTable>,
): Promise<boolean> {
  let q = db
    .updateTable('dictations')
    .set(set)
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', id)
    .where('status', 'in', [...expect.status]);
  if (expect.textVersion !== undefined) q = q.where('text_version', '=', expect.textVersion);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertVersion(db: Db, _scope: RecordScope, row: DictationVersionTable): Promise<void> {
  await db.insertInto('dictation_versions').values(row).execute();
}

export async function listVersions(db: Db, scope: RecordScope, dictationId: string): Promise<DictationVersionTable[]> {
  return db
    .selectFrom('dictation_versions')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('dictation_id', '=', dictationId)
    .orderBy('version')
    .execute();
}

export type QueueRow = DictationTable & {
  mrn: string;
  family_name: string;
  given_name: string;
  restricted: number;
  dictated_by_name: string | null;
};

/** Dictations across patients with MRN, name and the dictating physician's name: STAT first, then by due time. */
export async function listDictations(
  db: Db,
  _list: ListScope,
  f: { statuses?: readonly string[]; workType?: string; priority?: string; dictatedBy?: string; limit: number },
): Promise<QueueRow[]> {
  let q = db
    .selectFrom('dictations as d')
    .innerJoin('patients as p', 'p.id', 'd.patient_id')
    .leftJoin('users as u', 'u.id', 'd.dictated_by')
    .selectAll('d')
    .select(['p.mrn', 'p.family_name', 'p.given_name', 'p.restricted', 'u.display_name as dictated_by_name']);
  if (f.statuses && f.statuses.length > 0) q = q.where('d.status', 'in', [...f.statuses]);
  if (f.workType) q = q.where('d.work_type', '=', f.workType);
  if (f.priority) q = q.where('d.priority', '=', f.priority);
  if (f.dictatedBy) q = q.where('d.dictated_by', '=', f.dictatedBy);
  return q.orderBy('d.due_at').orderBy('d.id').limit(f.limit).execute();
}

/** Dictations dictated in [from, to) for the turnaround report (times, ids and counts only). */
export async function listForReport(
  db: Db,
  _list: ListScope,
  range: { from: string; to: string },
): Promise<
  (Pick<
    DictationTable,
    | 'dictated_by'
    | 'work_type'
    | 'dictated_at'
    | 'recognized_at'
    | 'claimed_at'
    | 'transcribed_at'
    | 'transcribed_by'
    | 'signed_at'
    | 'line_count'
  > & { dictated_by_name: string | null; transcribed_by_name: string | null })[]
> {
  return db
    .selectFrom('dictations as d')
    .leftJoin('users as u', 'u.id', 'd.dictated_by')
    .leftJoin('users as t', 't.id', 'd.transcribed_by')
    .select([
      'd.dictated_by',
      'd.work_type',
      'd.dictated_at',
      'd.recognized_at',
      'd.claimed_at',
      'd.transcribed_at',
      'd.transcribed_by',
      'd.signed_at',
      'd.line_count',
    ])
    .select(['u.display_name as dictated_by_name', 't.display_name as transcribed_by_name'])
    .where('d.dictated_at', '>=', range.from)
    .where('d.dictated_at', '<', range.to)
    .orderBy('d.dictated_at')
    .execute();
}

export async function insertOutbox(db: Db, row: TranscriptionOutboxTable): Promise<void> {
  await db.insertInto('transcription_outbox').values(row).execute();
}

export async function pendingOutbox(db: Db, limit: number): Promise<TranscriptionOutboxTable[]> {
  return db
    .selectFrom('transcription_outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function outboxOf(db: Db, dictationId: string): Promise<TranscriptionOutboxTable[]> {
  return db.selectFrom('transcription_outbox').selectAll().where('dictation_id', '=', dictationId).orderBy('created_at').execute();
}

export async function updateOutbox(db: Db, id: string, set: Partial<TranscriptionOutboxTable>): Promise<void> {
  await db.updateTable('transcription_outbox').set(set).where('id', '=', id).execute();
}
