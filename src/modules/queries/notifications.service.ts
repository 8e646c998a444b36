/** Per-user notifications (a query was sent, answered, escalated). Messages carry no PHI: ids and account numbers. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Db } from '../../db/database.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { notFound } from '../../core/errors.js';
import type { Actor } from '../access/index.js';
import * as repo from './queries.repository.js';

export interface NotificationView {
  id: string;
  kind: string;
  patientId: string | null;
  encounterId: string | null;
  resourceId: string | null;
  message: string;
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

/** The signed-in user's notifications, unread first, newest first. */
export async function listNotifications(
  deps: { db: Kysely<Database> },
  actor: Actor,
  opts: { unreadOnly?: boolean } = {},
): Promise<NotificationView[]> {
  const rows = await repo.listNotificationsOf(deps.db, actor.userId, opts.unreadOnly === true);
  return rows
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      patientId: r.patient_id,
      encounterId: r.encounter_id,
      resourceId: r.resource_id,
      message: r.message,
      createdAt: r.created_at,
      readAt: r.read_at,
    }))
    .sort((a, b) => Number(a.readAt !== null) - Number(b.readAt !== null));
}

export async function markNotificationRead(deps: { db: Kysely<Database>; clock: Clock }, actor: Actor, id: string): Promise<void> {
  if (
    !(await repo.markNotificationRead(deps.db, actor.userId, id, isoNow(deps.clock))) &&
    !(await repo.notificationExists(deps.db, actor.userId, id))
  )
    throw notFound('notification');
}
