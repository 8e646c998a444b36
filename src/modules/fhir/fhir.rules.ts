/**
 * Pure rules of the FHIR API: SMART scopes (v1 and v2 syntax, SMART App Launch 2.0 section "Scopes"), search date
 * prefixes (FHIR R4 3.1.1.4 "search", section "prefix"), token parameters (system|code), paging counts, and the
 * OperationOutcome and Bundle shapes (FHIR R4 4.0.1). No I/O.
 */
import { createHash } from 'node:crypto';
import type { Bundle, OperationOutcome, Resource } from './fhir.types.js';

/** The FHIR version this API speaks. */
export const FHIR_VERSION = '4.0.1';
/** The media type of every FHIR answer (FHIR R4 2.21.0 "JSON"). */
export const FHIR_JSON = 'application/fhir+json';
/** Custodian's own code systems and extensions (no public host: `.invalid` is reserved, RFC 2606). */
export const CUSTODIAN_URI = 'http://custodian.invalid/fhir';
export const MRN_SYSTEM = `${CUSTODIAN_URI}/sid/mrn`;
export const ACCOUNT_SYSTEM = `${CUSTODIAN_URI}/sid/account-number`;
export const ERROR_SYSTEM = `${CUSTODIAN_URI}/CodeSystem/error`;
export const POA_EXTENSION = `${CUSTODIAN_URI}/StructureDefinition/present-on-admission`;
/** CMS POA indicator values (ICD-10-CM Official Guidelines, Appendix I). */
export const POA_SYSTEM = `${CUSTODIAN_URI}/CodeSystem/cms-poa-indicator`;
export const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const ICD10PCS_SYSTEM = 'http://www.cms.gov/Medicare/Coding/ICD10';
export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';

// ---------------------------------------------------------------------------------------------- SMART scopes

/** Who a scope speaks for: one patient, the signed-in user, or a system (SMART App Launch 2.0, "Scopes"). */
export type ScopeContext = 'patient' | 'user' | 'system';
/** SMART v2 interactions: create, read, update, delete, search. */
export type Interaction = 'c' | 'r' | 'u' | 'd' | 's';

export interface ResourceScope {
  context: ScopeContext;
  /** A resource type, or `*`. */
  resourceType: string;
  interactions: ReadonlySet<Interaction>;
  /** The scope as written. */
  text: string;
}

const v1Interactions: Record<string, Interaction[]> = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': ['c', 'r', 'u', 'd', 's'] };

/**
 * Reads one resource scope in SMART v1 (`system/Patient.read`, `patient/*.*`) or v2 (`system/*.rs`,
 * `patient/Encounter.cruds`) syntax; undefined for anything else (launch, openid, fhirUser and the like are not
 * resource scopes). v2 interactions must be in the order c, r, u, d, s. Scopes with parameters (`?category=`) are
 * not supported and read as undefined.
 */
export function parseScope(text: string): ResourceScope | undefined {
  const m = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|c?r?u?d?s?)$/.exec(text);
  if (!m?.[3]) return undefined;
  const [, context, resourceType, perms] = m as unknown as [string, ScopeContext, string, string];
  const list = v1Interactions[perms] ?? (perms.split('') as Interaction[]); // ASCII letters only (the pattern above)
  return { context, resourceType, interactions: new Set(list), text };
}

/** Splits a space-separated scope string into its resource scopes; the unknown ones are named in `unknown`. */
export function parseScopes(text: string): { scopes: ResourceScope[]; unknown: string[] } {
  const scopes: ResourceScope[] = [];
  const unknown: string[] = [];
  for (const s of text.split(/\s+/).filter(Boolean)) {
    const parsed = parseScope(s);
    if (parsed) scopes.push(parsed);
    else unknown.push(s);
  }
  return { scopes, unknown };
}

/** True when `held` allows everything `wanted` asks for (same context, same or `*` type, a superset of interactions). */
export function scopeCovers(held: ResourceScope, wanted: ResourceScope): boolean {
  return (
    held.context === wanted.context &&
    (held.resourceType === '*' || held.resourceType === wanted.resourceType) &&
    [...wanted.interactions].every((i) => held.interactions.has(i))
  );
}

/**
 * The scopes a token gets: of those requested, the ones a registered scope covers (all registered ones when none are
 * requested). SMART Backend Services: the server may grant fewer than asked; it grants none it was not given.
 */
export function grantScopes(registered: readonly ResourceScope[], requested: readonly ResourceScope[] | undefined): ResourceScope[] {
  if (!requested) return [...registered];
  return requested.filter((r) => registered.some((h) => scopeCovers(h, r)));
}

/** What a request may do: its granted scopes and, for patient scopes, the one patient they speak for. */
export interface ApiGrant {
  scopes: readonly ResourceScope[];
  patientId: string | null;
}

/**
 * Which scope allows `interaction` on `resourceType`, if any: the patient-context one (which binds the request to
 * the grant's patient) or a system/user one (bound to nothing but the role's permissions).
 */
export function scopeFor(
  grant: ApiGrant,
  resourceType: string,
  interaction: Interaction,
): { allowed: false } | { allowed: true; patientId: string | null } {
  const matching = grant.scopes.filter(
    (s) => (s.resourceType === '*' || s.resourceType === resourceType) && s.interactions.has(interaction),
  );
  if (matching.some((s) => s.context !== 'patient')) return { allowed: true, patientId: null };
  if (matching.length > 0 && grant.patientId) return { allowed: true, patientId: grant.patientId };
  return { allowed: false };
}

// ------------------------------------------------------------------------------------------- search values

/** Date search prefixes this API supports (FHIR R4 search, "prefix"); others are refused. */
export type DatePrefix = 'eq' | 'lt' | 'le' | 'gt' | 'ge';

/** A date search value as a half-open UTC range [start, end) of its precision, with its prefix. */
export interface DateSearch {
  prefix: DatePrefix;
  /** ISO instants with milliseconds (`2026-03-01T00:00:00.000Z`): they compare as text with stored ISO instants. */
  start: string;
  end: string;
}

/**
 * Reads `ge2026-03-01`, `2026`, `lt2026-03`, `eq2026-03-01T10:00:00Z`: a year, month, day or instant, with an optional
 * prefix (eq when absent). A date without a time zone is read as UTC. Undefined when it is not such a value.
 */
export function parseDateSearch(raw: string): DateSearch | undefined {
  const m = /^(eq|lt|le|gt|ge)?(\d{4})(?:-(\d{2})(?:-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(raw);
  if (!m) return undefined;
  const prefix = (m[1] ?? 'eq') as DatePrefix;
  const [year, month, day, time] = [Number(m[2]), m[3] ? Number(m[3]) : undefined, m[4] ? Number(m[4]) : undefined, m[5]];
  if ((month !== undefined && (month < 1 || month > 12)) || (day !== undefined && (day < 1 || day > 31))) return undefined;
  if (time) {
    const withZone = /Z|[+-]\d{2}:\d{2}$/.test(time) ? time : `${time}Z`;
    const t = Date.parse(`${m[2]}-${m[3]}-${m[4]}${withZone}`);
    if (Number.isNaN(t)) return undefined;
    // An instant to the second: the range is that second.
    return { prefix, start: new Date(t).toISOString(), end: new Date(t + 1000).toISOString() };
  }
  const start = Date.UTC(year, (month ?? 1) - 1, day ?? 1);
  const end =
    day !== undefined ? Date.UTC(year, month! - 1, day + 1) : month !== undefined ? Date.UTC(year, month, 1) : Date.UTC(year + 1, 0, 1);
  return { prefix, start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

/**
 * The text bounds a stored value must meet for a date search, as [operator, bound] pairs to AND together:
 * eq: start <= v < end; lt: v < start; le: v < end; gt: v >= end; ge: v >= start. `dateOnly` gives bounds for
 * stored `YYYY-MM-DD` values.
 */
export function dateBounds(d: DateSearch, dateOnly = false): ['>=' | '<', string][] {
  const s = dateOnly ? d.start.slice(0, 10) : d.start;
  const e = dateOnly ? d.end.slice(0, 10) : d.end;
  switch (d.prefix) {
    case 'eq':
      return [
        ['>=', s],
        ['<', e],
      ];
    case 'lt':
      return [['<', s]];
    case 'le':
      return [['<', e]];
    case 'gt':
      return [['>=', e]];
    case 'ge':
      return [['>=', s]];
  }
}

/** A token search value: `system|code`, `|code` (no system), `system|` (any code of the system) or `code`. */
export interface TokenSearch {
  system: string | undefined;
  code: string | undefined;
}

export function parseTokenSearch(raw: string): TokenSearch {
  const bar = raw.indexOf('|');
  if (bar < 0) return { system: undefined, code: raw };
  return { system: raw.slice(0, bar), code: raw.slice(bar + 1) || undefined };
}

/** A reference search value (`Patient/123`, `123`, or a full URL ending in `Patient/123`) as the id, for the type. */
export function referenceId(raw: string, resourceType: string): string | undefined {
  const m = new RegExp(`(?:^|/)${resourceType}/([A-Za-z0-9.-]{1,64})$`).exec(raw);
  if (m) return m[1];
  return /^[A-Za-z0-9.-]{1,64}$/.test(raw) ? raw : undefined;
}

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 100;

/** `_count` as a page size: the default when absent, at most MAX_COUNT (FHIR lets a server return fewer). */
export function pageSize(raw: string | undefined): number | undefined {
  if (raw === undefined) return DEFAULT_COUNT;
  if (!/^\d{1,6}$/.test(raw)) return undefined;
  return Math.min(Number(raw), MAX_COUNT);
}

/** ICD-10-CM codes are stored as the grouper reads them (no dot); FHIR's ICD-10-CM system writes the dot after 3 characters. */
export function icd10cmWithDot(code: string): string {
  return code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

export function icd10cmWithoutDot(code: string): string {
  return code.toUpperCase().replace(/\./g, '');
}

// -------------------------------------------------------------------------------------------- answers

/** OperationOutcome issue types (FHIR R4 ValueSet issue-type) for each domain error code. */
const issueTypes: Record<string, OperationOutcome['issue'][number]['code']> = {
  invalid: 'invalid',
  unauthenticated: 'login',
  mfa_required: 'login',
  forbidden: 'forbidden',
  break_glass_required: 'suppressed',
  not_found: 'not-found',
  conflict: 'conflict',
  locked: 'lock-error',
  precondition_failed: 'business-rule',
  not_supported: 'not-supported',
  exception: 'exception',
};

/** An OperationOutcome of one error issue: the domain error code in `details`, the message in `diagnostics`. */
export function operationOutcome(code: string, message: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: issueTypes[code] ?? 'processing',
        details: { coding: [{ system: ERROR_SYSTEM, code }], text: message },
        diagnostics: message,
      },
    ],
  };
}

/** A searchset Bundle (FHIR R4 Bundle, type searchset) with self and, when there is more, next links. */
export function searchsetBundle(opts: {
  baseUrl: string;
  resources: readonly Resource[];
  selfUrl: string;
  nextUrl?: string | undefined;
  total?: number;
  /** Resources brought in by `_include`/`_revinclude` (search mode include). */
  included?: readonly Resource[];
}): Bundle {
  const entry = (r: Resource, mode: 'match' | 'include') => ({
    fullUrl: `${opts.baseUrl}/${r.resourceType}/${String(r.id)}`,
    resource: r,
    search: { mode },
  });
  const entries = [...opts.resources.map((r) => entry(r, 'match')), ...(opts.included ?? []).map((r) => entry(r, 'include'))];
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(opts.total !== undefined ? { total: opts.total } : {}),
    link: [{ relation: 'self', url: opts.selfUrl }, ...(opts.nextUrl ? [{ relation: 'next', url: opts.nextUrl }] : [])],
    ...(entries.length ? { entry: entries } : {}),
  };
}

// ------------------------------------------------------------------------------------------- versions

/**
 * A resource's versionId: the first 16 hex digits of the SHA-256 of its content (without `meta`). Custodian keeps the
 * current state of a record, not each earlier state, so a versionId names "this content": it changes exactly when
 * what the resource shows changes (a column, an identifier, a name), and an earlier one can be compared, not read.
 */
export function versionIdOf(r: Resource): string {
  const { meta: _meta, ...content } = r;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
}

/** The resource with `meta.versionId` (for resources with a `meta.lastUpdated`: not for a redacted restricted record). */
export function withVersion<T extends Resource>(r: T): T {
  if (!r.meta?.lastUpdated || r.meta.versionId) return r;
  return { ...r, meta: { ...r.meta, versionId: versionIdOf(r) } };
}

/** The weak ETag of a version (FHIR R4 RESTful API, "Managing Resource Contention"): `W/"<versionId>"`. */
export const etagOf = (versionId: string) => `W/"${versionId}"`;

/** The versionId an If-Match header names (`W/"3"`, `"3"` or `3`), or undefined when it names none. */
export function versionOfIfMatch(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?([A-Za-z0-9.-]{1,64})"?\s*$/.exec(header);
  return m?.[1] ?? '';
}
