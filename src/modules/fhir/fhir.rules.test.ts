import { describe, expect, it } from 'vitest';
import type { Patient } from '@medplum/fhirtypes';
import {
  dateBounds,
  grantScopes,
  parseDateSearch,
  parseScope,
  parseScopes,
  parseTokenSearch,
  scopeFor,
  versionIdOf,
  versionOfIfMatch,
  withVersion,
} from './fhir.rules.js';

describe('SMART scopes (SMART App Launch 2.0, "Scopes": v1 and v2 syntax)', () => {
  it.each([
    ['system/Patient.read', 'system', 'Patient', 'rs'],
    ['system/*.rs', 'system', '*', 'rs'],
    ['patient/*.read', 'patient', '*', 'rs'],
    ['patient/Encounter.r', 'patient', 'Encounter', 'r'],
    ['system/*.cruds', 'system', '*', 'cruds'],
    ['user/*.*', 'user', '*', 'cruds'],
  ])('reads %s', (text, context, type, perms) => {
    const s = parseScope(text)!;
    expect({
      context: s.context,
      type: s.resourceType,
      perms: (['c', 'r', 'u', 'd', 's'] as const).filter((c) => s.interactions.has(c)).join(''),
    }).toEqual({
      context,
      type,
      perms,
    });
  });
  it.each(['launch', 'openid', 'system/patient.read', 'system/*.sr', 'system/Patient.rs?category=x', 'org/*.rs'])('refuses %s', (text) => {
    expect(parseScope(text)).toBeUndefined();
  });
  it('grants only requested scopes a registered scope covers (Backend Services: never more than registered)', () => {
    const registered = parseScopes('system/Patient.rs system/Encounter.read').scopes;
    expect(grantScopes(registered, parseScopes('system/Patient.r system/Condition.rs').scopes).map((s) => s.text)).toEqual([
      'system/Patient.r',
    ]);
    expect(grantScopes(registered, undefined).map((s) => s.text)).toEqual(['system/Patient.rs', 'system/Encounter.read']);
  });
  it('binds patient scopes to the grant patient, and lets system scopes reach any record', () => {
    const patient = { scopes: parseScopes('patient/*.rs').scopes, patientId: 'p1' };
    expect(scopeFor(patient, 'Encounter', 's')).toEqual({ allowed: true, patientId: 'p1' });
    expect(scopeFor({ scopes: parseScopes('system/Patient.r').scopes, patientId: null }, 'Patient', 's')).toEqual({ allowed: false });
    expect(scopeFor({ scopes: parseScopes('system/Patient.r').scopes, patientId: null }, 'Patient', 'r')).toEqual({
      allowed: true,
      patientId: null,
    });
  });
});

describe('date search prefixes (FHIR R4 search, "prefix")', () => {
  it.each([
    ['2026-03-01', 'eq', '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z'],
    ['ge2026-03', 'ge', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ['lt2026', 'lt', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['le2026-12-31', 'le', '2026-12-31T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['gt2026-03-01T10:00:00Z', 'gt', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:01.000Z'],
    ['eq2026-03-01T10:00:00+02:00', 'eq', '2026-03-01T08:00:00.000Z', '2026-03-01T08:00:01.000Z'],
  ])('reads %s as a range', (raw, prefix, start, end) => {
    expect(parseDateSearch(raw)).toEqual({ prefix, start, end });
  });
  it.each(['sa2026', '2026-13', '26-01-01', 'yesterday'])('refuses %s', (raw) => expect(parseDateSearch(raw)).toBeUndefined());
  it('compares stored instants with and without milliseconds alike', () => {
    const within = (v: string, raw: string) => dateBounds(parseDateSearch(raw)!).every(([op, b]) => (op === '>=' ? v >= b : v < b));
    expect(within('2026-03-01T00:00:00Z', 'eq2026-03-01')).toBe(true);
    expect(within('2026-03-02T00:00:00Z', 'le2026-03-01')).toBe(false);
    expect(within('2026-02-28T23:59:59.999Z', 'lt2026-03-01')).toBe(true);
    expect(within('2026-03-01T00:00:00Z', 'gt2026-02-28')).toBe(true);
  });
});

describe('token search values (FHIR R4 search, "token")', () => {
  it.each([
    ['http://hl7.org/fhir/sid/icd-10-cm|A41.9', { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'A41.9' }],
    ['A41.9', { system: undefined, code: 'A41.9' }],
    ['|A41.9', { system: '', code: 'A41.9' }],
    ['http://loinc.org|', { system: 'http://loinc.org', code: undefined }],
  ])('reads %s', (raw, want) => expect(parseTokenSearch(raw)).toEqual(want));
});

describe('versions (FHIR R4 RESTful API, "Managing Resource Contention")', () => {
  it.each([
    ['W/"0a1b2c3d4e5f6a7b"', '0a1b2c3d4e5f6a7b'],
    ['"0a1b"', '0a1b'],
    ['0a1b', '0a1b'],
    ['W/"not a version"', ''],
  ])('reads If-Match %s', (header, want) => expect(versionOfIfMatch(header)).toBe(want));

  it('changes the versionId exactly when the content changes, not when only meta does', () => {
    const a: Patient = { resourceType: 'Patient', id: 'p1', meta: { lastUpdated: '2026-01-01T00:00:00.000Z' }, gender: 'female' };
    expect(versionIdOf(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(versionIdOf({ ...a, meta: { lastUpdated: '2027-01-01T00:00:00.000Z' } })).toBe(versionIdOf(a));
    expect(versionIdOf({ ...a, gender: 'male' })).not.toBe(versionIdOf(a));
    expect(withVersion(a).meta?.versionId).toBe(versionIdOf(a));
    const bare: Patient = { resourceType: 'Patient', id: 'p2' };
    expect(withVersion(bare).meta).toBeUndefined();
  });
});
