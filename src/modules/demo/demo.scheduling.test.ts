import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps } from '../../../test/support/sessions.js';
import { Role, systemActor } from '../access/index.js';
import { listCalendar, listScheduleSetup, listWaitlist } from '../scheduling/index.js';
import { seedDemo } from './index.js';

describe.each(engines)('demo scheduling on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
  });
  afterEach(() => t.dispose());

  it('gives the demo hospital providers with templates and a week of appointments whose statuses follow the clock', async () => {
    // Wednesday 4 March 2026, mid-morning in most time zones' working day.
    const deps = makeAppDeps(t, { start: '2026-03-04T14:00:00Z' });
    await seedDemo(deps, { patients: 12 });
    const clerk = { ...systemActor('test'), role: Role.himClerk };
    const setup = await listScheduleSetup(deps, clerk);
    expect(setup.resources.map((r) => r.kind).sort()).toEqual(['provider', 'provider', 'provider', 'provider', 'room']);
    expect(setup.types.map((x) => x.code).sort()).toEqual(['FU', 'NEW', 'PROC']);
    const templates = await t.db.selectFrom('sched_templates').select('resource_id').execute();
    expect(new Set(templates.map((x) => x.resource_id)).size).toBe(5);

    const now = deps.clock.now().getTime();
    const items = await listCalendar(deps, clerk, { from: '2026-02-25T00:00:00Z', to: '2026-03-14T00:00:00Z' });
    expect(items.length).toBeGreaterThan(40);
    const days = new Set(items.map((a) => a.start.slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(6);
    for (const a of items) {
      if (Date.parse(a.end) <= now) expect(['completed', 'no_show']).toContain(a.status);
      else if (Date.parse(a.start) <= now) expect(a.status).toBe('checked_in');
      else expect(['booked', 'cancelled']).toContain(a.status);
    }
    expect(items.some((a) => a.status === 'booked')).toBe(true);
    expect(items.some((a) => a.status === 'completed')).toBe(true);
    // Every provider's calendar has work on it; the procedure takes the room too.
    for (const r of setup.resources) expect(items.some((a) => a.resourceIds.includes(r.id))).toBe(true);
    expect(await listWaitlist(deps, clerk)).toHaveLength(2);
  });
});
