import { describe, expect, it } from 'vitest';
import { BlockIndex, StaticBlockIndex } from './blocking.js';
import {
  MatchIndex,
  areNicknames,
  blockingKeys,
  dedupeRecords,
  defaultModel,
  normalizeRecord,
  createMatcher,
  jaroWinkler,
  normalizePhone,
  normalizeSsn,
  normalizeStreet,
  parseDateOfBirth,
  withinOneEdit,
  type PersonRecord,
} from './index.js';

const makePatient = (over: Partial<PersonRecord> = {}): PersonRecord => ({
  id: 'p1',
  givenName: 'William',
  familyName: 'Thompson',
  dateOfBirth: '1961-04-23',
  sex: 'M',
  street: '12 Harbour Street',
  city: 'Springfield',
  postcode: '62704',
  state: 'IL',
  phone: '(217) 555-0134',
  ssn: '123-45-6788',
  ...over,
});

describe('string metrics', () => {
  it.each([
    ['martha', 'marhta', 0.961],
    ['dwayne', 'duane', 0.84],
    ['dixon', 'dicksonx', 0.813],
    ['abc', 'abc', 1],
    ['', 'abc', 0],
  ])('Jaro–Winkler(%s, %s) = %f (Winkler 1990 examples)', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
  });

  it.each([
    ['1234567', '1234567', true],
    ['1234567', '1234577', true],
    ['1234567', '1243567', true],
    ['1234567', '123567', true],
    ['1234567', '12345678', true],
    ['1234567', '1243576', false],
    ['1234567', '7654321', false],
  ])('withinOneEdit(%s, %s) is %s', (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
  });
});

describe('normalisation', () => {
  it.each([
    ['+1 (217) 555-0134', '2175550134'],
    ['217.555.0134', '2175550134'],
    ['555', ''],
  ])('phone %s -> %s', (raw, want) => expect(normalizePhone(raw)).toBe(want));

  it.each([
    ['123-45-6789', ''],
    ['000-00-0000', ''],
    ['078-05-1120', '078051120'],
  ])('SSN %s -> %s (placeholders count as absent)', (raw, want) => expect(normalizeSsn(raw)).toBe(want));

  it('splits house number and expands street suffixes', () => {
    expect(normalizeStreet('12 Harbour St.')).toEqual({ streetNumber: '12', streetName: 'harbourstreet' });
    expect(normalizeStreet('12 harbour street')).toEqual(normalizeStreet('12 Harbour St'));
  });

  it.each([
    ['1961-04-23', { year: '1961', month: '04', day: '23' }],
    ['19610423', { year: '1961', month: '04', day: '23' }],
    ['1961-04', { year: '1961', month: '04', day: '' }],
    ['1961', { year: '1961', month: '', day: '' }],
    ['1961-23-04', { year: '1961', month: '23', day: '04' }],
    ['23/04/1961', { year: '', month: '', day: '' }],
  ])('date of birth %s', (raw, want) => expect(parseDateOfBirth(raw)).toEqual(want));
});

describe('nicknames', () => {
  it.each([
    ['bill', 'william'],
    ['bob', 'robert'],
    ['peggy', 'margaret'],
    ['jack', 'john'],
    ['liz', 'betty'],
  ])('%s and %s are the same given name', (a, b) => expect(areNicknames(a, b)).toBe(true));

  it('does not equate unrelated names', () => expect(areNicknames('bill', 'robert')).toBe(false));
});

describe('scorePair', () => {
  const matcher = createMatcher();
  const base = makePatient();

  it('scores an identical record as a near-certain match', () => {
    const r = matcher.scorePair(base, makePatient({ id: 'p2' }));
    expect(r.score).toBeGreaterThan(0.99);
    expect(r.fields.givenName.level).toBe('exact');
  });

  it('treats a nickname as close agreement of the given name', () => {
    const r = matcher.scorePair(base, makePatient({ id: 'p2', givenName: 'Bill' }));
    expect(r.fields.givenName.level).toBe('nickname_or_close');
    expect(r.fields.givenName.weight).toBeGreaterThan(0);
    expect(r.score).toBeGreaterThan(0.99);
  });

  it('matches given and family names entered the wrong way round', () => {
    const r = matcher.scorePair(base, makePatient({ id: 'p2', givenName: 'Thompson', familyName: 'William' }));
    expect(r.transposedNames).toBe(true);
    expect(r.fields.familyName.level).toBe('exact');
  });

  it('recognises a day/month swap and a one-digit typo in the date of birth', () => {
    const swapped = matcher.scorePair(base, makePatient({ id: 'p2', dateOfBirth: '1961-04-03' }));
    expect(swapped.fields.dateOfBirth.level).toBe('one_typo_or_day_month_swap');
    const dm = matcher.scorePair(makePatient({ dateOfBirth: '1961-04-05' }), makePatient({ id: 'p2', dateOfBirth: '1961-05-04' }));
    expect(dm.fields.dateOfBirth.level).toBe('one_typo_or_day_month_swap');
    const typedDayFirst = matcher.scorePair(base, makePatient({ id: 'p2', dateOfBirth: '1961-23-04' }));
    expect(typedDayFirst.fields.dateOfBirth.level).toBe('one_typo_or_day_month_swap');
  });

  it('tolerates typos in names, phone format and SSN', () => {
    const r = matcher.scorePair(
      base,
      makePatient({ id: 'p2', familyName: 'Thomson', phone: '217-555-0134', ssn: '123456878', street: '12 Harbour St' }),
    );
    expect(r.fields.familyName.level).not.toBe('disagree');
    expect(r.fields.phone.level).toBe('exact');
    expect(r.fields.ssn.level).toBe('one_typo');
    expect(r.fields.streetName.level).toBe('exact');
    expect(r.score).toBeGreaterThan(0.9);
  });

  it('keeps different people with the same name and year apart', () => {
    const other = makePatient({
      id: 'p2',
      dateOfBirth: '1961-11-02',
      street: '9 Elm Road',
      phone: '3125550199',
      ssn: '987654320',
      postcode: '60601',
      city: 'Chicago',
    });
    expect(matcher.scorePair(base, other).score).toBeLessThan(0.5);
  });

  it('gives a missing field no weight', () => {
    const r = matcher.scorePair(base, makePatient({ id: 'p2', ssn: undefined }));
    expect(r.fields.ssn).toEqual({ level: null, weight: 0 });
  });
});

describe('MatchIndex', () => {
  it('finds the existing patient for a new registration with typos, with an explanation', () => {
    const index = new MatchIndex(createMatcher());
    index.add(makePatient({ id: 'mrn-1' }));
    index.add(
      makePatient({
        id: 'mrn-2',
        givenName: 'Margaret',
        familyName: 'Okafor',
        dateOfBirth: '1975-09-30',
        ssn: '222334444',
        phone: '2175550999',
        street: '4 Oak Ave',
      }),
    );
    const found = index.findCandidates(makePatient({ id: 'new', givenName: 'Bill', familyName: 'Tompson', dateOfBirth: '1961-23-04' }), {
      threshold: 0.5,
    });
    expect(found.map((c) => c.id)).toEqual(['mrn-1']);
    expect(found[0]?.explanation.fields.givenName.level).toBe('nickname_or_close');
  });

  it('forgets a removed record and finds a replaced one by its new demographics', () => {
    const index = new MatchIndex(createMatcher());
    index.add(makePatient({ id: 'mrn-1' }));
    index.add(
      makePatient({ id: 'mrn-2', givenName: 'Ana', familyName: 'Ruiz', dateOfBirth: '1990-01-01', ssn: '555667777', phone: '2175550000' }),
    );
    expect(index.remove('mrn-1')).toBe(true);
    expect(index.size).toBe(1);
    expect(index.findCandidates(makePatient({ id: 'new' }))).toEqual([]);
    index.replace({ id: 'mrn-2', givenName: 'William', familyName: 'Thompson', dateOfBirth: '1961-04-23', ssn: '123-45-6788' });
    expect(index.findCandidates(makePatient({ id: 'new' })).map((c) => c.id)).toEqual(['mrn-2']);
  });

  it('returns nothing for a person not in the index', () => {
    const index = new MatchIndex(createMatcher());
    index.add(makePatient({ id: 'mrn-1' }));
    const stranger = { id: 'new', givenName: 'Ana', familyName: 'Ruiz', dateOfBirth: '1990-01-01', postcode: '62704' };
    expect(index.findCandidates(stranger)).toEqual([]);
  });
});

describe('dedupeRecords and block indexes', () => {
  const people: PersonRecord[] = [
    makePatient({ id: 'a1' }),
    makePatient({ id: 'a2', givenName: 'Bill', familyName: 'Thomson', dateOfBirth: '1961-23-04', phone: undefined }),
    makePatient({
      id: 'b1',
      givenName: 'Margaret',
      familyName: 'Okafor',
      dateOfBirth: '1975-09-30',
      ssn: '222334444',
      phone: '2175550999',
      street: '4 Oak Ave',
      postcode: '62701',
    }),
    makePatient({
      id: 'b2',
      givenName: 'Peggy',
      familyName: 'Okafor',
      dateOfBirth: '1975-09-03',
      ssn: '222334444',
      phone: undefined,
      street: '4 Oak Avenue',
      postcode: '62701',
    }),
    makePatient({
      id: 'c1',
      givenName: 'Ana',
      familyName: 'Ruiz',
      dateOfBirth: '1990-01-01',
      ssn: '555667777',
      phone: '2175550000',
      street: '1 Elm St',
    }),
  ];

  it('pairs nickname, typo and swapped-date duplicates and nothing else', () => {
    const pairs = dedupeRecords(people, { model: defaultModel() })
      .pairs.map((p) => [p.id1, p.id2].sort().join('+'))
      .sort();
    expect(pairs).toEqual(['a1+a2', 'b1+b2']);
  });

  it('brings together records that share only the home address (names, birth date, SSN and phone all changed)', () => {
    const shared = (a: PersonRecord, b: PersonRecord) => {
      const keys = new Set(blockingKeys(normalizeRecord(a)));
      return blockingKeys(normalizeRecord(b)).filter((k) => keys.has(k));
    };
    const before = makePatient({
      familyName: 'White',
      givenName: 'Kody',
      dateOfBirth: '1930-06-09',
      ssn: '785705211',
      phone: undefined,
      street: '245 Duncan Street',
      postcode: '2673',
    });
    const renamed = {
      givenName: 'Lillianna',
      familyName: 'Ross',
      dateOfBirth: '1962-11-19',
      ssn: '779874400',
      phone: '(217) 555-9999',
      city: 'Queenscliff',
    };
    // Same house number and street, postcode mistyped; then the same street and postcode, house number missing.
    expect(shared(before, makePatient({ ...renamed, street: '245 Duncan St', postcode: '2763' }))).toHaveLength(1);
    expect(shared(before, makePatient({ ...renamed, street: 'Duncan Street', postcode: '2673' }))).toHaveLength(1);
    expect(shared(before, makePatient({ ...renamed, street: '245 Dunmore Street', postcode: '2763' }))).toEqual([]);
  });

  it('finds the same candidates with the incremental and the static block index', () => {
    const normalized = people.map(normalizeRecord);
    const incremental = new BlockIndex();
    normalized.forEach((r, i) => incremental.add(i, blockingKeys(r)));
    const fixed = new StaticBlockIndex((i) => blockingKeys(normalized[i]!), normalized.length);
    for (const r of normalized) {
      const a: number[] = [];
      const b: number[] = [];
      incremental.forEachCandidate(blockingKeys(r), (p) => a.push(p));
      fixed.forEachCandidate(blockingKeys(r), (p) => b.push(p));
      expect(a.sort()).toEqual(b.sort());
    }
  });
});

describe('stored term frequencies', () => {
  it('score a pair as the plain tables do when looked up through the same key, and hold no names', async () => {
    const { countTermFrequencies, parseStoredTermFrequencies, storeTermFrequencies } = await import('./term-frequency.js');
    const { createMatcher, normalizeRecord } = await import('./index.js');
    const people = ['smith', 'smith', 'smith', 'okonkwo', 'jones'].map((familyName, i) =>
      normalizeRecord({ id: String(i), givenName: 'mary', familyName, dateOfBirth: '1980-01-0' + String(i + 1), city: 'leeds' }),
    );
    const tf = countTermFrequencies(people);
    const key = (v: string) => `k${v.length}:${v.toUpperCase()}`;
    const stored = JSON.parse(JSON.stringify(storeTermFrequencies(tf, key))) as unknown;
    expect(JSON.stringify(stored)).not.toContain('okonkwo');
    const back = parseStoredTermFrequencies(stored);
    expect(back).not.toBeNull();
    const a = { id: 'a', givenName: 'Mary', familyName: 'Okonkwo', dateOfBirth: '1980-01-04' };
    const b = { id: 'b', givenName: 'Mary', familyName: 'Okonkwo', dateOfBirth: '1980-01-04' };
    const plain = createMatcher({ termFrequencies: tf }).scorePair(a, b).weight;
    expect(createMatcher({ termFrequencies: back!, termKey: key }).scorePair(a, b).weight).toBeCloseTo(plain, 12);
    const smith = (id: string) => ({ id, givenName: 'Mary', familyName: 'Smith', dateOfBirth: '1980-01-04' });
    expect(plain).toBeGreaterThan(createMatcher({ termFrequencies: back!, termKey: key }).scorePair(smith('c'), smith('d')).weight);
    expect(parseStoredTermFrequencies({ givenName: { total: 1 } })).toBeNull();
  });
});
