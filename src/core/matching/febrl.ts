import { z } from 'zod';
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

const FebrlRow = z.object({
  rec_id: z.string().min(1, 'rec_id is empty'),
  given_name: z.string(),
  surname: z.string(),
  street_number: z.string(),
  address_1: z.string(),
  address_2: z.string(),
  suburb: z.string(),
  postcode: z.string(),
  state: z.string(),
  date_of_birth: z.string().regex(/^(\d{8}|\d{4}(-\d{2}){0,2})?$/, 'date_of_birth is not YYYYMMDD'),
  soc_sec_id: z.string(),
});

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
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (out.push(field), (field = ''));
    else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

/**
 * Parses a FEBRL CSV text into person records. Columns are found by header name, so reordered files work;
 * rows that are malformed are reported with their line number (never their content: it is PHI) and skipped.
 */
export function parseFebrlCsv(text: string): { records: PersonRecord[]; errors: RowError[] } {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const missing = FEBRL_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) return { records: [], errors: [{ line: 1, message: `header lacks ${missing.join(', ')}` }] };
  const records: PersonRecord[] = [];
  const errors: RowError[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line);
    if (cells.length !== header.length) {
      errors.push({ line: i + 1, message: `expected ${header.length} columns, found ${cells.length}` });
      continue;
    }
    const raw = Object.fromEntries(header.map((h, k) => [h, cells[k] ?? '']));
    const parsed = FebrlRow.safeParse(raw);
    if (!parsed.success) {
      errors.push({ line: i + 1, message: parsed.error.issues.map((e) => e.message).join('; ') });
      continue;
    }
    records.push(toPersonRecord(parsed.data));
  }
  return { records, errors };
}

function toPersonRecord(r: z.infer<typeof FebrlRow>): PersonRecord {
  return {
    id: r.rec_id,
    givenName: r.given_name,
    familyName: r.surname,
    dateOfBirth: r.date_of_birth,
    street: `${r.street_number} ${r.address_1}`.trim(),
    addressLine2: r.address_2,
    city: r.suburb,
    postcode: r.postcode,
    state: r.state,
    ssn: r.soc_sec_id,
  };
}
