import { doubleMetaphone } from 'double-metaphone';
import { canonicalGivenName } from './nicknames.js';
import type { NormalizedRecord, PersonRecord } from './types.js';

/** Lower-case ASCII letters only: strips accents (NFD), spaces, hyphens and apostrophes. */
export function normalizeName(value: string | undefined): string {
  if (!value) return '';
  return value
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** Parts of a full or partial date of birth; '' for parts that are absent or not a valid date. */
export function parseDateOfBirth(value: string | undefined): { year: string; month: string; day: string } {
  const none = { year: '', month: '', day: '' };
  if (!value) return none;
  const v = value.trim();
  const m = /^(\d{4})(?:[-/.]?(\d{2})(?:[-/.]?(\d{2}))?)?$/.exec(v);
  if (!m) return none;
  const year = m[1] ?? '';
  const month = m[2] ?? '';
  const day = m[3] ?? '';
  // Typos and day/month swaps give months up to 31 or day 32: keep them, the comparator scores them as a
  // swap or a one-digit error; only impossible values are dropped.
  if (month !== '' && (Number(month) < 1 || Number(month) > 31)) return { year, month: '', day: '' };
  if (day !== '' && (Number(day) < 1 || Number(day) > 39)) return { year, month, day: '' };
  return { year, month, day };
}

// Last-token expansions so that "Smith St" and "smith street" agree (USPS Pub. 28 / AS 4590 suffixes).
const STREET_SUFFIX: Record<string, string> = {
  st: 'street',
  rd: 'road',
  ave: 'avenue',
  av: 'avenue',
  cres: 'crescent',
  cr: 'crescent',
  pl: 'place',
  ct: 'court',
  dr: 'drive',
  cct: 'circuit',
  ln: 'lane',
  blvd: 'boulevard',
  tce: 'terrace',
  ter: 'terrace',
  pde: 'parade',
  hwy: 'highway',
  cl: 'close',
  cir: 'circle',
  pkwy: 'parkway',
  sq: 'square',
  wy: 'way',
};

/** Splits a street line into house number and street name (suffix expanded, spaces removed). */
export function normalizeStreet(street: string | undefined): { streetNumber: string; streetName: string } {
  if (!street) return { streetNumber: '', streetName: '' };
  const tokens = street
    .toLowerCase()
    .replace(/[^a-z0-9 ]/g, ' ')
    .split(/\s+/)
    .filter((t) => t !== '');
  let streetNumber = '';
  while (tokens.length > 0 && /^\d/.test(tokens[0] ?? '')) streetNumber += tokens.shift() ?? '';
  const last = tokens.length - 1;
  if (last > 0) tokens[last] = STREET_SUFFIX[tokens[last] ?? ''] ?? tokens[last] ?? '';
  return { streetNumber, streetName: tokens.join('') };
}

/** Digits only, national number: a leading country code 1 of an 11-digit NANP number is dropped. */
export function normalizePhone(phone: string | undefined): string {
  if (!phone) return '';
  let digits = phone.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  return digits.length >= 7 ? digits.slice(-10) : '';
}

/** Digits only; placeholder SSNs used by registration desks (all one digit, 123456789) count as absent. */
export function normalizeSsn(ssn: string | undefined): string {
  if (!ssn) return '';
  const digits = ssn.replace(/\D/g, '');
  if (digits.length < 4 || /^(\d)\1*$/.test(digits) || digits === '123456789') return '';
  return digits;
}

/** Upper-case alphanumerics; a US ZIP+4 keeps its five-digit ZIP. */
export function normalizePostcode(postcode: string | undefined): string {
  if (!postcode) return '';
  const v = postcode.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return /^\d{9}$/.test(v) ? v.slice(0, 5) : v;
}

function normalizeSex(sex: string | undefined): string {
  const s = (sex ?? '').trim().toLowerCase();
  return s.startsWith('m') ? 'm' : s.startsWith('f') ? 'f' : '';
}

const lowerAlnum = (v: string | undefined): string => (v ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');

function phoneticCodes(name: string): readonly [string, string] {
  return name === '' ? ['', ''] : doubleMetaphone(name);
}

/** Normalises a record once, for comparison and blocking. */
export function normalizeRecord(r: PersonRecord): NormalizedRecord {
  const given = normalizeName(r.givenName);
  const family = normalizeName(r.familyName);
  const dob = parseDateOfBirth(r.dateOfBirth);
  const street = normalizeStreet(r.street);
  return {
    id: r.id,
    given,
    family,
    middle: normalizeName(r.middleName),
    givenCodes: phoneticCodes(given),
    familyCodes: phoneticCodes(family),
    givenCanonical: canonicalGivenName(given),
    year: dob.year,
    month: dob.month,
    day: dob.day,
    dob8: dob.month !== '' && dob.day !== '' ? dob.year + dob.month + dob.day : '',
    sex: normalizeSex(r.sex),
    streetNumber: street.streetNumber,
    streetName: street.streetName,
    addressLine2: lowerAlnum(r.addressLine2),
    city: lowerAlnum(r.city),
    postcode: normalizePostcode(r.postcode),
    state: lowerAlnum(r.state),
    phone: normalizePhone(r.phone),
    ssn: normalizeSsn(r.ssn),
    email: (r.email ?? '').trim().toLowerCase(),
  };
}
