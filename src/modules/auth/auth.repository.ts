import { sql, type Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, SessionTable, UserTable } from '../../db/schema.js';

/**
 * SQL for users and sessions. Every function takes the database or an open transaction first.
 * `users.totp_last_step` comes from migration 0002-auth; until src/db/schema.ts lists it, this file widens the
 * table type locally.
 */
export interface UserRow extends UserTable {
  totp_last_step: number | null;
}
export type SessionRow = SessionTable;

function withAuthColumns(db: Db) {
  // A Transaction is a Kysely, so the upcast is safe; withTables only widens the compile-time table types.
  return (db as Kysely<Database>).withTables<{ users: { totp_last_step: number | null } }>();
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return withAuthColumns(db).selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return withAuthColumns(db).selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  return withAuthColumns(db).selectFrom('users').selectAll().orderBy('username').execute();
}

export async function insertUser(db: Db, row: UserRow): Promise<void> {
  await withAuthColumns(db).insertInto('users').values(row).execute();
}

export async function providerExists(db: Db, providerId: string): Promise<boolean> {
  return (await db.selectFrom('providers').select('id').where('id', '=', providerId).executeTakeFirst()) !== undefined;
}

export async function countActiveAdministrators(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'administrator')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return r.n;
}

/** How many users there are (none: a new database, which the demo seed may fill). */
export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The first user created with a role (ids only). */
export async function findFirstUserOfRole(db: Db, role: string): Promise<{ id: string; username: string } | undefined> {
  return db.selectFrom('users').select(['id', 'username']).where('role', '=', role).orderBy('created_at').executeTakeFirst();
}

/** Updates some columns of one user (and updated_at); answers whether the user exists. */
export async function updateUser(
  db: Db,
  id: string,
  patch: Partial<Omit<UserRow, 'id' | 'created_at'>> & { updated_at: string },
): Promise<boolean> {
  const r = await withAuthColumns(db).updateTable('users').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Counts one more failed sign-in, atomically (concurrent guesses each count). A lock that ran out before `now`
 * is cleared and the count starts again at 1, as in auth.rules.ts countedFailures.
 */
export async function recordFailedLogin(db: Db, userId: string, now: string): Promise<{ failedLogins: number }> {
  const r = await withAuthColumns(db)
    .updateTable('users')
    .set({
      failed_logins: sql<number>`case when locked_until is not null and locked_until <= ${now} then 1 else failed_logins + 1 end`,
      locked_until: sql<string | null>`case when locked_until is not null and locked_until <= ${now} then null else locked_until end`,
    })
    .where('id', '=', userId)
    .returning('failed_logins')
    .executeTakeFirstOrThrow();
  return { failedLogins: r.failed_logins };
}

/** Locks the account until `until` unless a lock is already in force; answers whether this call locked it. */
export async function lockUser(db: Db, userId: string, until: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ locked_until: until })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Records the TOTP time step just used, only if it is later than the last one (a concurrent sign-in with the same
 * code loses). Answers whether the step was claimed.
 */
export async function claimTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const r = await withAuthColumns(db)
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSession(db: Db, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).where('ended_at', 'is', null).execute();
}

/** Ends one session if it is still open; answers whether this call ended it (so it is audited once). */
export async function endSession(db: Db, id: string, now: string): Promise<boolean> {
  const r = await db.updateTable('sessions').set({ ended_at: now }).where('id', '=', id).where('ended_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Ends every open session of a user (disabled, MFA reset, password changed), except `keep`. Answers how many. */
export async function endSessionsOfUser(db: Db, userId: string, now: string, keep?: string): Promise<number> {
  let q = db.updateTable('sessions').set({ ended_at: now }).where('user_id', '=', userId).where('ended_at', 'is', null);
  if (keep) q = q.where('id', '!=', keep);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Open sessions whose absolute end has passed or that have been idle since before `idleBefore`. */
export async function listExpiredSessions(db: Db, now: string, idleBefore: string, limit: number): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('ended_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleBefore)]))
    .orderBy('last_seen_at')
    .limit(limit)
    .execute();
}
