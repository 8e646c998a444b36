import { sql } from 'kysely';
import { runCached, type Db } from '../../db/database.js';
import type { FacilityTable, ProviderTable } from '../../db/schema.js';

/** SQL of facilities (with their MRN sequence) and providers, tables owned by this module. */

/**
 * Takes the next MRN sequence number of a facility (the update locks the facility row on PostgreSQL); undefined
 * when there is no such facility.
 */
export async function takeNextMrnSequence(db: Db, facilityId: string): Promise<number | undefined> {
  const [row] = await runCached<{ next_mrn: number }>(
    db,
    'take-next-mrn',
    () => sql`update facilities set next_mrn = next_mrn + 1 where id = ${''} returning next_mrn`.compile(db),
    [facilityId],
  );
  return row ? row.next_mrn - 1 : undefined;
}

/** Facilities by name, for the registration form. */
export async function listFacilities(db: Db): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('facilities').select(['id', 'name']).orderBy('name').execute();
}

/** The ids of the facilities set up, oldest first (the HL7 interface's default facility is the first). */
export async function listFacilityIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('facilities').select('id').orderBy('created_at').orderBy('id').execute()).map((f) => f.id);
}

/** Sets up a facility (with its MRN sequence). */
export async function insertFacility(db: Db, row: FacilityTable): Promise<void> {
  await db.insertInto('facilities').values(row).execute();
}

/** A provider by NPI, or (when there is none) by name among the providers without an NPI. */
export async function findProviderId(db: Db, by: { npi: string } | { familyName: string; givenName: string }): Promise<string | undefined> {
  let q = db.selectFrom('providers').select('id');
  q =
    'npi' in by
      ? q.where('npi', '=', by.npi)
      : q.where('family_name', '=', by.familyName).where('given_name', '=', by.givenName).where('npi', 'is', null);
  return (await q.executeTakeFirst())?.id;
}

/** Adds a provider (a physician the HL7 feed names, the demo's staff). */
export async function insertProvider(db: Db, row: ProviderTable): Promise<void> {
  await db.insertInto('providers').values(row).execute();
}
