import { describe, expect, it } from 'vitest';
import { nameSearchScore, searchPrefixes } from './patient-search.rules.js';

const smithJames = { family: 'Smith', given: 'James' };

describe('nameSearchScore', () => {
  it.each([
    ['a family name spelled as it sounds', { family: 'smyth' }],
    ['a nickname with the family name', { family: 'smith', given: 'jim' }],
    ['a nickname with a misspelled family name', { family: 'smyth', given: 'jimmy' }],
    ['given and family names transposed', { family: 'james', given: 'smith' }],
    ['a prefix, as the plain search', { family: 'smi', given: 'ja' }],
  ])('finds SMITH, James by %s', (_why, q) => {
    expect(nameSearchScore(q, smithJames)).toBeGreaterThan(0);
  });

  it.each([
    ['another family name', { family: 'jones' }],
    ['another given name', { family: 'smith', given: 'robert' }],
  ])('does not find SMITH, James by %s', (_why, q) => {
    expect(nameSearchScore(q, smithJames)).toBe(0);
  });

  it('ranks the exact prefix above a sound-alike', () => {
    expect(nameSearchScore({ family: 'smith' }, smithJames)).toBeGreaterThan(nameSearchScore({ family: 'smyth' }, smithJames));
  });
});

describe('searchPrefixes', () => {
  it('reads the records starting like either searched name', () => {
    expect(searchPrefixes({ family: 'Smyth', given: 'Jim' })).toEqual(['sm', 'ji']);
  });
});
