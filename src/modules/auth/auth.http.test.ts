import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps, signIn, TEST_PASSWORD } from '../../../test/support/sessions.js';
import { buildApp } from '../../app/server.js';
import { Role, roles, systemActor } from '../access/index.js';
import { queryAuditEvents } from '../audit/index.js';
import { SESSION_COOKIE, totpCode } from './auth.rules.js';
import { createUser } from './users.service.js';

describe.each(engines)('auth HTTP API on %s', (engine) => {
  let t: TestDatabase;
  let deps: ReturnType<typeof makeAppDeps>;
  let app: FastifyInstance;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    deps = makeAppDeps(t, { config: { lockoutThreshold: 3 } });
    app = await buildApp(deps);
  });
  afterEach(async () => {
    await app.close();
    await t.dispose();
  });

  const post = (url: string, s: { cookie: string; csrfToken?: string } | null, payload?: object) =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...(s ? { cookie: s.cookie } : {}), ...(s?.csrfToken ? { 'x-csrf-token': s.csrfToken } : {}) },
      ...(payload ? { payload } : {}),
    });
  const get = (url: string, s: { cookie: string } | null) => app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });

  it("signs in with a secure session cookie and describes the session with the role's permissions", async () => {
    await createUser(deps, systemActor('test'), { username: 'jdoe', displayName: 'Jo Doe', role: Role.coder, password: TEST_PASSWORD });
    const res = await post('/api/auth/login', null, { username: 'jdoe', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      user: { username: 'jdoe', displayName: 'Jo Doe', role: 'coder', mfaEnabled: false },
      idleTimeoutSeconds: 900,
      mfaEnrollmentRequired: false,
    });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; `));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    const cookie = setCookie.split(';')[0]!;
    const session = await get('/api/auth/session', { cookie });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({
      user: { username: 'jdoe' },
      csrfToken: body.csrfToken,
      permissions: expect.arrayContaining(['patient:read', 'coding:write']) as unknown,
    });
    expect(JSON.stringify(session.json())).not.toContain(cookie.split('=')[1]);
  });

  it('answers 401 without a session and for a wrong password, 423 when locked, 401 mfa_required for a missing code', async () => {
    expect((await get('/api/auth/session', null)).statusCode).toBe(401);
    await createUser(deps, systemActor('test'), { username: 'jdoe', displayName: 'Jo Doe', role: Role.coder, password: TEST_PASSWORD });
    const wrong = await post('/api/auth/login', null, { username: 'jdoe', password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json()).toMatchObject({ code: 'unauthenticated', detail: 'wrong username or password' });
    await post('/api/auth/login', null, { username: 'jdoe', password: 'not the password' });
    const locked = await post('/api/auth/login', null, { username: 'jdoe', password: 'not the password' });
    expect(locked.statusCode).toBe(423);
    expect(locked.json()).toMatchObject({ code: 'locked' });
    const bad = await post('/api/auth/login', null, { username: 'jdoe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('password');
  });

  it('signs in an administrator with a TOTP code (also accepted as `code`) and refuses it without one', async () => {
    const s = await signIn(app, deps, Role.administrator);
    expect((await get('/api/users', s)).statusCode).toBe(200);
    const noCode = await post('/api/auth/login', null, { username: s.username, password: TEST_PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json()).toMatchObject({ code: 'mfa_required' });
    deps.clock.advance(30_000);
    const withCode = await post('/api/auth/login', null, {
      username: s.username,
      password: TEST_PASSWORD,
      code: totpCode('KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU', deps.clock.now()),
    });
    expect(withCode.statusCode).toBe(200);
  });

  it('refuses a state-changing request without the right x-csrf-token', async () => {
    const s = await signIn(app, deps, Role.coder);
    const none = await post('/api/auth/logout', { cookie: s.cookie });
    expect(none.statusCode).toBe(403);
    expect(none.json().detail).toContain('x-csrf-token');
    const wrong = await post('/api/auth/logout', { cookie: s.cookie, csrfToken: 'x'.repeat(43) });
    expect(wrong.statusCode).toBe(403);
    expect((await get('/api/auth/session', s)).statusCode).toBe(200); // still signed in
    const ok = await post('/api/auth/logout', s);
    expect(ok.statusCode).toBe(204);
    expect(String(ok.headers['set-cookie'])).toContain(`${SESSION_COOKIE}=;`);
    expect((await get('/api/auth/session', s)).statusCode).toBe(401);
    const actions = (await queryAuditEvents(t.db, {})).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['login', 'logout']));
  });

  it('logs the user off after 15 idle minutes (401) and audits the expiry', async () => {
    const s = await signIn(app, deps, Role.himClerk);
    deps.clock.advance(15 * 60_000);
    const res = await get('/api/auth/session', s);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toContain('session has ended');
    expect((await queryAuditEvents(t.db, {})).at(-1)).toMatchObject({ action: 'session_expired', username: s.username });
  });

  it('keeps an administrator without a second factor to enrolment until a code is confirmed', async () => {
    await createUser(deps, systemActor('test'), {
      username: 'newadmin',
      displayName: 'New Admin',
      role: Role.administrator,
      password: TEST_PASSWORD,
    });
    const res = await post('/api/auth/login', null, { username: 'newadmin', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ mfaEnrollmentRequired: true });
    const s = { cookie: String(res.headers['set-cookie']).split(';')[0]!, csrfToken: res.json().csrfToken as string };
    const blocked = await get('/api/users', s);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ code: 'mfa_enrollment_required' });
    expect((await get('/api/auth/session', s)).json()).toMatchObject({ mfaEnrollmentRequired: true });
    const setup = await post('/api/auth/mfa/setup', s, {});
    expect(setup.statusCode).toBe(200);
    const { secret } = setup.json<{ secret: string }>();
    expect((await post('/api/auth/mfa/enable', s, { code: '000000' })).statusCode).toBe(400);
    expect((await post('/api/auth/mfa/enable', s, { code: totpCode(secret, deps.clock.now()) })).statusCode).toBe(204);
    expect((await get('/api/users', s)).statusCode).toBe(200);
  });

  it('lets an administrator create, list, lock out and unlock users; other roles get 403', async () => {
    const adminS = await signIn(app, deps, Role.administrator);
    const created = await post('/api/users', adminS, {
      username: 'Casey',
      displayName: 'Casey Coder',
      role: 'coder',
      password: 'another long passphrase',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ username: 'casey', role: 'coder', disabled: false, lockedUntil: null });
    expect((await post('/api/users', adminS, { username: 'x1', displayName: 'X', role: 'coder', password: 'short' })).json()).toMatchObject(
      { code: 'invalid' },
    );
    const common = await post('/api/users', adminS, { username: 'x2', displayName: 'X', role: 'coder', password: 'passwordpassword' });
    expect(common.statusCode).toBe(400);
    expect(common.json()).toMatchObject({ code: 'invalid', detail: 'password: this is a commonly used password' });
    expect(common.body).not.toContain('passwordpassword');
    for (let i = 0; i < 3; i++) await post('/api/auth/login', null, { username: 'casey', password: 'wrong password!' });
    const list = (await get('/api/users', adminS)).json<{ items: { username: string; lockedUntil: string | null }[] }>();
    expect(list.items.find((u) => u.username === 'casey')?.lockedUntil).not.toBeNull();
    const unlocked = await post(`/api/users/${String(created.json().id)}/unlock`, adminS, {});
    expect(unlocked.json()).toMatchObject({ lockedUntil: null, failedLogins: 0 });
    expect((await post('/api/auth/login', null, { username: 'casey', password: 'another long passphrase' })).statusCode).toBe(200);
    // A work email for notices: set, refused when it is not an address (naming the field), cleared.
    expect((await post('/api/users/casey/email', adminS, { email: 'casey@hospital.example' })).json()).toMatchObject({
      email: 'casey@hospital.example',
    });
    expect((await post('/api/users/casey/email', adminS, { email: 'not an address' })).json()).toMatchObject({
      code: 'invalid',
      detail: 'email: not an email address',
    });
    expect((await post('/api/users/casey/email', adminS, { email: null })).json()).toMatchObject({ email: null });
    expect((await post('/api/users/casey/disable', adminS)).json()).toMatchObject({ disabled: true });
    expect((await post('/api/auth/login', null, { username: 'casey', password: 'another long passphrase' })).statusCode).toBe(401);
    for (const role of roles.filter((r) => r !== Role.administrator)) {
      const s = await signIn(app, deps, role);
      expect((await get('/api/users', s)).statusCode, role).toBe(403);
    }
  });

  it('documents the auth and user routes in the OpenAPI document', async () => {
    const doc = (await get('/api/openapi.json', null)).json<{ paths: Record<string, unknown> }>();
    for (const p of [
      '/api/auth/login',
      '/api/auth/logout',
      '/api/auth/session',
      '/api/auth/mfa/setup',
      '/api/auth/mfa/enable',
      '/api/auth/password',
      '/api/users',
      '/api/users/{id}/disable',
      '/api/users/{id}/reset-mfa',
      '/api/users/{id}/unlock',
    ]) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
  });
});
