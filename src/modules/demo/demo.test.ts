import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps } from '../../../test/support/sessions.js';
import { roles } from '../access/index.js';
import { verifyAuditChain } from '../audit/index.js';
import { login } from '../auth/index.js';
import { isValidMrn } from '../patients/index.js';
import { DEMO_PASSWORD, isDemoLoaded, seedDemo } from './index.js';

describe.each(engines)('demo hospital on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
  });
  afterEach(() => t.dispose());

  it('creates about 200 patients with valid MRNs and insurance, about 400 encounters, one user per role', async () => {
    const deps = makeAppDeps(t);
    expect(await isDemoLoaded(deps)).toBe(false);
    const r = await seedDemo(deps);
    expect(await isDemoLoaded(deps)).toBe(true);
    expect(r.patients).toBe(200);
    expect(r.encounters).toBeGreaterThan(340);
    expect(r.encounters).toBeLessThan(460);
    const patients = await t.db.selectFrom('patients').select(['mrn', 'restricted', 'family_name']).execute();
    expect(patients).toHaveLength(200);
    expect(patients.every((p) => isValidMrn(p.mrn))).toBe(true);
    expect(patients.filter((p) => p.restricted === 1)).toHaveLength(3);
    expect(new Set(patients.map((p) => p.family_name)).size).toBeGreaterThan(40);
    const types = await t.db.selectFrom('encounters').select('type').distinct().execute();
    expect(types.map((x) => x.type).sort()).toEqual(expect.arrayContaining(['emergency', 'inpatient', 'outpatient']));
    const noAttending = await t.db.selectFrom('encounters').select('id').where('attending_provider_id', 'is', null).execute();
    expect(noAttending).toEqual([]);
    const insured = await t.db.selectFrom('patient_insurance').select('patient_id').distinct().execute();
    expect(insured).toHaveLength(200);
    const users = await t.db.selectFrom('users').select('role').execute();
    expect(users.map((u) => u.role).sort()).toEqual([...roles].sort());
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  }, 120_000);

  it('gives every non-administrator demo user the documented password', async () => {
    const deps = makeAppDeps(t);
    const r = await seedDemo(deps, { patients: 3 });
    for (const u of r.users.filter((x) => x.role !== 'administrator')) {
      const res = await login(deps, { username: u.username, password: DEMO_PASSWORD }, { ip: '127.0.0.1', userAgent: 'vitest' });
      expect(res.user.role).toBe(u.role);
    }
  });
});
