/** SQL of physician queries (table `physician_queries`) and notifications (table `notifications`), owned by this module. */
import type { Db } from '../../db/database.js';
import type { NotificationTable, PhysicianQueryTable } from '../../db/schema.js';
import type { ListScope, RecordScope } from '../access/index.js';

export async function insertQuery(db: Db, row: PhysicianQueryTable): Promise<void> {
  await db.insertInto('physician_queries').values(row).execute();
}

/** Open and escalated queries of every patient, for aging (the system's list). */
export async function listPendingQueries(db: Db, _list: ListScope, statuses: readonly string[]) {
  return db
    .selectFrom('physician_queries')
    .select(['id', 'status', 'sent_at', 'author_id', 'patient_id', 'encounter_id'])
    .where('status', 'in', [...statuses])
    .execute();
}

/** Moves a query from one status to the next, only if no one moved it meanwhile. */
export async function advanceQueryStatus(
  db: Db,
  _list: ListScope,
  q: { id: string; patientId: string; from: string },
  set: Partial<PhysicianQueryTable>,
): Promise<void> {
  await db
    .updateTable('physician_queries')
    .set(set)
    .where('patient_id', '=', q.patientId)
    .where('id', '=', q.id)
    .where('status', '=', q.from)
    .execute();
}

/** Open or escalated queries of an opened encounter (they hold its final coding). */
export async function countPendingQueries(db: Db, scope: RecordScope): Promise<number> {
  if (!scope.encounterId) throw new Error('queries open records by encounter');
  const r = await db
    .selectFrom('physician_queries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', scope.encounterId)
    .where('status', 'in', ['open', 'escalated'])
    .executeTakeFirstOrThrow();
  return r.n;
}

/** The statuses of the queries of these encounters (the coding worklist's query column). */
export async function queryStatusesOf(db: Db, _list: ListScope, encounterIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < encounterIds.length; i += 500) {
    const chunk = encounterIds.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db.selectFrom('physician_queries').select(['encounter_id', 'status']).where('encounter_id', 'in', chunk).execute();
    for (const r of rows) out.set(r.encounter_id, [...(out.get(r.encounter_id) ?? []), r.status]);
  }
  return out;
}

/**
 * Queries answered in the range (ISO bounds, inclusive) on encounters now final-coded, with the DRG when each was sent
 * and the final DRG (coding's quality report: DRG change after query). Reads coding_abstracts in the join.
 */
export async function listAnsweredQueriesOfFinalCoded(
  db: Db,
  range: { from: string; to: string },
): Promise<
  { author_id: string; encounter_id: string; drg_at_send: string | null; answered_at: string | null; final_drg: string | null }[]
> {
  // drg_at_send is null when the coder sent the query before saving any codes: the report then looks for the DRG
  // of a version saved before the answer.
  return db
    .selectFrom('physician_queries as q')
    .innerJoin('coding_abstracts as a', 'a.encounter_id', 'q.encounter_id')
    .select(['q.author_id', 'q.encounter_id', 'q.drg_at_send', 'q.answered_at', 'a.final_drg'])
    .where('q.status', '=', 'answered')
    .where('a.status', '=', 'final')
    .where('q.answered_at', '>=', range.from)
    .where('q.answered_at', '<=', range.to)
    .execute();
}

/** Queries sent in the range (ISO bounds, inclusive) with the physician's and the author's names (the query report). */
export async function listQueriesSentBetween(db: Db, range: { from: string; to: string }) {
  return db
    .selectFrom('physician_queries as q')
    .innerJoin('providers as p', 'p.id', 'q.provider_id')
    .leftJoin('users as u', 'u.id', 'q.author_id')
    .select([
      'q.status',
      'q.sent_at',
      'q.answered_at',
      'q.agreed',
      'q.type',
      'q.provider_id',
      'q.author_id',
      'p.given_name',
      'p.family_name',
      'u.display_name',
    ])
    .where('q.sent_at', '>=', range.from)
    .where('q.sent_at', '<=', range.to)
    .execute();
}

/** The queries of an opened encounter, newest first. */
export async function listQueriesOfEncounter(db: Db, scope: RecordScope): Promise<PhysicianQueryTable[]> {
  if (!scope.encounterId) throw new Error('queries open records by encounter');
  return db
    .selectFrom('physician_queries')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', scope.encounterId)
    .orderBy('sent_at', 'desc')
    .execute();
}

/** A physician's queries (the inbox), oldest first, with whether each record is restricted. */
export async function listQueriesOfProvider(
  db: Db,
  _list: ListScope,
  providerId: string,
  status: string | undefined,
  limit: number,
): Promise<(PhysicianQueryTable & { restricted: number })[]> {
  let q = db
    .selectFrom('physician_queries as q')
    .innerJoin('patients as p', 'p.id', 'q.patient_id')
    .selectAll('q')
    .select('p.restricted')
    .where('q.provider_id', '=', providerId);
  if (status) q = q.where('q.status', '=', status);
  return q.orderBy('q.sent_at').limit(limit).execute();
}

/** The encounter a physician's query is about (ids only), for opening the record; another physician's is not found. */
export async function findQueryTarget(db: Db, queryId: string, providerId: string): Promise<{ encounter_id: string } | undefined> {
  return db
    .selectFrom('physician_queries')
    .select('encounter_id')
    .where('id', '=', queryId)
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
}

export async function findQuery(db: Db, scope: RecordScope, queryId: string): Promise<PhysicianQueryTable | undefined> {
  return db
    .selectFrom('physician_queries')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', queryId)
    .executeTakeFirst();
}

export async function updateQuery(db: Db, scope: RecordScope, queryId: string, set: Partial<PhysicianQueryTable>): Promise<void> {
  await db.updateTable('physician_queries').set(set).where('patient_id', '=', scope.patientId).where('id', '=', queryId).execute();
}

/** Display names of providers and users, and the account and name of encounters, for query views (read-only joins). */
export async function providerNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('providers').select(['id', 'given_name', 'family_name', 'credentials']).where('id', 'in', ids).execute();
  return new Map(rows.map((p) => [p.id, `${p.given_name} ${p.family_name}${p.credentials ? `, ${p.credentials}` : ''}`]));
}

export async function userDisplayNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((u) => [u.id, u.display_name]));
}

export async function encounterLabels(
  db: Db,
  ids: string[],
): Promise<Map<string, { account_number: string; family_name: string; given_name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('encounters as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .select(['e.id', 'e.account_number', 'p.family_name', 'p.given_name'])
    .where('e.id', 'in', ids)
    .execute();
  return new Map(rows.map((e) => [e.id, e]));
}

export async function providerExists(db: Db, providerId: string): Promise<boolean> {
  return (await db.selectFrom('providers').select('id').where('id', '=', providerId).executeTakeFirst()) !== undefined;
}

/** Active users who are the given physician (they get the query in their inbox). */
export async function usersOfProvider(db: Db, providerId: string): Promise<string[]> {
  return (await db.selectFrom('users').select('id').where('provider_id', '=', providerId).where('disabled', '=', 0).execute()).map(
    (u) => u.id,
  );
}

/** The physician (provider) a user is, if any. */
export async function providerOfUser(db: Db, userId: string): Promise<string | null> {
  return (await db.selectFrom('users').select('provider_id').where('id', '=', userId).executeTakeFirst())?.provider_id ?? null;
}

export async function insertNotification(db: Db, row: NotificationTable): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

export async function listNotificationsOf(db: Db, userId: string, unreadOnly: boolean): Promise<NotificationTable[]> {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (unreadOnly) q = q.where('read_at', 'is', null);
  return q.orderBy('created_at', 'desc').limit(200).execute();
}

/** Marks one of the user's notifications read; false when it is not the user's, or already read. */
export async function markNotificationRead(db: Db, userId: string, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function notificationExists(db: Db, userId: string, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('notifications').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()) !== undefined
  );
}

/** This module's tables of one patient's rows: each row belongs to an encounter and follows it in an MPI merge. */
export const QUERIES_PATIENT_TABLES = ['physician_queries', 'notifications'] as const;

/** Moves the rows of encounters that moved from record `from` to record `to` (each encounter's id before and after). */
export async function moveEncounterRows(
  db: Db,
  from: RecordScope,
  to: RecordScope,
  encounters: readonly { from: string; to: string }[],
): Promise<void> {
  for (const e of encounters) {
    for (const table of QUERIES_PATIENT_TABLES) {
      await db
        .updateTable(table)
        .set({ patient_id: to.patientId, encounter_id: e.to })
        .where('patient_id', '=', from.patientId)
        .where('encounter_id', '=', e.from)
        .execute();
    }
  }
}

/**
 * The user's notifications with the patient's name and MRN and the encounter's account (what a list shows of any
 * record, restricted ones included), unread first is left to the caller.
 */
export async function listNotificationsNamed(db: Db, _list: ListScope, userId: string, unreadOnly: boolean) {
  let q = db
    .selectFrom('notifications as n')
    .leftJoin('patients as p', 'p.id', 'n.patient_id')
    .leftJoin('encounters as e', 'e.id', 'n.encounter_id')
    .selectAll('n')
    .select(['p.family_name', 'p.given_name', 'p.mrn', 'e.account_number'])
    .where('n.user_id', '=', userId);
  if (unreadOnly) q = q.where('n.read_at', 'is', null);
  return q.orderBy('n.created_at', 'desc').limit(200).execute();
}

/** Open and escalated queries with their physician's name (the director's aging view; counts only leave the module). */
export async function listPendingQueriesByPhysician(db: Db) {
  return db
    .selectFrom('physician_queries as q')
    .innerJoin('providers as p', 'p.id', 'q.provider_id')
    .select(['q.status', 'q.sent_at', 'q.provider_id', 'p.given_name', 'p.family_name', 'p.credentials'])
    .where('q.status', 'in', ['open', 'escalated'])
    .execute();
}
