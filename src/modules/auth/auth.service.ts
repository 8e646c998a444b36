import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import type { Config } from '../../config/config.js';
import { DomainError, ErrorCode, invalid, notFound, unauthenticated } from '../../core/errors.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import type { FieldCipher } from '../../core/shared/crypto.js';
import type { Database } from '../../db/schema.js';
import { isRole, permissionsOf, type Actor, type Role } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import * as repo from './auth.repository.js';
import { needsEnrollment } from './auth.mfa.js';
import {
  absoluteExpiry,
  effectiveExpiry,
  isLocked,
  lockAfterFailure,
  normalizePassword,
  normalizeUsername,
  passwordProblem,
  sessionExpiry,
  sessionIdOf,
  usernameProblem,
  verifyTotp,
} from './auth.rules.js';

/** What session resolution needs (the HTTP auth hook passes its AppDeps). */
export interface SessionDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  config: Pick<Config, 'sessionIdleMinutes' | 'sessionMaxHours' | 'lockoutThreshold' | 'lockoutMinutes'>;
}
/** What sign-in and enrolment need: TOTP secrets are stored encrypted with the field cipher (164.312(a)(2)(iv)). */
export interface AuthDeps extends SessionDeps {
  cipher: FieldCipher;
}
/** What TOTP enrolment needs. */
export type TotpDeps = Pick<AuthDeps, 'db' | 'clock' | 'audit' | 'cipher'>;

/** Where a request comes from; recorded with every audit event. */
export interface Requester {
  ip: string | null;
  userAgent: string | null;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  mfaEnabled: boolean;
}

export interface SessionView {
  id: string;
  csrfToken: string;
  /** When the session ends if nothing more happens: the idle deadline or the absolute end, whichever is first. */
  expiresAt: string;
  /** An administrator without a second factor may only enrol one (and sign out) in this session. */
  mfaEnrollmentRequired: boolean;
}

export interface LoginResult {
  /** The cookie value; only its SHA-256 is stored. */
  token: string;
  session: SessionView;
  user: UserView;
  idleTimeoutSeconds: number;
}

// OWASP Password Storage Cheat Sheet, argon2id minimum: 19 MiB memory, 2 iterations, 1 lane.
const hashOptions = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The argon2id hash of the password's NFKC form (NIST SP 800-63B-4 3.1.1.2), as every new hash is made. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(normalizePassword(password), hashOptions);
}

async function argonVerify(hash: string, text: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, text);
  } catch {
    return false; // an unparseable stored hash never matches
  }
}

/**
 * Whether the password matches the stored hash: 'match' for the NFKC form (hashes made now), 'legacy' for the
 * text as typed (a hash made before passwords were normalised; the caller rehashes it), null for neither. The
 * second try happens only for a password that NFKC changes, which typed ASCII never is.
 */
async function verifyPassword(hash: string, password: string): Promise<'match' | 'legacy' | null> {
  const normalized = normalizePassword(password);
  if (await argonVerify(hash, normalized)) return 'match';
  if (normalized !== password && (await argonVerify(hash, password))) return 'legacy';
  return null;
}

let dummy: Promise<string> | undefined;
/** A hash to verify against for unknown usernames, so that they take as long as a wrong password. */
function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(randomBytes(16).toString('hex')));
}

export function toUserView(u: repo.UserRow): UserView {
  return { id: u.id, username: u.username, displayName: u.display_name, role: u.role as Role, mfaEnabled: u.totp_enabled === 1 };
}

function actorOf(u: repo.UserRow, requester: Requester, sessionId?: string): Actor {
  return {
    userId: u.id,
    username: u.username,
    role: u.role as Role,
    ...(sessionId ? { sessionId } : {}),
    ip: requester.ip,
    userAgent: requester.userAgent,
    purposeOfUse: 'HOPERAT',
  };
}

const wrongCredentials = () => unauthenticated('wrong username or password');
const lockedError = (until: string) =>
  new DomainError(
    ErrorCode.locked,
    `this account is locked after repeated failed sign-ins until ${until.slice(0, 16).replace('T', ' ')} UTC; try again later or ask an administrator to unlock it`,
  );

/**
 * Signs a user in: password (argon2id), then the TOTP code when the user has one. Unknown usernames, wrong
 * passwords and disabled accounts answer alike and take about as long. After `lockoutThreshold` consecutive
 * failures (wrong password or wrong code) the account is locked for `lockoutMinutes`; a success resets the count.
 * Every outcome is audited (HIPAA 164.308(a)(5)(ii)(C), log-in monitoring).
 */
export async function login(
  deps: AuthDeps,
  input: { username: string; password: string; totp?: string | undefined },
  requester: Requester,
): Promise<LoginResult> {
  const now = deps.clock.now();
  const username = normalizeUsername(input.username);
  const attempted = { username: input.username.trim().slice(0, 64), ip: requester.ip, userAgent: requester.userAgent };
  const user = usernameProblem(username) ? undefined : await repo.findUserByUsername(deps.db, username);
  if (!user) {
    await verifyPassword(await dummyHash(), input.password);
    await auditLoginFailure(deps, attempted, null, 'unknown_user');
    throw wrongCredentials();
  }
  if (isLocked(user.locked_until, now)) {
    await auditLoginFailure(deps, attempted, user.id, 'locked');
    throw lockedError(user.locked_until!);
  }
  const passwordOk = await verifyPassword(user.password_hash, input.password);
  if (user.disabled === 1) {
    await auditLoginFailure(deps, attempted, user.id, 'disabled');
    throw wrongCredentials();
  }
  if (!passwordOk) {
    await countFailure(deps, user, attempted, 'wrong_password');
    throw wrongCredentials();
  }
  const step = await checkSecondFactor(deps, user, input.totp, attempted, now);
  const result = await startSession(deps, user, requester, step, now);
  if (!result) throw new DomainError(ErrorCode.mfaRequired, 'the code was already used; enter the next code from your authenticator app');
  if (passwordOk === 'legacy' || argon2.needsRehash(user.password_hash, hashOptions)) {
    await repo.updateUser(deps.db, user.id, { password_hash: await hashPassword(input.password), updated_at: isoNow(deps.clock) });
  }
  return result;
}

type Attempt = { username: string; ip: string | null; userAgent: string | null };

/**
 * The TOTP step of a user with a second factor (null for one without). A missing code is the first half of a
 * two-step sign-in, not a failure: the password was right. A wrong or replayed code counts toward the lockout.
 */
async function checkSecondFactor(
  deps: AuthDeps,
  user: repo.UserRow,
  code: string | undefined,
  attempted: Attempt,
  now: Date,
): Promise<number | null> {
  if (user.totp_enabled !== 1) return null;
  if (!code) throw new DomainError(ErrorCode.mfaRequired, 'enter the 6-digit code from your authenticator app');
  // Fails closed: a second factor switched on without a stored secret accepts no code.
  const check = user.totp_secret
    ? verifyTotp(deps.cipher.decrypt(user.totp_secret), code, now, user.totp_last_step)
    : ({ ok: false, reason: 'invalid' } as const);
  if (check.ok) return check.step;
  await countFailure(deps, user, attempted, check.reason === 'replayed' ? 'totp_replayed' : 'totp_wrong');
  throw new DomainError(ErrorCode.mfaRequired, 'the code is wrong or was already used; enter the next code from your authenticator app');
}

/** Opens a session after a successful sign-in, resets the failure count and audits the login; null if a concurrent sign-in took the same TOTP step. */
async function startSession(
  deps: AuthDeps,
  user: repo.UserRow,
  requester: Requester,
  step: number | null,
  now: Date,
): Promise<LoginResult | null> {
  return deps.db.transaction().execute(async (trx) => {
    if (step !== null && !(await repo.claimTotpStep(trx, user.id, step))) return null;
    const token = randomBytes(32).toString('base64url');
    const id = sessionIdOf(token);
    const csrfToken = randomBytes(32).toString('base64url');
    const t = now.toISOString();
    const expiresAt = absoluteExpiry(now, deps.config);
    await repo.updateUser(trx, user.id, { failed_logins: 0, locked_until: null, updated_at: t });
    await repo.insertSession(trx, {
      id,
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: t,
      last_seen_at: t,
      expires_at: expiresAt,
      ip: requester.ip,
      user_agent: requester.userAgent,
      ended_at: null,
    });
    await recordAudit(trx, deps.audit, actorOf(user, requester, id), {
      action: AuditAction.login,
      resourceType: 'session',
      resourceId: user.id,
      outcome: 'success',
      detail: { mfa: step !== null },
    });
    const session: SessionView = {
      id,
      csrfToken,
      expiresAt: effectiveExpiry({ lastSeenAt: t, expiresAt }, deps.config),
      mfaEnrollmentRequired: needsEnrollment(user),
    };
    return { token, session, user: toUserView(user), idleTimeoutSeconds: deps.config.sessionIdleMinutes * 60 };
  });
}

async function auditLoginFailure(deps: AuthDeps, who: Attempt, userId: string | null, reason: string): Promise<void> {
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, who, {
      action: AuditAction.loginFailed,
      resourceType: 'session',
      resourceId: userId,
      outcome: 'failure',
      detail: { reason },
    }),
  );
}

/** Counts a failed attempt against a known account and locks it at the threshold; throws `locked` when it locks. */
async function countFailure(deps: AuthDeps, user: repo.UserRow, who: Attempt, reason: string): Promise<void> {
  const now = deps.clock.now();
  const until = await deps.db.transaction().execute(async (trx) => {
    const { failedLogins } = await repo.recordFailedLogin(trx, user.id, now.toISOString());
    await recordAudit(trx, deps.audit, who, {
      action: AuditAction.loginFailed,
      resourceType: 'session',
      resourceId: user.id,
      outcome: 'failure',
      detail: { reason, consecutiveFailures: failedLogins },
    });
    const lockUntil = lockAfterFailure(failedLogins, deps.config, now);
    if (!lockUntil || !(await repo.lockUser(trx, user.id, lockUntil, now.toISOString()))) return null;
    await recordAudit(trx, deps.audit, who, {
      action: AuditAction.accountLocked,
      resourceType: 'user',
      resourceId: user.id,
      outcome: 'success',
      detail: { consecutiveFailures: failedLogins, lockedUntil: lockUntil },
    });
    return lockUntil;
  });
  if (until) throw lockedError(until);
}

/**
 * The actor behind a session cookie, or null. Refreshes last_seen_at; a session past its idle timeout or absolute
 * lifetime is ended and audited (`session_expired`) and answers null, as does one of a disabled user.
 */
export async function resolveSession(
  deps: SessionDeps,
  token: string,
  requester: Requester,
): Promise<{ actor: Actor; session: SessionView } | null> {
  if (!token || token.length > 128) return null;
  const id = sessionIdOf(token);
  const s = await repo.findSession(deps.db, id);
  if (!s || s.ended_at !== null) return null;
  const user = await repo.findUserById(deps.db, s.user_id);
  const now = deps.clock.now();
  if (!user || !isRole(user.role) || user.disabled === 1) {
    await repo.endSession(deps.db, id, now.toISOString());
    return null;
  }
  const actor = actorOf(user, requester, id);
  const why = sessionExpiry({ lastSeenAt: s.last_seen_at, expiresAt: s.expires_at }, now, deps.config);
  if (why) {
    await endExpiredSession(deps, actor, s, why);
    return null;
  }
  const t = now.toISOString();
  await repo.touchSession(deps.db, id, t);
  return {
    actor,
    session: {
      id,
      csrfToken: s.csrf_token,
      expiresAt: effectiveExpiry({ lastSeenAt: t, expiresAt: s.expires_at }, deps.config),
      mfaEnrollmentRequired: needsEnrollment(user),
    },
  };
}

async function endExpiredSession(deps: SessionDeps, actor: Actor, s: repo.SessionRow, reason: 'idle' | 'absolute'): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.endSession(trx, s.id, isoNow(deps.clock)))) return;
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.sessionExpired,
      resourceType: 'session',
      resourceId: actor.userId,
      outcome: 'success',
      detail: { reason, lastSeenAt: s.last_seen_at },
    });
  });
}

/**
 * Ends and audits sessions that expired without another request (the browser was closed). Call it now and then
 * (the server may run it every minute); answers how many it ended.
 */
export async function sweepExpiredSessions(deps: SessionDeps, limit = 500): Promise<number> {
  const now = deps.clock.now();
  const idleBefore = new Date(now.getTime() - deps.config.sessionIdleMinutes * 60_000).toISOString();
  let ended = 0;
  for (const s of await repo.listExpiredSessions(deps.db, now.toISOString(), idleBefore, limit)) {
    const user = await repo.findUserById(deps.db, s.user_id);
    if (!user) {
      await repo.endSession(deps.db, s.id, now.toISOString());
      continue;
    }
    const who = actorOf(user, { ip: s.ip, userAgent: s.user_agent }, s.id);
    const why = sessionExpiry({ lastSeenAt: s.last_seen_at, expiresAt: s.expires_at }, now, deps.config) ?? 'idle';
    await endExpiredSession(deps, who, s, why);
    ended++;
  }
  return ended;
}

/** Signs out: ends the session and audits it. */
export async function logout(deps: SessionDeps, actor: Actor, sessionId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.endSession(trx, sessionId, isoNow(deps.clock)))) return;
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.logout,
      resourceType: 'session',
      resourceId: actor.userId,
      outcome: 'success',
    });
  });
}

/** The signed-in user, the session and what the role may do (for GET /api/auth/session). */
export async function describeSession(
  deps: SessionDeps,
  actor: Actor,
  session: { id: string; csrfToken: string; expiresAt: string },
): Promise<Omit<LoginResult, 'token'> & { permissions: string[] }> {
  const user = await repo.findUserById(deps.db, actor.userId);
  if (!user) throw unauthenticated('sign in first');
  return {
    session: { id: session.id, csrfToken: session.csrfToken, expiresAt: session.expiresAt, mfaEnrollmentRequired: needsEnrollment(user) },
    user: toUserView(user),
    idleTimeoutSeconds: deps.config.sessionIdleMinutes * 60,
    permissions: permissionsOf(user.role),
  };
}

/** Changes the signed-in user's own password; the user's other sessions end. */
/**
 * Whether the password is the signed-in user's own (re-entered to sign a batch of documents: 21 CFR 11.200(a)(1)(i)
 * style, and what bylaws ask of batch authentication). Does not count toward lockout; the caller audits the act.
 */
export async function verifyUserPassword(db: Kysely<Database>, userId: string, password: string): Promise<boolean> {
  const user = await repo.findUserById(db, userId);
  return user !== undefined && user.disabled === 0 && (await verifyPassword(user.password_hash, password)) !== null;
}

export async function changePassword(deps: SessionDeps, actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
  const user = await repo.findUserById(deps.db, actor.userId);
  if (!user) throw notFound('user');
  if (!(await verifyPassword(user.password_hash, currentPassword))) throw invalid('currentPassword: wrong password');
  const problem = passwordProblem(newPassword, { username: user.username, displayName: user.display_name });
  if (problem) throw invalid(`newPassword: ${problem.replace(/^password: /, '')}`);
  if (normalizePassword(newPassword) === normalizePassword(currentPassword))
    throw invalid('newPassword: choose a password different from the current one');
  const hash = await hashPassword(newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, user.id, { password_hash: hash, updated_at: isoNow(deps.clock) });
    const ended = await repo.endSessionsOfUser(trx, user.id, isoNow(deps.clock), actor.sessionId);
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.passwordChanged,
      resourceType: 'user',
      resourceId: user.id,
      outcome: 'success',
      detail: { otherSessionsEnded: ended },
    });
  });
}
