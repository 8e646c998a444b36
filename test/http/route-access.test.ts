import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/server.js';
import { roleMeets, roles, type PermissionRule, type Role } from '../../src/modules/access/index.js';
import { createCodesService } from '../../src/modules/codes/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { makeAppDeps, signIn, type SignedIn } from '../support/sessions.js';
import { fhirWalkRoutes } from './restricted-walk.fhir-fixture.js';

/**
 * Permission denial for every role on every route that exists: the table is read from the running app, so a new
 * route is covered the moment it is registered (and the app refuses to start when a route has no access rule).
 */
describe('access rules of every API route', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const sessions = new Map<Role, SignedIn>();

  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    // The walk checks the access layer, which answers before any handler runs. With the real code sets the first
    // allowed call to an encoder route spends ~10 s parsing the CMS files (25-30 s on a busy machine); a codes
    // service whose sets cannot be loaded answers those routes 412 at once, which is as much "let through" as a 200.
    const noCodeSets = path.join(os.tmpdir(), `custodian-route-access-no-code-sets-${process.pid}`);
    const deps = { ...makeAppDeps(t), codes: createCodesService({ dataDir: noCodeSets, codesetsDir: noCodeSets }) };
    app = await buildApp(deps);
    for (const role of roles) sessions.set(role, await signIn(app, deps, role));
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  const call = (method: string, url: string, s?: SignedIn) =>
    app.inject({
      method: method as 'GET',
      url: url.replace(/:[A-Za-z]+/g, '00000000-0000-7000-8000-000000000000'),
      headers: s ? { cookie: s.cookie, 'x-csrf-token': s.csrfToken } : {},
      ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
    });

  it('lists a rule for every route, and there are routes to check', () => {
    expect(app.apiRoutes.length).toBeGreaterThan(10);
    for (const r of app.apiRoutes) expect(r.access, `${r.method} ${r.url}`).toBeTruthy();
  });

  it('answers 401 without a session on every route that is not public', async () => {
    for (const r of app.apiRoutes.filter((x) => x.access !== 'public')) {
      const res = await call(r.method, r.url);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('answers 403 to every role that lacks the route permission, and lets the others through', async () => {
    const failures: string[] = [];
    for (const r of app.apiRoutes.filter((x) => x.access !== 'public' && x.access !== 'authenticated')) {
      for (const role of roles) {
        const res = await call(r.method, r.url, sessions.get(role));
        const allowed = roleMeets(role, r.access as PermissionRule);
        const denied = res.statusCode === 403 && res.json<{ code: string }>().code === 'forbidden';
        if (allowed === denied)
          failures.push(`${role} ${r.method} ${r.url}: ${res.statusCode} (${allowed ? 'should pass' : 'should be denied'})`);
      }
    }
    expect(failures).toEqual([]);
  });

  // The FHIR API (src/modules/fhir) lives outside /api: its routes and rules come from its walk fixture.
  const U = '00000000-0000-7000-8000-000000000000';
  const fhirIds: Record<string, string> = { Condition: `${U}.dx1`, Procedure: `${U}.px1`, Binary: `${U}.v1` };
  const clinical = ['Encounter', 'Condition', 'Procedure', 'DocumentReference'];
  const fhirUrl = (url: string) => {
    const type = url.split('/')[2] ?? '';
    const filled = url.replace(':id', fhirIds[type] ?? U).replace(':vid', '0');
    return clinical.includes(type) && /^\/fhir\/\w+(\/_search)?$/.test(url) ? `${filled}?patient=${U}` : filled;
  };
  const publicFhir = new Set(['/fhir/metadata', '/fhir/.well-known/smart-configuration', '/fhir/auth/token']);

  it('answers 401 (an OperationOutcome) on every FHIR route but the metadata and the token endpoint without credentials', async () => {
    for (const r of fhirWalkRoutes.filter((x) => !publicFhir.has(x.url))) {
      const res = await call(r.method, fhirUrl(r.url));
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.json<{ resourceType: string }>().resourceType).toBe('OperationOutcome');
    }
  });

  it('answers 403 on every FHIR route to every role that lacks its permission, and lets the others through', async () => {
    const failures: string[] = [];
    for (const r of fhirWalkRoutes.filter((x) => x.access !== 'public')) {
      for (const role of roles) {
        const res = await call(r.method, fhirUrl(r.url), sessions.get(role));
        const allowed = r.access !== 'public' && roleMeets(role, r.access);
        const code = res.json<{ issue?: { details?: { coding?: { code?: string }[] } }[] }>().issue?.[0]?.details?.coding?.[0]?.code;
        const denied = res.statusCode === 403 && code === 'forbidden';
        if (allowed === denied)
          failures.push(`${role} ${r.method} ${r.url}: ${res.statusCode} ${code ?? ''} (${allowed ? 'should pass' : 'should be denied'})`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('rejects a state-changing request without the CSRF token', async () => {
    const s = sessions.get('him_clerk')!;
    const res = await app.inject({ method: 'POST', url: '/api/patients', headers: { cookie: s.cookie }, payload: {} });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(/csrf/i) });
  });

  it('refuses to start when a route has no access rule', async () => {
    const t2 = await createTestDatabase('sqlite');
    const deps = makeAppDeps(t2);
    const a = await buildApp(deps);
    expect(() => a.get('/api/unguarded', async () => 'x')).toThrow(/no access rule/);
    await a.close();
    await t2.dispose();
  });
});
