import { describe, expect, it } from 'vitest';
import {
  absoluteExpiry,
  countedFailures,
  effectiveExpiry,
  isLocked,
  lockAfterFailure,
  normalizeUsername,
  sessionExpiry,
  sessionIdOf,
  totpCode,
  totpUrl,
  usernameProblem,
  verifyTotp,
} from './auth.rules.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const at = (iso: string) => new Date(iso);

describe('usernames', () => {
  it('compares usernames in lower case without surrounding spaces', () => {
    expect(normalizeUsername('  JDoe ')).toBe('jdoe');
  });
  it.each([
    ['jdoe', true],
    ['j.doe-2_x', true],
    ['a', false],
    ['-jdoe', false],
    ['j doe', false],
    ['jdoe@example', false],
  ])('checks %j (valid: %s)', (u, ok) => {
    expect(usernameProblem(u) === null).toBe(ok);
  });
});

describe('lockout arithmetic', () => {
  const policy = { lockoutThreshold: 3, lockoutMinutes: 15 };
  const now = at('2026-03-01T08:00:00Z');
  it.each([
    [1, null],
    [2, null],
    [3, '2026-03-01T08:15:00.000Z'],
    [4, '2026-03-01T08:15:00.000Z'],
  ])('after failure %i locks until %s', (n, until) => {
    expect(lockAfterFailure(n, policy, now)).toBe(until);
  });
  it('counts failures while a lock is in force and starts again once it has run out', () => {
    expect(isLocked('2026-03-01T08:15:00.000Z', now)).toBe(true);
    expect(isLocked('2026-03-01T07:59:59.000Z', now)).toBe(false);
    expect(isLocked(null, now)).toBe(false);
    expect(countedFailures({ failedLogins: 2, lockedUntil: null }, now)).toBe(2);
    expect(countedFailures({ failedLogins: 3, lockedUntil: '2026-03-01T08:15:00.000Z' }, now)).toBe(3);
    expect(countedFailures({ failedLogins: 3, lockedUntil: '2026-03-01T07:00:00.000Z' }, now)).toBe(0);
  });
});

describe('session expiry arithmetic', () => {
  const policy = { sessionIdleMinutes: 15, sessionMaxHours: 12 };
  const session = { lastSeenAt: '2026-03-01T08:00:00.000Z', expiresAt: absoluteExpiry(at('2026-03-01T08:00:00Z'), policy) };
  it('ends a session 12 hours after it started', () => {
    expect(session.expiresAt).toBe('2026-03-01T20:00:00.000Z');
  });
  it.each([
    ['2026-03-01T08:14:59.999Z', null],
    ['2026-03-01T08:15:00.000Z', 'idle'],
    ['2026-03-01T20:00:00.000Z', 'absolute'],
  ])('at %s the session is %s', (now, why) => {
    expect(sessionExpiry(session, at(now), policy)).toBe(why);
  });
  it('ends a busy session at its absolute end even when it was just used', () => {
    expect(sessionExpiry({ ...session, lastSeenAt: '2026-03-01T19:59:00.000Z' }, at('2026-03-01T20:00:00Z'), policy)).toBe('absolute');
  });
  it('reports the earlier of the idle deadline and the absolute end', () => {
    expect(effectiveExpiry(session, policy)).toBe('2026-03-01T08:15:00.000Z');
    expect(effectiveExpiry({ ...session, lastSeenAt: '2026-03-01T19:50:00.000Z' }, policy)).toBe('2026-03-01T20:00:00.000Z');
  });
  it('stores the SHA-256 of a token, never the token', () => {
    expect(sessionIdOf('token')).toMatch(/^[0-9a-f]{64}$/);
    expect(sessionIdOf('token')).not.toContain('token');
  });
});

describe('TOTP (RFC 6238, SHA1, 6 digits, 30 s, one step of drift)', () => {
  const now = at('2026-03-01T08:00:10Z');
  const step = Math.floor(now.getTime() / 30_000);
  it('accepts the current code and tells its time step', () => {
    expect(verifyTotp(SECRET, totpCode(SECRET, now), now, null)).toEqual({ ok: true, step });
  });
  it.each([
    [-30_000, true],
    [30_000, true],
    [-60_000, false],
    [60_000, false],
  ])('a code %i ms off is accepted: %s', (offset, ok) => {
    expect(verifyTotp(SECRET, totpCode(SECRET, new Date(now.getTime() + offset)), now, null).ok).toBe(ok);
  });
  it('refuses a code of a time step already used, and an older one after a newer', () => {
    expect(verifyTotp(SECRET, totpCode(SECRET, now), now, step)).toEqual({ ok: false, reason: 'replayed' });
    expect(verifyTotp(SECRET, totpCode(SECRET, new Date(now.getTime() - 30_000)), now, step)).toEqual({ ok: false, reason: 'replayed' });
    expect(verifyTotp(SECRET, totpCode(SECRET, new Date(now.getTime() + 30_000)), now, step).ok).toBe(true);
  });
  it.each([['12345'], ['abcdef'], ['']])('refuses the malformed code %j', (code) => {
    expect(verifyTotp(SECRET, code, now, null)).toEqual({ ok: false, reason: 'invalid' });
  });
  it('accepts a code typed with a space in the middle', () => {
    const c = totpCode(SECRET, now);
    expect(verifyTotp(SECRET, `${c.slice(0, 3)} ${c.slice(3)}`, now, null).ok).toBe(true);
  });
  it('makes an otpauth URL for authenticator apps', () => {
    expect(totpUrl(SECRET, 'jdoe')).toMatch(/^otpauth:\/\/totp\/Custodian:jdoe\?.*secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP/);
  });
});
