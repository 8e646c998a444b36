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

/** Free starts of one candidate within [fromMs, toMs): start -> the candidate's first slot. */
function freeStarts(c: SearchCandidate, fromMs: number, toMs: number, durationMs: number): Map<number, Slot> {
  const slots = localDates(fromMs, toMs + durationMs, c.index.resource.timeZone).flatMap((d) => slotsOfDay(c.index, d));
  const starts = new Map<number, Slot>();
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (s.startMs < fromMs || s.startMs >= toMs) continue;
    const endMs = s.startMs + durationMs;
    // Back-to-back slots from i cover the duration (coveringSlots, without searching for the start again).
    let at = s.endMs;
    for (let j = i + 1; at < endMs && j < slots.length && slots[j]!.startMs === at; j++) at = slots[j]!.endMs;
    if (at !== endMs) continue;
    if (isFree(c.booked, s.startMs, endMs)) starts.set(s.startMs, s);
  }
  return starts;
}

/** The earliest slot for the query, or null when none within the horizon. */
export function findFirstAvailable(q: FirstAvailableQuery): FoundSlot | null {
  const durationMs = q.durationMinutes * 60_000;
  if (q.groups.length === 0 || q.groups.some((g) => g.length === 0)) return null;
  for (let day = 0; day < q.horizonDays; day++) {
    const from = q.fromMs + day * DAY_MS;
    const to = from + DAY_MS;
    let best: FoundSlot | null = null;
    // Per group, the earliest free start of each candidate; intersect across groups.
    const perGroup = q.groups.map((g) => g.map((c) => ({ id: c.index.resource.id, starts: freeStarts(c, from, to, durationMs) })));
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
