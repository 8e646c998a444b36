/**
 * Scheduling demo data (issue 22): four clinic physicians and a procedure room with weekday templates (08:00-12:00
 * and 13:00-17:00 in 30-minute slots), three appointment types, and about a week of appointments around today —
 * the days behind completed (a few no-shows, one cancellation), today's first ones checked in, the rest booked — plus
 * two patients on the waitlist. Through the scheduling services, so holds, audit and statuses are as in real work.
 * The resources keep the server's own time zone, so the calendar shows clinic hours in local time.
 */
import { DateTime } from 'luxon';
import type { AppDeps } from '../../app/deps.js';
import { Role, systemActor, type Actor } from '../access/index.js';
import { findFirstUserOfRole } from '../auth/index.js';
import { listUnmergedPatientsAfter } from '../patients/index.js';
import {
  addTemplates,
  addToWaitlist,
  bookAppointment,
  createAppointmentType,
  createResource,
  setAppointmentStatus,
  type SchedulingDeps,
} from '../scheduling/index.js';
import { demoProviders, prng } from './demo.rules.js';

const CLINIC = 'Outpatient clinic, 2nd floor';
/** Slot starts of a clinic day, as minutes after midnight: 08:00-11:30 and 13:00-16:30. */
const DAY_SLOTS = [...Array.from({ length: 8 }, (_, i) => 480 + i * 30), ...Array.from({ length: 8 }, (_, i) => 780 + i * 30)];

export interface SchedulingDemo {
  resources: number;
  appointments: number;
  /** The first completed procedure appointment (a surgical type), for the chart-completion demo of its visit. */
  completedProcedure?: { patientId: string; start: string; end: string } | undefined;
}

export async function seedSchedulingDemo(deps: AppDeps, opts: { zone?: string } = {}): Promise<SchedulingDemo> {
  const seeder: Actor = { ...systemActor('demo-seed'), role: Role.himClerk };
  const sched: SchedulingDeps = { db: deps.db, clock: deps.clock, audit: deps.audit, records: deps.records };
  const zone = opts.zone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const physician = await findFirstUserOfRole(deps.db, Role.physician);
  const today = DateTime.fromJSDate(deps.clock.now(), { zone }).startOf('day');
  const validFrom = today.minus({ days: 60 }).toISODate()!;
  const weekdays = [1, 2, 3, 4, 5];
  const sessions = (location: string) =>
    weekdays.flatMap((weekday) => [
      { weekday, start: '08:00', end: '12:00', slotMinutes: 30, validFrom, location },
      { weekday, start: '13:00', end: '17:00', slotMinutes: 30, validFrom, location },
    ]);

  const providers = [];
  for (const [i, p] of demoProviders.slice(0, 4).entries()) {
    const r = await createResource(sched, seeder, {
      kind: 'provider',
      code: `DR-${p.family.toUpperCase()}`,
      name: `${p.given} ${p.family}, ${p.credentials}`,
      timeZone: zone,
      maxOverbook: i === 0 ? 1 : 0,
      userId: i === 0 ? (physician?.id ?? null) : null,
    });
    await addTemplates(sched, seeder, r.id, sessions(CLINIC));
    providers.push(r);
  }
  const room = await createResource(sched, seeder, { kind: 'room', code: 'PROC-1', name: 'Procedure room 1', timeZone: zone });
  await addTemplates(sched, seeder, room.id, sessions('Procedure suite, 1st floor'));
  const followUp = await createAppointmentType(sched, seeder, {
    code: 'FU',
    name: 'Follow-up visit',
    durationMinutes: 30,
    resourceKinds: ['provider'],
    color: '#1d6fb8',
  });
  const newPatient = await createAppointmentType(sched, seeder, {
    code: 'NEW',
    name: 'New patient visit',
    durationMinutes: 60,
    resourceKinds: ['provider'],
    instructions: 'Arrive 15 minutes early with your insurance card and a list of your medicines.',
    color: '#0f7b54',
  });
  const procedure = await createAppointmentType(sched, seeder, {
    code: 'PROC',
    name: 'Minor procedure',
    durationMinutes: 60,
    resourceKinds: ['provider', 'room'],
    instructions: 'Nothing to eat or drink for 6 hours before.',
    color: '#8a3ab9',
    // 42 CFR 482.51: a completed one needs an operative report, H&P, anesthesia record and consent (chart completion).
    surgical: true,
  });

  const patients = (await listUnmergedPatientsAfter(deps.db, '', 60)).filter((p) => p.restricted !== 1);
  if (patients.length === 0) return { resources: providers.length + 1, appointments: 0 };
  const r = prng(22);
  const now = deps.clock.now().getTime();
  let booked = 0;
  let next = 0;
  let completedProcedure: SchedulingDemo['completedProcedure'];
  // Three working days back to four ahead (weekends have no sessions).
  for (let d = -4; d <= 5; d++) {
    const day = today.plus({ days: d });
    if (day.weekday > 5) continue;
    for (const [pi, provider] of providers.entries()) {
      const taken = new Set<number>();
      for (let k = 0; k < 5; k++) {
        const slot = DAY_SLOTS[Math.floor(r() * DAY_SLOTS.length)]!;
        const kind = pi === 2 && k === 0 ? procedure : r() < 0.25 ? newPatient : followUp;
        const minutes = kind.duration_minutes;
        // Stay inside one session and off this provider's other appointments.
        if ((slot === 690 || slot === 990) && minutes > 30) continue;
        if (taken.has(slot) || (minutes > 30 && taken.has(slot + 30))) continue;
        const start = day.plus({ minutes: slot });
        const patient = patients[next++ % patients.length]!;
        try {
          const a = await bookAppointment(sched, seeder, {
            patientId: patient.id,
            typeId: kind.id,
            resourceIds: kind.id === procedure.id ? [provider.id, room.id] : [provider.id],
            start: start.toUTC().toISO()!,
          });
          taken.add(slot);
          if (minutes > 30) taken.add(slot + 30);
          booked++;
          const status = await settle(sched, seeder, a.id, Date.parse(a.start), Date.parse(a.end), now, r());
          if (kind.id === procedure.id && status === 'completed')
            completedProcedure ??= { patientId: patient.id, start: a.start, end: a.end };
        } catch {
          // A patient already booked at that time (few patients in a small demo): skip this one.
        }
      }
    }
  }
  const inAWeek = today.plus({ days: 7 });
  for (const p of patients.slice(-2))
    await addToWaitlist(sched, seeder, {
      patientId: p.id,
      typeId: newPatient.id,
      resourceId: providers[1]!.id,
      earliest: today.toUTC().toISO()!,
      latest: inAWeek.toUTC().toISO()!,
    });
  return { resources: providers.length + 1, appointments: booked, completedProcedure };
}

/** What has happened to an appointment by now: past ones completed (or a no-show), started ones checked in. */
async function settle(
  sched: SchedulingDeps,
  seeder: Actor,
  id: string,
  startMs: number,
  endMs: number,
  now: number,
  roll: number,
): Promise<string> {
  if (startMs > now) {
    if (roll < 0.05) {
      await setAppointmentStatus(sched, seeder, id, 'cancelled', { reason: 'Patient asked to come another week' });
      return 'cancelled';
    }
    return 'booked';
  }
  if (endMs <= now && roll < 0.1) {
    await setAppointmentStatus(sched, seeder, id, 'no_show');
    return 'no_show';
  }
  await setAppointmentStatus(sched, seeder, id, 'checked_in');
  if (endMs <= now) {
    await setAppointmentStatus(sched, seeder, id, 'completed');
    return 'completed';
  }
  return 'checked_in';
}
