/**
 * The search parameters each resource type answers (what the CapabilityStatement lists, and what a search may
 * carry: any other parameter is refused, so a client never gets more than it asked for), and their parsing.
 */
import { invalidField } from '../../core/errors.js';
import { pageSize, parseDateSearch, parseTokenSearch, referenceId, type DateSearch, type TokenSearch } from './fhir.rules.js';

export type SearchParamType = 'token' | 'string' | 'date' | 'reference' | 'number';

export interface SearchParamDef {
  name: string;
  type: SearchParamType;
  documentation: string;
}

const p = (name: string, type: SearchParamType, documentation: string): SearchParamDef => ({ name, type, documentation });
const id = p('_id', 'token', 'Logical id');
const patient = p('patient', 'reference', 'The patient (Patient/id or id); required unless encounter or _id is given');
const subject = p('subject', 'reference', 'Same as patient');
const encounter = p('encounter', 'reference', 'The encounter (Encounter/id or id)');

/** Search parameters by resource type (FHIR R4 names and types). */
export const searchParams: Record<string, SearchParamDef[]> = {
  Patient: [
    id,
    p('identifier', 'token', 'MRN or another identifier value (system|value or value)'),
    p('name', 'string', 'Family or given name, starts with, any case'),
    p('family', 'string', 'Family name, starts with'),
    p('given', 'string', 'Given name, starts with'),
    p('birthdate', 'date', 'Date of birth with eq, lt, le, gt, ge'),
    p('gender', 'token', 'male | female | other | unknown'),
  ],
  Encounter: [
    id,
    patient,
    subject,
    p('identifier', 'token', 'Account number'),
    p('date', 'date', 'Admission date-time with eq, lt, le, gt, ge'),
    p('status', 'token', 'planned | in-progress | finished | cancelled'),
  ],
  Condition: [
    id,
    patient,
    subject,
    encounter,
    p('code', 'token', 'ICD-10-CM (http://hl7.org/fhir/sid/icd-10-cm|code, with or without the dot)'),
    p('category', 'token', 'encounter-diagnosis'),
  ],
  Procedure: [
    id,
    patient,
    subject,
    encounter,
    p('code', 'token', 'ICD-10-PCS (http://www.cms.gov/Medicare/Coding/ICD10|code)'),
    p('date', 'date', 'Date performed with eq, lt, le, gt, ge'),
    p('status', 'token', 'completed'),
  ],
  DocumentReference: [
    id,
    patient,
    subject,
    encounter,
    p('date', 'date', 'When the document was filed, with eq, lt, le, gt, ge'),
    p('status', 'token', 'current | entered-in-error'),
  ],
  Practitioner: [
    id,
    p('identifier', 'token', 'NPI'),
    p('name', 'string', 'Family or given name, starts with'),
    p('family', 'string', 'Family name'),
    p('given', 'string', 'Given name'),
  ],
  Organization: [id, p('name', 'string', 'Name, starts with')],
};

/** Result parameters every search takes. `_offset` is this server's paging cursor (in the next links it makes). */
const resultParams = new Set(['_count', '_summary', '_offset', '_format', '_sort', '_include', '_revinclude']);

/**
 * `_sort` keys per type (FHIR R4 search "_sort": comma-separated, `-` for descending). Patients sort by name only:
 * a restricted record must never be ordered by what it hides (birth date).
 */
export const sortParams: Record<string, string[]> = {
  Patient: ['family', 'given'],
  Encounter: ['date'],
  Procedure: ['date'],
  DocumentReference: ['date'],
};

/** `_include` values per searched type, with the type each one brings in (the common pairs). */
export const includeParams: Record<string, Record<string, string>> = {
  Encounter: { 'Encounter:patient': 'Patient', 'Encounter:subject': 'Patient' },
  Condition: { 'Condition:patient': 'Patient', 'Condition:subject': 'Patient', 'Condition:encounter': 'Encounter' },
  Procedure: { 'Procedure:patient': 'Patient', 'Procedure:subject': 'Patient', 'Procedure:encounter': 'Encounter' },
  DocumentReference: {
    'DocumentReference:patient': 'Patient',
    'DocumentReference:subject': 'Patient',
    'DocumentReference:encounter': 'Encounter',
  },
};

/** `_revinclude` values per searched type, with the type each one brings in. */
export const revincludeParams: Record<string, Record<string, string>> = {
  Patient: { 'Encounter:patient': 'Encounter', 'Encounter:subject': 'Encounter' },
};

export interface SortKey {
  key: string;
  desc: boolean;
}

/** A search's parameters, parsed: one value each (a repeated parameter is refused: AND of values is not supported). */
export interface ParsedSearch {
  strings: Map<string, string>;
  count: number;
  offset: number;
  summaryCount: boolean;
  /** `_sort`, in order; empty for the type's own order. */
  sort: SortKey[];
  /** `_include` and `_revinclude` (one of each at most), as written. */
  include?: string | undefined;
  revinclude?: string | undefined;
}

/** Parses a query (or form body) for a resource type, refusing unknown parameters and malformed values by name. */
export function parseSearch(resourceType: string, query: Record<string, unknown>): ParsedSearch {
  const defs = searchParams[resourceType] ?? [];
  const strings = new Map<string, string>();
  for (const [key, raw] of Object.entries(query)) {
    if (Array.isArray(raw)) throw invalidField(key, 'give this parameter once');
    if (typeof raw !== 'string') throw invalidField(key, 'a text value');
    const def = defs.find((d) => d.name === key);
    if (!def && !resultParams.has(key)) throw invalidField(key, `not a supported search parameter of ${resourceType}`);
    if (key.includes(':')) throw invalidField(key, 'modifiers are not supported');
    if (def?.type === 'date' && !parseDateSearch(raw))
      throw invalidField(key, 'a date (YYYY, YYYY-MM, YYYY-MM-DD or an instant) with an optional prefix eq, lt, le, gt or ge');
    strings.set(key, raw);
  }
  const count = pageSize(strings.get('_count'));
  if (count === undefined) throw invalidField('_count', 'a whole number');
  const offsetRaw = strings.get('_offset') ?? '0';
  if (!/^\d{1,7}$/.test(offsetRaw)) throw invalidField('_offset', 'a whole number');
  const summary = strings.get('_summary');
  if (summary !== undefined && summary !== 'count' && summary !== 'false')
    throw invalidField('_summary', 'only count (or false) is supported');
  const sort = (strings.get('_sort') ?? '')
    .split(',')
    .filter(Boolean)
    .map((k) => ({ key: k.replace(/^-/, ''), desc: k.startsWith('-') }));
  const sortable = sortParams[resourceType] ?? [];
  const badSort = sort.find((k) => !sortable.includes(k.key));
  if (badSort) throw invalidField('_sort', `${resourceType} sorts by ${sortable.join(', ') || 'nothing but its own order'}`);
  const include = strings.get('_include');
  if (include !== undefined && !includeParams[resourceType]?.[include])
    throw invalidField('_include', `supported: ${Object.keys(includeParams[resourceType] ?? {}).join(', ') || 'none'}`);
  const revinclude = strings.get('_revinclude');
  if (revinclude !== undefined && !revincludeParams[resourceType]?.[revinclude])
    throw invalidField('_revinclude', `supported: ${Object.keys(revincludeParams[resourceType] ?? {}).join(', ') || 'none'}`);
  return { strings, count, offset: Number(offsetRaw), summaryCount: summary === 'count', sort, include, revinclude };
}

export const dateOf = (s: ParsedSearch, key: string): DateSearch | undefined => {
  const v = s.strings.get(key);
  return v === undefined ? undefined : parseDateSearch(v);
};
export const tokenOf = (s: ParsedSearch, key: string): TokenSearch | undefined => {
  const v = s.strings.get(key);
  return v === undefined ? undefined : parseTokenSearch(v);
};
/** The id a reference parameter names; a malformed one is refused. */
export function refOf(s: ParsedSearch, key: string, type: string): string | undefined {
  const v = s.strings.get(key);
  if (v === undefined) return undefined;
  const ref = referenceId(v, type);
  if (!ref) throw invalidField(key, `a reference to a ${type} (${type}/id or id)`);
  return ref;
}
