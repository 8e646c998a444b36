/**
 * Scheduling rules, pure (no database, clock or environment): slots from weekly availability templates with
 * exceptions, holidays and blocks, in the resource's IANA time zone (luxon); booking conflicts with their reasons;
 * overbooking; the waitlist offer of a freed slot; the first-available search; appointment status steps.
 *
 * Times inside are epoch milliseconds; the edges speak ISO-8601 UTC. Wall-clock times of templates are local to the
 * resource's zone and are turned into instants day by day, so that a 09:00 session stays 09:00 local across a
 * daylight-saving change (its UTC instant moves by the offset change).
 */
import { DateTime } from 'luxon';

export const ResourceKind = { provider: 'provider', room: 'room', equipment: 'equipment' } as const;
export type ResourceKind = (typeof ResourceKind)[keyof typeof ResourceKind];

/** A schedulable resource: a provider, a room or a piece of equipment. */
export interface ResourceRules {
  id: string;
  kind: ResourceKind;
  /** IANA zone the templates' wall-clock times are in, e.g. America/New_York. */
  timeZone: string;
  /** Bookings allowed on top of the first in the same slot when the clerk asks to overbook (0 = none). */
  maxOverbook: number;
}

/** A recurring weekly session: on `weekday` (1 = Monday ... 7 = Sunday, ISO 8601) from `start` to `end`, local. */
export interface WeeklyTemplate {
  resourceId: string;
  weekday: number;
  /** HH:mm local. */
  start: string;
  end: string;
  slotMinutes: number;
  /** YYYY-MM-DD, inclusive; `validTo` null = open-ended. */
  validFrom: string;
  validTo: string | null;
  locationId: string | null;
}

export const ExceptionKind = {
  /** Not available: the whole day (no times: a day off or, with resourceId null, a holiday) or a block (times: a meeting). */
  closed: 'closed',
  /** Extra hours on a date, with their own slot length. */
  extra: 'extra',
} as const;
export type ExceptionKind = (typeof ExceptionKind)[keyof typeof ExceptionKind];

export interface AvailabilityException {
  /** null: every resource (a facility holiday). */
  resourceId: string | null;
  /** YYYY-MM-DD local. */
  date: string;
  kind: ExceptionKind;
  start: string | null;
  end: string | null;
  slotMinutes: number | null;
  locationId: string | null;
}

/** One bookable slot of one resource. */
export interface Slot {
  resourceId: string;
  startMs: number;
  endMs: number;
  locationId: string | null;
}

/** A booking that holds resources from `startMs` to `endMs`. */
export interface Booked {
  appointmentId: string;
  patientId: string;
  resourceIds: readonly string[];
  startMs: number;
  endMs: number;
}

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** The instant of local wall time `minutes` after midnight of `date` in `zone` (a time in a spring-forward gap moves on). */
export function localInstant(date: string, minutes: number, zone: string): number {
  const [y, mo, d] = date.split('-').map(Number);
  return DateTime.fromObject({ year: y, month: mo, day: d, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone }).toMillis();
}

/**
 * Local wall time (minutes after midnight) to instants for one date: when the zone's offset is the same at both ends
 * of the day (no daylight-saving change that day), by arithmetic from that offset; otherwise through luxon for each
 * time. The answer is the same; the arithmetic keeps the first-available search fast.
 */
function dayClock(date: string, zone: string): (minutes: number) => number {
  const midnightUtc = midnightOf(date, zone);
  if (midnightUtc === null) return (minutes) => localInstant(date, minutes, zone);
  return (minutes) => midnightUtc + minutes * 60_000;
}

/**
 * A memo of a pure function (same zone and date, same answer): the UTC instant of local midnight when the day has one
 * offset, null on a day of a daylight-saving change. Every resource of a zone shares it, so a search over 200
 * providers asks luxon once per zone and day instead of once per provider. Bounded: cleared when it grows large.
 */
const midnights = new Map<string, number | null>();
function midnightOf(date: string, zone: string): number | null {
  const key = `${zone}|${date}`;
  const hit = midnights.get(key);
  if (hit !== undefined) return hit;
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const startOfDay = DateTime.fromObject({ year: y, month: mo, day: d }, { zone });
  const endOfDay = startOfDay.endOf('day');
  const value = startOfDay.offset !== endOfDay.offset ? null : Date.UTC(y, mo - 1, d) - startOfDay.offset * 60_000;
  if (midnights.size >= 50_000) midnights.clear();
  midnights.set(key, value);
  return value;
}

/** Templates and exceptions of one resource, indexed for day-by-day generation (build once, generate many days). */
export interface AvailabilityIndex {
  resource: ResourceRules;
  byWeekday: Map<number, WeeklyTemplate[]>;
  exceptionsByDate: Map<string, AvailabilityException[]>;
  /** Slots already made per date (the index is immutable, so a date's slots never change). */
  slotsByDate: Map<string, Slot[]>;
}

export function indexAvailability(
  resource: ResourceRules,
  templates: readonly WeeklyTemplate[],
  exceptions: readonly AvailabilityException[],
): AvailabilityIndex {
  const byWeekday = new Map<number, WeeklyTemplate[]>();
  for (const t of templates) {
    if (t.resourceId !== resource.id) continue;
    byWeekday.set(t.weekday, [...(byWeekday.get(t.weekday) ?? []), t]);
  }
  const exceptionsByDate = new Map<string, AvailabilityException[]>();
  for (const e of exceptions) {
    if (e.resourceId !== null && e.resourceId !== resource.id) continue;
    exceptionsByDate.set(e.date, [...(exceptionsByDate.get(e.date) ?? []), e]);
  }
  return { resource, byWeekday, exceptionsByDate, slotsByDate: new Map() };
}

/** The slots of one local date (YYYY-MM-DD in the resource's zone), in time order. */
export function slotsOfDay(index: AvailabilityIndex, date: string): Slot[] {
  const cached = index.slotsByDate.get(date);
  if (cached) return cached;
  const made = makeSlotsOfDay(index, date);
  index.slotsByDate.set(date, made);
  return made;
}

function makeSlotsOfDay(index: AvailabilityIndex, date: string): Slot[] {
  const zone = index.resource.timeZone;
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, mo - 1, d)).getUTCDay() || 7;
  const exceptions = index.exceptionsByDate.get(date) ?? [];
  if (exceptions.some((e) => e.kind === ExceptionKind.closed && e.start === null)) return [];
  const sessions: { start: number; end: number; slot: number; locationId: string | null }[] = [];
  for (const t of index.byWeekday.get(weekday) ?? []) {
    if (date < t.validFrom || (t.validTo !== null && date > t.validTo)) continue;
    sessions.push({ start: minutesOf(t.start), end: minutesOf(t.end), slot: t.slotMinutes, locationId: t.locationId });
  }
  for (const e of exceptions)
    if (e.kind === ExceptionKind.extra && e.start && e.end)
      sessions.push({ start: minutesOf(e.start), end: minutesOf(e.end), slot: e.slotMinutes ?? 15, locationId: e.locationId });
  const blocks = exceptions
    .filter((e) => e.kind === ExceptionKind.closed && e.start !== null && e.end !== null)
    .map((e) => [minutesOf(e.start!), minutesOf(e.end!)] as const);
  const slots: Slot[] = [];
  const instant = dayClock(date, zone);
  for (const s of sessions) {
    for (let m = s.start; m + s.slot <= s.end; m += s.slot) {
      if (blocks.some(([bs, be]) => m < be && m + s.slot > bs)) continue;
      slots.push({ resourceId: index.resource.id, startMs: instant(m), endMs: instant(m + s.slot), locationId: s.locationId });
    }
  }
  return slots.sort((a, b) => a.startMs - b.startMs);
}

/** The local dates (YYYY-MM-DD) of `zone` from the one holding `fromMs` through the one holding `toMs`. */
export function localDates(fromMs: number, toMs: number, zone: string): string[] {
  const first = DateTime.fromMillis(fromMs, { zone }).toISODate()!;
  const last = DateTime.fromMillis(toMs, { zone }).toISODate()!;
  const dates: string[] = [first];
  // Calendar dates step by whole UTC days whatever the zone.
  for (let t = Date.parse(`${first}T00:00:00Z`) + 86_400_000; dates[dates.length - 1]! < last; t += 86_400_000)
    dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}

/** Every slot of a resource that starts within [fromMs, toMs). */
export function generateSlots(index: AvailabilityIndex, fromMs: number, toMs: number): Slot[] {
  return localDates(fromMs, toMs, index.resource.timeZone)
    .flatMap((date) => slotsOfDay(index, date))
    .filter((s) => s.startMs >= fromMs && s.startMs < toMs);
}

/**
 * The slots of `slots` (one resource, time order) that together cover [startMs, endMs) back to back, or null when
 * the interval is not within contiguous open slots (outside hours, in a block, or not on slot boundaries).
 */
export function coveringSlots(slots: readonly Slot[], startMs: number, endMs: number): Slot[] | null {
  const i = slots.findIndex((s) => s.startMs === startMs);
  if (i < 0) return null;
  const covered: Slot[] = [];
  let at = startMs;
  for (let j = i; j < slots.length && at < endMs; j++) {
    const s = slots[j]!;
    if (s.startMs !== at) return null;
    covered.push(s);
    at = s.endMs;
  }
  return at === endMs ? covered : null;
}

export const ConflictCode = {
  outsideHours: 'outside_hours',
  resourceTaken: 'resource_taken',
  patientDoubleBooked: 'patient_double_booked',
  overbookLimit: 'overbook_limit',
} as const;
export type ConflictCode = (typeof ConflictCode)[keyof typeof ConflictCode];

export interface Conflict {
  code: ConflictCode;
  resourceId: string | null;
  /** Names what is wrong, with ids only (no PHI). */
  message: string;
}

export interface BookingCheck {
  patientId: string;
  startMs: number;
  endMs: number;
  /** Each requested resource with its slots of the day. */
  resources: readonly { resource: ResourceRules; slots: readonly Slot[] }[];
  /** Active bookings that overlap the day (the appointment being moved left out). */
  existing: readonly Booked[];
  overbook: boolean;
}

/** What a booking holds per resource: the slots it covers and its overbooking position (0 = the regular booking). */
export interface Hold {
  resourceId: string;
  cellStartsMs: number[];
  seq: number;
}

export const overlaps = (a: { startMs: number; endMs: number }, b: { startMs: number; endMs: number }): boolean =>
  a.startMs < b.endMs && b.startMs < a.endMs;

/**
 * Checks a booking: every resource open for the whole interval (outside_hours), the patient not already booked at
 * that time (patient_double_booked, never overridden), each resource free (resource_taken) unless the clerk
 * overbooks and the resource allows it (overbook_limit past its `maxOverbook`). Returns the conflicts, or the holds.
 */
export function checkBooking(check: BookingCheck): { conflicts: Conflict[]; holds: Hold[] } {
  const conflicts: Conflict[] = [];
  const holds: Hold[] = [];
  if (!(check.endMs > check.startMs)) throw new RangeError('an appointment ends after it starts');
  const active = check.existing.filter((b) => overlaps(b, check));
  if (active.some((b) => b.patientId === check.patientId))
    conflicts.push({
      code: ConflictCode.patientDoubleBooked,
      resourceId: null,
      message: `patient already has appointment ${active.find((b) => b.patientId === check.patientId)!.appointmentId} at that time`,
    });
  for (const { resource, slots } of check.resources) {
    const covered = coveringSlots(slots, check.startMs, check.endMs);
    if (!covered) {
      conflicts.push({
        code: ConflictCode.outsideHours,
        resourceId: resource.id,
        message: `resource ${resource.id} is not available for the whole time`,
      });
      continue;
    }
    const taken = active.filter((b) => b.resourceIds.includes(resource.id)).length;
    if (taken > 0 && !check.overbook)
      conflicts.push({
        code: ConflictCode.resourceTaken,
        resourceId: resource.id,
        message: `resource ${resource.id} is already booked at that time`,
      });
    else if (taken > resource.maxOverbook)
      conflicts.push({
        code: ConflictCode.overbookLimit,
        resourceId: resource.id,
        message: `resource ${resource.id} allows ${resource.maxOverbook} overbooking(s) and has ${taken - 1} already`,
      });
    else holds.push({ resourceId: resource.id, cellStartsMs: covered.map((s) => s.startMs), seq: taken });
  }
  return { conflicts, holds: conflicts.length > 0 ? [] : holds };
}

export const AppointmentStatus = {
  booked: 'booked',
  checkedIn: 'checked_in',
  completed: 'completed',
  cancelled: 'cancelled',
  noShow: 'no_show',
  /** Booked in error and removed (HL7 S17): kept for the history, shown nowhere, its slots released. */
  deleted: 'deleted',
} as const;
export type AppointmentStatus = (typeof AppointmentStatus)[keyof typeof AppointmentStatus];

/** An appointment that still holds its resources. */
export const holdsResources = (status: string): boolean => status === AppointmentStatus.booked || status === AppointmentStatus.checkedIn;

const steps: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  booked: ['checked_in', 'cancelled', 'no_show', 'deleted'],
  checked_in: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
  no_show: [],
  deleted: [],
};

/** Why an appointment cannot go from `from` to `to`, or null when it can. */
export function statusStepProblem(from: string, to: AppointmentStatus): string | null {
  const allowed = steps[from as AppointmentStatus] as readonly string[] | undefined;
  return allowed?.includes(to) ? null : `an appointment that is ${from} cannot become ${to}`;
}

/** A patient waiting for an earlier or any slot of a type, optionally with one resource, within a window. */
export interface WaitlistEntry {
  id: string;
  patientId: string;
  typeId: string;
  resourceId: string | null;
  earliestMs: number;
  latestMs: number;
  createdAt: string;
  status: 'waiting' | 'offered' | 'booked' | 'withdrawn';
}

/**
 * The waitlist entry to offer a freed slot to: the longest-waiting `waiting` entry of the slot's type whose window
 * holds the slot and whose resource (if named) is one the slot frees, and whose patient is not the one who freed it.
 */
export function waitlistOffer(
  freed: { typeId: string; resourceIds: readonly string[]; startMs: number; endMs: number; patientId: string },
  entries: readonly WaitlistEntry[],
): WaitlistEntry | null {
  const fits = entries.filter(
    (e) =>
      e.status === 'waiting' &&
      e.typeId === freed.typeId &&
      e.patientId !== freed.patientId &&
      (e.resourceId === null || freed.resourceIds.includes(e.resourceId)) &&
      e.earliestMs <= freed.startMs &&
      freed.endMs <= e.latestMs,
  );
  return [...fits].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))[0] ?? null;
}
