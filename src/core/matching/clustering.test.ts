import { describe, expect, it } from 'vitest';
import { clusterLinks } from './clustering.js';
import { countTermFrequencies } from './term-frequency.js';
import { createMatcher, normalizeRecord, type PersonRecord } from './index.js';

describe('clusterLinks', () => {
  it('does not chain two people through a record that links to both when the two disagree', () => {
    // 0 and 2 each link strongly to 1; 0 and 2 themselves weigh strongly against each other.
    const weights: Record<string, number> = { '0-1': 20, '1-2': 18, '0-2': -30 };
    const weigh = (a: number, b: number) => weights[`${Math.min(a, b)}-${Math.max(a, b)}`] ?? -30;
    const c = clusterLinks(
      3,
      [
        { a: 0, b: 1, weight: 20 },
        { a: 1, b: 2, weight: 18 },
      ],
      weigh,
    );
    expect(c[0]).toBe(c[1]);
    expect(c[2]).not.toBe(c[1]);
  });

  it('groups a chain whose ends agree as one person (transitivity)', () => {
    const weigh = (a: number, b: number) => (Math.abs(a - b) === 1 ? 20 : 8);
    const c = clusterLinks(
      4,
      [0, 1, 2].map((i) => ({ a: i, b: i + 1, weight: 20 })),
      weigh,
    );
    expect(new Set(c).size).toBe(1);
  });
});

describe('term-frequency weights', () => {
  const person = (id: string, familyName: string): PersonRecord => ({ id, givenName: 'Mary', familyName, dateOfBirth: '' });

  it('weighs agreement on a rare family name above agreement on a common one', () => {
    const records = [
      ...Array.from({ length: 3000 }, (_, i) => person(`s${i}`, 'Smith')),
      ...Array.from({ length: 3000 }, (_, i) => person(`o${i}`, `Other${i}`)),
      person('r1', 'Okonkwo'),
      person('r2', 'Okonkwo'),
    ].map(normalizeRecord);
    const matcher = createMatcher({ termFrequencies: countTermFrequencies(records) });
    const common = matcher.scorePair(records[0]!, records[1]!).fields.familyName.weight;
    const rare = matcher.scorePair(records[6000]!, records[6001]!).fields.familyName.weight;
    expect(rare).toBeGreaterThan(common + 5);
  });

  it('keeps the model weight in a file too small to tell a rare value from a common one', () => {
    const records = [person('a', 'Allen'), person('b', 'Allen'), person('c', 'Kelly')].map(normalizeRecord);
    const plain = createMatcher().scorePair(records[0]!, records[1]!).fields.familyName.weight;
    const adjusted = createMatcher({ termFrequencies: countTermFrequencies(records) }).scorePair(records[0]!, records[1]!);
    expect(Math.abs(adjusted.fields.familyName.weight - plain)).toBeLessThan(1);
  });
});
