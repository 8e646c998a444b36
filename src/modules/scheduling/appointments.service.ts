/**
 * Appointments: book, reschedule, cancel (with a reason), check in, no-show, complete. Each opens the patient's
 * record through the record-access step (schedule:manage) and writes its audit event, its HL7 SIU message (when a
 * destination is configured) and any waitlist offer in the same transaction. Double booking is refused by the
 * rules with a reason, and made impossible by the database: the slots an appointment holds are rows under a
 * primary key (`sched_holds`), so of concurrent bookings of one slot exactly one commits (the others: conflict).
 */
import { z } from 'zod';
import { conflict, DomainError, ErrorCode, invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/shared/ids.js';
import type { Db } from '../../db/database.js';
import type { SchedResourceTable } from '../../db/schema-scheduling.js';
import { Permission, scopeDetail, type Actor, type ListScope, type RecordScope } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { loadAvailability } from './scheduling.availability.js';
import * as repo from './scheduling.repository.js';
import {
  AppointmentStatus,
  checkBooking,
  holdsResources,
  localDates,
  slotsOfDay,
  statusStepProblem,
  waitlistOffer,
  type Booked,
  type WaitlistEntry,
} from './scheduling.rules.js';
import { enqueueSiu, type SiuEvent } from './siu.outbound.js';
import { appointmentView, parseInput, type AppointmentView, type SchedulingDeps } from './scheduling.views.js';

const manage = Permission.scheduleManage;
const Id = z.string().min(1).max(64);

export const BookSchema = z.object({
  patientId: Id,
  typeId: Id,
  resourceIds: z.array(Id).min(1).max(6),
  start: z.iso.datetime({ offset: true }),
  overbook: z.boolean().default(false),
});
export type BookInput = z.input<typeof BookSchema>;

export const RescheduleSchema = z.object({
  start: z.iso.datetime({ offset: true }),
  resourceIds: z.array(Id).min(1).max(6).optional(),
  overbook: z.boolean().default(false),
  version: z.number().int().min(1).optional(),
});
export type RescheduleInput = z.input<typeof RescheduleSchema>;

/** A unique-key violation of either engine (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_*). */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export const slotTaken = () =>
  new DomainError(ErrorCode.conflict, 'resource_taken: another booking took this slot first', {
    conflicts: [{ code: 'resource_taken', resourceId: null, message: 'another booking took this slot first' }],
  });

async function resourcesOf(trx: Db, ids: readonly string[], kinds: readonly string[]): Promise<SchedResourceTable[]> {
  const rows = await repo.listResources(trx, { ids });
  if (rows.length !== new Set(ids).size || rows.length !== ids.length) throw invalid('resourceIds: unknown, inactive or repeated resource');
  const want = [...kinds].sort().join(',');
  const got = rows
    .map((r) => r.kind)
    .sort()
    .join(',');
  if (want !== got) throw invalid(`resourceIds: this appointment type needs one of each of: ${kinds.join(', ')}`);
  return rows;
}

/** Checks the booking against the rules and takes its holds; throws conflict with the reasons. Answers the location. */
async function place(
  trx: Db,
  a: { id: string; patientId: string; startMs: number; endMs: number; overbook: boolean },
  resources: readonly SchedResourceTable[],
): Promise<{ location: string | null; overbooked: boolean }> {
  const from = new Date(a.startMs).toISOString();
  const to = new Date(a.endMs).toISOString();
  const indexes = await loadAvailability(trx, resources, a.startMs, a.endMs);
  const rows = await repo.activeBookings(trx, {
    resourceIds: resources.map((r) => r.id),
    patientId: a.patientId,
    from,
    to,
    exceptId: a.id,
  });
  const byAppt = new Map<string, Booked>();
  for (const r of rows) {
    const b = byAppt.get(r.id) ?? {
      appointmentId: r.id,
      patientId: r.patient_id,
      resourceIds: [],
      startMs: Date.parse(r.start_at),
      endMs: Date.parse(r.end_at),
    };
    if (r.resource_id) (b.resourceIds as string[]).push(r.resource_id);
    byAppt.set(r.id, b);
  }
  const checked = checkBooking({
    patientId: a.patientId,
    startMs: a.startMs,
    endMs: a.endMs,
    overbook: a.overbook,
    existing: [...byAppt.values()],
    resources: resources.map((r) => {
      const index = indexes.get(r.id)!;
      return { resource: index.resource, slots: localDates(a.startMs, a.endMs, r.time_zone).flatMap((d) => slotsOfDay(index, d)) };
    }),
  });
  if (checked.conflicts.length > 0)
    throw new DomainError(ErrorCode.conflict, checked.conflicts.map((c) => `${c.code}: ${c.message}`).join('; '), {
      conflicts: checked.conflicts,
    });
  await repo.insertHolds(
    trx,
    checked.holds.flatMap((h) =>
      h.cellStartsMs.map((c) => ({ resource_id: h.resourceId, cell_start: new Date(c).toISOString(), seq: h.seq, appointment_id: a.id })),
    ),
  );
  const first = resources[0]!;
  const firstSlot = localDates(a.startMs, a.startMs, first.time_zone)
    .flatMap((d) => slotsOfDay(indexes.get(first.id)!, d))
    .find((s) => s.startMs === a.startMs);
  return { location: firstSlot?.locationId ?? null, overbooked: checked.holds.some((h) => h.seq > 0) };
}

/** Runs `work` in a transaction; a unique-key violation (a concurrent booking won the slot) answers conflict. */
async function inBookingTx<T>(deps: SchedulingDeps, work: (trx: Db) => Promise<T>): Promise<T> {
  try {
    return await deps.db.transaction().execute(work);
  } catch (e) {
    if (isUniqueViolation(e)) throw slotTaken();
    throw e;
  }
}

async function viewOf(trx: Db, scope: RecordScope, id: string): Promise<AppointmentView> {
  const row = await repo.findAppointment(trx, scope, id);
  if (!row) throw notFound('appointment');
  const p = await trx
    .selectFrom('patients')
    .select(['mrn', 'family_name', 'given_name', 'restricted', 'email'])
    .where('id', '=', row.patient_id)
    .executeTakeFirstOrThrow();
  const resources = (await repo.resourceIdsOf(trx, [id])).map((r) => r.resource_id);
  return appointmentView({ ...row, ...p }, resources, true);
}

/** Books an appointment of a type with one resource of each kind it needs, at `start`. */
export async function bookAppointment(deps: SchedulingDeps, actor: Actor, input: BookInput): Promise<AppointmentView> {
  const v = parseInput(BookSchema, input);
  const scope = await deps.records.open(
    actor,
    { patientId: v.patientId },
    { permission: manage, mode: 'write', resourceType: 'appointment' },
  );
  if (scope.mergedInto) throw conflict('this record was merged into another: book the surviving record');
  return inBookingTx(deps, (trx) => bookAppointmentInTx(trx, deps, scope, v));
}

/**
 * The booking of bookAppointment in the caller's transaction (the HL7 interface's message transaction), on the
 * scope's record: the same rules, holds, audit event and SIU. `externalId`: the outside system's appointment id
 * (SIU SCH-1). A slot taken by a concurrent booking throws the engine's unique-key violation (see isUniqueViolation).
 */
export async function bookAppointmentInTx(
  trx: Db,
  deps: SchedulingDeps,
  scope: RecordScope,
  input: BookInput,
  opts: { externalId?: string } = {},
): Promise<AppointmentView> {
  const v = parseInput(BookSchema, input);
  const type = await repo.findType(trx, v.typeId);
  if (!type || type.active !== 1) throw invalid('typeId: no such appointment type');
  const resources = await resourcesOf(trx, v.resourceIds, JSON.parse(type.resource_kinds) as string[]);
  const id = newId();
  const startMs = Date.parse(v.start);
  const endMs = startMs + type.duration_minutes * 60_000;
  const now = deps.clock.now().toISOString();
  const placed = await place(trx, { id, patientId: scope.patientId, startMs, endMs, overbook: v.overbook }, resources);
  await repo.insertAppointment(
    trx,
    scope,
    {
      patient_id: scope.patientId,
      id,
      type_id: type.id,
      start_at: new Date(startMs).toISOString(),
      end_at: new Date(endMs).toISOString(),
      status: AppointmentStatus.booked,
      location: placed.location,
      overbooked: placed.overbooked ? 1 : 0,
      cancel_reason: null,
      external_id: opts.externalId ?? null,
      reminder_sent_at: null,
      chart_request_id: null,
      version: 1,
      created_by: scope.actor.userId,
      created_at: now,
      updated_at: now,
    },
    resources.map((r) => r.id),
  );
  await recordAudit(trx, deps.audit, scope.actor, {
    action: 'book',
    resourceType: 'appointment',
    resourceId: id,
    patientId: scope.patientId,
    outcome: 'success',
    detail: scopeDetail(scope, { typeId: type.id, resourceIds: resources.map((r) => r.id), overbooked: placed.overbooked }),
  });
  await enqueueSiu(trx, deps, 'S12', id);
  return viewOf(trx, scope, id);
}

/** Opens the record of an appointment for a change; not found and no access answer the same. */
async function openAppointment(deps: SchedulingDeps, actor: Actor, id: string): Promise<RecordScope> {
  const t = await repo.findAppointmentTarget(deps.db, id);
  if (!t) throw notFound('appointment');
  return deps.records.open(
    actor,
    { patientId: t.patient_id },
    { permission: manage, mode: 'write', resourceType: 'appointment', resourceId: id },
  );
}

const waitlistScope = (deps: SchedulingDeps, actor: Actor) =>
  deps.records.openList(actor, { permission: manage, resourceType: 'waitlist' });

/** Offers a freed slot to the longest-waiting patient it fits (45 CFR 164.506: treatment operations), audited on them. */
async function offerFreedSlot(
  trx: Db,
  deps: SchedulingDeps,
  list: ListScope,
  freed: { typeId: string; resourceIds: string[]; startMs: number; endMs: number; patientId: string },
): Promise<void> {
  const entries: WaitlistEntry[] = (await repo.waitingEntries(trx, list, freed.typeId)).map((e) => ({
    id: e.id,
    patientId: e.patient_id,
    typeId: e.type_id,
    resourceId: e.resource_id,
    earliestMs: Date.parse(e.earliest_at),
    latestMs: Date.parse(e.latest_at),
    createdAt: e.created_at,
    status: e.status as WaitlistEntry['status'],
  }));
  const offer = waitlistOffer(freed, entries);
  if (!offer) return;
  await repo.markOffered(trx, list, offer.id, new Date(freed.startMs).toISOString(), freed.resourceIds);
  await recordAudit(trx, deps.audit, list.actor, {
    action: 'offer',
    resourceType: 'waitlist',
    resourceId: offer.id,
    patientId: offer.patientId,
    outcome: 'success',
    detail: { start: new Date(freed.startMs).toISOString(), resourceIds: freed.resourceIds },
  });
}

/** Moves an appointment to another start (and resources); the freed slot is offered to the waitlist. */
export async function rescheduleAppointment(
  deps: SchedulingDeps,
  actor: Actor,
  id: string,
  input: RescheduleInput,
): Promise<AppointmentView> {
  const v = parseInput(RescheduleSchema, input);
  const scope = await openAppointment(deps, actor, id);
  const list = await waitlistScope(deps, actor);
  return inBookingTx(deps, (trx) => rescheduleAppointmentInTx(trx, deps, scope, list, id, v));
}

/** The move of rescheduleAppointment in the caller's transaction (see bookAppointmentInTx). */
export async function rescheduleAppointmentInTx(
  trx: Db,
  deps: SchedulingDeps,
  scope: RecordScope,
  list: ListScope,
  id: string,
  input: RescheduleInput,
): Promise<AppointmentView> {
  const v = parseInput(RescheduleSchema, input);
  const row = await repo.findAppointment(trx, scope, id);
  if (!row) throw notFound('appointment');
  if (row.status !== AppointmentStatus.booked) throw conflict(`an appointment that is ${row.status} cannot be rescheduled`);
  if (v.version !== undefined && v.version !== row.version) throw conflict('the appointment changed since it was read: reload it');
  const type = (await repo.findType(trx, row.type_id))!;
  const oldResourceIds = (await repo.resourceIdsOf(trx, [id])).map((r) => r.resource_id);
  const resources = await resourcesOf(trx, v.resourceIds ?? oldResourceIds, JSON.parse(type.resource_kinds) as string[]);
  const startMs = Date.parse(v.start);
  const endMs = startMs + type.duration_minutes * 60_000;
  await repo.releaseHolds(trx, id);
  const placed = await place(trx, { id, patientId: row.patient_id, startMs, endMs, overbook: v.overbook }, resources);
  const updated = await repo.updateAppointment(trx, scope, id, row.version, {
    start_at: new Date(startMs).toISOString(),
    end_at: new Date(endMs).toISOString(),
    location: placed.location,
    overbooked: placed.overbooked ? 1 : 0,
    reminder_sent_at: null,
    updated_at: deps.clock.now().toISOString(),
  });
  if (!updated) throw conflict('the appointment changed since it was read: reload it');
  await repo.replaceAppointmentResources(
    trx,
    id,
    resources.map((r) => r.id),
    new Date(startMs).toISOString(),
  );
  await recordAudit(trx, deps.audit, scope.actor, {
    action: 'reschedule',
    resourceType: 'appointment',
    resourceId: id,
    patientId: row.patient_id,
    outcome: 'success',
    detail: scopeDetail(scope, { from: row.start_at, to: new Date(startMs).toISOString(), resourceIds: resources.map((r) => r.id) }),
  });
  await enqueueSiu(trx, deps, 'S13', id);
  await offerFreedSlot(trx, deps, list, {
    typeId: row.type_id,
    resourceIds: oldResourceIds,
    startMs: Date.parse(row.start_at),
    endMs: Date.parse(row.end_at),
    patientId: row.patient_id,
  });
  return viewOf(trx, scope, id);
}

const StatusSchema = z.object({ reason: z.string().trim().min(3).max(500).optional() });

const statusEvents: Partial<Record<AppointmentStatus, { action: 'cancel' | 'check_in' | 'no_show' | 'update' | 'delete'; siu: SiuEvent }>> =
  {
    cancelled: { action: 'cancel', siu: 'S15' },
    deleted: { action: 'delete', siu: 'S17' },
    checked_in: { action: 'check_in', siu: 'S14' },
    no_show: { action: 'no_show', siu: 'S26' },
    completed: { action: 'update', siu: 'S14' },
  };

/**
 * Moves an appointment to a status: cancelled (a reason is required), checked_in, no_show, completed. A
 * cancellation or no-show releases the slots; a cancelled slot is offered to the waitlist.
 */
export async function setAppointmentStatus(
  deps: SchedulingDeps,
  actor: Actor,
  id: string,
  to: AppointmentStatus,
  input: { reason?: string | undefined } = {},
): Promise<AppointmentView> {
  statusStep(to, input);
  const scope = await openAppointment(deps, actor, id);
  const list = await waitlistScope(deps, actor);
  const view = await deps.db.transaction().execute((trx) => setAppointmentStatusInTx(trx, deps, scope, list, id, to, input));
  if (deps.afterStatusChange) await deps.afterStatusChange(view);
  return view;
}

/** The step's audit action and SIU event; refuses a status that is not a step, and a cancellation without a reason. */
function statusStep(to: AppointmentStatus, input: { reason?: string | undefined }) {
  const v = parseInput(StatusSchema, input);
  if (to === AppointmentStatus.cancelled && !v.reason) throw invalid('reason: say why the appointment is cancelled');
  if (to === AppointmentStatus.deleted && !v.reason) throw invalid('reason: say why the appointment was booked in error');
  const event = statusEvents[to];
  if (!event) throw invalid(`status: ${to} is not a step`);
  return { event, reason: v.reason };
}

/** The step of setAppointmentStatus in the caller's transaction (see bookAppointmentInTx). */
export async function setAppointmentStatusInTx(
  trx: Db,
  deps: SchedulingDeps,
  scope: RecordScope,
  list: ListScope,
  id: string,
  to: AppointmentStatus,
  input: { reason?: string | undefined } = {},
): Promise<AppointmentView> {
  const { event, reason } = statusStep(to, input);
  const row = await repo.findAppointment(trx, scope, id);
  if (!row) throw notFound('appointment');
  const problem = statusStepProblem(row.status, to);
  if (problem) throw conflict(problem);
  const ok = await repo.updateAppointment(trx, scope, id, row.version, {
    status: to,
    ...(to === AppointmentStatus.cancelled || to === AppointmentStatus.deleted ? { cancel_reason: reason ?? null } : {}),
    updated_at: deps.clock.now().toISOString(),
  });
  if (!ok) throw conflict('the appointment changed since it was read: reload it');
  if (!holdsResources(to)) await repo.releaseHolds(trx, id);
  await recordAudit(trx, deps.audit, scope.actor, {
    action: event.action,
    resourceType: 'appointment',
    resourceId: id,
    patientId: row.patient_id,
    outcome: 'success',
    detail: scopeDetail(scope, { from: row.status, to }),
  });
  await enqueueSiu(trx, deps, event.siu, id);
  if (to === AppointmentStatus.cancelled || to === AppointmentStatus.deleted)
    await offerFreedSlot(trx, deps, list, {
      typeId: row.type_id,
      resourceIds: (await repo.resourceIdsOf(trx, [id])).map((r) => r.resource_id),
      startMs: Date.parse(row.start_at),
      endMs: Date.parse(row.end_at),
      patientId: row.patient_id,
    });
  return viewOf(trx, scope, id);
}
