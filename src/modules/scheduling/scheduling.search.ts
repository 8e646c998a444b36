/**
 * First-available search, pure: the earliest start at or after `fromMs` at which one resource of every required
 * kind (e.g. a surgeon, a room and an anaesthetist) has open, unbooked slots back to back for the whole duration.
 * Walks one day at a time up to `horizonDays`, so a year of templates is never expanded at once.
 */
import { slotsOfDay, localDates, type AvailabilityIndex, type Slot } from './scheduling.rules.js';

const DAY_MS = 24 * 3600 * 1000;

/** A candidate resource with its availability and its active bookings as [startMs, endMs) sorted by start. */
export interface SearchCandidate {
  index: AvailabilityIndex;
  booked: readonly { startMs: number; endMs: number }[];
}

export interface FirstAvailableQuery {
  durationMinutes: number;
  /** One group per required kind; a slot needs one free candidate of each group. */
  groups: readonly (readonly SearchCandidate[])[];
  fromMs: number;
  horizonDays: number;
}

export interface FoundSlot {
  startMs: number;
  endMs: number;
  /** One resource per group, in the groups' order. */
  resourceIds: string[];
  /** The first group's slot location (the provider's clinic). */
  locationId: string | null;
}

/** Index of the first booking that ends after `ms` (bookings sorted by start; ends are sorted too when none overlap). */
function firstEndingAfter(booked: readonly { startMs: number; endMs: number }[], ms: number): number {
  let lo = 0;
  let hi = booked.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (booked[mid]!.endMs <= ms) lo = mid + 1;
    else hi = mid;
  }
  // Overbooked (overlapping) rows can break the order of ends: step back over any that still end after `ms`.
  while (lo > 0 && booked[lo - 1]!.endMs > ms) lo--;
  return lo;
}

function isFree(booked: readonly { startMs: number; endMs: number }[], startMs: number, endMs: number): boolean {
  for (let i = firstEndingAfter(booked, startMs); i < booked.length; i++) {
    const b = booked[i]!;
    if (b.startMs >= endMs) return true;
    if (b.endMs > startMs) return false;
  }
  return true;
}

/** The local dates [fromMs, toMs] covers in a zone, computed once per zone for one day of the search (luxon is slow). */
type DatesOf = (zone: string) => string[];
function datesMemo(fromMs: number, toMs: number): DatesOf {
  const memo = new Map<string, string[]>();
  return (zone) => {
    let d = memo.get(zone);
    if (!d) memo.set(zone, (d = localDates(fromMs, toMs, zone)));
    return d;
  };
}

/** The slots of one candidate on the dates that `datesOf` names, in time order (each date's slots are cached). */
function slotsOn(c: SearchCandidate, datesOf: DatesOf): Slot[] {
  const dates = datesOf(c.index.resource.timeZone);
  return dates.length === 1 ? slotsOfDay(c.index, dates[0]!) : dates.flatMap((d) => slotsOfDay(c.index, d));
}

/** True when back-to-back slots from `i` cover the duration and no booking overlaps it. */
function opensAt(c: SearchCandidate, slots: readonly Slot[], i: number, durationMs: number): boolean {
  const s = slots[i]!;
  const endMs = s.startMs + durationMs;
  // Back-to-back slots from i cover the duration (coveringSlots, without searching for the start again).
  let at = s.endMs;
  for (let j = i + 1; at < endMs && j < slots.length && slots[j]!.startMs === at; j++) at = slots[j]!.endMs;
  return at === endMs && isFree(c.booked, s.startMs, endMs);
}

/** Free starts of one candidate within [fromMs, toMs): start -> the candidate's first slot. */
function freeStarts(c: SearchCandidate, datesOf: DatesOf, fromMs: number, toMs: number, durationMs: number): Map<number, Slot> {
  const slots = slotsOn(c, datesOf);
  const starts = new Map<number, Slot>();
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (s.startMs < fromMs || s.startMs >= toMs) continue;
    if (opensAt(c, slots, i, durationMs)) starts.set(s.startMs, s);
  }
  return starts;
}

/** The candidate's earliest free slot within [fromMs, beforeMs), or null: stops at the first, or once past `beforeMs`. */
function earliestFree(c: SearchCandidate, datesOf: DatesOf, fromMs: number, beforeMs: number, durationMs: number): Slot | null {
  const slots = slotsOn(c, datesOf);
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (s.startMs < fromMs) continue;
    if (s.startMs >= beforeMs) return null;
    if (opensAt(c, slots, i, durationMs)) return s;
  }
  return null;
}

/** One kind of resource (a provider visit): the earliest free slot of any candidate; ties go to the first candidate. */
function firstOfOneGroup(group: readonly SearchCandidate[], datesOf: DatesOf, fromMs: number, toMs: number, durationMs: number) {
  let best: { slot: Slot; id: string } | null = null;
  for (const c of group) {
    const s = earliestFree(c, datesOf, fromMs, best ? best.slot.startMs : toMs, durationMs);
    if (s) best = { slot: s, id: c.index.resource.id };
  }
  return best;
}

/** The earliest slot for the query, or null when none within the horizon. */
export function findFirstAvailable(q: FirstAvailableQuery): FoundSlot | null {
  const durationMs = q.durationMinutes * 60_000;
  if (q.groups.length === 0 || q.groups.some((g) => g.length === 0)) return null;
  for (let day = 0; day < q.horizonDays; day++) {
    const from = q.fromMs + day * DAY_MS;
    const to = from + DAY_MS;
    const datesOf = datesMemo(from, to + durationMs);
    if (q.groups.length === 1) {
      const one = firstOfOneGroup(q.groups[0]!, datesOf, from, to, durationMs);
      if (one)
        return { startMs: one.slot.startMs, endMs: one.slot.startMs + durationMs, resourceIds: [one.id], locationId: one.slot.locationId };
      continue;
    }
    let best: FoundSlot | null = null;
    // Per group, the free starts of each candidate; intersect across groups.
    const perGroup = q.groups.map((g) => g.map((c) => ({ id: c.index.resource.id, starts: freeStarts(c, datesOf, from, to, durationMs) })));
    const firstGroup = perGroup[0]!;
    const candidateStarts = [...new Set(firstGroup.flatMap((c) => [...c.starts.keys()]))].sort((a, b) => a - b);
    for (const start of candidateStarts) {
      const chosen: string[] = [];
      let location: string | null = null;
      for (const [gi, group] of perGroup.entries()) {
        const hit = group.find((c) => c.starts.has(start));
        if (!hit) break;
        chosen.push(hit.id);
        if (gi === 0) location = hit.starts.get(start)!.locationId;
      }
      if (chosen.length === perGroup.length) {
        best = { startMs: start, endMs: start + durationMs, resourceIds: chosen, locationId: location };
        break;
      }
    }
    if (best) return best;
  }
  return null;
}
