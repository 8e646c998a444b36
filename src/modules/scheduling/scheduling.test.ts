import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { queryAuditEvents } from '../audit/index.js';
import { bookAppointment, rescheduleAppointment, setAppointmentStatus } from './appointments.service.js';
import { makeSchedulingWorld, type SchedulingWorld } from './scheduling-fixtures.test-support.js';
import { addException, firstAvailable, listCalendar } from './setup.service.js';
import { addToWaitlist, listWaitlist } from './waitlist.service.js';

// Monday 2026-03-09 is the first weekday after the US change to daylight time (EDT, UTC-4): 09:00 local = 13:00Z.
const MON_0900 = '2026-03-09T13:00:00.000Z';
const MON_0930 = '2026-03-09T13:30:00.000Z';

describe.each(engines)('scheduling service on %s', (engine) => {
  let t: TestDatabase;
  let w: SchedulingWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeSchedulingWorld(t);
  });
  afterEach(async () => {
    await t.dispose();
  });

  const book = (patientId: string, start = MON_0900, over: { resourceIds?: string[]; overbook?: boolean; typeId?: string } = {}) =>
    bookAppointment(w.deps, w.clerk, {
      patientId,
      typeId: over.typeId ?? w.visit,
      resourceIds: over.resourceIds ?? [w.drA],
      start,
      overbook: over.overbook ?? false,
    });

  it('books a slot at 09:00 local after the daylight-saving change, holds it, and audits the booking', async () => {
    const p = await w.patient();
    const a = await book(p);
    expect(a).toMatchObject({
      start: MON_0900,
      end: MON_0930,
      status: 'booked',
      location: 'Main clinic',
      resourceIds: [w.drA],
      overbooked: false,
    });
    const holds = await t.db.selectFrom('sched_holds').selectAll().execute();
    expect(holds).toEqual([{ resource_id: w.drA, cell_start: MON_0900, seq: 0, appointment_id: a.id }]);
    const events = await queryAuditEvents(t.db, { patientId: p });
    expect(events.some((e) => e.action === 'book' && e.resourceId === a.id)).toBe(true);
  });

  it('refuses conflicts with their reasons: resource taken, patient double-booked, outside hours, a blocked hour', async () => {
    const [p1, p2] = [await w.patient(), await w.patient()];
    await book(p1);
    await expect(book(p2)).rejects.toMatchObject({
      code: 'conflict',
      details: { conflicts: [{ code: 'resource_taken', resourceId: w.drA }] },
    });
    await expect(book(p1, MON_0900, { resourceIds: [w.drB] })).rejects.toMatchObject({
      details: { conflicts: [{ code: 'patient_double_booked' }] },
    });
    await expect(book(p2, '2026-03-09T17:00:00.000Z')).rejects.toMatchObject({ details: { conflicts: [{ code: 'outside_hours' }] } });
    await addException(w.deps, w.clerk, {
      resourceId: w.drB,
      date: '2026-03-09',
      kind: 'closed',
      start: '09:00',
      end: '10:00',
      reason: 'Staff meeting',
    });
    await expect(book(p2, MON_0900, { resourceIds: [w.drB] })).rejects.toMatchObject({
      details: { conflicts: [{ code: 'outside_hours' }] },
    });
  });

  it('overbooks only when asked and only up to the resource’s limit', async () => {
    const [p1, p2, p3] = [await w.patient(), await w.patient(), await w.patient()];
    await book(p1);
    const second = await book(p2, MON_0900, { overbook: true });
    expect(second.overbooked).toBe(true);
    await expect(book(p3, MON_0900, { overbook: true })).rejects.toMatchObject({ details: { conflicts: [{ code: 'overbook_limit' }] } });
  });

  it('books a procedure with a provider and a room, and refuses the wrong kinds', async () => {
    const p = await w.patient();
    const a = await book(p, MON_0900, { typeId: w.procedure, resourceIds: [w.drB, w.room] });
    expect(a.end).toBe('2026-03-09T14:00:00.000Z');
    await expect(book(await w.patient(), MON_0900, { typeId: w.procedure, resourceIds: [w.drA, w.drB] })).rejects.toMatchObject({
      code: 'invalid',
    });
  });

  it('lets exactly one of many concurrent bookings of the same slot win (the database holds the slot)', async () => {
    const patients = await Promise.all(Array.from({ length: 8 }, () => w.patient()));
    const results = await Promise.allSettled(patients.map((p) => book(p)));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((r) => (r.reason as { code?: string }).code === 'conflict')).toBe(true);
    const stored = await t.db.selectFrom('sched_appointments').select('id').where('status', '=', 'booked').execute();
    expect(stored).toHaveLength(1);
    expect(await t.db.selectFrom('sched_holds').selectAll().execute()).toHaveLength(1);
  });

  it('reschedules (the old slot is freed and offered to the waitlist), checks in, and records a no-show', async () => {
    const [p1, p2, p3] = [await w.patient(), await w.patient(), await w.patient()];
    const entry = await addToWaitlist(w.deps, w.clerk, {
      patientId: p2,
      typeId: w.visit,
      earliest: '2026-03-09T00:00:00Z',
      latest: '2026-03-10T00:00:00Z',
    });
    const a = await book(p1);
    const moved = await rescheduleAppointment(w.deps, w.clerk, a.id, { start: MON_0930 });
    expect(moved).toMatchObject({ start: MON_0930, version: 2 });
    expect(await listWaitlist(w.deps, w.clerk)).toEqual([
      expect.objectContaining({ id: entry.id, status: 'offered', offeredStart: MON_0900 }),
    ]);
    // The freed 09:00 slot can be booked again.
    await book(p3);
    const checkedIn = await setAppointmentStatus(w.deps, w.clerk, a.id, 'checked_in');
    expect(checkedIn.status).toBe('checked_in');
    await expect(setAppointmentStatus(w.deps, w.clerk, a.id, 'no_show')).rejects.toMatchObject({ code: 'conflict' });
    const other = await book(p2, '2026-03-10T13:00:00.000Z');
    expect((await setAppointmentStatus(w.deps, w.clerk, other.id, 'no_show')).status).toBe('no_show');
    expect(await t.db.selectFrom('sched_holds').select('appointment_id').where('appointment_id', '=', other.id).execute()).toEqual([]);
  });

  it('cancels only with a reason, and frees the slot', async () => {
    const [p1, p2] = [await w.patient(), await w.patient()];
    const a = await book(p1);
    await expect(setAppointmentStatus(w.deps, w.clerk, a.id, 'cancelled')).rejects.toMatchObject({ code: 'invalid' });
    const c = await setAppointmentStatus(w.deps, w.clerk, a.id, 'cancelled', { reason: 'Patient called to cancel' });
    expect(c).toMatchObject({ status: 'cancelled', cancelReason: 'Patient called to cancel' });
    await book(p2);
  });

  it('finds the first available slot across providers, past the booked ones', async () => {
    const p = await w.patient();
    await book(p, MON_0900, { resourceIds: [w.drA] });
    const found = await firstAvailable(w.deps, w.clerk, { typeId: w.visit, from: '2026-03-09T12:00:00Z', resourceIds: [w.drA] });
    expect(found).toMatchObject({ start: MON_0930, resourceIds: [w.drA], location: 'Main clinic' });
    const proc = await firstAvailable(w.deps, w.clerk, { typeId: w.procedure, from: '2026-03-07T00:00:00Z' });
    expect(proc?.start).toBe(MON_0900);
    expect(proc?.resourceIds).toHaveLength(2);
  });

  it('shows a restricted record’s appointment in a calendar as its existence only', async () => {
    const vip = await w.patient({ restricted: true });
    // The system books for the restricted record (a clerk would need break-the-glass).
    await bookAppointment(w.deps, { ...w.clerk, system: true }, { patientId: vip, typeId: w.visit, resourceIds: [w.drA], start: MON_0900 });
    const cal = await listCalendar(w.deps, w.physician, { from: '2026-03-09T00:00:00Z', to: '2026-03-10T00:00:00Z', resourceId: w.drA });
    expect(cal).toEqual([expect.objectContaining({ patientId: vip, restricted: true, details: false, typeId: null, start: MON_0900 })]);
    await expect(book(await w.patient(), MON_0900)).rejects.toMatchObject({ code: 'conflict' });
  });
});
