/**
 * The restricted record's appointments, for the restricted-record walk: a provider with weekday templates and a
 * 15-minute visit type (made once per app), each booking on the next free slot so repeated walk steps never collide,
 * and appointments made ahead for the steps that move or check one in.
 */
import type { AppDeps } from '../../src/app/deps.js';
import { buildModuleDeps } from '../../src/app/modules.js';
import { Role, systemActor, type Actor } from '../../src/modules/access/index.js';
import { addTemplates, bookAppointment, createAppointmentType, createResource } from '../../src/modules/scheduling/index.js';

const system: Actor = { ...systemActor('walk-fixture'), role: Role.himDirector };

interface Setup {
  providerId: string;
  typeId: string;
  next: number;
}
const setups = new WeakMap<AppDeps, Promise<Setup>>();

/** The walk hospital's provider and visit type (made on first use). */
export function schedulingSetup(deps: AppDeps): Promise<Setup> {
  let s = setups.get(deps);
  if (!s) {
    s = (async () => {
      const sched = buildModuleDeps(deps).scheduling;
      const providerId = (await createResource(sched, system, { kind: 'provider', code: 'WALKDR', name: 'Dr Walk', timeZone: 'UTC' })).id;
      const typeId = (
        await createAppointmentType(sched, system, { code: 'WALKV', name: 'Walk visit', durationMinutes: 15, resourceKinds: ['provider'] })
      ).id;
      await addTemplates(
        sched,
        system,
        providerId,
        [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:45', slotMinutes: 15, validFrom: '2026-01-01' })),
      );
      return { providerId, typeId, next: 0 };
    })();
    setups.set(deps, s);
  }
  return s;
}

/** A booking body for the record on a slot no other walk step took (15-minute slots from 2026-04-01 00:00 UTC). */
export async function nextBooking(
  deps: AppDeps,
  patientId: string,
): Promise<{ patientId: string; typeId: string; resourceIds: string[]; start: string }> {
  const s = await schedulingSetup(deps);
  const start = new Date(Date.parse('2026-04-01T00:00:00Z') + s.next++ * 15 * 60_000).toISOString();
  return { patientId, typeId: s.typeId, resourceIds: [s.providerId], start };
}

/** A booked appointment of the record (for the steps that move it or change its status). */
export async function makeAppointment(deps: AppDeps, patientId: string): Promise<string> {
  return (await bookAppointment(buildModuleDeps(deps).scheduling, system, await nextBooking(deps, patientId))).id;
}

/** A start time no walk step took, for rescheduling onto. */
export async function nextStart(deps: AppDeps): Promise<string> {
  return (await nextBooking(deps, '')).start;
}
