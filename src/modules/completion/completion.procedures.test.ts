import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { completionAfterAppointment } from '../../app/completion-hooks.js';
import {
  addTemplates,
  bookAppointment,
  createAppointmentType,
  createResource,
  setAppointmentStatus,
  type SchedulingDeps,
} from '../scheduling/index.js';
import { makeCompletionWorld, type CompletionWorld } from './completion-fixtures.test-support.js';
import { analyseChart, getChartCompletion } from './completion.service.js';

const DS = 'Discharge summary\nFinal diagnosis: cholelithiasis';

/**
 * Scheduled procedures as a source of surgeries (42 CFR 482.51(b)(6): an operative report "when a surgical procedure
 * was coded or scheduled"): a procedure room and a surgeon (physician2's provider) in scheduling, a surgical appointment
 * type, and a stay from 1 March 09:00 to 5 March 15:00 UTC with an H&P and a discharge summary but no coded procedure.
 */
describe.each(engines)('scheduled procedures in chart completion on %s', (engine) => {
  let t: TestDatabase;
  let w: CompletionWorld;
  let sched: SchedulingDeps;
  let book: (patientId: string, surgeon?: 'linked' | 'unlinked') => Promise<string>;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeCompletionWorld(t);
    const notified: string[] = [];
    sched = {
      ...w.deps,
      // As the composition root wires it: a status change re-analyses the charts the appointment falls in.
      afterStatusChange: completionAfterAppointment(w.deps, (_e, id) => notified.push(id)),
    };
    const room = await createResource(sched, w.analyst, { kind: 'room', code: 'OR1', name: 'Operating room 1', timeZone: 'UTC' });
    const linked = await createResource(sched, w.analyst, {
      kind: 'provider',
      code: 'DR-OKAFOR',
      name: 'Alex Okafor, MD',
      timeZone: 'UTC',
      userId: w.physician2.userId,
    });
    const unlinked = await createResource(sched, w.analyst, { kind: 'provider', code: 'DR-X', name: 'Visiting', timeZone: 'UTC' });
    for (const r of [room, linked, unlinked])
      await addTemplates(
        sched,
        w.analyst,
        r.id,
        [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '12:00', slotMinutes: 30, validFrom: '2026-01-01' })),
      );
    const type = await createAppointmentType(sched, w.analyst, {
      code: 'LAPCHOLE',
      name: 'Laparoscopic cholecystectomy',
      durationMinutes: 60,
      resourceKinds: ['provider', 'room'],
      surgical: true,
    });
    book = async (patientId, surgeon = 'linked') =>
      (
        await bookAppointment(sched, w.analyst, {
          patientId,
          typeId: type.id,
          resourceIds: [surgeon === 'linked' ? linked.id : unlinked.id, room.id],
          start: '2026-03-02T10:00:00Z',
        })
      ).id;
  });
  afterEach(async () => {
    w.dispose();
    await t.dispose();
  });

  const chartWithoutSurgery = async () => {
    const c = await w.chart();
    await w.file(c, 'HP', 'History and physical');
    await w.file(c, 'DS', DS);
    return c;
  };
  const outstanding = async (encounterId: string) =>
    (await getChartCompletion(w.deps, w.analyst, encounterId)).deficiencies
      .filter((d) => d.status === 'open')
      .map((d) => `${d.requirement}:${d.responsibleProviderId}`)
      .sort();
  const unsigned = (xs: string[]) => xs.filter((x) => !x.startsWith('authentication'));

  it('a scheduled-and-completed procedure with no coded PCS needs an operative report from its surgeon (42 CFR 482.51(b)(6))', async () => {
    const c = await chartWithoutSurgery();
    const a = await book(c.patientId);
    await setAppointmentStatus(sched, w.analyst, a, 'checked_in');
    await setAppointmentStatus(sched, w.analyst, a, 'completed');
    await analyseChart(w.deps, w.analyst, c.encounterId);
    expect(unsigned(await outstanding(c.encounterId))).toEqual([
      `anesthesia_record:${w.providers.other}`,
      `informed_consent:${w.providers.other}`,
      `operative_report:${w.providers.other}`,
    ]);
  });

  it('a cancelled procedure appointment requires no operative report (42 CFR 482.51(b)(6))', async () => {
    const c = await chartWithoutSurgery();
    const a = await book(c.patientId);
    await setAppointmentStatus(sched, w.analyst, a, 'cancelled', { reason: 'Patient unwell on the day' });
    await analyseChart(w.deps, w.analyst, c.encounterId);
    expect(unsigned(await outstanding(c.encounterId))).toEqual([]);
  });

  it('checking in a procedure after the chart was analysed re-analyses it, and cancelling completes the deficiencies again (42 CFR 482.51(b)(6))', async () => {
    const c = await chartWithoutSurgery();
    await analyseChart(w.deps, w.analyst, c.encounterId);
    expect(unsigned(await outstanding(c.encounterId))).toEqual([]);
    const a = await book(c.patientId, 'unlinked');
    await setAppointmentStatus(sched, w.analyst, a, 'checked_in');
    // The provider resource is linked to no user: the attending answers for the operative report.
    expect(unsigned(await outstanding(c.encounterId))).toEqual([
      `anesthesia_record:${w.providers.attending}`,
      `informed_consent:${w.providers.attending}`,
      `operative_report:${w.providers.attending}`,
    ]);
    await setAppointmentStatus(sched, w.analyst, a, 'cancelled', { reason: 'Procedure called off before incision' });
    expect(unsigned(await outstanding(c.encounterId))).toEqual([]);
    const op = (await getChartCompletion(w.deps, w.analyst, c.encounterId)).deficiencies.find((d) => d.requirement === 'operative_report');
    expect(op?.status).toBe('completed');
  });

  it('a procedure appointment of another stay of the patient does not count (42 CFR 482.51(b)(6))', async () => {
    const c = await w.chart({ admitAt: '2026-03-03T09:00:00Z', dischargeAt: '2026-03-04T15:00:00Z' });
    await w.file(c, 'HP', 'History and physical');
    await w.file(c, 'DS', DS);
    const a = await book(c.patientId);
    await setAppointmentStatus(sched, w.analyst, a, 'checked_in');
    await setAppointmentStatus(sched, w.analyst, a, 'completed');
    await analyseChart(w.deps, w.analyst, c.encounterId);
    // (Its H&P, filed on 1 March, predates this admission: only an update is asked for.)
    expect(unsigned(await outstanding(c.encounterId))).toEqual([`updated_history_and_physical:${w.providers.attending}`]);
  });
});
