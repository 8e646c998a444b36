import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps } from '../../../test/support/sessions.js';
import { Role, systemActor } from '../access/index.js';
import { getChartCompletion, listCompletionWorklist, listInbox } from '../completion/index.js';
import { seedDemo } from './index.js';

describe('demo chart completion', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
  });
  afterEach(() => t.dispose());

  it('has incomplete and delinquent charts, and two unsigned notes in the physician inbox (42 CFR 482.24(c)(4)(viii))', async () => {
    const deps = makeAppDeps(t, { config: { documentsDir: path.join(os.tmpdir(), `custodian-demo-completion-${process.pid}`) } });
    await seedDemo(deps, { patients: 3 });
    const analyst = { ...systemActor('test'), role: Role.himClerk };
    const records = await listCompletionWorklist(deps, analyst, {});
    expect(records.some((r) => r.status === 'incomplete' || r.status === 'delinquent')).toBe(true);
    expect((await listCompletionWorklist(deps, analyst, { status: 'delinquent' })).length).toBeGreaterThan(0);
    const physician = await t.db.selectFrom('users').select(['id', 'username']).where('role', '=', 'physician').executeTakeFirstOrThrow();
    const inbox = await listInbox(deps, { userId: physician.id, username: physician.username, role: Role.physician });
    expect(inbox.filter((i) => i.type === 'unsigned' && i.documentTypeCode === 'PN')).toHaveLength(2);
    // The visit of a completed procedure appointment, with nothing coded: the scheduled surgery needs its operative
    // report, anesthesia record and consent (42 CFR 482.51(b)(6), 482.52(b), 482.51(b)(2)).
    const visit = await t.db.selectFrom('encounters').select('id').where('account_number', '=', 'P100001').executeTakeFirstOrThrow();
    const chart = await getChartCompletion(deps, analyst, visit.id);
    expect(chart.deficiencies.map((d) => d.requirement).sort()).toEqual([
      'anesthesia_record',
      'history_and_physical',
      'informed_consent',
      'operative_report',
    ]);
  }, 120_000);
});
