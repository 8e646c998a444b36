import argon2 from 'argon2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { manualClock } from '../../core/shared/clock.js';
import { createFieldCipher } from '../../core/shared/crypto.js';
import { Role, systemActor, type Role as RoleT } from '../access/index.js';
import { createAuditLog, queryAuditEvents, verifyAuditChain } from '../audit/index.js';
import { sessionIdOf, totpCode } from './auth.rules.js';
import { changePassword, login, logout, resolveSession, sweepExpiredSessions } from './auth.service.js';
import { enableTotp, enrollTotp, enrollTotpWithSecret } from './auth.mfa.js';
import { createUser, disableUser, enableUser, listUsers, resetMfa, unlockUser } from './users.service.js';

const PASSWORD = 'correct horse battery staple';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const here = { ip: '10.0.0.7', userAgent: 'vitest' };
const MIN = 60_000;

function makeAuthDeps(t: TestDatabase) {
  const clock = manualClock('2026-03-01T08:00:00Z');
  return {
    db: t.db,
    clock,
    audit: createAuditLog({ clock }),
    cipher: createFieldCipher(undefined),
    config: { sessionIdleMinutes: 15, sessionMaxHours: 12, lockoutThreshold: 3, lockoutMinutes: 15 },
  };
}

describe.each(engines)('auth service on %s', (engine) => {
  let t: TestDatabase;
  let deps: ReturnType<typeof makeAuthDeps>;
  const admin = systemActor('test');
  const makeUser = (username: string, role: RoleT = Role.coder) =>
    createUser(deps, admin, { username, displayName: `User ${username}`, role, password: PASSWORD });
  const actions = async () => (await queryAuditEvents(t.db, {})).map((e) => e.action);

  beforeEach(async () => {
    t = await createTestDatabase(engine);
    deps = makeAuthDeps(t);
  });
  afterEach(() => t.dispose());

  describe('sign-in', () => {
    it('signs in with the right password, stores only the SHA-256 of the token and audits the login', async () => {
      const u = await makeUser('jdoe');
      const r = await login(deps, { username: ' JDoe ', password: PASSWORD }, here);
      expect(r.user).toEqual({ id: u.id, username: 'jdoe', displayName: 'User jdoe', role: 'coder', mfaEnabled: false });
      expect(r.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const rows = await t.db.selectFrom('sessions').selectAll().execute();
      expect(rows.map((s) => s.id)).toEqual([sessionIdOf(r.token)]);
      expect(JSON.stringify(rows)).not.toContain(r.token);
      expect(rows[0]).toMatchObject({
        user_id: u.id,
        csrf_token: r.session.csrfToken,
        ip: '10.0.0.7',
        expires_at: '2026-03-01T20:00:00.000Z',
      });
      expect(r.session.expiresAt).toBe('2026-03-01T08:15:00.000Z');
      const login_ = (await queryAuditEvents(t.db, {})).at(-1)!;
      expect(login_).toMatchObject({ action: 'login', userId: u.id, username: 'jdoe', outcome: 'success', ip: '10.0.0.7' });
    });

    it('answers an unknown username and a wrong password alike and audits both without the password', async () => {
      await makeUser('jdoe');
      const unknown = await login(deps, { username: 'nobody', password: 'guess-password-1' }, here).catch((e: unknown) => e);
      const wrong = await login(deps, { username: 'jdoe', password: 'guess-password-2' }, here).catch((e: unknown) => e);
      expect(unknown).toMatchObject({ code: 'unauthenticated', message: 'wrong username or password' });
      expect(wrong).toMatchObject({ code: 'unauthenticated', message: 'wrong username or password' });
      const failed = (await queryAuditEvents(t.db, {})).filter((e) => e.action === 'login_failed');
      expect(failed.map((e) => [e.username, e.outcome, e.detail?.reason])).toEqual([
        ['nobody', 'failure', 'unknown_user'],
        ['jdoe', 'failure', 'wrong_password'],
      ]);
      expect(JSON.stringify(failed)).not.toMatch(/guess-password/);
    });

    it('refuses a disabled user with the right password, and signs them in again once enabled', async () => {
      await makeUser('jdoe');
      await disableUser(deps, admin, 'jdoe');
      await expect(login(deps, { username: 'jdoe', password: PASSWORD }, here)).rejects.toMatchObject({ code: 'unauthenticated' });
      await enableUser(deps, admin, 'jdoe');
      await expect(login(deps, { username: 'jdoe', password: PASSWORD }, here)).resolves.toBeTruthy();
    });
  });

  describe('lockout', () => {
    const fail = () => login(deps, { username: 'jdoe', password: 'wrong-password-x' }, here);

    it('locks the account at the third consecutive failure, refuses even the right password, and opens after 15 minutes', async () => {
      await makeUser('jdoe');
      await expect(fail()).rejects.toMatchObject({ code: 'unauthenticated' });
      await expect(fail()).rejects.toMatchObject({ code: 'unauthenticated' });
      await expect(fail()).rejects.toMatchObject({ code: 'locked' });
      await expect(login(deps, { username: 'jdoe', password: PASSWORD }, here)).rejects.toMatchObject({ code: 'locked' });
      deps.clock.advance(14 * MIN);
      await expect(login(deps, { username: 'jdoe', password: PASSWORD }, here)).rejects.toMatchObject({ code: 'locked' });
      deps.clock.advance(1 * MIN);
      await expect(login(deps, { username: 'jdoe', password: PASSWORD }, here)).resolves.toBeTruthy();
      expect(await t.db.selectFrom('users').select(['failed_logins', 'locked_until']).executeTakeFirstOrThrow()).toEqual({
        failed_logins: 0,
        locked_until: null,
      });
      const events = await queryAuditEvents(t.db, {});
      expect(events.filter((e) => e.action === 'account_locked')).toHaveLength(1);
      expect(events.filter((e) => e.action === 'login_failed').map((e) => e.detail?.reason)).toEqual([
        'wrong_password',
        'wrong_password',
        'wrong_password',
        'locked',
        'locked',
      ]);
    });

    it('starts counting again after a success and after a lock has run out', async () => {
      await makeUser('jdoe');
      await fail().catch(() => {});
      await fail().catch(() => {});
      await login(deps, { username: 'jdoe', password: PASSWORD }, here);
      await expect(fail()).rejects.toMatchObject({ code: 'unauthenticated' });
      await expect(fail()).rejects.toMatchObject({ code: 'unauthenticated' });
      await expect(fail()).rejects.toMatchObject({ code: 'locked' });
      deps.clock.advance(15 * MIN);
      await expect(fail()).rejects.toMatchObject({ code: 'unauthenticated' });
    });

    it('lets an administrator unlock the account before the lock runs out', async () => {
      await makeUser('jdoe');
      for (let i = 0; i < 3; i++) await fail().catch(() => {});
      expect((await listUsers(deps, admin))[0]).toMatchObject({ lockedUntil: '2026-03-01T08:15:00.000Z', failedLogins: 3 });
      await unlockUser(deps, admin, 'jdoe');
      await expect(login(deps, { username: 'jdoe', password: PASSWORD }, here)).resolves.toBeTruthy();
      expect(await actions()).toContain('account_unlocked');
    });
  });

  describe('second factor', () => {
    it('asks an administrator for the code, accepts the right one and refuses it the second time', async () => {
      const u = await makeUser('boss', Role.administrator);
      await enrollTotpWithSecret(deps, u.id, SECRET);
      await expect(login(deps, { username: 'boss', password: PASSWORD }, here)).rejects.toMatchObject({ code: 'mfa_required' });
      const code = totpCode(SECRET, deps.clock.now());
      const r = await login(deps, { username: 'boss', password: PASSWORD, totp: code }, here);
      expect(r.session.mfaEnrollmentRequired).toBe(false);
      expect((await queryAuditEvents(t.db, {})).at(-1)).toMatchObject({ action: 'login', detail: { mfa: true } });
      deps.clock.advance(10_000); // still within the same 30-second step's window
      await expect(login(deps, { username: 'boss', password: PASSWORD, totp: code }, here)).rejects.toMatchObject({ code: 'mfa_required' });
      expect((await queryAuditEvents(t.db, {})).at(-1)).toMatchObject({ action: 'login_failed', detail: { reason: 'totp_replayed' } });
      deps.clock.advance(30_000);
      await expect(
        login(deps, { username: 'boss', password: PASSWORD, totp: totpCode(SECRET, deps.clock.now()) }, here),
      ).resolves.toBeTruthy();
    });

    it('counts wrong codes toward the lockout', async () => {
      const u = await makeUser('boss', Role.administrator);
      await enrollTotpWithSecret(deps, u.id, SECRET);
      const wrong = String((Number(totpCode(SECRET, deps.clock.now())) + 1) % 1_000_000).padStart(6, '0');
      await expect(login(deps, { username: 'boss', password: PASSWORD, totp: wrong }, here)).rejects.toMatchObject({
        code: 'mfa_required',
      });
      await expect(login(deps, { username: 'boss', password: PASSWORD, totp: wrong }, here)).rejects.toMatchObject({
        code: 'mfa_required',
      });
      await expect(login(deps, { username: 'boss', password: PASSWORD, totp: wrong }, here)).rejects.toMatchObject({ code: 'locked' });
    });

    it('lets an administrator without a second factor sign in only flagged for enrolment, then requires the code', async () => {
      await makeUser('boss', Role.administrator);
      const first = await login(deps, { username: 'boss', password: PASSWORD }, here);
      expect(first.session.mfaEnrollmentRequired).toBe(true);
      const { actor } = (await resolveSession(deps, first.token, here))!;
      const { secret, otpauthUrl } = await enrollTotp(deps, actor);
      expect(otpauthUrl).toContain(`secret=${secret}`);
      const stored = await t.db.selectFrom('users').select(['totp_secret', 'totp_enabled']).executeTakeFirstOrThrow();
      expect(stored.totp_enabled).toBe(0);
      expect(stored.totp_secret).not.toContain(secret); // encrypted at rest
      await expect(enableTotp(deps, actor, '000000')).rejects.toMatchObject({ code: 'invalid' });
      await enableTotp(deps, actor, totpCode(secret, deps.clock.now()));
      expect((await resolveSession(deps, first.token, here))!.session.mfaEnrollmentRequired).toBe(false);
      await expect(login(deps, { username: 'boss', password: PASSWORD }, here)).rejects.toMatchObject({ code: 'mfa_required' });
      // The code used to enrol cannot sign in.
      await expect(
        login(deps, { username: 'boss', password: PASSWORD, totp: totpCode(secret, deps.clock.now()) }, here),
      ).rejects.toMatchObject({ code: 'mfa_required' });
      await resetMfa(deps, admin, 'boss');
      expect(await resolveSession(deps, first.token, here)).toBeNull(); // sessions end with the reset
      expect((await login(deps, { username: 'boss', password: PASSWORD }, here)).session.mfaEnrollmentRequired).toBe(true);
      expect(await actions()).toEqual(expect.arrayContaining(['mfa_enrolled', 'mfa_reset']));
    });
  });

  describe('sessions', () => {
    it('ends a session idle for 15 minutes and audits the expiry; activity keeps it open', async () => {
      await makeUser('jdoe');
      const { token } = await login(deps, { username: 'jdoe', password: PASSWORD }, here);
      deps.clock.advance(14 * MIN);
      expect(await resolveSession(deps, token, here)).not.toBeNull();
      deps.clock.advance(14 * MIN);
      const live = await resolveSession(deps, token, here);
      expect(live?.actor).toMatchObject({ username: 'jdoe', role: 'coder', ip: '10.0.0.7' });
      expect(live?.session.expiresAt).toBe('2026-03-01T08:43:00.000Z');
      deps.clock.advance(15 * MIN);
      expect(await resolveSession(deps, token, here)).toBeNull();
      expect(await resolveSession(deps, token, here)).toBeNull();
      const expired = (await queryAuditEvents(t.db, {})).filter((e) => e.action === 'session_expired');
      expect(expired.map((e) => [e.username, e.detail?.reason])).toEqual([['jdoe', 'idle']]);
      expect((await t.db.selectFrom('sessions').select('ended_at').executeTakeFirstOrThrow()).ended_at).toBe('2026-03-01T08:43:00.000Z');
    });

    it('ends a busy session at its absolute lifetime of 12 hours', async () => {
      await makeUser('jdoe');
      const { token } = await login(deps, { username: 'jdoe', password: PASSWORD }, here);
      for (let i = 0; i < 71; i++) {
        deps.clock.advance(10 * MIN);
        expect(await resolveSession(deps, token, here)).not.toBeNull();
      }
      deps.clock.advance(10 * MIN); // 12:00 after sign-in
      expect(await resolveSession(deps, token, here)).toBeNull();
      expect((await queryAuditEvents(t.db, {})).at(-1)).toMatchObject({ action: 'session_expired', detail: { reason: 'absolute' } });
    });

    it('signs out: the token no longer resolves and the logout is audited', async () => {
      await makeUser('jdoe');
      const { token } = await login(deps, { username: 'jdoe', password: PASSWORD }, here);
      const { actor, session } = (await resolveSession(deps, token, here))!;
      await logout(deps, actor, session.id);
      expect(await resolveSession(deps, token, here)).toBeNull();
      expect(await actions()).toEqual(['create', 'login', 'logout']);
      expect(await resolveSession(deps, 'not-a-token', here)).toBeNull();
    });

    it('ends the sessions of a disabled user at once', async () => {
      await makeUser('jdoe');
      const { token } = await login(deps, { username: 'jdoe', password: PASSWORD }, here);
      await disableUser(deps, admin, 'jdoe');
      expect(await resolveSession(deps, token, here)).toBeNull();
    });

    it('sweeps sessions that expired without another request', async () => {
      await makeUser('jdoe');
      await login(deps, { username: 'jdoe', password: PASSWORD }, here);
      await login(deps, { username: 'jdoe', password: PASSWORD }, here);
      deps.clock.advance(16 * MIN);
      expect(await sweepExpiredSessions(deps)).toBe(2);
      expect(await sweepExpiredSessions(deps)).toBe(0);
      expect((await actions()).filter((a) => a === 'session_expired')).toHaveLength(2);
    });

    it('changes the password, ends the other sessions and keeps this one', async () => {
      await makeUser('jdoe');
      const a = await login(deps, { username: 'jdoe', password: PASSWORD }, here);
      const b = await login(deps, { username: 'jdoe', password: PASSWORD }, here);
      const { actor } = (await resolveSession(deps, a.token, here))!;
      await expect(changePassword(deps, actor, 'not-the-password', 'a new long passphrase')).rejects.toMatchObject({ code: 'invalid' });
      await expect(changePassword(deps, actor, PASSWORD, 'jdoe-is-my-password')).rejects.toMatchObject({ code: 'invalid' });
      await changePassword(deps, actor, PASSWORD, 'a new long passphrase');
      expect(await resolveSession(deps, a.token, here)).not.toBeNull();
      expect(await resolveSession(deps, b.token, here)).toBeNull();
      await expect(login(deps, { username: 'jdoe', password: PASSWORD }, here)).rejects.toMatchObject({ code: 'unauthenticated' });
      await expect(login(deps, { username: 'jdoe', password: 'a new long passphrase' }, here)).resolves.toBeTruthy();
    });

    it('refuses a common password or one made of context words when the password is changed, without quoting it', async () => {
      await createUser(deps, admin, { username: 'jdoe', displayName: 'Jordan Doe', role: Role.coder, password: PASSWORD });
      const a = await login(deps, { username: 'jdoe', password: PASSWORD }, here);
      const { actor } = (await resolveSession(deps, a.token, here))!;
      await expect(changePassword(deps, actor, PASSWORD, 'passwordpassword')).rejects.toMatchObject({
        code: 'invalid',
        message: 'newPassword: this is a commonly used password',
      });
      const context = await changePassword(deps, actor, PASSWORD, 'Jordan-Custodian-2026').catch((e: unknown) => e);
      expect(context).toMatchObject({
        code: 'invalid',
        message: expect.stringMatching(/^newPassword: made mostly of your username, your name or the name of this service/) as unknown,
      });
      expect(JSON.stringify(await queryAuditEvents(t.db, {}))).not.toMatch(/passwordpassword|Jordan-Custodian/);
    });

    it('normalises passwords to NFKC: an accent typed composed or decomposed signs in alike', async () => {
      await createUser(deps, admin, { username: 'jdoe', displayName: 'J', role: Role.coder, password: 'un caf\u00e9 au lait sucré' });
      await expect(login(deps, { username: 'jdoe', password: 'un cafe\u0301 au lait sucre\u0301' }, here)).resolves.toBeTruthy();
      await expect(login(deps, { username: 'jdoe', password: 'un caf\u00e9 au lait sucr\u00e9' }, here)).resolves.toBeTruthy();
    });

    it('still accepts a hash made before normalisation, and rehashes it in the normalised form', async () => {
      await makeUser('jdoe');
      const typed = 'un cafe\u0301 au lait sucre\u0301'; // decomposed, as one keyboard sends it
      await t.db
        .updateTable('users')
        .set({ password_hash: await argon2.hash(typed, { type: argon2.argon2id }) })
        .where('username', '=', 'jdoe')
        .execute();
      await expect(login(deps, { username: 'jdoe', password: typed }, here)).resolves.toBeTruthy();
      const hash = (await t.db.selectFrom('users').select('password_hash').where('username', '=', 'jdoe').executeTakeFirstOrThrow())
        .password_hash;
      expect(await argon2.verify(hash, typed.normalize('NFKC'))).toBe(true);
      await expect(login(deps, { username: 'jdoe', password: typed.normalize('NFKC') }, here)).resolves.toBeTruthy();
    });
  });

  describe('user administration', () => {
    it('refuses a commonly used password when creating a user, without quoting it', async () => {
      const e = await createUser(deps, admin, { username: 'jdoe', displayName: 'J', role: 'coder', password: 'passwordpassword' }).catch(
        (x: unknown) => x,
      );
      expect(e).toMatchObject({ code: 'invalid', message: 'password: this is a commonly used password' });
      expect(await t.db.selectFrom('users').select('id').execute()).toEqual([]);
    });

    it('enforces the password policy and unique usernames when creating users', async () => {
      await expect(createUser(deps, admin, { username: 'jdoe', displayName: 'J', role: 'coder', password: 'short' })).rejects.toMatchObject(
        { code: 'invalid', message: expect.stringContaining('15') as unknown },
      );
      await expect(
        createUser(deps, admin, { username: 'jdoe', displayName: 'J', role: 'coder', password: 'xx-jdoe-password-xx' }),
      ).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('username') as unknown });
      await expect(
        createUser(deps, admin, { username: 'jdoe', displayName: 'J', role: 'janitor', password: PASSWORD }),
      ).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('role') as unknown });
      await makeUser('jdoe');
      await expect(makeUser('JDOE')).rejects.toMatchObject({ code: 'conflict' });
      const hash = (await t.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow()).password_hash;
      expect(hash).toMatch(/^\$argon2id\$/);
    });

    it('denies and audits user administration to roles without user:admin', async () => {
      const coder = { userId: 'u1', username: 'casey', role: Role.coder };
      await expect(
        createUser(deps, coder, { username: 'jdoe', displayName: 'J', role: 'coder', password: PASSWORD }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(listUsers(deps, coder)).rejects.toMatchObject({ code: 'forbidden' });
      expect(await actions()).toEqual(['access_denied', 'access_denied']);
    });

    it('keeps the last active administrator and refuses disabling oneself', async () => {
      const boss = await makeUser('boss', Role.administrator);
      await expect(disableUser(deps, admin, 'boss')).rejects.toMatchObject({ code: 'precondition_failed' });
      await makeUser('boss2', Role.administrator);
      await expect(disableUser(deps, { userId: boss.id, username: 'boss', role: Role.administrator }, boss.id)).rejects.toMatchObject({
        code: 'invalid',
      });
      await expect(disableUser(deps, admin, 'boss')).resolves.toMatchObject({ disabled: true });
      await expect(disableUser(deps, admin, 'nobody')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('writes every change with an audit event and an intact chain', async () => {
      await makeUser('jdoe');
      await disableUser(deps, admin, 'jdoe');
      await enableUser(deps, admin, 'jdoe');
      await resetMfa(deps, admin, 'jdoe');
      await unlockUser(deps, admin, 'jdoe');
      const events = await queryAuditEvents(t.db, {});
      expect(events.map((e) => [e.action, e.resourceType, e.username])).toEqual([
        ['create', 'user', 'test'],
        ['user_disabled', 'user', 'test'],
        ['user_enabled', 'user', 'test'],
        ['mfa_reset', 'user', 'test'],
        ['account_unlocked', 'user', 'test'],
      ]);
      expect((await verifyAuditChain(t.db)).ok).toBe(true);
    });
  });
});
