import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/deps.js';
import { documentsDepsOf } from '../../src/app/modules.js';
import { buildApp } from '../../src/app/server.js';
import { Role, systemActor } from '../../src/modules/access/index.js';
import { createDocumentsService } from '../../src/modules/documents/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { makeFacility, makePatientInput } from '../support/factories.js';
import { makeAppDeps, signIn, type SignedIn } from '../support/sessions.js';

/** Amendment requests and retention over HTTP: the answers, the errors that name the field, the certificate PDF. */
describe.each(engines)('amendments and retention over HTTP on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let deps: AppDeps;
  let clerk: SignedIn, director: SignedIn, coder: SignedIn;
  let patientId: string;
  let documentId: string;
  const h = (s: SignedIn) => ({ cookie: s.cookie, 'x-csrf-token': s.csrfToken });

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    deps = makeAppDeps(t); // clock at 2026-03-01
    await makeFacility(t);
    app = await buildApp(deps);
    [clerk, director, coder] = [
      await signIn(app, deps, 'him_clerk'),
      await signIn(app, deps, 'him_director'),
      await signIn(app, deps, 'coder'),
    ];
    const system = { ...systemActor('test'), role: Role.himDirector };
    const created = await app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: h(clerk),
      payload: makePatientInput({ familyName: 'Lowell' }),
    });
    patientId = created.json<{ id: string }>().id;
    const doc = await createDocumentsService(documentsDepsOf(deps)).fileDocument(system, {
      patientId,
      typeCode: 'PN',
      source: 'scan',
      serviceAt: '2012-03-04T10:00:00Z',
      content: { bytes: new TextEncoder().encode('Progress note 2012'), mediaType: 'text/plain' },
    });
    documentId = doc.id;
  });
  afterAll(async () => {
    // Unset when beforeAll failed before assigning them (the declared types cannot say so).
    /* eslint-disable @typescript-eslint/no-unnecessary-condition */
    await app?.close();
    await t?.dispose();
    /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  });

  it('logs, denies and keeps the statement of disagreement with the record', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/amendments',
      headers: h(clerk),
      payload: { patientId, information: 'x', requestedChange: 'y', receivedOn: '2026-02-30', receivedVia: 'mail' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('receivedOn');
    const created = await app.inject({
      method: 'POST',
      url: '/api/amendments',
      headers: h(clerk),
      payload: {
        patientId,
        documentIds: [documentId],
        information: 'Note of 2012',
        requestedChange: 'Wrong side',
        receivedOn: '2026-02-20',
        receivedVia: 'mail',
      },
    });
    expect(created.statusCode).toBe(201);
    const a = created.json<{ id: string; dueOn: string; clock: { state: string } }>();
    expect(a).toMatchObject({ dueOn: '2026-04-21', clock: { state: 'on_time' } });
    const denied = await app.inject({
      method: 'POST',
      url: `/api/amendments/${a.id}/deny`,
      headers: h(director),
      payload: { basis: 'accurate_and_complete', explanation: 'The note matches the imaging report.' },
    });
    expect(denied.statusCode).toBe(200);
    const stmt = await app.inject({
      method: 'POST',
      url: `/api/amendments/${a.id}/disagreement`,
      headers: h(clerk),
      payload: { text: 'I disagree.', receivedOn: '2026-03-01' },
    });
    expect(stmt.statusCode).toBe(200);
    const docs = await app.inject({ method: 'GET', url: `/api/patients/${patientId}/documents`, headers: h(clerk) });
    expect(docs.json<{ items: { typeCode: string }[] }>().items.filter((d) => d.typeCode === 'AMEND')).toHaveLength(2);
    const again = await app.inject({
      method: 'POST',
      url: `/api/amendments/${a.id}/accept`,
      headers: h(director),
      payload: { documentId, amendmentText: 'late' },
    });
    expect(again.statusCode).toBe(409);
    expect((await app.inject({ method: 'GET', url: '/api/amendments', headers: h(coder) })).statusCode).toBe(403);
  });

  it('destroys an eligible document in an approved batch and serves the certificate as a PDF', async () => {
    const eligible = await app.inject({ method: 'GET', url: '/api/retention/eligible', headers: h(director) });
    expect(eligible.statusCode).toBe(200);
    const items = eligible.json<{ items: { documentId: string; eligibleOn: string }[] }>().items;
    expect(items).toEqual([expect.objectContaining({ documentId, eligibleOn: '2017-03-04' })]);
    const made = await app.inject({
      method: 'POST',
      url: '/api/retention/batches',
      headers: h(director),
      payload: { documentIds: [documentId] },
    });
    expect(made.statusCode).toBe(201);
    const id = made.json<{ id: string }>().id;
    expect(
      (await app.inject({ method: 'GET', url: `/api/retention/batches/${id}/certificate.pdf`, headers: h(director) })).statusCode,
    ).toBe(409);
    expect(
      (await app.inject({ method: 'POST', url: `/api/retention/batches/${id}/approve`, headers: h(director), payload: {} })).statusCode,
    ).toBe(200);
    const done = await app.inject({ method: 'POST', url: `/api/retention/batches/${id}/execute`, headers: h(director), payload: {} });
    expect(done.json()).toMatchObject({ status: 'completed', destroyedCount: 1, skippedCount: 0 });
    const pdf = await app.inject({ method: 'GET', url: `/api/retention/batches/${id}/certificate.pdf`, headers: h(director) });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await app.inject({ method: 'GET', url: '/api/retention/rule-sets', headers: h(clerk) })).statusCode).toBe(403);
  });
});
