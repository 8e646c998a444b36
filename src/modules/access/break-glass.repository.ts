/** SQL of break-the-glass grants (table `break_glass`, owned by the access module). */
import type { Db } from '../../db/database.js';
import type { BreakGlassTable } from '../../db/schema.js';

/** The id of the user's unexpired grant for the patient, if any. */
export async function findActiveGrant(db: Db, userId: string, patientId: string, nowIso: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('break_glass')
    .select('id')
    .where('patient_id', '=', patientId)
    .where('user_id', '=', userId)
    .where('expires_at', '>', nowIso)
    .orderBy('expires_at', 'desc')
    .executeTakeFirst();
  return row?.id;
}

/** The patients for which the user holds an unexpired grant (a handful at most). */
export async function listActiveGrantPatients(db: Db, userId: string, nowIso: string): Promise<string[]> {
  const rows = await db
    .selectFrom('break_glass')
    .select('patient_id')
    .where('user_id', '=', userId)
    .where('expires_at', '>', nowIso)
    .execute();
  return rows.map((r) => r.patient_id);
}

export async function insertGrant(db: Db, row: BreakGlassTable): Promise<void> {
  await db.insertInto('break_glass').values(row).execute();
}

export interface GrantRow {
  id: string;
  patient_id: string;
  mrn: string;
  user_id: string;
  username: string;
  reason: string;
  granted_at: string;
  expires_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
}

/**
 * Grants for review, newest first, with the MRN and the username for display (read-only joins of the patients and
 * users tables, whose modules own their writes).
 */
export async function listGrants(db: Db, opts: { unreviewedOnly: boolean; limit: number }): Promise<GrantRow[]> {
  let q = db
    .selectFrom('break_glass as b')
    .innerJoin('patients as p', 'p.id', 'b.patient_id')
    .innerJoin('users as u', 'u.id', 'b.user_id')
    .select([
      'b.id',
      'b.patient_id',
      'p.mrn',
      'b.user_id',
      'u.username',
      'b.reason',
      'b.granted_at',
      'b.expires_at',
      'b.reviewed_by',
      'b.reviewed_at',
      'b.review_note',
    ]);
  if (opts.unreviewedOnly) q = q.where('b.reviewed_at', 'is', null);
  return q.orderBy('b.granted_at', 'desc').limit(opts.limit).execute();
}

export async function findGrant(db: Db, grantId: string): Promise<{ id: string; patient_id: string } | undefined> {
  return db.selectFrom('break_glass').select(['patient_id', 'id']).where('id', '=', grantId).executeTakeFirst();
}

export async function markGrantReviewed(
  db: Db,
  g: { patient_id: string; id: string },
  review: { reviewed_by: string; reviewed_at: string; review_note: string | null },
): Promise<void> {
  await db.updateTable('break_glass').set(review).where('patient_id', '=', g.patient_id).where('id', '=', g.id).execute();
}
