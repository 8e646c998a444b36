import type { Db } from '../../db/database.js';
import type { EncounterTable, PatientTable } from '../../db/schema.js';
import { newId } from '../../core/shared/ids.js';
import type { Clinician } from '../../core/hl7/index.js';
import {
  findPatientById,
  findPatientByIdentifierWithVisit,
  findPatientByMrnWithVisit,
  findProviderId,
  insertProvider,
} from '../patients/index.js';
import type { IdentifierRef } from './adt.rules.js';

/**
 * The look-ups every message makes, shared by ADT and MDM: the patient its identifiers find (through the MPI's
 * merges to the survivor), and a clinician as a provider row.
 */

/** The active record for any of the identifiers (a merged record leads to its survivor), and the one that matched. */
export async function findByIdentifiers(trx: Db, refs: IdentifierRef[], facilityIds: Set<string>): Promise<PatientTable | undefined> {
  return (await findWithRef(trx, refs, facilityIds))?.patient;
}

export interface Found {
  patient: PatientTable;
  ref: IdentifierRef;
  /** The visit of `account` in the patient's facility (whoever it belongs to), null if none; undefined: not looked up. */
  visit?: EncounterTable | null;
}

/**
 * The active record for any of the identifiers (a merged record leads to its survivor) and the identifier that
 * found it. With `account`, the same statement also reads the visit of that account number (a visit event then
 * takes one look-up instead of two).
 */
export async function findWithRef(trx: Db, refs: IdentifierRef[], facilityIds: Set<string>, account?: string): Promise<Found | undefined> {
  // The look-ups of every message: one statement each, in patients' repository, their SQL compiled once.
  for (const ref of refs) {
    const split =
      (facilityIds.has(ref.system) ? await findPatientByMrnWithVisit(trx, ref.system, ref.value, account) : undefined) ??
      (await findPatientByIdentifierWithVisit(trx, ref.system, ref.value, account));
    if (!split) continue;
    let p: PatientTable | undefined = split.patient;
    for (let hops = 0; p && p.merged_into !== null && hops < 10; hops++) p = await findPatientById(trx, p.merged_into);
    // A survivor in another facility has another visit of that number, if any: looked up again then.
    if (p)
      return {
        patient: p,
        ref,
        ...(split.visit !== undefined && p.facility_id === split.patient.facility_id ? { visit: split.visit } : {}),
      };
  }
  return undefined;
}

/**
 * The attending physician (PV1-7) as a provider row: found by NPI when XCN-1 is one (10 digits, CMS NPI check
 * digit per ISO/IEC 7812 with the 80840 prefix), else by name; created when unknown.
 */
export async function providerOf(trx: Db, c: Clinician | undefined, nowIso: string): Promise<string | undefined> {
  if (!c?.family || c.family === '""') return undefined;
  const npi = c.id && isNpi(c.id) ? c.id : null;
  const found = await findProviderId(trx, npi ? { npi } : { familyName: c.family, givenName: c.given ?? '' });
  if (found) return found;
  const id = newId();
  await insertProvider(trx, {
    id,
    npi,
    family_name: c.family,
    given_name: c.given ?? '',
    credentials: c.degree ?? null,
    specialty: null,
    created_at: nowIso,
  });
  return id;
}

/** A National Provider Identifier: 10 digits whose last is the Luhn check digit of "80840" + the first nine. */
export function isNpi(v: string): boolean {
  if (!/^\d{10}$/.test(v)) return false;
  const digits = `80840${v.slice(0, 9)}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(v[9]);
}
