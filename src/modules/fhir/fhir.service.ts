/**
 * The FHIR API's reads and searches, on the existing services' rules: each request's scopes first (SMART), then the
 * record-access step (permission, restriction, break-the-glass, audit) for every patient's data, then the SQL with
 * the scope it handed out. A record the caller may not see and one that does not exist answer alike (not found).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../core/shared/clock.js';
import { forbidden, notFound } from '../../core/errors.js';
import { anyOf, Permission, requirePermission, type Actor, type RecordAccess } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import type { DocumentsService } from '../documents/index.js';
import type { FieldCipher } from '../../core/shared/crypto.js';
import type { PatientMatching } from '../patients/index.js';
import * as repo from './fhir.repository.js';
import { scopeFor, withVersion, type ApiGrant, type Interaction } from './fhir.rules.js';
import { dateOf, tokenOf, type ParsedSearch } from './fhir.search.js';
import { sexOfGender, toPatient, toRestrictedPatient } from './patient.map.js';
import { toPractitioner } from './practitioner.map.js';
import { toOrganization } from './organization.map.js';
import type { Resource } from './fhir.types.js';
import * as clinical from './fhir-clinical.service.js';

export interface FhirDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  /** Documents and their content are read through the documents service (its own record-access step and audit). */
  documents: DocumentsService;
  /** Patient writes (create, update) run the patients module's writers: SSN cipher, match keys and duplicate screen. */
  cipher: FieldCipher;
  matching: PatientMatching;
}

/** Who calls and with what grant: a client's token (scopes, perhaps one patient) or a web session (the role's rules only). */
export interface FhirCaller {
  actor: Actor;
  grant: ApiGrant;
}

/** A search's answer: a page of resources (and whether there are more), or the count for `_summary=count`. */
export type SearchAnswer = { resources: Resource[]; hasMore: boolean } | { total: number };

/** The resource types this API reads and searches. */
export const resourceTypes = [
  'Patient',
  'Encounter',
  'Condition',
  'Procedure',
  'DocumentReference',
  'Practitioner',
  'Organization',
] as const;
export type ResourceType = (typeof resourceTypes)[number];

const interactionNames: Record<Interaction, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

/**
 * The patient a request is bound to, or null; refuses (403, before any data is looked at) a request whose token holds
 * no scope for this interaction on this type.
 */
export function requireScope(caller: FhirCaller, resourceType: string, interaction: Interaction): string | null {
  const s = scopeFor(caller.grant, resourceType, interaction);
  if (!s.allowed) throw forbidden(`scope: this token has no scope to ${interactionNames[interaction]} ${resourceType}`);
  return s.patientId;
}

/** Reads one resource (with its meta.versionId). */
export async function readResource(deps: FhirDeps, caller: FhirCaller, type: ResourceType | 'Binary', id: string): Promise<Resource> {
  return withVersion(await readUnversioned(deps, caller, type, id));
}

async function readUnversioned(deps: FhirDeps, caller: FhirCaller, type: ResourceType | 'Binary', id: string): Promise<Resource> {
  const boundTo = requireScope(caller, type === 'Binary' ? 'DocumentReference' : type, 'r');
  switch (type) {
    case 'Patient':
      return readPatient(deps, caller.actor, id, boundTo);
    case 'Practitioner':
    case 'Organization':
      return readDirectory(deps, caller.actor, type, id);
    default:
      return clinical.readClinical(deps, caller.actor, type, id, boundTo);
  }
}

/** Searches one resource type (each resource with its meta.versionId). */
export async function searchResources(deps: FhirDeps, caller: FhirCaller, type: ResourceType, s: ParsedSearch): Promise<SearchAnswer> {
  const answer = await searchUnversioned(deps, caller, type, s);
  return 'total' in answer ? answer : { ...answer, resources: answer.resources.map(withVersion) };
}

async function searchUnversioned(deps: FhirDeps, caller: FhirCaller, type: ResourceType, s: ParsedSearch): Promise<SearchAnswer> {
  const boundTo = requireScope(caller, type, 's');
  switch (type) {
    case 'Patient':
      return searchPatients(deps, caller.actor, s, boundTo);
    case 'Practitioner':
    case 'Organization':
      return searchDirectory(deps, caller.actor, type, s);
    default:
      return clinical.searchClinical(deps, caller.actor, type, s, boundTo);
  }
}

/** Reads one Patient through the record-access step (an audited read), with its meta.versionId. */
export async function readPatient(deps: FhirDeps, actor: Actor, id: string, boundTo: string | null): Promise<Resource> {
  if (boundTo !== null && boundTo !== id) throw notFound('Patient');
  const scope = await deps.records.open(
    actor,
    { patientId: id },
    { permission: Permission.patientRead, mode: 'read', resourceType: 'patient', resourceId: id, detail: { via: 'fhir' } },
  );
  const found = await repo.readPatient(deps.db, scope);
  if (!found) throw notFound('Patient');
  return withVersion(toPatient(found.patient, found.names, found.identifiers, found.mergedFrom));
}

/**
 * Patient search (unmerged records). A restricted record the caller has not opened appears as its existence only
 * (id, MRN, name), and not at all when the search names what it hides (birth date, gender). Every record shown in
 * full is opened through the record-access step (an audited read); the search itself is audited with its count.
 */
async function searchPatients(deps: FhirDeps, actor: Actor, s: ParsedSearch, boundTo: string | null): Promise<SearchAnswer> {
  const list = await deps.records.openList(actor, { permission: Permission.patientSearch, resourceType: 'patient' });
  const { filter, byHiddenField } = patientFilterOf(s, boundTo);
  const shows = (p: { id: string; restricted: number }) => list.showsDetails({ patientId: p.id, restricted: p.restricted });
  if (s.summaryCount) {
    const total = (await repo.countPatients(deps.db, list, filter)).filter((r) => !byHiddenField || shows(r)).length;
    await auditSearch(deps, actor, 'Patient', total);
    return { total };
  }
  const rows = await repo.searchPatients(deps.db, list, filter, s, s.sort);
  const resources: Resource[] = [];
  for (const p of rows.slice(0, s.count)) {
    if (shows(p)) resources.push(await readPatient(deps, actor, p.id, boundTo));
    else if (!byHiddenField) resources.push(toRestrictedPatient(p));
  }
  await auditSearch(deps, actor, 'Patient', resources.length);
  return { resources, hasMore: rows.length > s.count };
}

/** A Patient search as the repository's filter, and whether it names a field a restricted record hides. */
export function patientFilterOf(s: ParsedSearch, boundTo: string | null): { filter: repo.PatientFilter; byHiddenField: boolean } {
  const gender = s.strings.get('gender');
  const idParam = s.strings.get('_id');
  const ids = [idParam, boundTo].filter((x): x is string => typeof x === 'string');
  const filter: repo.PatientFilter = {
    ...(ids.length ? { ids: ids.every((x) => x === ids[0]) ? [ids[0]!] : [] } : {}),
    ...(tokenOf(s, 'identifier') ? { identifier: tokenOf(s, 'identifier')! } : {}),
    ...optionalStrings(s, ['name', 'family', 'given']),
    ...(dateOf(s, 'birthdate') ? { birthdate: dateOf(s, 'birthdate')! } : {}),
  };
  if (gender !== undefined) filter.gender = (sexOfGender as Partial<Record<string, string[]>>)[gender] ?? [];
  return { filter, byHiddenField: gender !== undefined || filter.birthdate !== undefined };
}

function optionalStrings<K extends string>(s: ParsedSearch, keys: K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const v = s.strings.get(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Providers and facilities are no patient's data: the role needs a patient-facing permission, and the use is audited. */
const directoryRule = anyOf(Permission.patientSearch, Permission.encounterRead);
const directoryResource = { Practitioner: 'provider', Organization: 'facility' } as const;

async function readDirectory(deps: FhirDeps, actor: Actor, type: 'Practitioner' | 'Organization', id: string): Promise<Resource> {
  const [r] = (await directoryRows(deps, actor, type, { id }, { offset: 0, count: 1 })).rows;
  if (!r) throw notFound(type);
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.read,
      resourceType: directoryResource[type],
      resourceId: id,
      outcome: 'success',
    }),
  );
  return r;
}

async function searchDirectory(
  deps: FhirDeps,
  actor: Actor,
  type: 'Practitioner' | 'Organization',
  s: ParsedSearch,
): Promise<SearchAnswer> {
  const f: repo.DirectoryFilter = {
    ...(s.strings.has('_id') ? { id: s.strings.get('_id')! } : {}),
    ...(tokenOf(s, 'identifier')?.code ? { identifier: tokenOf(s, 'identifier')!.code! } : {}),
    ...optionalStrings(s, ['name', 'family', 'given']),
  };
  const page = s.summaryCount ? { offset: 0, count: 100_000 } : s;
  const { rows } = await directoryRows(deps, actor, type, f, page);
  if (s.summaryCount) {
    await auditSearch(deps, actor, type, rows.length);
    return { total: rows.length };
  }
  await auditSearch(deps, actor, type, Math.min(rows.length, s.count));
  return { resources: rows.slice(0, s.count), hasMore: rows.length > s.count };
}

async function directoryRows(
  deps: FhirDeps,
  actor: Actor,
  type: 'Practitioner' | 'Organization',
  f: repo.DirectoryFilter,
  page: repo.Page,
) {
  await requirePermission(deps, actor, directoryRule, { type: directoryResource[type] });
  const rows: Resource[] =
    type === 'Practitioner'
      ? (await repo.searchProviders(deps.db, f, page)).map(toPractitioner)
      : (await repo.searchFacilities(deps.db, f, page)).map(toOrganization);
  return { rows };
}

/** The search event: the resource type and the count, never the search values (they may be names). */
export async function auditSearch(deps: FhirDeps, actor: Actor, type: string, resultCount: number): Promise<void> {
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: `fhir:${type}`,
      outcome: 'success',
      detail: { resultCount, via: 'fhir' },
    }),
  );
}
