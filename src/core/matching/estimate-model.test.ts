import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMatcher, createPrng, dedupeRecords, defaultModel, estimateModel, parseFebrlCsv, type PersonRecord } from './index.js';

const CORPORA = new URL('../../../../shared/corpora/record-linkage/', import.meta.url);
const febrl = (n: number) => parseFebrlCsv(readFileSync(new URL(`febrl/dataset${n}.csv`, CORPORA), 'utf8')).records;

/** One town (one city, four ZIP codes), 320 family names, one person in `every` registered twice with a typo. */
function town(count: number, every: number): PersonRecord[] {
  const rand = createPrng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
  const given = [
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
    'oliver',
    'amara',
    'kenji',
    'ingrid',
    'mateo',
    'fatima',
    'lars',
    'priya',
  ];
  const head = [
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
  const tail = [
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
  const out: PersonRecord[] = [];
  for (let i = 0; i < count; i++) {
    const dob = `${1940 + Math.floor(rand() * 65)}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    const p: PersonRecord = {
      id: `p${i}`,
      givenName: pick(given),
      familyName: pick(head) + pick(tail),
      sex: rand() < 0.5 ? 'F' : 'M',
      dateOfBirth: dob,
      street: `${1 + Math.floor(rand() * 900)} ${pick(['elm street', 'oak avenue', 'maple drive', 'cedar lane'])}`,
      city: 'Springfield',
      state: 'IL',
      postcode: pick(['62701', '62702', '62703', '62704']),
      phone: `217-555-${digits(4)}`,
    };
    out.push(p);
    if (i % every === 0) out.push({ ...p, id: `d${i}`, familyName: `${p.familyName}e` });
  }
  return out;
}

describe('estimateModel', () => {
  it('finds the rare duplicates of a live MPI, not a class of look-alikes, by running EM on plausible pairs only', () => {
    const records = town(1000, 50);
    const truePrior = 20 / ((records.length * (records.length - 1)) / 2);
    const fit = estimateModel(records);
    expect(fit.defaultReason).toBeNull();
    expect(fit.model.prior / truePrior).toBeGreaterThan(0.5);
    expect(fit.model.prior / truePrior).toBeLessThan(3);
    const w = (f: 'familyName' | 'city', k: number) => Math.log2(fit.model.fields[f].m[k]! / fit.model.fields[f].u[k]!);
    expect(w('familyName', 3)).toBeLessThan(-2);
    expect(w('city', 0)).toBeLessThan(0.5);
    // EM on every blocked pair of the same town takes "same given name, same ZIP" for the match class.
    expect(estimateModel(records, { emMinWeight: null }).model.prior / truePrior).toBeGreaterThan(100);
  });

  it('fits the same model that dedupeRecords fits before it links when EM may use every candidate pair of the same keys', () => {
    const records = febrl(1);
    expect(estimateModel(records, { emMinWeight: null }).model).toEqual(dedupeRecords(records, { blocking: 'mpi' }).model);
    const fit = estimateModel(records);
    expect(fit.defaultReason).toBeNull();
    expect(fit).toMatchObject({ records: 1000, randomPairs: expect.any(Number) as number });
    expect(fit.candidatePairs).toBeGreaterThanOrEqual(1000);
    expect(fit.iterations).toBeGreaterThan(0);
    // FEBRL dataset1 has 500 duplicate pairs, each seen from both sides among the candidates.
    expect(fit.estimatedMatches).toBeGreaterThan(800);
  });

  it('weighs an exact date of birth far above a disagreeing one, and above a mere postcode agreement', () => {
    const { model } = estimateModel(febrl(1));
    const w = createMatcher({ model }).scorePair(
      { id: 'a', givenName: 'william', familyName: 'thompson', dateOfBirth: '19610423', postcode: '2704' },
      { id: 'b', givenName: 'william', familyName: 'thompson', dateOfBirth: '19610423', postcode: '2704' },
    ).fields;
    expect(w.dateOfBirth.weight).toBeGreaterThan(w.postcode.weight);
    expect(model.fields.dateOfBirth.m[0]! / model.fields.dateOfBirth.u[0]!).toBeGreaterThan(1000);
    expect(model.fields.dateOfBirth.m[3]! / model.fields.dateOfBirth.u[3]!).toBeLessThan(0.5);
  });

  it.each([
    ['too few records', 99, {}, /99 records, fewer than 100/],
    ['too few likely duplicates', 1000, { minMatches: 5000 }, /likely duplicate pairs, fewer than 5000/],
  ])('keeps the default model and says why with %s', (_, count, opts, reason) => {
    const fit = estimateModel(febrl(1).slice(0, count), opts);
    expect(fit.model).toEqual(defaultModel());
    expect(fit.iterations).toBe(0);
    expect(fit.defaultReason).toMatch(reason);
  });
});
