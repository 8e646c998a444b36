import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/server.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { makeFacility, makePatientInput } from '../support/factories.js';
import { makeAppDeps, signIn, type SignedIn } from '../support/sessions.js';

describe.each(engines)('registration, MPI and the HL7 message log over HTTP on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let clerk: SignedIn, admin: SignedIn, coder: SignedIn;
  const h = (s: SignedIn) => ({ cookie: s.cookie, 'x-csrf-token': s.csrfToken });

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const deps = makeAppDeps(t);
    await makeFacility(t);
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

  it('shows match candidates before registering, edits, lists the duplicate, merges and unmerges', async () => {
    const person = makePatientInput({ familyName: 'Okonkwo', givenName: 'Nneka', dateOfBirth: '1975-08-21', phone: '312-555-0199' });
    const first = await app.inject({ method: 'POST', url: '/api/patients', headers: h(clerk), payload: person });
    expect(first.statusCode).toBe(201);
    const a = first.json<{ id: string; mrn: string }>();
    const { facilityId: _f, ...query } = { ...person, givenName: 'Neka', dateOfBirth: '1975-08-12' };
    const cands = await app.inject({ method: 'POST', url: '/api/patients/match-candidates', headers: h(clerk), payload: query });
    expect(cands.statusCode).toBe(200);
    expect(cands.json<{ items: { patient: { id: string }; score: number }[] }>().items[0]).toMatchObject({ patient: { id: a.id } });

    const second = await app.inject({ method: 'POST', url: '/api/patients', headers: h(clerk), payload: { ...person, givenName: 'Neka' } });
    const b = second.json<{ id: string; newDuplicatePairs: number }>();
    expect(b.newDuplicatePairs).toBe(1);
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/patients/${b.id}`,
      headers: h(clerk),
      payload: { email: 'nneka@example.org', middleName: null },
    });
    expect(patch.statusCode).toBe(200);
    await app.inject({
      method: 'POST',
      url: `/api/patients/${b.id}/encounters`,
      headers: h(clerk),
      payload: { accountNumber: 'H-1', type: 'outpatient', admitAt: '2026-02-01T09:00:00Z' },
    });

    const list = await app.inject({ method: 'GET', url: '/api/mpi/duplicates', headers: h(clerk) });
    const pairs = list.json<{ items: { id: string }[] }>().items;
    expect(pairs).toHaveLength(1);
    const pair = await app.inject({ method: 'GET', url: `/api/mpi/duplicates/${pairs[0]!.id}`, headers: h(clerk) });
    expect(pair.json()).toMatchObject({
      comparison: expect.arrayContaining([{ field: 'givenName', level: expect.any(String), weight: expect.any(Number) }]),
    });
    expect((await app.inject({ method: 'GET', url: '/api/mpi/duplicates', headers: h(coder) })).statusCode).toBe(403);

    const merge = await app.inject({
      method: 'POST',
      url: '/api/mpi/merges',
      headers: h(clerk),
      payload: { survivorId: a.id, mergedId: b.id, reason: 'same person' },
    });
    expect(merge.statusCode).toBe(201);
    const { mergeId } = merge.json<{ mergeId: string }>();
    const survivor = await app.inject({ method: 'GET', url: `/api/patients/${a.id}/encounters`, headers: h(clerk) });
    expect(survivor.json<{ items: { accountNumber: string }[] }>().items.map((e) => e.accountNumber)).toEqual(['H-1']);
    const undo = await app.inject({ method: 'POST', url: `/api/mpi/merges/${mergeId}/unmerge`, headers: h(clerk) });
    expect(undo.json()).toMatchObject({ restored: 1, missing: 0 });
    const back = await app.inject({ method: 'GET', url: `/api/patients/${b.id}/encounters`, headers: h(clerk) });
    expect(back.json<{ items: { accountNumber: string }[] }>().items.map((e) => e.accountNumber)).toEqual(['H-1']);
  });

  it('receives a message, lists it without raw text, shows it with an audited read and reprocesses a failed one', async () => {
    const msg =
      'MSH|^~\\&|REG|MAIN|CUSTODIAN|fac-test|20260301080000||ADT^A11^ADT_A09|HT1|P|2.5.1\rPID|1||Z9^^^REG^MR||Ferreira^Ines||19900101|F|||||||||||||||\rPV1|1|I|||||||||||||||||ACC-77\r';
    const rec = await app.inject({ method: 'POST', url: '/api/interfaces/hl7/messages', headers: h(admin), payload: { message: msg } });
    expect(rec.json()).toMatchObject({ status: 'error', ackCode: 'AE' });
    const { messageId } = rec.json<{ messageId: string }>();
    const log = await app.inject({ method: 'GET', url: '/api/interfaces/hl7/messages?status=error', headers: h(admin) });
    expect(log.statusCode).toBe(200);
    expect(log.body).not.toContain('Ferreira');
    expect(log.json<{ items: { id: string; errorText: string }[] }>().items[0]).toMatchObject({
      id: messageId,
      errorText: expect.stringContaining('PV1-19'),
    });
    const one = await app.inject({ method: 'GET', url: `/api/interfaces/hl7/messages/${messageId}`, headers: h(admin) });
    expect(one.json<{ raw: string }>().raw).toBe(msg);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'resource_id'])
      .where('resource_type', '=', 'hl7_message')
      .execute();
    expect(audit).toEqual([{ action: 'read', resource_id: messageId }]);
    const again = await app.inject({ method: 'POST', url: `/api/interfaces/hl7/messages/${messageId}/reprocess`, headers: h(admin) });
    expect(again.json()).toMatchObject({ status: 'error', ackCode: 'AE' });
    expect((await app.inject({ method: 'GET', url: '/api/interfaces/hl7/messages', headers: h(clerk) })).statusCode).toBe(403);
  });
});
