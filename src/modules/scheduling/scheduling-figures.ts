/**
 * Counts for the HIM director's dashboard (src/modules/reports): appointment outcomes over a range, aggregates only
 * (no patient, no row). An appointment removed as booked in error (`deleted`) is not counted.
 */
import type { Db } from '../../db/database.js';
import { AppointmentStatus } from './scheduling.rules.js';

export interface AppointmentOutcomes {
  /** Appointments starting in the range, any status but deleted. */
  scheduled: number;
  completed: number;
  checkedIn: number;
  noShow: number;
  cancelled: number;
  /** Still booked (in the future, or not yet marked). */
  booked: number;
  /** No-shows over the appointments whose outcome is known (completed, checked in or no-show); null when none. */
  noShowRate: number | null;
}

/** Appointment outcomes for appointments starting from `from` up to `to` (ISO instants). */
export async function appointmentOutcomes(db: Db, range: { from: string; to: string }): Promise<AppointmentOutcomes> {
  const rows = await db
    .selectFrom('sched_appointments')
    .select((eb) => ['status', eb.fn.countAll<string | number>().as('n')])
    .where('start_at', '>=', range.from)
    .where('start_at', '<=', range.to)
    .where('status', '!=', AppointmentStatus.deleted)
    .groupBy('status')
    .execute();
  const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  const completed = n(AppointmentStatus.completed);
  const checkedIn = n(AppointmentStatus.checkedIn);
  const noShow = n(AppointmentStatus.noShow);
  const known = completed + checkedIn + noShow;
  return {
    scheduled: rows.reduce((s, r) => s + Number(r.n), 0),
    completed,
    checkedIn,
    noShow,
    cancelled: n(AppointmentStatus.cancelled),
    booked: n(AppointmentStatus.booked),
    noShowRate: known === 0 ? null : Math.round((noShow / known) * 10_000) / 10_000,
  };
}
