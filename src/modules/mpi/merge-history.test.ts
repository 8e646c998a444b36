/** The merge history names both records (MRN and name) and who merged; the HTTP merge needs a reason. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { insertUserFor, makeActor, makeDeps, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { Role } from '../access/index.js';
import { createPatient } from '../patients/index.js';
import { listMerges, mergePatients, unmergePatients } from './merge.service.js';

describe.each(engines)('merge history on %s', (engine) => {
  let t: TestDatabase;
  let deps: ReturnType<typeof makeDeps>;
  const clerk = makeActor(Role.himClerk);
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    deps = makeDeps(t);
    await makeFacility(t);
    await insertUserFor(t, clerk);
  });
  afterEach(() => t.dispose());

  it('lists each merge with both MRNs and names, the reason and the clerk, and keeps them after an unmerge', async () => {
    const a = await createPatient(deps, clerk, makePatientInput({ familyName: 'Smith', givenName: 'James', sex: 'M' }));
    const b = await createPatient(deps, clerk, makePatientInput({ familyName: 'Smyth', givenName: 'Jim', sex: 'M' }));
    const m = await mergePatients(deps, clerk, { survivorId: a.id, mergedId: b.id, reason: 'same person: SSN and DOB agree' });
    await unmergePatients(deps, clerk, m.mergeId);
    const [h] = await listMerges(deps, clerk);
    const user = await t.db.selectFrom('users').select('display_name').where('id', '=', clerk.userId).executeTakeFirstOrThrow();
    expect(h).toMatchObject({
      survivorMrn: a.mrn,
      survivorName: 'SMITH, James',
      mergedMrn: b.mrn,
      mergedName: 'SMYTH, Jim',
      reason: 'same person: SSN and DOB agree',
      mergedByName: user.display_name,
      unmergedByName: user.display_name,
      status: 'unmerged',
    });
  });
});
