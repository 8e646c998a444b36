/**
 * The second factor (TOTP, RFC 6238): who must enrol one, enrolment with a new secret confirmed by a code, and
 * enrolment of a known secret for the demo seed and tests. Sign-in checks the code (auth.service.ts, login).
 */
import * as OTPAuth from 'otpauth';
import { DomainError, ErrorCode, conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { rolesRequiringMfa, type Actor, type Role } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './auth.repository.js';
import { totpUrl, verifyTotp } from './auth.rules.js';
import type { SessionDeps, TotpDeps } from './auth.service.js';

/** True when the user's role needs a second factor that the user has not enrolled yet. */
export function needsEnrollment(u: repo.UserRow): boolean {
  return rolesRequiringMfa.has(u.role as Role) && u.totp_enabled !== 1;
}

/** True when the actor's role needs a second factor that the user has not enrolled yet. */
export async function needsMfaEnrollment(deps: Pick<SessionDeps, 'db'>, actor: Actor): Promise<boolean> {
  if (!rolesRequiringMfa.has(actor.role)) return false;
  const user = await repo.findUserById(deps.db, actor.userId);
  return !user || needsEnrollment(user);
}

/**
 * Starts TOTP enrolment for the signed-in user: a new random secret (160 bits, RFC 4226 section 4) kept
 * encrypted and inactive until `enableTotp` proves the authenticator app has it.
 */
export async function enrollTotp(deps: TotpDeps, actor: Actor): Promise<{ secret: string; otpauthUrl: string }> {
  const user = await repo.findUserById(deps.db, actor.userId);
  if (!user) throw notFound('user');
  if (user.totp_enabled === 1) throw conflict('a second factor is already enrolled; an administrator can reset it');
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await repo.updateUser(deps.db, user.id, {
    totp_secret: deps.cipher.encrypt(secret),
    totp_last_step: null,
    updated_at: isoNow(deps.clock),
  });
  return { secret, otpauthUrl: totpUrl(secret, user.username) };
}

/** Completes enrolment with a code from the app; from now on sign-in needs a code. */
export async function enableTotp(deps: TotpDeps, actor: Actor, code: string): Promise<void> {
  const user = await repo.findUserById(deps.db, actor.userId);
  if (!user) throw notFound('user');
  if (user.totp_enabled === 1) throw conflict('a second factor is already enrolled');
  if (!user.totp_secret) throw new DomainError(ErrorCode.preconditionFailed, 'start with POST /api/auth/mfa/setup');
  const check = verifyTotp(deps.cipher.decrypt(user.totp_secret), code, deps.clock.now(), null);
  if (!check.ok) throw invalid('code: wrong code; check that the device clock is right and enter the current code');
  await activateTotp(deps, actor, user.id, user.totp_secret, check.step);
}

/**
 * Enrols a known secret without a code (the demo seed and tests): the user's second factor is on at once.
 * Audited under `actor` (the system by default).
 */
export async function enrollTotpWithSecret(
  deps: TotpDeps,
  userId: string,
  secretBase32: string,
  actor: Actor = { userId: 'system', username: 'system', role: 'administrator', purposeOfUse: 'HOPERAT' },
): Promise<void> {
  OTPAuth.Secret.fromBase32(secretBase32); // throws on a malformed secret
  if (!(await repo.findUserById(deps.db, userId))) throw notFound('user');
  await activateTotp(deps, actor, userId, deps.cipher.encrypt(secretBase32), null);
}

async function activateTotp(deps: TotpDeps, actor: Actor, userId: string, encryptedSecret: string, step: number | null): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, userId, {
      totp_secret: encryptedSecret,
      totp_enabled: 1,
      totp_last_step: step,
      updated_at: isoNow(deps.clock),
    });
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.mfaEnrolled,
      resourceType: 'user',
      resourceId: userId,
      outcome: 'success',
    });
  });
}
