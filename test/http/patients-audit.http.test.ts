import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/server.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { makeFacility, makePatientInput } from '../support/factories.js';
import { makeAppDeps, signIn, type SignedIn } from '../support/sessions.js';

describe.each(engines)('patients and audit over HTTP on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let clerk: SignedIn, coder: SignedIn, auditor: SignedIn, director: SignedIn;
  const h = (s: SignedIn) => ({ cookie: s.cookie, 'x-csrf-token': s.csrfToken });

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const deps = makeAppDeps(t);
    await makeFacility(t);
    app = await buildApp(deps);
    [clerk, coder, auditor, director] = [
      await signIn(app, deps, 'him_clerk'),
      await signIn(app, deps, 'coder'),
      await signIn(app, deps, 'auditor'),
      await signIn(app, deps, 'him_director'),
    ];
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('registers, finds and opens a patient, and the auditor sees who looked at the record', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: h(clerk),
      payload: makePatientInput({ familyName: 'Quinlan', givenName: 'Maeve' }),
    });
    expect(created.statusCode).toBe(201);
    const { id, mrn } = created.json<{ id: string; mrn: string }>();
    const enc = await app.inject({
      method: 'POST',
      url: `/api/patients/${id}/encounters`,
      headers: h(clerk),
      payload: {
        accountNumber: 'ACC-1',
        type: 'inpatient',
        admitAt: '2026-02-01T10:00:00Z',
        dischargeAt: '2026-02-04T12:00:00Z',
        dischargeStatus: '01',
      },
    });
    expect(enc.statusCode).toBe(201);

    const found = await app.inject({ method: 'POST', url: '/api/patients/search', headers: h(coder), payload: { q: 'Quinlan, Maeve' } });
    expect(found.statusCode).toBe(200);
    expect(found.json<{ items: { id: string; mrn: string }[] }>().items).toEqual([expect.objectContaining({ id, mrn })]);

    const summary = await app.inject({ method: 'GET', url: `/api/patients/${id}`, headers: h(coder) });
    expect(summary.statusCode).toBe(200);
    expect(summary.json()).toMatchObject({
      patient: { mrn, familyName: 'Quinlan' },
      encounters: [{ accountNumber: 'ACC-1', dischargeStatus: '01' }],
    });

    const log = await app.inject({ method: 'GET', url: `/api/audit/events?patientId=${id}`, headers: h(auditor) });
    expect(log.statusCode).toBe(200);
    const events = log.json<{ items: { action: string; username: string; ip: string; userAgent: string }[] }>().items;
    expect(events.map((e) => [e.action, e.username])).toEqual([
      ['create', clerk.username],
      ['create', clerk.username],
      ['read', coder.username],
    ]);
    expect(events[2]).toMatchObject({ ip: '127.0.0.1' });

    const csv = await app.inject({ method: 'GET', url: `/api/audit/events.csv?patientId=${id}`, headers: h(auditor) });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    // header, the three events, then the auditor's own read and export of this patient's log (also audited)
    expect(csv.body.trim().split('\r\n')).toHaveLength(1 + events.length + 2);

    const verify = await app.inject({ method: 'POST', url: '/api/audit/verify', headers: h(auditor) });
    expect(verify.json()).toMatchObject({ ok: true, breaks: [], breakCount: 0 });
  });

  it('keeps the audit chain intact after a sign-in whose username is not Unicode (a lone surrogate) or holds NUL', async () => {
    for (const username of ['\ud800', 'a\u0000b']) {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'wrong password' } });
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
    }
    const verify = await app.inject({ method: 'POST', url: '/api/audit/verify', headers: h(auditor) });
    expect(verify.json()).toMatchObject({ ok: true, breaks: [] });
  });

  it('answers 404 alike for a missing patient and names the field of a bad request', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/patients/0190c3e0-0000-7000-8000-000000000000', headers: h(coder) });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'not_found', status: 404 });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: h(clerk),
      payload: makePatientInput({ dateOfBirth: '17/05/1970' }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid', errors: [expect.objectContaining({ field: 'body.dateOfBirth' })] });
    expect(bad.body).not.toContain('17/05/1970');
  });

  it('breaks the glass on a restricted record and lists it for the director to review', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: h(clerk),
      payload: makePatientInput({ familyName: 'Vip', restricted: true, restrictionReason: 'VIP' }),
    });
    const { id } = created.json<{ id: string }>();
    const blocked = await app.inject({ method: 'GET', url: `/api/patients/${id}`, headers: h(coder) });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ code: 'break_glass_required' });
    const bg = await app.inject({
      method: 'POST',
      url: `/api/patients/${id}/break-glass`,
      headers: h(coder),
      payload: { reason: 'Coding the inpatient stay for DNFB' },
    });
    expect(bg.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/patients/${id}`, headers: h(coder) })).statusCode).toBe(200);
    const review = await app.inject({ method: 'GET', url: '/api/audit/break-glass?unreviewed=true', headers: h(director) });
    expect(review.json<{ items: { patientId: string; username: string }[] }>().items).toEqual([
      expect.objectContaining({ patientId: id, username: coder.username }),
    ]);
  });

  it('sends request ids, security headers and an OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json', headers: { 'x-request-id': 'trace-12345678' } });
    expect(res.headers['x-request-id']).toBe('trace-12345678');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/patients/search', '/api/auth/login', '/api/audit/events']));
  });

  it('refuses a body over the size limit', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: { ...h(clerk), 'content-type': 'application/json' },
      payload: JSON.stringify({ x: 'a'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
  });
});
