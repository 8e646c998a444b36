/**
 * What may go into an X12 element (ASC X12.6 character sets): the 837s we write use only the basic character set
 * (upper-case letters, digits, space and ! " & ' ( ) + , - . / ; ? =), so any receiver reads them. Accented
 * letters are transliterated (José -> JOSE), other characters and our delimiters (* : ^ ~) become spaces.
 * Amounts are carried as integer cents and written with at most two decimals (X12 data type R).
 */

/** Letters that Unicode decomposition does not reduce to A-Z. */
const SPECIAL: Record<string, string> = {
  ß: 'SS',
  Æ: 'AE',
  æ: 'AE',
  Œ: 'OE',
  œ: 'OE',
  Ø: 'O',
  ø: 'O',
  Ł: 'L',
  ł: 'L',
  Đ: 'D',
  đ: 'D',
  Ð: 'D',
  ð: 'D',
  Þ: 'TH',
  þ: 'TH',
  ı: 'I',
  ſ: 'S',
};

/** X12 basic character set less the delimiters this writer uses (* element, : component, ^ repetition, ~ segment). */
const NOT_BASIC = /[^A-Z0-9 !"&'()+,\-./;?=]/g;

/** Already basic-set upper case, no doubled or edge spaces: written as it is (the common case, kept fast). */
const CLEAN = /^(?:[A-Z0-9!"&'()+,\-./;?=]+(?: [A-Z0-9!"&'()+,\-./;?=]+)*)?$/;

/**
 * Text for an element: transliterated to the X12 basic character set, upper case, runs of spaces collapsed,
 * trimmed, cut to `max` characters (the element's maximum length in the TR3).
 */
export function x12Text(value: string, max = 60): string {
  if (value.length <= max && CLEAN.test(value)) return value;
  let s = value;
  if (/[^\x20-\x7e]/.test(s)) {
    s = s.replace(/[ßÆæŒœØøŁłĐđÐðÞþıſ]/g, (c) => SPECIAL[c] ?? ' ');
    s = s.normalize('NFKD').replace(/\p{M}/gu, '');
  }
  s = s.toUpperCase().replace(NOT_BASIC, ' ').replace(/ {2,}/g, ' ').trim();
  return s.length > max ? s.slice(0, max).trimEnd() : s;
}

/** True when every character of a whole interchange is in the basic set, the delimiters or a line break. */
export function isX12BasicText(interchange: string): boolean {
  return /^[A-Z0-9 !"&'()*+,\-./:;?=^~\r\n]*$/.test(interchange);
}

/**
 * Integer cents as an X12 decimal (type R): no trailing zeros after the point, no point for whole amounts, a
 * leading minus for negatives (1250 -> "12.5", 10000 -> "100", -5 -> "-0.05").
 */
export function formatAmount(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount in cents must be a whole number, got ${String(cents)}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  if (frac === 0) return `${sign}${String(whole)}`;
  const f = frac % 10 === 0 ? String(frac / 10) : String(frac).padStart(2, '0');
  return `${sign}${String(whole)}.${f}`;
}

/** A decimal amount (as a user or a file gives it) in integer cents; null when it has more than two decimals. */
export function toCents(amount: string | number): number | null {
  const s = typeof amount === 'number' ? String(amount) : amount.trim();
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -cents : cents;
}

/** Quantity (X12 type R, service units): at most three decimals, trailing zeros dropped. */
export function formatQuantity(q: number): string {
  const s = (Math.round(q * 1000) / 1000).toFixed(3);
  return s.replace(/\.?0+$/, '');
}

/** YYYY-MM-DD as CCYYMMDD (X12 date format D8). */
export const d8 = (isoDate: string): string => isoDate.slice(0, 10).replace(/-/g, '');

/** Two YYYY-MM-DD dates as CCYYMMDD-CCYYMMDD (RD8). */
export const rd8 = (from: string, to: string): string => `${d8(from)}-${d8(to)}`;

/** Only the digits of an identifier (tax id, ZIP, phone). */
export const digitsOnly = (s: string): string => s.replace(/\D/g, '');

/**
 * NPI check digit (CMS NPI standard, ISO/IEC 7812 Luhn over the ten digits prefixed by 80840, the health
 * industry prefix: the prefix contributes the constant 24 to the doubled sum).
 */
export function isValidNpi(npi: string): boolean {
  if (!/^[12]\d{9}$/.test(npi)) return false;
  let sum = 24;
  for (let i = 0; i < 9; i++) {
    let d = npi.charCodeAt(8 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  const check = (10 - (sum % 10)) % 10;
  return check === npi.charCodeAt(9) - 48;
}
