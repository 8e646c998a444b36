import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeActor, makeDeps, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import {
  countTermFrequencies,
  createMatcher,
  createPrng,
  defaultModel,
  normalizeRecord,
  parseMatchModel,
  type FieldName,
  type PersonRecord,
} from '../../core/matching/index.js';
import { Role, systemActor } from '../access/index.js';
import { queryAuditEvents } from '../audit/index.js';
import { createPatient, findMatchCandidates, updatePatient, type NewPatient } from '../patients/index.js';
import { mergePatients, unmergePatients } from './merge.service.js';
import { evaluateAgainstDecisions } from './model-evaluation.js';
import { activateMpiModel, fitMpiModel, getMpiModel, listMpiModels, resetMpiModel, type MpiModelView } from './model.service.js';
import { listDuplicatePairs, markNotDuplicate } from './worklist.service.js';

const GIVEN = [
  'james',
  'mary',
  'robert',
  'patricia',
  'john',
  'jennifer',
  'michael',
  'linda',
  'david',
  'elizabeth',
  'thomas',
  'susan',
  'charles',
  'karen',
  'daniel',
  'nancy',
  'matthew',
  'lisa',
  'anthony',
  'betty',
  'oliver',
  'amara',
  'kenji',
  'ingrid',
  'mateo',
  'fatima',
  'lars',
  'priya',
  'tobias',
  'yara',
];
// Family names from two syllable lists (320 of them), so that a shared family name means something, as it does.
const FAMILY_HEAD = [
  'ok',
  'lind',
  'mor',
  'cast',
  'bren',
  'whit',
  'nak',
  'kow',
  'hadd',
  'ferr',
  'aber',
  'dela',
  'oye',
  'petr',
  'sand',
  'thor',
  'vuk',
  'yam',
  'ziel',
  'quint',
];
const FAMILY_TAIL = [
  'afor',
  'qvist',
  'eau',
  'ellano',
  'nan',
  'aker',
  'amura',
  'alski',
  'ad',
  'eira',
  'nathy',
  'croix',
  'laran',
  'akis',
  'oval',
  'valdsen',
];
const STREETS = [
  'elm street',
  'oak avenue',
  'maple drive',
  'cedar lane',
  'birch road',
  'walnut court',
  'pine street',
  'hickory way',
  'spruce street',
  'willow road',
  'ash lane',
  'poplar avenue',
];

/**
 * A small town's patients: everyone lives in Springfield, IL (so city and state tell people apart far less than
 * the default model assumes), every fifth person also registered a second time with a typo, a nickname or a
 * day/month swap. Seeded, so every run registers the same people.
 */
function population(count: number): NewPatient[] {
  const rand = createPrng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
  const out: NewPatient[] = [];
  for (let i = 0; i < count; i++) {
    const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
    const p = makePatientInput({
      givenName: pick(GIVEN),
      familyName: pick(FAMILY_HEAD) + pick(FAMILY_TAIL),
      sex: rand() < 0.5 ? 'F' : 'M',
      dateOfBirth: `${1940 + Math.floor(rand() * 65)}-${month}-${day}`,
      address: {
        line1: `${1 + Math.floor(rand() * 900)} ${pick(STREETS)}`,
        city: 'Springfield',
        state: 'IL',
        postalCode: pick(['62701', '62702', '62703', '62704']),
      },
      phone: `217-555-${digits(4)}`,
      ...(rand() < 0.5 ? { ssn: `5${digits(2)}-${digits(2)}-${digits(4)}` } : {}),
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

const defaultWeight = (field: FieldName, level: number) =>
  Math.log2(defaultModel().fields[field].m[level]! / defaultModel().fields[field].u[level]!);
const weightOf = (v: MpiModelView, field: string, level: string) =>
  v.fields.find((f) => f.field === field)!.levels.find((l) => l.level === level)!.weight;

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
    expect(out).toMatchObject({
      fitted: true,
      reason: null,
      patients: people.length,
      model: { source: 'fitted', fittedBy: 'test-admin', patients: people.length },
    });
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
    expect(rows[0]).toMatchObject({
      id: out.model.id,
      active: 1,
      patient_count: people.length,
      fitted_by: 'test-admin',
      fitted_at: '2026-03-01T08:00:00.000Z',
    });
    const stored = parseMatchModel(rows[0]!.model)!;
    expect(stored.prior).toBeCloseTo(out.model.prior, 12);
    expect(await getMpiModel(deps, clerk)).toEqual(out.model);

    const events = await queryAuditEvents(t.db, { action: 'fit' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      resourceType: 'mpi_model',
      resourceId: out.model.id,
      detail: { patients: people.length, fitted: true },
    });
    expect(JSON.stringify(events)).not.toMatch(new RegExp(`${person.familyName}|Springfield|217-555`, 'i'));

    const after = await findMatchCandidates(deps, clerk, query);
    expect(after[0]?.patient.id).toBe(ids[2]);
    const asStored: PersonRecord = {
      id: 'p',
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth!,
      sex: person.sex,
      street: person.address!.line1!,
      city: 'Springfield',
      state: 'IL',
      postcode: person.address!.postalCode!,
      phone: person.phone!,
      ...(person.ssn ? { ssn: person.ssn } : {}),
    };
    const asQuery: PersonRecord = { ...asStored, id: 'q', givenName: probe.givenName, phone: undefined };
    // Live lookups weigh exact agreements by the fitted population's term frequencies, as batch linkage does.
    const termFrequencies = countTermFrequencies(
      people.map((p, i) =>
        normalizeRecord({ id: String(i), givenName: p.givenName, familyName: p.familyName, dateOfBirth: '', city: p.address?.city }),
      ),
    );
    const withTf = createMatcher({ model: stored, termFrequencies }).scorePair(asQuery, asStored);
    expect(after[0]!.weight).toBeCloseTo(withTf.weight, 9);
    expect(withTf.weight).not.toBeCloseTo(createMatcher({ model: stored }).scorePair(asQuery, asStored).weight, 3);
    // The stored tables hold counts under keyed hashes, not names.
    expect(rows[0]!.model).toContain('termFrequencies');
    expect(rows[0]!.model).not.toMatch(new RegExp(`${person.familyName}|springfield`, 'i'));
    expect(before[0]!.weight).toBeCloseTo(createMatcher().scorePair(asQuery, asStored).weight, 9);
    expect(after[0]!.weight).not.toBeCloseTo(before[0]!.weight!, 3);
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
    expect(out).toMatchObject({
      fitted: false,
      reason: `${people.length} records, fewer than 100`,
      model: { source: 'default', id: null, prior: defaultModel().prior },
    });
    expect(await t.db.selectFrom('mpi_models').selectAll().execute()).toEqual([]);
    expect((await queryAuditEvents(t.db, { action: 'fit' }))[0]).toMatchObject({
      outcome: 'success',
      detail: { fitted: false, patients: people.length },
    });
    const after = await findMatchCandidates(deps, clerk, query);
    expect(after.map((h) => [h.patient.id, h.weight])).toEqual(before.map((h) => [h.patient.id, h.weight]));
    expect(after.map((h) => h.patient.id)).toContain(ids[5]);
  });

  it('lets only an administrator fit the weights', async () => {
    await expect(fitMpiModel(deps, clerk)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await t.db.selectFrom('mpi_models').selectAll().execute()).toEqual([]);
  });

  it('shows the model and its fits to HIM clerks and administrators, refuses other roles, and lets only an administrator change it', async () => {
    const coder = makeActor(Role.coder);
    expect(await getMpiModel(deps, admin)).toMatchObject({
      source: 'default',
      evaluation: { merged: { pairs: 0 }, notDuplicate: { pairs: 0 } },
    });
    expect(await getMpiModel(deps, clerk)).toEqual(await getMpiModel(deps, admin));
    expect(await listMpiModels(deps, clerk)).toEqual([]);
    expect(await listMpiModels(deps, admin)).toEqual([]);
    await expect(getMpiModel(deps, coder)).rejects.toMatchObject({
      code: 'forbidden',
      message: 'your role may not mpi merge or interface admin',
    });
    await expect(listMpiModels(deps, coder)).rejects.toMatchObject({ code: 'forbidden' });
    const denied = await queryAuditEvents(t.db, { action: 'access_denied' });
    expect(denied.map((e) => [e.username, e.resourceType, e.detail])).toEqual([
      [coder.username, 'mpi_model', { permission: 'mpi:merge | interface:admin' }],
      [coder.username, 'mpi_model', { permission: 'mpi:merge | interface:admin' }],
    ]);
    await expect(resetMpiModel(deps, clerk)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(activateMpiModel(deps, clerk, 'any')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('lists the fits newest first, goes back to the default model and then to an earlier fit, each live at once and audited', async () => {
    const people = population(250);
    const firstPart = population(200);
    await register(firstPart);
    const person = people[2]!;
    const { facilityId: _f, ...query } = { ...person, givenName: `${person.givenName}a`, phone: undefined };
    const lookupWeight = async () => (await findMatchCandidates(deps, clerk, query))[0]!.weight!;
    const byDefault = await lookupWeight();
    const first = await fitMpiModel(deps, admin);
    const byFirst = await lookupWeight();
    deps.clock.advance(60_000);
    await register(people.slice(firstPart.length));
    const second = await fitMpiModel(deps, admin);
    const bySecond = await lookupWeight();
    expect(bySecond).not.toBeCloseTo(byFirst, 6);

    const history = await listMpiModels(deps, clerk);
    expect(history).toEqual([
      {
        id: second.model.id,
        fittedAt: '2026-03-01T08:01:00.000Z',
        fittedBy: 'test-admin',
        patients: people.length,
        candidatePairs: second.candidatePairs,
        randomPairs: second.randomPairs,
        estimatedMatches: second.model.estimatedMatches,
        iterations: second.iterations,
        prior: second.model.prior,
        active: true,
      },
      expect.objectContaining({ id: first.model.id, patients: firstPart.length, prior: first.model.prior, active: false }),
    ]);

    const reset = await resetMpiModel(deps, admin);
    expect(reset).toMatchObject({ previousId: second.model.id, model: { source: 'default', id: null, prior: defaultModel().prior } });
    expect(await lookupWeight()).toBeCloseTo(byDefault, 9);
    expect((await listMpiModels(deps, admin)).map((f) => f.active)).toEqual([false, false]);
    await expect(resetMpiModel(deps, admin)).rejects.toMatchObject({ code: 'conflict', message: 'the default model is already in use' });

    const back = await activateMpiModel(deps, admin, first.model.id!);
    expect(back).toMatchObject({ previousId: null, model: { source: 'fitted', id: first.model.id, patients: firstPart.length } });
    expect(back.model.fields).toEqual(first.model.fields);
    expect(await lookupWeight()).toBeCloseTo(byFirst, 9);
    expect(await getMpiModel(deps, clerk)).toEqual(back.model);
    expect((await listMpiModels(deps, admin)).map((f) => [f.id, f.active])).toEqual([
      [second.model.id, false],
      [first.model.id, true],
    ]);
    await expect(activateMpiModel(deps, admin, first.model.id!)).rejects.toMatchObject({
      code: 'conflict',
      message: 'this fit is already the model in use',
    });
    await expect(activateMpiModel(deps, admin, 'no-such-fit')).rejects.toMatchObject({ code: 'not_found' });
    await activateMpiModel(deps, admin, second.model.id!);
    expect(await lookupWeight()).toBeCloseTo(bySecond, 9);

    const events = [...(await queryAuditEvents(t.db, { action: 'reset' })), ...(await queryAuditEvents(t.db, { action: 'activate' }))];
    expect(events.map((e) => [e.action, e.resourceId, e.detail])).toEqual([
      ['reset', second.model.id, { previousId: second.model.id, deactivated: 1 }],
      ['activate', first.model.id, { previousId: null, patients: firstPart.length }],
      ['activate', second.model.id, { previousId: first.model.id, patients: people.length }],
    ]);
    expect(JSON.stringify(events)).not.toMatch(new RegExp(`${person.familyName}|Springfield|217-555`, 'i'));
  });

  it('answers 409 when another administrator made a fit active meanwhile, leaving one fit active', async () => {
    await register(population(200));
    const first = await fitMpiModel(deps, admin);
    deps.clock.advance(60_000);
    const second = await fitMpiModel(deps, admin);
    // As on PostgreSQL when another change commits between this change's statements: the "others inactive" update
    // does not see the fit the other administrator just made active (here: it matches no row).
    const none = t.db.updateTable('mpi_models').set({ active: 0 }).where('id', '=', 'no-such-fit').toOperationNode().where;
    const racing = t.db.withPlugin({
      transformQuery: (args) => {
        const node = args.node;
        if (
          node.kind === 'UpdateQueryNode' &&
          JSON.stringify(node.table).includes('mpi_models') &&
          JSON.stringify(node.updates).includes('"value":0')
        )
          return { ...node, where: none };
        return node;
      },
      transformResult: async (args) => args.result,
    });
    await expect(activateMpiModel({ ...deps, db: racing }, admin, first.model.id!)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('another administrator'),
    });
    expect((await listMpiModels(deps, admin)).map((f) => [f.id, f.active])).toEqual([
      [second.model.id, true],
      [first.model.id, false],
    ]);
    expect(await queryAuditEvents(t.db, { action: 'activate' })).toEqual([]);
  });

  it('refuses to make live a stored fit this version cannot read', async () => {
    await t.db
      .insertInto('mpi_models')
      .values({
        id: 'old-fit',
        fitted_at: '2025-01-01T00:00:00.000Z',
        fitted_by: 'someone',
        patient_count: 500,
        candidate_pairs: 900,
        random_pairs: 5000,
        estimated_matches: 40,
        iterations: 12,
        model: JSON.stringify({ prior: 1e-4, fields: { surname: { m: [1], u: [1] } } }),
        active: 0,
      })
      .execute();
    expect(await listMpiModels(deps, admin)).toMatchObject([{ id: 'old-fit', prior: null, active: false }]);
    await expect(activateMpiModel(deps, admin, 'old-fit')).rejects.toMatchObject({ code: 'conflict' });
    expect((await getMpiModel(deps, admin)).source).toBe('default');
  });

  it('counts how the model in use scores the pairs HIM clerks merged and those they marked as different people', async () => {
    const pairOf = async (a: NewPatient, b: NewPatient) => {
      const first = await createPatient(deps, clerk, a);
      const second = await createPatient(deps, clerk, b);
      expect(second.newDuplicatePairs).toBe(1);
      const pair = (await listDuplicatePairs(deps, clerk)).find((p) => p.patients.some((x) => x.id === second.id))!;
      return { pair: pair.id, ids: [first.id, second.id] as const };
    };
    const person = (familyName: string, givenName: string, dateOfBirth: string, line1: string, phone: string) =>
      makePatientInput({
        familyName,
        givenName,
        dateOfBirth,
        sex: 'M',
        address: { line1, city: 'Springfield', state: 'IL', postalCode: '62704' },
        phone,
      });
    const whitaker = person('Whitaker', 'Robert', '1961-04-09', '12 Elm Street', '217-555-0142');
    const merged = await pairOf(whitaker, { ...whitaker, givenName: 'Bob' });
    const okafor = person('Okafor', 'Chidi', '1985-12-01', '40 Oak Avenue', '217-555-0199');
    const twins = await pairOf(okafor, { ...okafor, givenName: 'Chike' });
    const castellano = person('Castellano', 'Mateo', '1990-07-14', '7 Birch Road', '217-555-0123');
    const corrected = await pairOf(castellano, { ...castellano, givenName: 'Mattheo' });
    const lindqvist = person('Lindqvist', 'Lars', '1950-02-02', '900 Pine Street', '217-555-0177');
    const undone = await pairOf(lindqvist, { ...lindqvist, givenName: 'Lasse' });
    const open = await pairOf(
      person('Nakamura', 'Kenji', '1977-03-03', '3 Ash Lane', '217-555-0111'),
      person('Nakamura', 'Kenji', '1977-03-03', '3 Ash Lane', '217-555-0111'),
    );

    deps.clock.advance(1000);
    await mergePatients(deps, clerk, { survivorId: merged.ids[0], mergedId: merged.ids[1], reason: null });
    deps.clock.advance(1000);
    await markNotDuplicate(deps, clerk, twins.pair, 'twins');
    deps.clock.advance(1000);
    // Merged, then undone: the pair is open again, no decision.
    const m = await mergePatients(deps, clerk, { survivorId: undone.ids[0], mergedId: undone.ids[1], reason: null });
    await unmergePatients(deps, clerk, m.mergeId);
    deps.clock.advance(1000);
    // A registration error corrected: the second record now describes someone else; then the pair is resolved.
    await updatePatient(deps, clerk, corrected.ids[1], {
      familyName: 'Brennan',
      givenName: 'Aoife',
      dateOfBirth: '2001-11-30',
      sex: 'F',
      address: { line1: '55 Hickory Way', city: 'Chatham', state: 'IL', postalCode: '62629' },
      phone: '217-555-0900',
    });
    await markNotDuplicate(deps, clerk, corrected.pair, 'different person after correction');

    const view = await getMpiModel(deps, admin);
    expect(view.evaluation).toEqual({
      limit: 1000,
      reviewThreshold: 0.8,
      merged: { pairs: 1, atOrAboveReview: 1 },
      notDuplicate: { pairs: 2, atOrAboveReview: 1 },
    });
    // The most recent decisions first: with room for one, only the corrected pair counts.
    expect(await evaluateAgainstDecisions(t.db, deps, 1)).toMatchObject({
      merged: { pairs: 0 },
      notDuplicate: { pairs: 1, atOrAboveReview: 0 },
    });
    expect((await listDuplicatePairs(deps, clerk)).map((p) => p.id).sort()).toEqual([undone.pair, open.pair].sort());
  });
});
