import type { PersonRecord } from './types.js';

/** FEBRL column names in file order (Christen, FEBRL data generator `dsgen`). */
export const FEBRL_COLUMNS = [
  'rec_id',
  'given_name',
  'surname',
  'street_number',
  'address_1',
  'address_2',
  'suburb',
  'postcode',
  'state',
  'date_of_birth',
  'soc_sec_id',
] as const;

/**
 * Column names read for each field of a person record, first match wins (case-insensitive). FEBRL's names
 * first, then the common ones of other files (splink's first_name/surname/dob, unique_id, gender, ...).
 * Birth place stands in for the city when a file has no city: both are a place a person's records share.
 */
const COLUMN_ALIASES = {
  id: ['rec_id', 'unique_id', 'record_id', 'id'],
  givenName: ['given_name', 'first_name', 'forename', 'firstname', 'given'],
  familyName: ['surname', 'family_name', 'last_name', 'lastname', 'family'],
  middleName: ['middle_name', 'middlename'],
  dateOfBirth: ['date_of_birth', 'dob', 'birth_date', 'birthdate'],
  sex: ['sex', 'gender'],
  streetNumber: ['street_number'],
  street: ['address_1', 'street', 'address'],
  addressLine2: ['address_2'],
  city: ['suburb', 'city', 'town', 'birth_place'],
  postcode: ['postcode', 'zip', 'zip_code', 'postal_code', 'postcode_fake'],
  state: ['state'],
  phone: ['phone', 'phone_number', 'telephone'],
  ssn: ['soc_sec_id', 'ssn'],
  email: ['email', 'email_address'],
} as const;
type Column = keyof typeof COLUMN_ALIASES;

const DATE = /^(\d{8}|\d{4}(-\d{2}){0,2})?$/;

export interface RowError {
  line: number;
  message: string;
}

/** Splits one CSV line; double quotes protect commas and "" escapes a quote (RFC 4180, single line). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

/**
 * Parses a CSV of person records: FEBRL's layout, or any file with an id column and a given or family
 * name column, plus whichever of date of birth, sex, address, city, postcode, phone, e-mail and SSN it has
 * (`COLUMN_ALIASES`). Columns are found by header name, so reordered files work. Rows that are malformed,
 * or repeat an earlier row's id, are reported with their line number (never their content: it is PHI) and
 * skipped.
 */
export function parsePersonCsv(text: string): { records: PersonRecord[]; errors: RowError[] } {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase().replace(/^\uFEFF/, ''));
  const at = {} as Record<Column, number>;
  for (const [field, names] of Object.entries(COLUMN_ALIASES) as [Column, readonly string[]][])
    at[field] = names.map((n) => header.indexOf(n)).find((i) => i >= 0) ?? -1;
  if (at.id < 0 || (at.givenName < 0 && at.familyName < 0)) {
    const need = [
      at.id < 0 ? 'an id column (rec_id or unique_id)' : '',
      at.givenName < 0 && at.familyName < 0 ? 'a name column (given_name, first_name or surname)' : '',
    ];
    return { records: [], errors: [{ line: 1, message: `header lacks ${need.filter((n) => n !== '').join(' and ')}` }] };
  }
  const records: PersonRecord[] = [];
  const errors: RowError[] = [];
  const firstLineOf = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line);
    if (cells.length !== header.length) {
      errors.push({ line: i + 1, message: `expected ${header.length} columns, found ${cells.length}` });
      continue;
    }
    const cell = (c: Column): string => (at[c] < 0 ? '' : (cells[at[c]] ?? ''));
    const problem = rowProblem(cell, firstLineOf);
    if (problem !== null) {
      errors.push({ line: i + 1, message: problem });
      continue;
    }
    firstLineOf.set(cell('id'), i + 1);
    records.push(toPersonRecord(cell));
  }
  return { records, errors };
}

/** What is wrong with one row, or null. A repeated id would pair a record with itself. */
function rowProblem(cell: (c: Column) => string, firstLineOf: ReadonlyMap<string, number>): string | null {
  const id = cell('id');
  if (id === '') return 'the id is empty';
  const earlier = firstLineOf.get(id);
  if (earlier !== undefined) return `the id repeats line ${earlier}'s; ids must be unique`;
  if (!DATE.test(cell('dateOfBirth'))) return 'date of birth is not YYYYMMDD, YYYY-MM-DD, YYYY-MM or YYYY';
  return null;
}

/** Parses a FEBRL CSV (Christen's `dsgen` layout); the same reader as `parsePersonCsv`. */
export const parseFebrlCsv = parsePersonCsv;

function toPersonRecord(cell: (c: Column) => string): PersonRecord {
  const record: PersonRecord = {
    id: cell('id'),
    givenName: cell('givenName'),
    familyName: cell('familyName'),
    dateOfBirth: cell('dateOfBirth'),
  };
  const street = `${cell('streetNumber')} ${cell('street')}`.trim();
  const optional: [keyof PersonRecord, string][] = [
    ['middleName', cell('middleName')],
    ['sex', cell('sex')],
    ['street', street],
    ['addressLine2', cell('addressLine2')],
    ['city', cell('city')],
    ['postcode', cell('postcode')],
    ['state', cell('state')],
    ['phone', cell('phone')],
    ['ssn', cell('ssn')],
    ['email', cell('email')],
  ];
  for (const [k, v] of optional) if (v !== '') record[k] = v;
  return record;
}
