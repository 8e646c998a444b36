import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps } from '../../../test/support/sessions.js';
import { systemActor, Role } from '../access/index.js';
import { listChartRequests, listLocations, listOverdueCharts } from '../charts/index.js';
import { seedDemo } from './index.js';

describe.each(engines)('demo chart tracking on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
  });
  afterEach(() => t.dispose());

  it('gives the demo hospital paper charts, locations, boxes, overdue charts and open requests to try', async () => {
    const deps = makeAppDeps(t);
    await seedDemo(deps, { patients: 16 });
    const clerk = { ...systemActor('test'), role: Role.himClerk };
    expect(await t.db.selectFrom('paper_charts').select('id').execute()).toHaveLength(16);
    const kinds = (await listLocations(deps, clerk)).map((l) => l.kind);
    expect(new Set(kinds)).toEqual(new Set(['file_room', 'department', 'person', 'offsite_box']));
    const boxes = await listLocations(deps, clerk, { kind: 'offsite_box' });
    expect(boxes.reduce((n, b) => n + b.chartCount, 0)).toBe(3);
    expect((await listOverdueCharts(deps, clerk)).map((c) => c.daysOverdue)).toEqual([2, 2]);
    const queue = await listChartRequests(deps, clerk);
    expect(queue.map((r) => r.priority)).toEqual(['stat', 'urgent', 'urgent', 'routine']);
    expect(queue.filter((r) => r.restricted)).toHaveLength(1);
  });
});
