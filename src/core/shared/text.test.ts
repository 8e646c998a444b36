import { describe, expect, it } from 'vitest';
import { findInvalidText, textProblem, toStorableText } from './text.js';

const surrogate = 'contains invalid Unicode (a lone surrogate)';
const nul = 'contains a NUL character (U+0000)';

describe('textProblem', () => {
  it.each([
    ['plain ASCII', 'Doe', null],
    ['accented letters', 'Zoë Ñúñez', null],
    ['a surrogate pair (emoji, astral CJK)', 'ok \u{1F600} \u{20BB7}', null],
    ['the replacement character itself', '\uFFFD', null],
    ['other control characters (tab, newline)', 'a\tb\nc', null],
    ['the empty string', '', null],
    ['a lone high surrogate', '\uD800', surrogate],
    ['a lone low surrogate', 'x\uDC00y', surrogate],
    ['a high surrogate at the end', 'abc\uDBFF', surrogate],
    ['two low surrogates in a row', '\uDC00\uDC00', surrogate],
    ['a pair written backwards', '\uDE00\uD83D', surrogate],
    ['NUL', 'a\u0000b', nul],
  ])('%s: %j', (_, s, want) => {
    expect(textProblem(s)).toBe(want);
  });
});

describe('findInvalidText', () => {
  it.each([
    ['a fine body', { username: 'jdoe', aliases: [{ familyName: 'Doe' }], n: 1, ok: true, none: null }, null],
    ['a string on its own', '\uD800', { path: '', problem: surrogate }],
    ['a top-level field', { username: '\uD800' }, { path: 'username', problem: surrogate }],
    [
      'a nested field in a list',
      { aliases: [{ familyName: 'Doe' }, { familyName: 'R\u0000e' }] },
      { path: 'aliases.1.familyName', problem: nul },
    ],
    ['the first of several, in document order', { a: 'ok', b: ['\uD800'], c: '\u0000' }, { path: 'b.0', problem: surrogate }],
    ['a property name', { nested: { ['\uD800']: 'x' } }, { path: 'nested', problem: `has a property name that ${surrogate}` }],
    ['numbers, booleans and null only', [1, true, null, { x: 2 }], null],
  ])('%s', (_, value, want) => {
    expect(findInvalidText(value)).toEqual(want);
  });

  it('walks a body nested far deeper than the call stack allows', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findInvalidText(deep)).toMatchObject({ problem: nul });
  });
});

describe('toStorableText', () => {
  it.each([
    ['keeps ordinary text', 'Mozilla/5.0 (X11; Linux) Zoë', 100, 'Mozilla/5.0 (X11; Linux) Zoë'],
    ['replaces a lone surrogate', 'a\uD800b', 100, 'a\uFFFDb'],
    ['drops NUL and other control characters', 'a\u0000b\u0007c\u0085d', 100, 'abcd'],
    ['cuts to the limit', 'abcdef', 3, 'abc'],
    ['never cuts a surrogate pair in two', 'ab\u{1F600}', 3, 'ab'],
  ])('%s', (_, s, max, want) => {
    const out = toStorableText(s, max);
    expect(out).toBe(want);
    expect(textProblem(out)).toBeNull();
  });
});
