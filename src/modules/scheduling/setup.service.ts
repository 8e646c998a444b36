/**
 * Scheduling set-up (schedule:manage): resources, appointment types, weekly templates and exceptions. No patient
 * data; every change is audited. Also the reads of the calendar: a day's or week's appointments and the
 * first-available search (schedule:read).
 */
import { createHash, randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/shared/ids.js';
import { Permission, requirePermission, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { loadAvailability } from './scheduling.availability.js';
import * as repo from './scheduling.repository.js';
import { ResourceKind } from './scheduling.rules.js';
import { findFirstAvailable } from './scheduling.search.js';
import { appointmentView, parseInput, type AppointmentView, type SchedulingDeps } from './scheduling.views.js';

const manage = Permission.scheduleManage;
const read = Permission.scheduleRead;
const Hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm');
const IsoDate = z.iso.date();
const Zone = z.string().refine((z) => DateTime.local().setZone(z).isValid, 'must be an IANA time zone');

export const NewResourceSchema = z.object({
  kind: z.enum(ResourceKind),
  code: z.string().trim().min(1).max(40),
  name: z.string().trim().min(1).max(200),
  timeZone: Zone,
  maxOverbook: z.number().int().min(0).max(10).default(0),
  userId: z.string().min(1).max(64).nullish(),
});
export const NewTypeSchema = z.object({
  code: z.string().trim().min(1).max(40),
  name: z.string().trim().min(1).max(200),
  durationMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60),
  resourceKinds: z.array(z.enum(ResourceKind)).min(1).max(6),
  instructions: z.string().max(2000).default(''),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .default('#3b82f6'),
  /**
   * A surgical or other invasive procedure (42 CFR 482.51): a checked-in or completed appointment of this type during
   * an encounter makes chart completion require the operative report, H&P, anesthesia record and consent.
   */
  surgical: z.boolean().default(false),
});
export const TemplateSchema = z
  .object({
    weekday: z.number().int().min(1).max(7),
    start: Hhmm,
    end: Hhmm,
    slotMinutes: z.number().int().min(5).max(480),
    validFrom: IsoDate,
    validTo: IsoDate.nullish(),
    location: z.string().trim().min(1).max(200).nullish(),
  })
  .refine((t) => t.start < t.end, 'end must be after start');
export const ExceptionSchema = z.object({
  resourceId: z.string().min(1).max(64).nullable(),
  date: IsoDate,
  kind: z.enum(['closed', 'extra']),
  start: Hhmm.nullish(),
  end: Hhmm.nullish(),
  slotMinutes: z.number().int().min(5).max(480).nullish(),
  location: z.string().trim().min(1).max(200).nullish(),
  reason: z.string().trim().min(3).max(200),
});

async function audited(deps: SchedulingDeps, actor: Actor, resourceType: string, resourceId: string, detail?: Record<string, unknown>) {
  await recordAudit(deps.db, deps.audit, actor, {
    action: 'create',
    resourceType,
    resourceId,
    outcome: 'success',
    ...(detail ? { detail } : {}),
  });
}

export async function createResource(deps: SchedulingDeps, actor: Actor, input: z.input<typeof NewResourceSchema>) {
  const v = parseInput(NewResourceSchema, input);
  await requirePermission(deps, actor, manage, { type: 'schedule_resource', id: v.code });
  const row = {
    id: newId(),
    kind: v.kind,
    code: v.code,
    name: v.name,
    time_zone: v.timeZone,
    max_overbook: v.maxOverbook,
    user_id: v.userId ?? null,
    feed_token_hash: null,
    active: 1,
    created_at: deps.clock.now().toISOString(),
  };
  await repo.insertResource(deps.db, row);
  await audited(deps, actor, 'schedule_resource', row.id);
  return row;
}

export async function createAppointmentType(deps: SchedulingDeps, actor: Actor, input: z.input<typeof NewTypeSchema>) {
  const v = parseInput(NewTypeSchema, input);
  await requirePermission(deps, actor, manage, { type: 'appointment_type', id: v.code });
  const row = {
    id: newId(),
    code: v.code,
    name: v.name,
    duration_minutes: v.durationMinutes,
    resource_kinds: JSON.stringify(v.resourceKinds),
    instructions: v.instructions,
    color: v.color,
    active: 1,
    surgical: v.surgical ? 1 : 0,
  };
  await repo.insertType(deps.db, row);
  await audited(deps, actor, 'appointment_type', row.id);
  return row;
}

export async function addTemplates(deps: SchedulingDeps, actor: Actor, resourceId: string, input: z.input<typeof TemplateSchema>[]) {
  const list = input.map((t) => parseInput(TemplateSchema, t));
  await requirePermission(deps, actor, manage, { type: 'schedule_resource', id: resourceId });
  if ((await repo.listResources(deps.db, { ids: [resourceId] })).length === 0) throw notFound('resource');
  const rows = list.map((t) => ({
    id: newId(),
    resource_id: resourceId,
    weekday: t.weekday,
    start_time: t.start,
    end_time: t.end,
    slot_minutes: t.slotMinutes,
    valid_from: t.validFrom,
    valid_to: t.validTo ?? null,
    location: t.location ?? null,
  }));
  await repo.insertTemplates(deps.db, rows);
  await audited(deps, actor, 'schedule_template', resourceId, { templates: rows.length });
  return rows;
}

export async function addException(deps: SchedulingDeps, actor: Actor, input: z.input<typeof ExceptionSchema>) {
  const v = parseInput(ExceptionSchema, input);
  await requirePermission(deps, actor, manage, { type: 'schedule_exception', id: v.date });
  if ((v.start == null) !== (v.end == null)) throw invalid('end: give both start and end, or neither (the whole day)');
  if (v.kind === 'extra' && (v.start == null || v.end == null)) throw invalid('start: extra hours need their times');
  const row = {
    id: newId(),
    resource_id: v.resourceId,
    date: v.date,
    kind: v.kind,
    start_time: v.start ?? null,
    end_time: v.end ?? null,
    slot_minutes: v.slotMinutes ?? null,
    location: v.location ?? null,
    reason: v.reason,
  };
  await repo.insertException(deps.db, row);
  await audited(deps, actor, 'schedule_exception', row.id);
  return row;
}

export const CalendarQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  resourceId: z.string().min(1).max(64).optional(),
  location: z.string().min(1).max(200).optional(),
});

/**
 * The appointments that start in [from, to), of one resource or location when asked (at most 31 days). A restricted
 * record the user has not opened shows its existence and the time it takes (ids, MRN, name), not the type.
 */
export async function listCalendar(
  deps: SchedulingDeps,
  actor: Actor,
  input: z.input<typeof CalendarQuerySchema>,
): Promise<AppointmentView[]> {
  const v = parseInput(CalendarQuerySchema, input);
  if (Date.parse(v.to) - Date.parse(v.from) > 31 * 86_400_000 || Date.parse(v.to) <= Date.parse(v.from))
    throw invalid('to: a calendar spans at most 31 days after from');
  const list = await deps.records.openList(actor, { permission: read, resourceType: 'appointment' });
  const rows = await repo.listAppointments(deps.db, list, {
    from: new Date(v.from).toISOString(),
    to: new Date(v.to).toISOString(),
    resourceId: v.resourceId,
    location: v.location,
  });
  const res = await repo.resourceIdsOf(
    deps.db,
    rows.map((r) => r.id),
  );
  await recordAudit(deps.db, deps.audit, actor, {
    action: 'search',
    resourceType: 'appointment',
    outcome: 'success',
    detail: { resultCount: rows.length, ...(v.resourceId ? { resourceId: v.resourceId } : {}) },
  });
  return rows.map((r) =>
    appointmentView(
      r,
      res.filter((x) => x.appointment_id === r.id).map((x) => x.resource_id),
      list.showsDetails({ patientId: r.patient_id, restricted: r.restricted }),
    ),
  );
}

export const FirstAvailableSchema = z.object({
  typeId: z.string().min(1).max(64),
  from: z.iso.datetime({ offset: true }),
  /** Limit the candidates (e.g. one provider); otherwise every active resource of each kind. */
  resourceIds: z.array(z.string().min(1).max(64)).max(500).optional(),
  horizonDays: z.number().int().min(1).max(366).default(90),
});

/** The earliest slot for an appointment type across the candidate resources (schedule:read; no patient data). */
export async function firstAvailable(deps: SchedulingDeps, actor: Actor, input: z.input<typeof FirstAvailableSchema>) {
  const v = parseInput(FirstAvailableSchema, input);
  await requirePermission(deps, actor, read, { type: 'appointment_type', id: v.typeId });
  const type = await repo.findType(deps.db, v.typeId);
  if (!type) throw notFound('appointment type');
  const kinds = JSON.parse(type.resource_kinds) as string[];
  const resources = await repo.listResources(deps.db, v.resourceIds ? { ids: v.resourceIds } : {});
  const fromMs = Date.parse(v.from);
  const indexes = await loadAvailability(deps.db, resources, fromMs, fromMs + v.horizonDays * 86_400_000);
  const booked = await repo.bookedIntervals(
    deps.db,
    resources.map((r) => r.id),
    new Date(fromMs).toISOString(),
  );
  // One pass over the bookings (in start order), not one per resource: 200 providers x their bookings adds up.
  const bookedOf = new Map<string, { startMs: number; endMs: number }[]>();
  for (const b of booked) {
    const list = bookedOf.get(b.resource_id) ?? [];
    list.push({ startMs: Date.parse(b.start_at), endMs: Date.parse(b.end_at) });
    bookedOf.set(b.resource_id, list);
  }
  const groups = kinds.map((kind) =>
    resources.filter((r) => r.kind === kind).map((r) => ({ index: indexes.get(r.id)!, booked: bookedOf.get(r.id) ?? [] })),
  );
  const found = findFirstAvailable({ durationMinutes: type.duration_minutes, groups, fromMs, horizonDays: v.horizonDays });
  return found
    ? {
        start: new Date(found.startMs).toISOString(),
        end: new Date(found.endMs).toISOString(),
        resourceIds: found.resourceIds,
        location: found.locationId,
      }
    : null;
}

/** A new iCalendar feed token for a resource (the old one stops working); only its SHA-256 is stored. */
export async function issueFeedToken(deps: SchedulingDeps, actor: Actor, resourceId: string): Promise<string> {
  await requirePermission(deps, actor, manage, { type: 'schedule_resource', id: resourceId });
  const token = randomBytes(24).toString('base64url');
  const r = await repo.setFeedTokenHash(deps.db, resourceId, createHash('sha256').update(token).digest('hex'));
  if (Number(r.numUpdatedRows) !== 1) throw notFound('resource');
  await recordAudit(deps.db, deps.audit, actor, { action: 'update', resourceType: 'schedule_feed', resourceId, outcome: 'success' });
  return token;
}

/** The active resources and appointment types, for a calendar's pickers (schedule:read; no patient data). */
export async function listScheduleSetup(deps: SchedulingDeps, actor: Actor) {
  await requirePermission(deps, actor, read, { type: 'schedule_resource' });
  const [resources, types] = await Promise.all([repo.listResources(deps.db), repo.listTypes(deps.db)]);
  return {
    resources: resources.map((r) => ({
      id: r.id,
      kind: r.kind,
      code: r.code,
      name: r.name,
      timeZone: r.time_zone,
      maxOverbook: r.max_overbook,
    })),
    types: types.map((t) => ({
      id: t.id,
      code: t.code,
      name: t.name,
      durationMinutes: t.duration_minutes,
      resourceKinds: JSON.parse(t.resource_kinds) as string[],
      instructions: t.instructions,
      color: t.color,
      surgical: t.surgical === 1,
    })),
  };
}
