/**
 * Test data for the scheduling service tests (not a test file itself): a clerk and a physician, two providers in
 * New York (the first allows one overbooking), a room, a 30-minute visit and a 60-minute procedure (provider + room),
 * weekday templates 09:00-12:00 in 30-minute slots, and patients. The clock starts on Friday 2026-03-06 08:00 UTC.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildAck, encodeMllp, MllpDecoder, parseMessage } from '../../core/hl7/index.js';
import type { Db } from '../../db/database.js';
import type { TestDatabase } from '../../../test/support/databases.js';
import { insertUserFor, makeActor, makeDeps, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { Role, type Actor } from '../access/index.js';
import { createPatient } from '../patients/index.js';
import { addTemplates, createAppointmentType, createResource } from './setup.service.js';
import type { SchedulingDeps } from './scheduling.views.js';

export interface SchedulingWorld {
  deps: ReturnType<typeof makeDeps> & SchedulingDeps;
  clerk: Actor;
  physician: Actor;
  drA: string;
  drB: string;
  room: string;
  visit: string;
  procedure: string;
  patient(over?: { restricted?: boolean; email?: string }): Promise<string>;
}

let n = 0;
export async function makeSchedulingWorld(t: TestDatabase, extra: Pick<SchedulingDeps, 'mailer' | 'siu'> = {}): Promise<SchedulingWorld> {
  const deps = { ...makeDeps(t, '2026-03-06T08:00:00Z'), ...extra };
  await makeFacility(t);
  const clerk = makeActor(Role.himClerk);
  const physician = makeActor(Role.physician);
  for (const a of [clerk, physician]) await insertUserFor(t, a);
  const zone = 'America/New_York';
  const drA = (await createResource(deps, clerk, { kind: 'provider', code: 'DRA', name: 'Dr A', timeZone: zone, maxOverbook: 1 })).id;
  const drB = (await createResource(deps, clerk, { kind: 'provider', code: 'DRB', name: 'Dr B', timeZone: zone })).id;
  const room = (await createResource(deps, clerk, { kind: 'room', code: 'OR1', name: 'Procedure room 1', timeZone: zone })).id;
  const visit = (
    await createAppointmentType(deps, clerk, { code: 'NEW', name: 'New patient visit', durationMinutes: 30, resourceKinds: ['provider'] })
  ).id;
  const procedure = (
    await createAppointmentType(deps, clerk, {
      code: 'PROC',
      name: 'Minor procedure',
      durationMinutes: 60,
      resourceKinds: ['provider', 'room'],
    })
  ).id;
  for (const r of [drA, drB, room])
    await addTemplates(
      deps,
      clerk,
      r,
      [1, 2, 3, 4, 5].map((weekday) => ({
        weekday,
        start: '09:00',
        end: '12:00',
        slotMinutes: 30,
        validFrom: '2026-01-01',
        location: 'Main clinic',
      })),
    );
  return {
    deps,
    clerk,
    physician,
    drA,
    drB,
    room,
    visit,
    procedure,
    async patient(over = {}) {
      n++;
      const p = await createPatient(
        deps,
        clerk,
        makePatientInput({
          familyName: `Rivera${n}`,
          givenName: 'Ana',
          email: over.email ?? `ana${n}@example.org`,
          ...(over.restricted ? { restricted: true, restrictionReason: 'VIP' } : {}),
        }),
      );
      return p.id;
    },
  };
}

/** One appointment and one waitlist entry of a patient, straight into the tables (the MPI merge test). */
export async function addSchedulingRows(db: Db, patientId: string, userId: string): Promise<void> {
  const at = '2026-02-20T10:00:00.000Z';
  await db
    .insertInto('sched_appointments')
    .values({
      patient_id: patientId,
      id: `appt-${patientId}`,
      type_id: 'type-x',
      start_at: '2026-03-09T13:00:00.000Z',
      end_at: '2026-03-09T13:30:00.000Z',
      status: 'booked',
      location: null,
      overbooked: 0,
      cancel_reason: null,
      external_id: null,
      reminder_sent_at: null,
      chart_request_id: null,
      version: 1,
      created_by: userId,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('sched_waitlist')
    .values({
      patient_id: patientId,
      id: `wait-${patientId}`,
      type_id: 'type-x',
      resource_id: null,
      earliest_at: at,
      latest_at: '2026-04-01T00:00:00.000Z',
      status: 'waiting',
      offered_start_at: null,
      offered_resource_ids: null,
      created_by: userId,
      created_at: at,
    })
    .execute();
}

/** A real MLLP receiver on a free port: stores each message and answers with the next ACK code of `codes` (then AA). */
export async function startMllpReceiver(codes: string[]) {
  const received: string[] = [];
  const server = net.createServer((socket) => {
    const decoder = new MllpDecoder();
    socket.on('data', (chunk) => {
      for (const frame of decoder.push(chunk)) {
        if (!frame.ok) continue;
        received.push(frame.message);
        const code = (codes.shift() ?? 'AA') as 'AA' | 'AE';
        socket.write(
          encodeMllp(buildAck(parseMessage(frame.message), { code, controlId: `ACK${received.length}`, dateTime: '20260306080000+0000' })),
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}
