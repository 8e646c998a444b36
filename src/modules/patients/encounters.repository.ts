/** SQL of encounters (table `encounters`, owned by this module); reads that join patients or providers are in patients.repository.ts and patient-search.repository.ts. */
import { insertRows, runCached, type Db } from '../../db/database.js';
import type { EncounterTable } from '../../db/schema.js';
import type { ListScope, RecordScope } from '../access/index.js';

/** Whether an account number is used at a facility already (account numbers are unique per facility). */
export async function isAccountNumberTaken(db: Db, facilityId: string, accountNumber: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('encounters')
      .select('id')
      .where('facility_id', '=', facilityId)
      .where('account_number', '=', accountNumber)
      .executeTakeFirst()) !== undefined
  );
}

/** Inserts an encounter of an opened record (SQL compiled once: the ADT interface inserts visits all day). */
export async function insertEncounterRow(db: Db, scope: RecordScope, row: EncounterTable): Promise<void> {
  if (row.patient_id !== scope.patientId) throw new Error('the encounter belongs to another record than the scope');
  await insertRows(db, 'encounters', [row]);
}

/** An encounter of an opened patient record. */
export async function findEncounter(db: Db, scope: RecordScope, encounterId: string): Promise<EncounterTable | undefined> {
  return db.selectFrom('encounters').selectAll().where('patient_id', '=', scope.patientId).where('id', '=', encounterId).executeTakeFirst();
}

/**
 * Changes columns of an encounter of an opened record. The ADT interface updates encounters with a few column sets
 * over and over: the SQL is compiled once per set.
 */
export async function updateEncounterRow(
  db: Db,
  scope: RecordScope,
  encounterId: string,
  set: Partial<EncounterTable>,
  updatedAt: string,
): Promise<void> {
  const columns = Object.keys(set) as (keyof EncounterTable)[];
  await runCached(
    db,
    `encounter-update|${columns.join(',')}`,
    () =>
      db
        .updateTable('encounters')
        .set({ ...set, updated_at: '' })
        .where('patient_id', '=', '')
        .where('id', '=', '')
        .compile(),
    [...columns.map((c) => set[c]), updatedAt, scope.patientId, encounterId],
  );
}

/** The visit of an account number at a facility, whoever it belongs to (the HL7 interface checks it is the patient's). */
export async function findEncounterByAccount(db: Db, facilityId: string, accountNumber: string): Promise<EncounterTable | undefined> {
  return (
    await runCached<EncounterTable>(
      db,
      'adt-visit-by-account',
      () => db.selectFrom('encounters').selectAll().where('facility_id', '=', '').where('account_number', '=', '').compile(),
      [facilityId, accountNumber],
    )
  )[0];
}

/** Discharged encounters of a type across patients, by account number (ids and dates only). */
export async function listDischargedEncounters(
  db: Db,
  _list: ListScope,
  type: string,
): Promise<Pick<EncounterTable, 'patient_id' | 'id' | 'admit_at' | 'discharge_at' | 'attending_provider_id'>[]> {
  return db
    .selectFrom('encounters')
    .select(['patient_id', 'id', 'admit_at', 'discharge_at', 'attending_provider_id'])
    .where('type', '=', type)
    .where('discharge_at', 'is not', null)
    .orderBy('account_number')
    .execute();
}
