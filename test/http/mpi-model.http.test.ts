import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../src/core/matching/index.js';
import { buildApp } from '../../src/app/server.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { makeAppDeps, signIn, type SignedIn } from '../support/sessions.js';

describe.each(engines)('the MPI matching model over HTTP on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let clerk: SignedIn, admin: SignedIn, coder: SignedIn;
  const h = (s: SignedIn) => ({ cookie: s.cookie, 'x-csrf-token': s.csrfToken });

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const deps = makeAppDeps(t);
    app = await buildApp(deps);
    [clerk, admin, coder] = [
      await signIn(app, deps, 'him_clerk'),
      await signIn(app, deps, 'administrator'),
      await signIn(app, deps, 'coder'),
    ];
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('shows the model to a clerk and to the administrator who fits it, not to a coder', async () => {
    for (const s of [clerk, admin]) {
      const res = await app.inject({ method: 'GET', url: '/api/mpi/model', headers: h(s) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        source: 'default',
        evaluation: { merged: { pairs: 0, atOrAboveReview: 0 }, notDuplicate: { pairs: 0, atOrAboveReview: 0 } },
      });
      expect((await app.inject({ method: 'GET', url: '/api/mpi/models', headers: h(s) })).json()).toEqual({ items: [] });
    }
    expect((await app.inject({ method: 'GET', url: '/api/mpi/model', headers: h(coder) })).statusCode).toBe(403);
  });

  it('answers problems for an unknown fit, a fit already in use and the default already in use', async () => {
    const missing = await app.inject({ method: 'POST', url: '/api/mpi/models/no-such-fit/activate', headers: h(admin) });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.json()).toMatchObject({ code: 'not_found', detail: 'fitted model not found' });
    const idle = await app.inject({ method: 'POST', url: '/api/mpi/model/reset', headers: h(admin) });
    expect(idle.statusCode).toBe(409);
    expect(idle.json()).toMatchObject({ code: 'conflict', detail: 'the default model is already in use' });

    await t.db
      .insertInto('mpi_models')
      .values({
        id: 'fit-1',
        fitted_at: '2026-02-01T09:00:00.000Z',
        fitted_by: 'admin',
        patient_count: 4200,
        candidate_pairs: 9100,
        random_pairs: 50000,
        estimated_matches: 130,
        iterations: 11,
        model: JSON.stringify({ ...defaultModel(), prior: 1e-6 }),
        active: 1,
      })
      .execute();
    expect((await app.inject({ method: 'POST', url: '/api/mpi/models/fit-1/activate', headers: h(admin) })).json()).toMatchObject({
      code: 'conflict',
      detail: 'this fit is already the model in use',
    });
    expect((await app.inject({ method: 'POST', url: '/api/mpi/model/reset', headers: h(clerk) })).statusCode).toBe(403);
    const reset = await app.inject({ method: 'POST', url: '/api/mpi/model/reset', headers: h(admin) });
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toMatchObject({ previousId: 'fit-1', model: { source: 'default' } });
    const back = await app.inject({ method: 'POST', url: '/api/mpi/models/fit-1/activate', headers: h(admin) });
    expect(back.json()).toMatchObject({ previousId: null, model: { source: 'fitted', id: 'fit-1', patients: 4200, prior: 1e-6 } });
    expect((await app.inject({ method: 'GET', url: '/api/mpi/models', headers: h(clerk) })).json()).toMatchObject({
      items: [{ id: 'fit-1', active: true, patients: 4200 }],
    });
  });
});
