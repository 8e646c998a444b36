import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/bootstrap.js';
import { buildApp } from '../../src/app/server.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { makeFacility, makePatientInput } from '../support/factories.js';
import { makeAppDeps, signIn, type SignedIn } from '../support/sessions.js';

/**
 * PHI never reaches the server's log (HIPAA 164.312(b), 164.502(b)): the real logger at level debug, over a
 * working day's calls that carry names, a date of birth and an SSN in bodies, answers and errors.
 */
describe('the server log', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let clerk: SignedIn;
  const lines: string[] = [];
  const h = (s: SignedIn) => ({ cookie: s.cookie, 'x-csrf-token': s.csrfToken });
  const phi = ['Quillfeather', 'Ottoline', '1958-11-23', '11/23/1958', '219-09-9999', '219099999', '555-0142'];

  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    const sink = new Writable({
      write: (chunk: Buffer, _e, done) => {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const deps = { ...makeAppDeps(t), logger: createLogger({ logLevel: 'debug' }, sink) };
    await makeFacility(t);
    app = await buildApp(deps);
    clerk = await signIn(app, deps, 'him_clerk');
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('carries ids, paths and statuses, never the names, dates of birth, SSNs or phones of the requests', async () => {
    const person = makePatientInput({
      familyName: 'Quillfeather',
      givenName: 'Ottoline',
      dateOfBirth: '1958-11-23',
      ssn: '219-09-9999',
      phone: '555-0142',
    });
    const created = await app.inject({ method: 'POST', url: '/api/patients', headers: h(clerk), payload: person });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/patients/search',
          headers: h(clerk),
          payload: { q: 'Quillfeather, Ottoline 11/23/1958' },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/patients/match-candidates',
          headers: h(clerk),
          payload: { familyName: 'Quillfeather', givenName: 'Ottoline', dateOfBirth: '1958-11-23', ssn: '219-09-9999' },
        })
      ).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/patients/${id}`, headers: h(clerk) })).statusCode).toBe(200);
    // Errors: a bad value in a body full of PHI, and a path that does not exist with PHI in its query string.
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/patients',
          headers: h(clerk),
          payload: { ...person, dateOfBirth: '23/11/1958 Quillfeather' },
        })
      ).statusCode,
    ).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/nowhere?name=Quillfeather&dob=1958-11-23', headers: h(clerk) })).statusCode).toBe(
      404,
    );

    expect(lines.length).toBeGreaterThan(5);
    const leaks = lines.filter((l) => phi.some((p) => l.includes(p)));
    expect(leaks).toEqual([]);
    expect(lines.some((l) => l.includes(id) || l.includes('"path":"/api/patients/'))).toBe(true);
  });
});
