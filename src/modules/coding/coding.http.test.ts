import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeActor, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { makeAppDeps, signIn, type SignedIn } from '../../../test/support/sessions.js';
import { newId } from '../../core/shared/ids.js';
import { buildApp } from '../../app/server.js';
import { Role } from '../access/index.js';
import { createEncounter, createPatient } from '../patients/index.js';
import { loadConfig } from '../../config/config.js';
import { createCodesService } from '../codes/index.js';

// One encoder for the file: the code sets take seconds to load from the raw CMS files.
const config = loadConfig({});
const codes = createCodesService({ dataDir: config.dataDir, codesetsDir: config.codesetsDir });

describe.each(engines)('coding and queries HTTP API on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let coder: SignedIn;
  let physician: SignedIn;
  let encounterId: string;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    const deps = { ...makeAppDeps(t, { start: '2026-03-10T08:00:00Z' }), codes };
    app = await buildApp(deps);
    await makeFacility(t);
    const providerId = newId();
    await t.db
      .insertInto('providers')
      .values({
        id: providerId,
        npi: null,
        family_name: 'Morgan',
        given_name: 'Alice',
        credentials: 'MD',
        specialty: null,
        created_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
    const clerk = makeActor(Role.himClerk);
    const p = await createPatient(deps, clerk, makePatientInput({ familyName: "O'Brien <script>", dateOfBirth: '1950-01-01', sex: 'M' }));
    encounterId = (
      await createEncounter(deps, clerk, p.id, {
        accountNumber: 'H100',
        type: 'inpatient',
        admitAt: '2026-03-01T10:00:00.000Z',
        dischargeAt: '2026-03-05T10:00:00.000Z',
        dischargeStatus: '01',
        attendingProviderId: providerId,
      })
    ).id;
    coder = await signIn(app, deps, Role.coder);
    physician = await signIn(app, deps, Role.physician);
    await t.db.updateTable('users').set({ provider_id: providerId }).where('id', '=', physician.userId).execute();
  });
  afterEach(async () => {
    await app.close();
    await t.dispose();
  });

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, s: SignedIn, payload?: object) =>
    app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken }, ...(payload ? { payload } : {}) });
  const data = { principalDx: { code: 'I50.23', poa: 'Y' }, secondaryDx: [{ code: 'N17.9', poa: 'Y' }], dischargeStatus: '01' };

  it('lists the worklist, saves a draft with the working DRG, refuses a blocked final code with problem+json, and final-codes', async () => {
    const list = await call('GET', '/api/coding/worklist?type=inpatient&sort=days', coder);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({
      total: 1,
      items: [{ encounterId, accountNumber: 'H100', daysSinceDischarge: 5, lengthOfStay: 4 }],
    });
    const draft = await call('PUT', `/api/coding/encounters/${encounterId}/draft`, coder, { data, expectedVersion: 0 });
    expect(draft.statusCode).toBe(200);
    expect(draft.json()).toMatchObject({ version: 1, workingDrg: '292' });
    const blocked = await call('POST', `/api/coding/encounters/${encounterId}/final`, coder, {
      data: { ...data, secondaryDx: [{ code: 'N17.9' }] },
    });
    expect(blocked.statusCode).toBe(412);
    expect(blocked.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(blocked.json().detail).toMatch(/POA/);
    const final = await call('POST', `/api/coding/encounters/${encounterId}/final`, coder, { expectedVersion: 1 });
    expect(final.json()).toMatchObject({ status: 'final', version: 2 });
    expect((await call('GET', '/api/coding/worklist', coder)).json().total).toBe(0);
  }, 60_000);

  it('serves a printable summary with every value escaped', async () => {
    await call('PUT', `/api/coding/encounters/${encounterId}/draft`, coder, { data });
    const res = await call('GET', `/api/coding/encounters/${encounterId}/summary`, coder);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('O&#39;Brien &lt;script&gt;');
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain('I50.23');
    expect(res.body).toContain('@media print');
  }, 60_000);

  it('refuses a leading query, sends a compliant one, and lets the physician answer it', async () => {
    const body = {
      type: 'multiple_choice',
      question: 'Would you agree the patient has acute kidney injury?',
      options: ['Acute kidney injury', 'Chronic kidney disease only', 'Other (please specify)', 'Clinically undetermined'],
      indicators: [{ kind: 'lab', text: 'Creatinine 1.3 -> 2.2 mg/dL' }],
    };
    const check = await call('POST', '/api/queries/check', coder, body);
    expect(check.json().problems).toEqual([expect.objectContaining({ rule: 'leading', phrase: 'Would you agree' })]);
    expect((await call('POST', `/api/coding/encounters/${encounterId}/queries`, coder, body)).statusCode).toBe(400);
    const sent = await call('POST', `/api/coding/encounters/${encounterId}/queries`, coder, {
      ...body,
      question: 'Based on the creatinine trend below, can the clinical significance be further specified?',
    });
    expect(sent.statusCode).toBe(201);
    const inbox = await call('GET', '/api/queries/inbox', physician);
    expect(inbox.json().items).toEqual([expect.objectContaining({ id: sent.json().id, accountNumber: 'H100' })]);
    const answer = await call('POST', `/api/queries/${sent.json().id}/answer`, physician, { choice: 'Acute kidney injury', attest: true });
    expect(answer.statusCode).toBe(200);
    expect((await call('GET', '/api/notifications', coder)).json().items).toEqual([
      expect.objectContaining({ kind: 'query_answered', encounterId }),
    ]);
  });
});
