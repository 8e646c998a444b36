import { describe, expect, it } from 'vitest';
import { createSpellChecker, dictionaryWords, editDistance } from './transcription.spelling.js';

describe('edit distance (optimal string alignment)', () => {
  it.each([
    ['pneumonia', 'pneumonia', 0],
    ['pnuemonia', 'pneumonia', 1], // adjacent swap counts once
    ['hypertention', 'hypertension', 1],
    ['dyspnoea', 'dyspnea', 1],
    ['cat', 'dog', 3],
  ])('%s -> %s is %i', (a, b, d) => {
    expect(editDistance(a, b, 3)).toBe(d);
  });
  it('stops early above the limit', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });
});

describe('spell check of a transcribed report', () => {
  const checker = createSpellChecker([
    'pneumonia',
    'patient',
    'has',
    'and',
    'given',
    'follow',
    'up',
    'smith',
    'in',
    'two',
    'weeks',
    'hypertension',
  ]);
  it('names each unknown word with its offsets and suggestions, closest first', () => {
    const text = 'Patient has pnuemonia and hypertention.';
    expect(checker.check(text)).toEqual([
      { word: 'pnuemonia', start: 12, end: 21, suggestions: ['pneumonia'] },
      { word: 'hypertention', start: 26, end: 38, suggestions: ['hypertension'] },
    ]);
  });
  it('leaves capital abbreviations, words against digits, possessives and compounds of known words alone', () => {
    expect(checker.check("COPD and CHF; B12 given x2. Smith's follow-up in two weeks.")).toEqual([]);
  });
  it('reads the words of a pronunciation dictionary, folding variants', () => {
    expect(dictionaryWords("'bout B AW T\nread R IY D\nread(2) R EH D\n")).toEqual(["'bout", 'read', 'read']);
  });
});
