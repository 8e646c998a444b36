/**
 * Per-user notifications (a query was sent, answered, escalated). Stored messages carry no PHI (ids and account
 * numbers); the list names the patient when it is read.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Db } from '../../db/database.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { notFound } from '../../core/errors.js';
import { anyOf, Permission, roleMeets, type Actor, type RecordAccess } from '../access/index.js';
import * as repo from './queries.repository.js';

export interface NotificationView {
  id: string;
  kind: string;
  patientId: string | null;
  encounterId: string | null;
  resourceId: string | null;
  message: string;
  /** "FAMILY, Given" of the patient, MRN and account (null without a patient or for an unnamed list). */
  patientName: string | null;
  mrn: string | null;
  accountNumber: string | null;
  createdAt: string;
  readAt: string | null;
}

export async function notify(
  db: Db,
  clock: Clock,
  n: { userId: string; kind: string; patientId?: string | null; encounterId?: string | null; resourceId?: string | null; message: string },
): Promise<void> {
  await repo.insertNotification(db, {
    id: newId(),
    user_id: n.userId,
    kind: n.kind,
    patient_id: n.patientId ?? null,
    encounter_id: n.encounterId ?? null,
    resource_id: n.resourceId ?? null,
    message: n.message,
    created_at: isoNow(clock),
    read_at: null,
  });
}

/**
 * The signed-in user's notifications, unread first, newest first, each naming the patient (name, MRN) and the
 * account it is about: read at listing time through the record-access step, never stored in the message.
 */
export async function listNotifications(
  deps: { db: Kysely<Database>; records: RecordAccess },
  actor: Actor,
  opts: { unreadOnly?: boolean } = {},
): Promise<NotificationView[]> {
  const unreadOnly = opts.unreadOnly === true;
  // Those who receive notifications write or answer queries; anyone else (an administrator) gets them unnamed.
  const named = roleMeets(actor.role, NOTIFIED);
  const rows = named
    ? await repo.listNotificationsNamed(
        deps.db,
        await deps.records.openList(actor, { permission: NOTIFIED, resourceType: 'notification' }),
        actor.userId,
        unreadOnly,
      )
    : (await repo.listNotificationsOf(deps.db, actor.userId, unreadOnly)).map((r) => ({
        ...r,
        family_name: null,
        given_name: null,
        mrn: null,
        account_number: null,
      }));
  return rows
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      patientId: r.patient_id,
      encounterId: r.encounter_id,
      resourceId: r.resource_id,
      message: r.message,
      patientName: r.family_name ? `${r.family_name}, ${r.given_name ?? ''}`.trim() : null,
      mrn: r.mrn,
      accountNumber: r.account_number,
      createdAt: r.created_at,
      readAt: r.read_at,
    }))
    .sort((a, b) => Number(a.readAt !== null) - Number(b.readAt !== null));
}

const NOTIFIED = anyOf(Permission.queryWrite, Permission.queryAnswer);

export async function markNotificationRead(deps: { db: Kysely<Database>; clock: Clock }, actor: Actor, id: string): Promise<void> {
  if (
    !(await repo.markNotificationRead(deps.db, actor.userId, id, isoNow(deps.clock))) &&
    !(await repo.notificationExists(deps.db, actor.userId, id))
  )
    throw notFound('notification');
}
