/**
 * Outbound SIU: each appointment change writes its message to `sched_hl7_outbox` in the change's transaction (the
 * outbound message log), and `deliverSiuOutbox` sends what is due to the configured MLLP destination with the shared
 * HL7 outbox loop (`deliverHl7Outbox` in src/core/hl7: in order, ACK judged, back-off, failed after MAX_ATTEMPTS).
 */
import { deliverHl7Outbox, sendMllp } from '../../core/hl7/index.js';
import { newId } from '../../core/shared/ids.js';
import type { Db } from '../../db/database.js';
import * as repo from './scheduling.repository.js';
import { buildSiu, type SiuEvent } from './siu.rules.js';
import type { SchedulingDeps } from './scheduling.views.js';

export type { SiuEvent } from './siu.rules.js';
export const MAX_ATTEMPTS = 10;

/** Logs the SIU message of an appointment change (when a destination is configured), in the caller's transaction. */
export async function enqueueSiu(
  trx: Db,
  deps: Pick<SchedulingDeps, 'siu' | 'clock'>,
  event: SiuEvent,
  appointmentId: string,
): Promise<void> {
  if (!deps.siu) return;
  const a = await trx
    .selectFrom('sched_appointments as a')
    .innerJoin('patients as p', 'p.id', 'a.patient_id')
    .innerJoin('sched_appointment_types as t', 't.id', 'a.type_id')
    .select(['a.id', 'a.external_id', 'a.start_at', 'a.end_at', 'a.status', 'a.location', 'a.cancel_reason', 't.code', 't.name'])
    .select(['p.mrn', 'p.family_name', 'p.given_name', 'p.date_of_birth', 'p.sex'])
    .where('a.id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  const resources = await trx
    .selectFrom('sched_appointment_resources as ar')
    .innerJoin('sched_resources as r', 'r.id', 'ar.resource_id')
    .select(['r.code', 'r.name', 'r.kind'])
    .where('ar.appointment_id', '=', appointmentId)
    .orderBy('r.kind')
    .execute();
  const now = deps.clock.now();
  const controlId = newId().replace(/-/g, '').slice(0, 20);
  const message = buildSiu(
    event,
    {
      id: a.id,
      externalId: a.external_id,
      start: a.start_at,
      end: a.end_at,
      status: a.status,
      typeCode: a.code,
      typeName: a.name,
      location: a.location,
      cancelReason: a.cancel_reason,
      patient: { mrn: a.mrn, familyName: a.family_name, givenName: a.given_name, dateOfBirth: a.date_of_birth, sex: a.sex },
      resources,
    },
    { controlId, sendingApplication: deps.siu.sendingApplication, sendingFacility: deps.siu.sendingFacility, at: now },
  );
  await repo.insertOutbox(trx, {
    id: newId(),
    appointment_id: appointmentId,
    event,
    control_id: controlId,
    message,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now.toISOString(),
    last_error: null,
    ack_code: null,
    created_at: now.toISOString(),
    sent_at: null,
  });
}

export interface DeliveryResult {
  id: string;
  event: string;
  outcome: 'sent' | 'retry' | 'failed';
  ack: string | null;
  error: string | null;
}

/** Sends every due message of the log, oldest first; each reports its own outcome and the next goes on. */
export async function deliverSiuOutbox(deps: Pick<SchedulingDeps, 'db' | 'clock' | 'siu'>, limit = 100): Promise<DeliveryResult[]> {
  const dest = deps.siu;
  if (!dest) return [];
  const outcomes = await deliverHl7Outbox({
    pending: () => repo.pendingOutbox(deps.db, limit),
    update: async (id, patch) => {
      await repo.updateOutbox(deps.db, id, patch);
    },
    send: (message) => sendMllp(dest, message),
    now: () => deps.clock.now(),
    maxAttempts: MAX_ATTEMPTS,
  });
  return outcomes.map((o) => ({ id: o.row.id, event: o.row.event, outcome: o.outcome, ack: o.ack, error: o.error }));
}
