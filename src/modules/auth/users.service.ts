import type { Kysely } from 'kysely';
import { DomainError, ErrorCode, conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { Permission, isRole, requirePermission, roles, type Actor } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import * as repo from './auth.repository.js';
import { countedFailures, isLocked, normalizeUsername, passwordProblem, usernameProblem } from './auth.rules.js';
import { hashPassword, toUserView, type UserView } from './auth.service.js';

/** User administration needs only the database and the clock (the CLI and the demo seed call it too). */
export interface UsersDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
}

/** A user as administrators see it. */
export interface UserAdminView extends UserView {
  disabled: boolean;
  lockedUntil: string | null;
  failedLogins: number;
  providerId: string | null;
  /** Work email for notices (chart completion), when set. */
  email: string | null;
  createdAt: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: string;
  password: string;
  providerId?: string | null | undefined;
  email?: string | null | undefined;
}

function toAdminView(u: repo.UserRow, now: Date): UserAdminView {
  const locked = isLocked(u.locked_until, now);
  return {
    ...toUserView(u),
    disabled: u.disabled === 1,
    lockedUntil: locked ? u.locked_until : null,
    failedLogins: countedFailures({ failedLogins: u.failed_logins, lockedUntil: u.locked_until }, now),
    providerId: u.provider_id,
    email: u.email ?? null,
    createdAt: u.created_at,
  };
}

/**
 * Creates a user (permission user:admin). Usernames are stored in lower case; the password must meet the policy
 * (auth.rules.ts passwordProblem). Administrators enrol TOTP at their first sign-in.
 */
export async function createUser(deps: UsersDeps, actor: Actor, input: NewUser): Promise<UserAdminView> {
  await requirePermission(deps, actor, Permission.userAdmin, { type: 'user' });
  const username = normalizeUsername(input.username);
  const displayName = input.displayName.trim();
  const problem =
    usernameProblem(username) ??
    (displayName.length === 0 || displayName.length > 200 ? 'displayName: 1 to 200 characters' : null) ??
    (isRole(input.role) ? null : `role: one of ${roles.join(', ')}`) ??
    passwordProblem(input.password, { username, displayName }) ??
    (input.email && !isEmailAddress(input.email) ? 'email: not an email address' : null);
  if (problem) throw invalid(problem);
  const hash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (trx) => {
    if (await repo.findUserByUsername(trx, username)) throw conflict(`username ${username} is taken`);
    if (input.providerId && !(await repo.providerExists(trx, input.providerId))) throw invalid('providerId: no such provider');
    const t = isoNow(deps.clock);
    const row: repo.UserRow = {
      id: newId(),
      username,
      display_name: displayName,
      role: input.role,
      password_hash: hash,
      totp_secret: null,
      totp_enabled: 0,
      totp_last_step: null,
      disabled: 0,
      failed_logins: 0,
      locked_until: null,
      provider_id: input.providerId ?? null,
      email: input.email ?? null,
      created_at: t,
      updated_at: t,
    };
    await repo.insertUser(trx, row);
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.create,
      resourceType: 'user',
      resourceId: row.id,
      outcome: 'success',
      detail: { role: row.role },
    });
    return toAdminView(row, deps.clock.now());
  });
}

/** Every user, by username (permission user:admin). */
/**
 * Who may appear in the audit trail, for the auditor's filter by user name: id, username, display name and role
 * only (no sign-in state).
 */
export async function listUserDirectory(
  deps: UsersDeps,
  actor: Actor,
): Promise<{ id: string; username: string; displayName: string; role: string }[]> {
  await requirePermission(deps, actor, Permission.auditRead, { type: 'user' });
  return (await repo.listUsers(deps.db)).map((u) => ({ id: u.id, username: u.username, displayName: u.display_name, role: u.role }));
}

export async function listUsers(deps: UsersDeps, actor: Actor): Promise<UserAdminView[]> {
  await requirePermission(deps, actor, Permission.userAdmin, { type: 'user' });
  const now = deps.clock.now();
  return (await repo.listUsers(deps.db)).map((u) => toAdminView(u, now));
}

async function findTarget(db: Db, userIdOrUsername: string): Promise<repo.UserRow> {
  const u = (await repo.findUserById(db, userIdOrUsername)) ?? (await repo.findUserByUsername(db, normalizeUsername(userIdOrUsername)));
  if (!u) throw notFound('user');
  return u;
}

/**
 * One administrative change to a user, in one transaction with its audit event: permission check, find the user
 * by id or username, apply, audit.
 */
async function changeUser(
  deps: UsersDeps,
  actor: Actor,
  userIdOrUsername: string,
  action: AuditAction,
  /** Answers the audit event's detail, if any. */
  apply: (trx: Db, u: repo.UserRow, now: string) => Promise<Record<string, unknown> | undefined>,
): Promise<UserAdminView> {
  await requirePermission(deps, actor, Permission.userAdmin, { type: 'user' });
  return deps.db.transaction().execute(async (trx) => {
    const u = await findTarget(trx, userIdOrUsername);
    const detail = await apply(trx, u, isoNow(deps.clock));
    await recordAudit(trx, deps.audit, actor, {
      action,
      resourceType: 'user',
      resourceId: u.id,
      outcome: 'success',
      ...(detail ? { detail } : {}),
    });
    return toAdminView((await repo.findUserById(trx, u.id))!, deps.clock.now());
  });
}

/**
 * Disables a user: sign-in refused and open sessions ended (HIPAA 164.308(a)(3)(ii)(C), termination procedures).
 * An administrator cannot disable their own account, nor the last active administrator.
 */
export async function disableUser(deps: UsersDeps, actor: Actor, userIdOrUsername: string): Promise<UserAdminView> {
  return changeUser(deps, actor, userIdOrUsername, AuditAction.userDisabled, async (trx, u, now) => {
    if (u.id === actor.userId) throw invalid('you cannot disable your own account');
    if (u.role === 'administrator' && u.disabled === 0 && (await repo.countActiveAdministrators(trx)) <= 1) {
      throw new DomainError(ErrorCode.preconditionFailed, 'this is the last active administrator; create another one first');
    }
    await repo.updateUser(trx, u.id, { disabled: 1, updated_at: now });
    return { sessionsEnded: await repo.endSessionsOfUser(trx, u.id, now) };
  });
}

/** Enables a disabled user again, with a clean failure count. */
export async function enableUser(deps: UsersDeps, actor: Actor, userIdOrUsername: string): Promise<UserAdminView> {
  return changeUser(deps, actor, userIdOrUsername, AuditAction.userEnabled, async (trx, u, now) => {
    await repo.updateUser(trx, u.id, { disabled: 0, failed_logins: 0, locked_until: null, updated_at: now });
    return undefined;
  });
}

/** Removes a user's second factor (lost phone) and ends their sessions; administrators enrol again at next sign-in. */
export async function resetMfa(deps: UsersDeps, actor: Actor, userIdOrUsername: string): Promise<UserAdminView> {
  return changeUser(deps, actor, userIdOrUsername, AuditAction.mfaReset, async (trx, u, now) => {
    await repo.updateUser(trx, u.id, { totp_secret: null, totp_enabled: 0, totp_last_step: null, updated_at: now });
    return { sessionsEnded: await repo.endSessionsOfUser(trx, u.id, now) };
  });
}

/** Lifts a lockout before it runs out and clears the failure count. */
export async function unlockUser(deps: UsersDeps, actor: Actor, userIdOrUsername: string): Promise<UserAdminView> {
  return changeUser(deps, actor, userIdOrUsername, AuditAction.accountUnlocked, async (trx, u, now) => {
    await repo.updateUser(trx, u.id, { failed_logins: 0, locked_until: null, updated_at: now });
    return undefined;
  });
}

/** A plausible single address (the mail module validates again when sending). */
function isEmailAddress(v: string): boolean {
  return /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/.test(v) && v.length <= 254;
}

/** Sets or clears a user's work email (where chart-completion notices are emailed); audited without the address. */
export async function setUserEmail(deps: UsersDeps, actor: Actor, userIdOrUsername: string, email: string | null): Promise<UserAdminView> {
  const value = email?.trim() ? email.trim() : null;
  if (value !== null && !isEmailAddress(value)) throw invalid('email: not an email address');
  return changeUser(deps, actor, userIdOrUsername, AuditAction.update, async (trx, u, now) => {
    await repo.updateUser(trx, u.id, { email: value, updated_at: now });
    return { field: 'email', set: value !== null };
  });
}
