import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps } from '../../../test/support/sessions.js';
import { seedDemo } from './index.js';

describe.each(engines)('demo coding data on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
  });
  afterEach(() => t.dispose());

  it('gives discharged inpatient stays documents to cite and the demo physician open queries', async () => {
    await seedDemo(makeAppDeps(t), { patients: 40 });
    const stays = await t.db
      .selectFrom('encounters')
      .select('id')
      .where('type', '=', 'inpatient')
      .where('discharge_at', 'is not', null)
      .execute();
    const withDocs = await t.db.selectFrom('encounter_documents').select('encounter_id').distinct().execute();
    expect(withDocs.length).toBe(stays.length);
    const queries = await t.db.selectFrom('physician_queries').select(['status', 'provider_id']).execute();
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.every((q) => q.status === 'open')).toBe(true);
    const physician = await t.db.selectFrom('users').select('provider_id').where('username', '=', 'physician').executeTakeFirstOrThrow();
    expect(queries.every((q) => q.provider_id === physician.provider_id)).toBe(true);
  });
});
