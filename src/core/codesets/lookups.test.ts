import { beforeAll, describe, expect, it } from 'vitest';
import { getCodeDetails } from './details.js';
import type { CodeSets } from './types.js';
import { officialCodeSets } from '../../../test/support/data.js';
import { LOOKUPS_DATE, readLookups, runLookups } from '../../../test/support/encoder-lookups.js';

let sets: CodeSets;
beforeAll(() => {
  sets = officialCodeSets();
});

const lookups = readLookups();

describe('encoder lookup set (test/data/encoder-lookups.tsv)', () => {
  it('has at least 300 phrases, each expecting a code that exists and is billable on the date', () => {
    expect(lookups.length).toBeGreaterThanOrEqual(300);
    const bad = lookups.filter((l) => {
      const d = getCodeDetails(sets, l.code, { date: LOOKUPS_DATE, system: l.system });
      return d.status !== 'billable' || d.validOnDate === false;
    });
    expect(bad.map((l) => `${l.query} -> ${l.code}`)).toEqual([]);
  });

  it('puts the expected code first for at least 95% of the phrases and in the first five for 99%', () => {
    const { top1, top5, results } = runLookups(sets, lookups);
    const missed = results.filter((r) => r.rank === 0).map((r) => `${r.query} -> ${r.code} (got ${r.top.join(' ')})`);
    expect(top1).toBeGreaterThanOrEqual(0.95);
    expect(top5, missed.join('\n')).toBeGreaterThanOrEqual(0.99);
  });
});
