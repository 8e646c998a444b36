/** SQL of roi_deliveries (this module owns it): a released packet's secure links, mailings and pick-ups. */
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { RoiDeliveryTable } from '../../db/schema-roi.js';
import type { RecordScope } from '../access/index.js';

export async function insertDelivery(db: Db, _scope: RecordScope, row: RoiDeliveryTable): Promise<void> {
  await db.insertInto('roi_deliveries').values(row).execute();
}

export async function listDeliveries(db: Db, scope: RecordScope, requestId: string): Promise<RoiDeliveryTable[]> {
  return db
    .selectFrom('roi_deliveries')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('request_id', '=', requestId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The link whose token hashes to `tokenSha256` (ids only are used before the record is opened). */
export async function findByToken(db: Db, tokenSha256: string): Promise<RoiDeliveryTable | undefined> {
  return db.selectFrom('roi_deliveries').selectAll().where('token_sha256', '=', tokenSha256).executeTakeFirst();
}

/** Uses up one attempt (never below zero) and answers how many are left. */
export async function useAttempt(db: Db, scope: RecordScope, id: string): Promise<number> {
  await db
    .updateTable('roi_deliveries')
    .set({ attempts_left: sql<number>`attempts_left - 1` })
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', id)
    .where('attempts_left', '>', 0)
    .execute();
  const r = await db
    .selectFrom('roi_deliveries')
    .select('attempts_left')
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r?.attempts_left ?? 0;
}

export async function countDownload(db: Db, scope: RecordScope, id: string, at: string): Promise<void> {
  await db
    .updateTable('roi_deliveries')
    .set({ downloads: sql<number>`downloads + 1`, last_download_at: at })
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', id)
    .execute();
}
