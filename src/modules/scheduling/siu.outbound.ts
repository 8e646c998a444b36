/**
 * Outbound SIU: each appointment change writes its message to `sched_hl7_outbox` in the change's transaction (the
 * outbound message log), and `deliverSiuOutbox` sends what is due to the configured MLLP destination, in order,
 * waiting for each ACK. AA/CA marks it sent; anything else (AE/AR, no answer, no connection) is retried with
 * back-off (1, 2, 4 ... minutes, at most an hour) and marked failed after MAX_ATTEMPTS.
 */
import net from 'node:net';
import { MllpDecoder, encodeMllp, parseMessage } from '../../core/hl7/index.js';
import { newId } from '../../core/shared/ids.js';
import type { Db } from '../../db/database.js';
import * as repo from './scheduling.repository.js';
import { buildSiu, type SiuEvent } from './siu.rules.js';
import type { SchedulingDeps, SiuDestination } from './scheduling.views.js';

export type { SiuEvent } from './siu.rules.js';
export const MAX_ATTEMPTS = 10;
/** How long to wait for an ACK before the attempt counts as failed. */
const ACK_TIMEOUT_MS = 10_000;

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

/** Sends one message over MLLP and answers the ACK's MSA-1 code (AA, AE, AR, CA ...). */
export function sendMllp(dest: Pick<SiuDestination, 'host' | 'port'>, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: dest.host, port: dest.port });
    const decoder = new MllpDecoder();
    socket.setTimeout(ACK_TIMEOUT_MS, () => socket.destroy(new Error('no ACK within the time allowed')));
    socket.on('connect', () => socket.write(encodeMllp(message)));
    socket.on('data', (chunk) => {
      const frame = decoder.push(chunk)[0];
      if (!frame) return;
      socket.end();
      if (!frame.ok) {
        reject(new Error(`unreadable ACK: ${frame.reason}`));
        return;
      }
      try {
        resolve(parseMessage(frame.message).get('MSA-1'));
      } catch {
        reject(new Error('unreadable ACK'));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('connection closed before an ACK')));
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
  if (!deps.siu) return [];
  const results: DeliveryResult[] = [];
  for (const row of await repo.pendingOutbox(deps.db, limit)) {
    // Messages of one destination go in order: one waiting for its retry holds back those after it.
    if (row.next_attempt_at > deps.clock.now().toISOString()) break;
    const attempts = row.attempts + 1;
    let ack: string | null = null;
    let error: string | null = null;
    try {
      ack = await sendMllp(deps.siu, row.message);
      if (ack !== 'AA' && ack !== 'CA') error = `destination answered ${ack || 'no MSA-1'}`;
    } catch (e) {
      error = e instanceof Error ? e.message : 'send failed';
    }
    const now = deps.clock.now();
    if (!error) {
      await repo.updateOutbox(deps.db, row.id, { status: 'sent', attempts, ack_code: ack, sent_at: now.toISOString(), last_error: null });
      results.push({ id: row.id, event: row.event, outcome: 'sent', ack, error: null });
      continue;
    }
    const failed = attempts >= MAX_ATTEMPTS;
    const backoffMs = Math.min(60, 2 ** (attempts - 1)) * 60_000;
    await repo.updateOutbox(deps.db, row.id, {
      status: failed ? 'failed' : 'pending',
      attempts,
      ack_code: ack,
      last_error: error,
      next_attempt_at: new Date(now.getTime() + backoffMs).toISOString(),
    });
    results.push({ id: row.id, event: row.event, outcome: failed ? 'failed' : 'retry', ack, error });
    break;
  }
  return results;
}
