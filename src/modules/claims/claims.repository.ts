/**
 * SQL of the claims module (tables of migration 0020). Rows of one patient are read and written through a
 * RecordScope (constrained by its patient id); reference data (payers, billing providers, chargemaster) and the
 * control-number counters are not patient data.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import type {
  BillingProviderTable,
  ChargemasterItemTable,
  ClaimInterchangeTable,
  ClaimTable,
  EncounterChargeTable,
  PatientCoverageTable,
  PayerTable,
} from '../../db/schema-claims.js';
import type { ListScope, RecordScope } from '../access/index.js';

export const CLAIMS_PATIENT_TABLES = ['patient_coverages', 'encounter_charges', 'claims'] as const;
export type ClaimsPatientTable = (typeof CLAIMS_PATIENT_TABLES)[number];

export const insertPayer = (db: Db, row: PayerTable) => db.insertInto('payers').values(row).execute();
export const insertBillingProvider = (db: Db, row: BillingProviderTable) => db.insertInto('billing_providers').values(row).execute();
export const insertChargemasterItem = (db: Db, row: ChargemasterItemTable) => db.insertInto('chargemaster_items').values(row).execute();
export const findChargemasterItem = (db: Db, id: string) =>
  db.selectFrom('chargemaster_items').selectAll().where('id', '=', id).executeTakeFirst();
export const findBillingProvider = (db: Db, facilityId: string) =>
  db.selectFrom('billing_providers').selectAll().where('facility_id', '=', facilityId).executeTakeFirst();

export async function insertCoverage(db: Db, scope: RecordScope, row: PatientCoverageTable): Promise<void> {
  if (row.patient_id !== scope.patientId) throw new Error('coverage row of another record');
  await db.insertInto('patient_coverages').values(row).execute();
}

/** The patient's coverages in force on `on` (no dates means always), with their payers. */
export async function listCoverages(db: Db, scope: RecordScope, on: string) {
  return db
    .selectFrom('patient_coverages as c')
    .innerJoin('payers as p', 'p.id', 'c.payer_id')
    .selectAll('c')
    .select(['p.name as payer_name', 'p.payer_code', 'p.claim_filing_indicator'])
    .where('c.patient_id', '=', scope.patientId)
    .where((eb) => eb.or([eb('c.effective_from', 'is', null), eb('c.effective_from', '<=', on)]))
    .where((eb) => eb.or([eb('c.effective_to', 'is', null), eb('c.effective_to', '>=', on)]))
    .orderBy('c.benefit_order')
    .execute();
}
export type CoverageRow = Awaited<ReturnType<typeof listCoverages>>[number];

export async function insertCharge(db: Db, scope: RecordScope, row: EncounterChargeTable): Promise<void> {
  if (row.patient_id !== scope.patientId || row.encounter_id !== scope.encounterId) throw new Error('charge row of another record');
  await db.insertInto('encounter_charges').values(row).execute();
}

export async function listCharges(db: Db, scope: RecordScope) {
  return db
    .selectFrom('encounter_charges as c')
    .innerJoin('chargemaster_items as i', 'i.id', 'c.item_id')
    .selectAll('c')
    .select(['i.revenue_code', 'i.hcpcs', 'i.description'])
    .where('c.patient_id', '=', scope.patientId)
    .where('c.encounter_id', '=', scope.encounterId ?? '')
    .orderBy('c.service_date')
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
}

/** The encounter with the patient, the attending physician and the facility, for the claim. */
export async function findEncounterForClaim(db: Db, scope: RecordScope) {
  return db
    .selectFrom('encounters as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .leftJoin('providers as pr', 'pr.id', 'e.attending_provider_id')
    .select([
      'e.id',
      'e.facility_id',
      'e.account_number',
      'e.type',
      'e.status',
      'e.admit_at',
      'e.discharge_at',
      'e.discharge_status',
      'e.admission_type',
      'e.admission_source',
      'p.mrn',
      'p.family_name',
      'p.given_name',
      'p.middle_name',
      'p.date_of_birth',
      'p.sex',
      'p.address_line1',
      'p.address_line2',
      'p.city',
      'p.state',
      'p.postal_code',
      'pr.npi as attending_npi',
      'pr.family_name as attending_family',
      'pr.given_name as attending_given',
    ])
    .where('e.patient_id', '=', scope.patientId)
    .where('e.id', '=', scope.encounterId ?? '')
    .executeTakeFirst();
}
export type EncounterClaimRow = NonNullable<Awaited<ReturnType<typeof findEncounterForClaim>>>;

export const findProvider = (db: Db, id: string) =>
  db.selectFrom('providers').select(['npi', 'family_name', 'given_name']).where('id', '=', id).executeTakeFirst();

export async function findClaimOfEncounter(
  db: Db,
  scope: RecordScope,
  kind: string,
  coverageId: string,
): Promise<Selectable<ClaimTable> | undefined> {
  return db
    .selectFrom('claims')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', scope.encounterId ?? '')
    .where('kind', '=', kind)
    .where('coverage_id', '=', coverageId)
    .executeTakeFirst();
}

export async function findClaim(db: Db, scope: RecordScope, id: string): Promise<Selectable<ClaimTable> | undefined> {
  return db.selectFrom('claims').selectAll().where('patient_id', '=', scope.patientId).where('id', '=', id).executeTakeFirst();
}

/** Where a claim is (patient and encounter), to open its record. */
export const locateClaim = (db: Db, id: string) =>
  db.selectFrom('claims').select(['patient_id', 'encounter_id']).where('id', '=', id).executeTakeFirst();

export async function insertClaim(db: Db, scope: RecordScope, row: Insertable<ClaimTable>): Promise<void> {
  if (row.patient_id !== scope.patientId) throw new Error('claim row of another record');
  await db.insertInto('claims').values(row).execute();
}

export async function updateClaim(db: Db, scope: RecordScope, id: string, set: Updateable<ClaimTable>): Promise<void> {
  await db.updateTable('claims').set(set).where('patient_id', '=', scope.patientId).where('id', '=', id).execute();
}

/** Claims of one kind and status whose statement ends in [from, to], oldest first (ids and patients only). */
export async function listClaimIds(db: Db, _list: ListScope, f: { kind: string; status: string; from?: string; to?: string }) {
  let q = db.selectFrom('claims').select(['id', 'patient_id', 'encounter_id']).where('kind', '=', f.kind).where('status', '=', f.status);
  if (f.from) q = q.where('statement_to', '>=', f.from);
  if (f.to) q = q.where('statement_to', '<=', f.to);
  return q.orderBy('statement_to').orderBy('id').execute();
}

/** The next value of an X12 control-number counter, in the caller's transaction (never handed out twice). */
export async function nextControlNumber(trx: Db, name: string): Promise<number> {
  const r = await trx
    .updateTable('x12_control_numbers')
    .set((eb) => ({ last_value: eb('last_value', '+', 1) }))
    .where('name', '=', name)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) await trx.insertInto('x12_control_numbers').values({ name, last_value: 1 }).execute();
  const row = await trx.selectFrom('x12_control_numbers').select('last_value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.last_value;
}

export const insertInterchange = (db: Db, row: ClaimInterchangeTable) => db.insertInto('claim_interchanges').values(row).execute();

export async function listRowIds(db: Db, table: ClaimsPatientTable, scope: RecordScope): Promise<string[]> {
  return (await db.selectFrom(table).select('id').where('patient_id', '=', scope.patientId).execute()).map((r) => r.id);
}

/** Re-keys a row (by id) to the other record and, for rows that follow an encounter, to the encounter's id there. */
export async function moveRow(
  db: Db,
  table: ClaimsPatientTable,
  from: RecordScope,
  to: RecordScope,
  id: string,
  encounterId?: string,
): Promise<number> {
  const set =
    table === 'patient_coverages' || encounterId === undefined
      ? { patient_id: to.patientId }
      : { patient_id: to.patientId, encounter_id: encounterId };
  const r = await db.updateTable(table).set(set).where('patient_id', '=', from.patientId).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function encounterOfRow(db: Db, table: 'encounter_charges' | 'claims', id: string): Promise<string | undefined> {
  return (await db.selectFrom(table).select('encounter_id').where('id', '=', id).executeTakeFirst())?.encounter_id;
}

/** The order of benefits of one of the patient's coverages. */
export async function findCoverageOrder(db: Db, scope: RecordScope, coverageId: string): Promise<number | undefined> {
  const r = await db
    .selectFrom('patient_coverages')
    .select('benefit_order')
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', coverageId)
    .executeTakeFirst();
  return r?.benefit_order;
}

/** A provider's id by NPI (FT1-20 performing provider of an inbound charge). */
export async function findProviderIdByNpi(db: Db, npi: string): Promise<string | undefined> {
  return (await db.selectFrom('providers').select('id').where('npi', '=', npi).executeTakeFirst())?.id;
}
