import { manualClock } from '../../src/core/shared/clock.js';
import { createFieldCipher } from '../../src/core/shared/crypto.js';
import { createAuditLog } from '../../src/modules/audit/index.js';
import { createRecordAccess, Role, type Actor, type Role as RoleT } from '../../src/modules/access/index.js';
import { patientRecordDirectory, type NewPatient } from '../../src/modules/patients/index.js';
import { createPatientMatching } from '../../src/modules/mpi/index.js';
import type { TestDatabase } from './databases.js';

export const FACILITY_ID = 'fac-test';

/** Service dependencies over a test database with a manual clock. */
export function makeDeps(t: TestDatabase, start = '2026-03-01T08:00:00Z') {
  const clock = manualClock(start);
  const audit = createAuditLog({ clock });
  const cipher = createFieldCipher(undefined);
  return {
    db: t.db,
    clock,
    audit,
    records: createRecordAccess({ db: t.db, clock, audit, directory: patientRecordDirectory }),
    cipher,
    matching: createPatientMatching({ cipher }),
  };
}

export async function makeFacility(t: TestDatabase, id = FACILITY_ID): Promise<string> {
  await t.db
    .insertInto('facilities')
    .values({ id, name: 'Test Hospital', mrn_prefix: '', next_mrn: 1000001, created_at: '2026-01-01T00:00:00.000Z' })
    .execute();
  return id;
}

let n = 0;
/** An actor of the given role (ids need not exist as users for service tests). */
export function makeActor(role: RoleT = Role.coder, over: Partial<Actor> = {}): Actor {
  n++;
  return {
    userId: `u-${role}-${n}`,
    username: `${role}${n}`,
    role,
    ip: '127.0.0.1',
    userAgent: 'vitest',
    purposeOfUse: 'HOPERAT',
    ...over,
  };
}

export function makePatientInput(over: Partial<NewPatient> = {}): NewPatient {
  return { facilityId: FACILITY_ID, familyName: 'Doe', givenName: 'Jane', dateOfBirth: '1970-05-17', sex: 'F', ...over };
}

/** Stores a users row for an actor (for tables that reference users). */
export async function insertUserFor(t: TestDatabase, a: Actor): Promise<void> {
  await t.db
    .insertInto('users')
    .values({
      id: a.userId,
      username: a.username,
      display_name: a.username,
      role: a.role,
      password_hash: 'not-a-real-hash',
      totp_secret: null,
      totp_enabled: 0,
      disabled: 0,
      failed_logins: 0,
      locked_until: null,
      provider_id: null,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    })
    .execute();
}
