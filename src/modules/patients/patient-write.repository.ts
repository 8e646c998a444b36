import { insertRows, type Db } from '../../db/database.js';
import type { NextOfKinTable, PatientIdentifierTable, PatientInsuranceTable, PatientNameTable, PatientTable } from '../../db/schema.js';
import type { RecordScope } from '../access/index.js';

/** SQL of registration and edits: a new patient row with its lists, and changes to an opened record's rows. */

/** The list rows of one patient to write (each list given replaces the stored one; a list absent stays). */
export interface PatientListRows {
  insurance?: PatientInsuranceTable[] | undefined;
  identifiers?: PatientIdentifierTable[] | undefined;
  nextOfKin?: NextOfKinTable[] | undefined;
  aliases?: PatientNameTable[] | undefined;
}

type ListTable = 'patient_insurance' | 'patient_identifiers' | 'next_of_kin' | 'patient_names';

/** Inserts a new patient (the facility's MRN taken) with its lists. Identifier and next-of-kin SQL is compiled once (the ADT path). */
export async function insertNewPatient(db: Db, row: PatientTable, lists: PatientListRows): Promise<void> {
  await insertRows(db, 'patients', [row]);
  await writeLists(db, row.id, lists, false);
}

/** Replaces each list given of an opened record (a list absent stays as stored). */
export async function replacePatientLists(db: Db, scope: RecordScope, lists: PatientListRows): Promise<void> {
  await writeLists(db, scope.patientId, lists, true);
}

async function writeLists(db: Db, patientId: string, lists: PatientListRows, replace: boolean): Promise<void> {
  const all = [...(lists.insurance ?? []), ...(lists.identifiers ?? []), ...(lists.nextOfKin ?? []), ...(lists.aliases ?? [])];
  if (all.some((r) => r.patient_id !== patientId)) throw new Error('a list row belongs to another record');
  const clear = async (table: ListTable) => {
    if (replace) await db.deleteFrom(table).where('patient_id', '=', patientId).execute();
  };
  if (lists.insurance) {
    await clear('patient_insurance');
    if (lists.insurance.length) await db.insertInto('patient_insurance').values(lists.insurance).execute();
  }
  if (lists.identifiers) {
    await clear('patient_identifiers');
    await insertRows(db, 'patient_identifiers', lists.identifiers);
  }
  if (lists.nextOfKin) {
    await clear('next_of_kin');
    await insertRows(db, 'next_of_kin', lists.nextOfKin);
  }
  if (lists.aliases) {
    await clear('patient_names');
    if (lists.aliases.length) await db.insertInto('patient_names').values(lists.aliases).execute();
  }
}

/** Changes columns of an opened record's patient row. */
export async function updatePatientRow(db: Db, scope: RecordScope, set: Partial<Omit<PatientTable, 'id'>>): Promise<void> {
  await db.updateTable('patients').set(set).where('id', '=', scope.patientId).execute();
}

/** Whether an opened record already has this other name. */
export async function hasOtherName(db: Db, scope: RecordScope, familyName: string, givenName: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('patient_names')
      .select('id')
      .where('patient_id', '=', scope.patientId)
      .where('family_name', '=', familyName)
      .where('given_name', '=', givenName)
      .executeTakeFirst()) !== undefined
  );
}

/** The other names of an opened record (family and given only). */
export async function listOtherNameKeys(db: Db, scope: RecordScope): Promise<{ family_name: string; given_name: string }[]> {
  return db.selectFrom('patient_names').select(['family_name', 'given_name']).where('patient_id', '=', scope.patientId).execute();
}

/** Adds other names to an opened record. */
export async function insertOtherNames(db: Db, scope: RecordScope, rows: PatientNameTable[]): Promise<void> {
  if (rows.some((r) => r.patient_id !== scope.patientId)) throw new Error('a name belongs to another record than the scope');
  if (rows.length) await db.insertInto('patient_names').values(rows).execute();
}

/** The identifiers of an opened record (system and value only). */
export async function listIdentifierKeys(db: Db, scope: RecordScope): Promise<{ system: string; value: string }[]> {
  return db.selectFrom('patient_identifiers').select(['system', 'value']).where('patient_id', '=', scope.patientId).execute();
}

/** Adds identifiers to an opened record. */
export async function insertIdentifiers(db: Db, scope: RecordScope, rows: PatientIdentifierTable[]): Promise<void> {
  if (rows.some((r) => r.patient_id !== scope.patientId)) throw new Error('an identifier belongs to another record than the scope');
  if (rows.length) await db.insertInto('patient_identifiers').values(rows).execute();
}

/** Replaces an identifier of an opened record in place; false when the record does not carry `from`. */
export async function replaceIdentifier(
  db: Db,
  scope: RecordScope,
  from: { system: string; value: string },
  to: { system: string; value: string; type: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable('patient_identifiers')
    .set({ value: to.value, system: to.system, type: to.type })
    .where('patient_id', '=', scope.patientId)
    .where('system', '=', from.system)
    .where('value', '=', from.value)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
