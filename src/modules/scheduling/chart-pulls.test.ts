import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { bookAppointment, setAppointmentStatus } from './appointments.service.js';
import { requestChartsForAppointments } from './chart-pulls.service.js';
import { makeSchedulingWorld, type SchedulingWorld } from './scheduling-fixtures.test-support.js';

describe.each(engines)('chart pulls for the schedule on %s', (engine) => {
  let t: TestDatabase;
  let w: SchedulingWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeSchedulingWorld(t);
  });
  afterEach(() => t.dispose());

  const book = async (resource: string, start: string) =>
    bookAppointment(w.deps, w.clerk, { patientId: await w.patient(), typeId: w.visit, resourceIds: [resource], start });

  it("requests each booked appointment's chart once, an hour before the visit, and skips cancelled ones", async () => {
    // Monday 9 March 2026 in New York (UTC-4 after the change): 09:00 and 10:30 local.
    const a = await book(w.drA, '2026-03-09T13:00:00Z');
    const b = await book(w.drB, '2026-03-09T14:30:00Z');
    const c = await book(w.drA, '2026-03-09T15:00:00Z');
    await setAppointmentStatus(w.deps, w.clerk, c.id, 'cancelled', { reason: 'Patient called to cancel' });
    await book(w.drA, '2026-03-10T13:00:00Z'); // the next day: outside the window
    const window = { from: '2026-03-09T04:00:00Z', to: '2026-03-10T04:00:00Z' };

    const first = await requestChartsForAppointments(w.deps, w.clerk, window);
    expect(first.map((r) => [r.appointmentId, r.outcome, r.error])).toEqual([
      [a.id, 'requested', null],
      [b.id, 'requested', null],
    ]);
    const stored = await t.db
      .selectFrom('chart_requests')
      .select(['id', 'patient_id', 'needed_by', 'requester_name', 'priority', 'status'])
      .orderBy('needed_by')
      .execute();
    expect(stored).toEqual([
      {
        id: first[0]!.chartRequestId,
        patient_id: a.patientId,
        needed_by: '2026-03-09T12:00:00.000Z',
        requester_name: 'Dr A',
        priority: 'routine',
        status: 'open',
      },
      {
        id: first[1]!.chartRequestId,
        patient_id: b.patientId,
        needed_by: '2026-03-09T13:30:00.000Z',
        requester_name: 'Dr B',
        priority: 'routine',
        status: 'open',
      },
    ]);
    const linked = await t.db
      .selectFrom('sched_appointments')
      .select(['id', 'chart_request_id'])
      .where('chart_request_id', 'is not', null)
      .execute();
    expect(linked).toHaveLength(2);

    // Run again (the button pressed twice, or the timer): nothing new.
    const second = await requestChartsForAppointments(w.deps, w.clerk, window);
    expect(second.map((r) => r.outcome)).toEqual(['already_requested', 'already_requested']);
    expect(await t.db.selectFrom('chart_requests').select('id').execute()).toHaveLength(2);
  });

  it('refuses a window that is empty or longer than a week', async () => {
    await expect(
      requestChartsForAppointments(w.deps, w.clerk, { from: '2026-03-09T04:00:00Z', to: '2026-03-20T04:00:00Z' }),
    ).rejects.toMatchObject({ code: 'invalid' });
  });
});
