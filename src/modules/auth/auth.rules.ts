import { createHash } from 'node:crypto';
import * as OTPAuth from 'otpauth';

/**
 * Pure rules of people and access: password policy (password.rules.ts), lockout arithmetic, session expiry
 * arithmetic and TOTP verification. No database, clock or environment: callers pass `now`.
 */

/** The session cookie: its value is a random 32-byte token; the database keeps only its SHA-256. */
export const SESSION_COOKIE = 'custodian_session';

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, normalizePassword, passwordProblem, type PasswordContext } from './password.rules.js';

const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** Usernames are compared case-insensitively: stored and looked up in lower case, without surrounding spaces. */
export function normalizeUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

/** A problem with the (normalised) username, or null when it is acceptable. */
export function usernameProblem(username: string): string | null {
  return usernamePattern.test(username)
    ? null
    : 'username: 2 to 64 characters: letters, digits, dot, dash or underscore, starting with a letter or digit';
}

// ---------------------------------------------------------------------------------------------------------------
// Lockout

export interface LockoutPolicy {
  lockoutThreshold: number;
  lockoutMinutes: number;
}

/** True while a lock set at some failure is still in force. */
export function isLocked(lockedUntil: string | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil > now.toISOString();
}

/**
 * The consecutive failures that count at `now`: a lock that has run out starts the count again from zero, so one
 * more mistake after the lockout does not lock the account at once.
 */
export function countedFailures(user: { failedLogins: number; lockedUntil: string | null }, now: Date): number {
  return user.lockedUntil !== null && !isLocked(user.lockedUntil, now) ? 0 : user.failedLogins;
}

/** When the account locks after this failure (the `failures`-th in a row), or null when it stays open. */
export function lockAfterFailure(failures: number, policy: LockoutPolicy, now: Date): string | null {
  return failures >= policy.lockoutThreshold ? new Date(now.getTime() + policy.lockoutMinutes * 60_000).toISOString() : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Sessions

export interface SessionPolicy {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
}

/** The absolute end of a session started at `createdAt`. */
export function absoluteExpiry(createdAt: Date, policy: SessionPolicy): string {
  return new Date(createdAt.getTime() + policy.sessionMaxHours * 3600_000).toISOString();
}

/** When the session ends if nothing more happens: the idle deadline or the absolute end, whichever comes first. */
export function effectiveExpiry(s: { lastSeenAt: string; expiresAt: string }, policy: SessionPolicy): string {
  const idle = new Date(new Date(s.lastSeenAt).getTime() + policy.sessionIdleMinutes * 60_000).toISOString();
  return idle < s.expiresAt ? idle : s.expiresAt;
}

export type SessionExpiry = 'idle' | 'absolute';

/**
 * Why the session has ended at `now`, or null while it is live. Automatic logoff after inactivity is HIPAA
 * 164.312(a)(2)(iii); the absolute lifetime bounds a stolen cookie even when it is kept busy.
 */
export function sessionExpiry(s: { lastSeenAt: string; expiresAt: string }, now: Date, policy: SessionPolicy): SessionExpiry | null {
  const t = now.toISOString();
  if (t >= s.expiresAt) return 'absolute';
  if (new Date(s.lastSeenAt).getTime() + policy.sessionIdleMinutes * 60_000 <= now.getTime()) return 'idle';
  return null;
}

/** The `sessions.id` of a cookie token: its SHA-256 in hex, so that a copy of the table cannot be replayed as cookies. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------------------------
// TOTP (RFC 6238): SHA1, 6 digits, 30-second steps, one step of clock drift either way.

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_ISSUER = 'Custodian';

function totpOf(secretBase32: string, username = ''): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: TOTP_ISSUER,
    label: username,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

/** The otpauth:// URL an authenticator app reads (as a QR code or typed). */
export function totpUrl(secretBase32: string, username: string): string {
  return totpOf(secretBase32, username).toString();
}

/** The code for `now` (tests and the demo). */
export function totpCode(secretBase32: string, now: Date): string {
  return totpOf(secretBase32).generate({ timestamp: now.getTime() });
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replayed' };

/**
 * Checks a code against the secret at `now` with a window of one step either way. A code of a time step at or
 * before the last one accepted for this user is refused (RFC 6238 section 5.2), so an observed code cannot be
 * used again, nor an older one after a newer.
 */
export function verifyTotp(secretBase32: string, code: string, now: Date, lastStep: number | null): TotpCheck {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'invalid' };
  const totp = totpOf(secretBase32);
  const delta = totp.validate({ token, timestamp: now.getTime(), window: 1 });
  if (delta === null) return { ok: false, reason: 'invalid' };
  const step = totp.counter({ timestamp: now.getTime() }) + delta;
  if (lastStep !== null && step <= lastStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}
