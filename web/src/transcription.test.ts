import { describe, expect, it } from 'vitest';
import { insertAt, shortcutOf, stepSpeed, wordAt } from './transcription.js';

describe('transcription editor helpers', () => {
  const words = [
    { start: 0.2, end: 0.5 },
    { start: 0.6, end: 1.0 },
    { start: 1.4, end: 1.9 },
  ];
  it.each([
    [0, -1],
    [0.2, 0],
    [0.55, 0],
    [0.6, 1],
    [1.2, 1],
    [5, 2],
  ])('at %s s the word playing is %i', (time, index) => {
    expect(wordAt(words, time)).toBe(index);
  });

  it.each([
    [{ key: 'F4' }, 'toggle'],
    [{ key: ' ', ctrlKey: true }, 'toggle'],
    [{ key: ' ' }, null],
    [{ key: 'F7' }, 'rewind'],
    [{ key: 'F8' }, 'forward'],
    [{ key: 'F9' }, 'slower'],
    [{ key: 'F10' }, 'faster'],
    [{ key: 'a' }, null],
  ])('maps %j to %s', (e, action) => {
    expect(shortcutOf(e)).toBe(action);
  });

  it('steps the speed within 0.5x to 2x', () => {
    expect(stepSpeed(1, 1)).toBe(1.25);
    expect(stepSpeed(1, -1)).toBe(0.75);
    expect(stepSpeed(2, 1)).toBe(2);
    expect(stepSpeed(0.5, -1)).toBe(0.5);
  });

  it('inserts a template at the cursor, replacing the selection', () => {
    expect(insertAt('ab', 'X', 1, 1)).toEqual({ text: 'aXb', cursor: 2 });
    expect(insertAt('abc', 'X', 1, 2)).toEqual({ text: 'aXc', cursor: 2 });
    expect(insertAt('ab', 'X', 9, 9)).toEqual({ text: 'abX', cursor: 3 });
  });
});
