import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeActor, makeDeps, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { createMatcher, createPrng, defaultModel, parseMatchModel, type FieldName, type PersonRecord } from '../../core/matching/index.js';
import { Role, systemActor } from '../access/index.js';
import { queryAuditEvents } from '../audit/index.js';
import { createPatient, findMatchCandidates, type NewPatient } from '../patients/index.js';
import { fitMpiModel, getMpiModel, type MpiModelView } from './model.service.js';

const GIVEN = ['james', 'mary', 'robert', 'patricia', 'john', 'jennifer', 'michael', 'linda', 'david', 'elizabeth', 'thomas', 'susan', 'charles', 'karen', 'daniel', 'nancy', 'matthew', 'lisa', 'anthony', 'betty', 'oliver', 'amara', 'kenji', 'ingrid', 'mateo', 'fatima', 'lars', 'priya', 'tobias', 'yara'];
// Family names from two syllable lists (320 of them), so that a shared family name means something, as it does.
const FAMILY_HEAD = ['ok', 'lind', 'mor', 'cast', 'bren', 'whit', 'nak', 'kow', 'hadd', 'ferr', 'aber', 'dela', 'oye', 'petr', 'sand', 'thor', 'vuk', 'yam', 'ziel', 'quint'];
const FAMILY_TAIL = ['afor', 'qvist', 'eau', 'ellano', 'nan', 'aker', 'amura', 'alski', 'ad', 'eira', 'nathy', 'croix', 'laran', 'akis', 'oval', 'valdsen'];
const STREETS = ['elm street', 'oak avenue', 'maple drive', 'cedar lane', 'birch road', 'walnut court', 'pine street', 'hickory way', 'spruce street', 'willow road', 'ash lane', 'poplar avenue'];

/**
 * A small town's patients: everyone lives in Springfield, IL (so city and state tell people apart far less than
 * the default model assumes), every fifth person also registered a second time with a typo, a nickname or a
 * day/month swap. Seeded, so every run registers the same people.
 */
function population(count: number): NewPatient[] {
  const rand = createPrng(7);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
  const out: NewPatient[] = [];
  for (let i = 0; i < count; i++) {
    const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
    const p = makePatientInput({
      givenName: pick(GIVEN), familyName: pick(FAMILY_HEAD) + pick(FAMILY_TAIL), sex: rand() < 0.5 ? 'F' : 'M', dateOfBirth: `${1940 + Math.floor(rand() * 65)}-${month}-${day}`,
      address: { line1: `${1 + Math.floor(rand() * 900)} ${pick(STREETS)}`, city: 'Springfield', state: 'IL', postalCode: pick(['62701', '62702', '62703', '62704']) },
      phone: `217-555-${digits(4)}`, ...(rand() < 0.5 ? { ssn: `5${digits(2)}-${digits(2)}-${digits(4)}` } : {}),
    });
    out.push(p);
    if (i % 5 === 0) {
      const [y, m, d] = p.dateOfBirth!.split('-');
      const change = [
        { familyName: `${p.familyName}e` },
        { givenName: p.givenName === 'robert' ? 'bob' : p.givenName.slice(0, -1) },
        { dateOfBirth: Number(d) <= 12 ? `${y}-${d}-${m}` : `${y}-${m}-${String(Number(d) - 10).padStart(2, '0')}` },
      ][(i / 5) % 3];
      out.push({ ...p, ...change, phone: rand() < 0.5 ? p.phone : `217-555-${digits(4)}` });
    }
  }
  return out;
}

const defaultWeight = (field: FieldName, level: number) => Math.log2(defaultModel().fields[field].m[level]! / defaultModel().fields[field].u[level]!);
const weightOf = (v: MpiModelView, field: string, level: string) => v.fields.find((f) => f.field === field)!.levels.find((l) => l.level === level)!.weight;

describe.each(engines)('MPI model fitted to the stored patients on %s', (engine) => {
  let t: TestDatabase;
  let deps: ReturnType<typeof makeDeps>;
  const clerk = makeActor(Role.himClerk);
  const admin = systemActor('test-admin');
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    deps = makeDeps(t);
    await makeFacility(t);
  });
  afterEach(() => t.dispose());

  const register = async (people: NewPatient[]) => {
    const ids: string[] = [];
    for (const p of people) ids.push((await createPatient(deps, clerk, p)).id);
    return ids;
  };

  it('fits weights to the population, stores and audits the fit, and scores registration lookups with them', async () => {
    const people = population(200);
    const ids = await register(people);
    // The third registration: a person registered once (the first has a duplicate, the second is it).
    const person = people[2]!;
    const probe = { ...person, givenName: `${person.givenName}a`, phone: undefined };
    const { facilityId: _f, ...query } = probe;
    const before = await findMatchCandidates(deps, clerk, query);
    expect(before[0]?.patient.id).toBe(ids[2]);

    const out = await fitMpiModel(deps, admin);
    expect(out).toMatchObject({ fitted: true, reason: null, patients: people.length, model: { source: 'fitted', fittedBy: 'test-admin', patients: people.length } });
    expect(out.candidatePairs).toBeGreaterThan(50);
    expect(out.iterations).toBeGreaterThan(0);

    // Everyone lives in Springfield: agreeing on the city says little here, far less than the default assumes.
    expect(weightOf(out.model, 'city', 'exact')).toBeLessThan(1);
    expect(defaultWeight('city', 0)).toBeGreaterThan(5);
    expect(weightOf(out.model, 'state', 'exact')).toBeLessThan(defaultWeight('state', 0));
    // A date of birth still tells people apart: exact agreement weighs much, disagreement counts against.
    expect(weightOf(out.model, 'dateOfBirth', 'exact')).toBeGreaterThan(8);
    expect(weightOf(out.model, 'dateOfBirth', 'disagree')).toBeLessThan(0);

    const rows = await t.db.selectFrom('mpi_models').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: out.model.id, active: 1, patient_count: people.length, fitted_by: 'test-admin', fitted_at: '2026-03-01T08:00:00.000Z' });
    const stored = parseMatchModel(rows[0]!.model)!;
    expect(stored.prior).toBeCloseTo(out.model.prior, 12);
    expect(await getMpiModel(deps, clerk)).toEqual(out.model);

    const events = await queryAuditEvents(t.db, { action: 'fit' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ resourceType: 'mpi_model', resourceId: out.model.id, detail: { patients: people.length, fitted: true } });
    expect(JSON.stringify(events)).not.toMatch(new RegExp(`${person.familyName}|Springfield|217-555`, 'i'));

    const after = await findMatchCandidates(deps, clerk, query);
    expect(after[0]?.patient.id).toBe(ids[2]);
    const asStored: PersonRecord = { id: 'p', givenName: person.givenName, familyName: person.familyName, dateOfBirth: person.dateOfBirth!, sex: person.sex, street: person.address!.line1!, city: 'Springfield', state: 'IL', postcode: person.address!.postalCode!, phone: person.phone!, ...(person.ssn ? { ssn: person.ssn } : {}) };
    const asQuery: PersonRecord = { ...asStored, id: 'q', givenName: probe.givenName, phone: undefined };
    expect(after[0]!.weight).toBeCloseTo(createMatcher({ model: stored }).scorePair(asQuery, asStored).weight, 9);
    expect(before[0]!.weight).toBeCloseTo(createMatcher().scorePair(asQuery, asStored).weight, 9);
    expect(after[0]!.weight).not.toBeCloseTo(before[0]!.weight, 3);
  });

  it('supersedes the previous fit: one active model, the latest', async () => {
    await register(population(200));
    const first = await fitMpiModel(deps, admin);
    deps.clock.advance(60_000);
    const second = await fitMpiModel(deps, admin);
    const active = await t.db.selectFrom('mpi_models').select(['id', 'active']).orderBy('fitted_at').orderBy('id').execute();
    expect(active.map((r) => r.active).sort()).toEqual([0, 1]);
    expect(active.find((r) => r.active === 1)!.id).toBe(second.model.id);
    expect(second.model.id).not.toBe(first.model.id);
  });

  it('keeps the default model, says why and stores nothing when the patients are too few', async () => {
    const people = population(18);
    const ids = await register(people);
    const { facilityId: _f, ...query } = people[5]!;
    const before = await findMatchCandidates(deps, clerk, query);
    const out = await fitMpiModel(deps, admin);
    expect(out).toMatchObject({ fitted: false, reason: `${people.length} records, fewer than 100`, model: { source: 'default', id: null, prior: defaultModel().prior } });
    expect(await t.db.selectFrom('mpi_models').selectAll().execute()).toEqual([]);
    expect((await queryAuditEvents(t.db, { action: 'fit' }))[0]).toMatchObject({ outcome: 'success', detail: { fitted: false, patients: people.length } });
    const after = await findMatchCandidates(deps, clerk, query);
    expect(after.map((h) => [h.patient.id, h.weight])).toEqual(before.map((h) => [h.patient.id, h.weight]));
    expect(after.map((h) => h.patient.id)).toContain(ids[5]);
  });

  it('lets only an administrator fit the weights', async () => {
    await expect(fitMpiModel(deps, clerk)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await t.db.selectFrom('mpi_models').selectAll().execute()).toEqual([]);
  });
});
