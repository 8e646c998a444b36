import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps } from '../../../test/support/sessions.js';
import { seedDemo } from './index.js';

describe('demo dictations', () => {
  let t: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-demo-dictations-'));
  });
  afterEach(async () => {
    await t.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seeds three dictations by the demo physician, queued for recognition, only when asked', async () => {
    const deps = makeAppDeps(t, { config: { dictationsDir: dir, documentsDir: path.join(dir, 'documents') } });
    await seedDemo(deps, { patients: 30, dictations: true });
    const rows = await t.db
      .selectFrom('dictations')
      .select(['work_type', 'priority', 'status', 'encounter_id'])
      .orderBy('work_type')
      .execute();
    expect(rows.map((r) => [r.work_type, r.priority, r.status])).toEqual([
      ['CN', 'stat', 'dictated'],
      ['DS', 'routine', 'dictated'],
      ['PN', 'routine', 'dictated'],
    ]);
    expect(rows.every((r) => r.encounter_id !== null)).toBe(true);
    const jobs = await t.db.selectFrom('jobs').select(['kind']).execute();
    expect(jobs.filter((j) => /recogni/i.test(j.kind))).toHaveLength(3);
  }, 120_000);
});
