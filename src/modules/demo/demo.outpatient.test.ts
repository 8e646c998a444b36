import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps } from '../../../test/support/sessions.js';
import { seedDemo } from './index.js';

describe.each(engines)('demo outpatient coding on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
  });
  afterEach(() => t.dispose());

  it('codes some ED and clinic visits in part (drafts) and leaves others untouched on the queue', async () => {
    await seedDemo(makeAppDeps(t), { patients: 40 });
    const rows = await t.db
      .selectFrom('outpatient_abstracts as a')
      .innerJoin('encounters as e', 'e.id', 'a.encounter_id')
      .select(['a.status', 'a.version', 'e.type', 'a.data'])
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((r) => r.status === 'draft' && r.version === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['emergency', 'outpatient']));
    expect(rows.some((r) => (JSON.parse(r.data) as { lines: unknown[] }).lines.length === 0)).toBe(true);
    const ed = await t.db
      .selectFrom('encounters')
      .select('id')
      .where('type', '=', 'emergency')
      .where('discharge_at', 'is not', null)
      .execute();
    expect(ed.length).toBeGreaterThan(rows.filter((r) => r.type === 'emergency').length);
  }, 180_000);
});
