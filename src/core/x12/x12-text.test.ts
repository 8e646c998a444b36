import { describe, expect, it } from 'vitest';
import { formatAmount, formatQuantity, isValidNpi, isX12BasicText, toCents, x12Text } from './x12-text.js';

describe('x12Text', () => {
  it.each([
    ['José Peña', 'JOSE PENA'],
    ['Müller-Lüdenscheidt', 'MULLER-LUDENSCHEIDT'],
    ['Straße', 'STRASSE'],
    ['Øyvind Ærø', 'OYVIND AERO'],
    ['Łukasz', 'LUKASZ'],
    ["O'Brien", "O'BRIEN"],
    ['Smith*Jones~x:y^z', 'SMITH JONES X Y Z'],
    ['Zoë  Ng\t', 'ZOE NG'],
    ['李小龍', ''],
  ])('%s -> %s', (input, out) => {
    expect(x12Text(input)).toBe(out);
    expect(isX12BasicText(x12Text(input))).toBe(true);
  });
  it('cuts to the element maximum', () => expect(x12Text('abcdefgh', 5)).toBe('ABCDE'));
});

describe('amounts', () => {
  it.each([
    [0, '0'],
    [5, '0.05'],
    [50, '0.5'],
    [1250, '12.5'],
    [10000, '100'],
    [123456, '1234.56'],
    [-5, '-0.05'],
  ])('%i cents -> %s', (c, s) => expect(formatAmount(c)).toBe(s));
  it('refuses fractions of a cent', () => expect(() => formatAmount(1.5)).toThrow(RangeError));
  it.each([
    ['12.5', 1250],
    ['12.50', 1250],
    ['100', 10000],
    ['0.05', 5],
    ['12.345', null],
    ['abc', null],
  ])('toCents(%s) = %s', (s, c) => expect(toCents(s)).toBe(c));
  it('writes quantities without trailing zeros', () =>
    expect([formatQuantity(4), formatQuantity(1.5), formatQuantity(0.125)]).toEqual(['4', '1.5', '0.125']));
});

describe('NPI check digit (Luhn with the 80840 prefix)', () => {
  it.each(['1234567893', '1987654328', '1555555550'])('accepts %s', (npi) => expect(isValidNpi(npi)).toBe(true));
  it.each(['1234567890', '123456789', '0234567893', '12345678931', 'A234567893'])('refuses %s', (npi) =>
    expect(isValidNpi(npi)).toBe(false),
  );
});
