/** Per-user notifications (a query was sent, answered, escalated). Messages carry no PHI: ids and account numbers. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Db } from '../../db/database.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { notFound } from '../../core/errors.js';
import type { Actor } from '../access/index.js';

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

export async function notify(db: Db, clock: Clock, n: { userId: string; kind: string; patientId?: string | null; encounterId?: string | null; resourceId?: string | null; message: string }): Promise<void> {
  await db.insertInto('notifications').values({ id: newId(), user_id: n.userId, kind: n.kind, patient_id: n.patientId ?? null, encounter_id: n.encounterId ?? null, resource_id: n.resourceId ?? null, message: n.message, created_at: isoNow(clock), read_at: null }).execute();
}

/** The signed-in user's notifications, unread first, newest first. */
export async function listNotifications(deps: { db: Kysely<Database> }, actor: Actor, opts: { unreadOnly?: boolean } = {}): Promise<NotificationView[]> {
  let q = deps.db.selectFrom('notifications').selectAll().where('user_id', '=', actor.userId);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  const rows = await q.orderBy('created_at', 'desc').limit(200).execute();
  return rows
    .map((r) => ({ id: r.id, kind: r.kind, patientId: r.patient_id, encounterId: r.encounter_id, resourceId: r.resource_id, message: r.message, createdAt: r.created_at, readAt: r.read_at }))
    .sort((a, b) => Number(a.readAt !== null) - Number(b.readAt !== null));
}

export async function markNotificationRead(deps: { db: Kysely<Database>; clock: Clock }, actor: Actor, id: string): Promise<void> {
  const r = await deps.db.updateTable('notifications').set({ read_at: isoNow(deps.clock) }).where('id', '=', id).where('user_id', '=', actor.userId).where('read_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) {
    const exists = await deps.db.selectFrom('notifications').select('id').where('id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst();
    if (!exists) throw notFound('notification');
  }
}
