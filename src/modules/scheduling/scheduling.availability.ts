/** Loads templates and exceptions into the pure rules' indexes (one query each for a set of resources). */
import { DateTime } from 'luxon';
import type { Db } from '../../db/database.js';
import type { SchedResourceTable } from '../../db/schema-scheduling.js';
import * as repo from './scheduling.repository.js';
import {
  indexAvailability,
  type AvailabilityException,
  type AvailabilityIndex,
  type ExceptionKind,
  type ResourceKind,
  type ResourceRules,
  type WeeklyTemplate,
} from './scheduling.rules.js';

export const resourceRules = (r: SchedResourceTable): ResourceRules => ({
  id: r.id,
  kind: r.kind as ResourceKind,
  timeZone: r.time_zone,
  maxOverbook: r.max_overbook,
});

/** The availability of each resource for local dates between fromMs and toMs (a day's margin either side for zones). */
export async function loadAvailability(
  db: Db,
  resources: readonly SchedResourceTable[],
  fromMs: number,
  toMs: number,
): Promise<Map<string, AvailabilityIndex>> {
  const ids = resources.map((r) => r.id);
  const fromDate = DateTime.fromMillis(fromMs, { zone: 'UTC' }).minus({ days: 1 }).toISODate()!;
  const toDate = DateTime.fromMillis(toMs, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
  const [templateRows, exceptionRows] = await Promise.all([repo.templatesOf(db, ids), repo.exceptionsOf(db, ids, fromDate, toDate)]);
  const templates: WeeklyTemplate[] = templateRows.map((t) => ({
    resourceId: t.resource_id,
    weekday: t.weekday,
    start: t.start_time,
    end: t.end_time,
    slotMinutes: t.slot_minutes,
    validFrom: t.valid_from,
    validTo: t.valid_to,
    locationId: t.location,
  }));
  const exceptions: AvailabilityException[] = exceptionRows.map((e) => ({
    resourceId: e.resource_id,
    date: e.date,
    kind: e.kind as ExceptionKind,
    start: e.start_time,
    end: e.end_time,
    slotMinutes: e.slot_minutes,
    locationId: e.location,
  }));
  return new Map(resources.map((r) => [r.id, indexAvailability(resourceRules(r), templates, exceptions)]));
}
