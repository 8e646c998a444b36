/**
 * `_include`, `_revinclude` (FHIR R4 search, "Including other resources") for the common pairs, and
 * `Patient/$everything` (FHIR R4 OperationDefinition Patient-everything). Every resource brought in is read through
 * the same path as a read or search of its own (scopes, the record-access step, the audit event); a type the token
 * has no scope for is refused when asked for by name (`_include`), and left out of `$everything`.
 */
import { isDomainError, ErrorCode } from '../../core/errors.js';
import { scopeFor } from './fhir.rules.js';
import { includeParams, revincludeParams, type ParsedSearch } from './fhir.search.js';
import { readResource, requireScope, searchResources, type FhirCaller, type FhirDeps, type ResourceType } from './fhir.service.js';
import type { Resource } from './fhir.types.js';

/** Every resource of one record a search may return at once ($everything, _revinclude): a record's rows are few. */
const ALL = 10_000;

const everything = (patientId: string): ParsedSearch => ({
  strings: new Map([['patient', patientId]]),
  count: ALL,
  offset: 0,
  summaryCount: false,
  sort: [],
});

/** The ids a resource references for an `_include` (`Type:patient|subject` the patient, `Type:encounter` the encounters). */
function referencedIds(r: Resource, include: string, target: string): string[] {
  const refs: (string | undefined)[] = [];
  if (include.endsWith(':patient') || include.endsWith(':subject')) {
    if (
      r.resourceType === 'Encounter' ||
      r.resourceType === 'Condition' ||
      r.resourceType === 'Procedure' ||
      r.resourceType === 'DocumentReference'
    )
      refs.push(r.subject?.reference);
  } else if (r.resourceType === 'Condition' || r.resourceType === 'Procedure') refs.push(r.encounter?.reference);
  else if (r.resourceType === 'DocumentReference') refs.push(...(r.context?.encounter ?? []).map((e) => e.reference));
  const prefix = `${target}/`;
  return refs.filter((x): x is string => !!x?.startsWith(prefix)).map((x) => x.slice(prefix.length));
}

/** The resources `_include` and `_revinclude` bring in for a page of matches (none twice, none a match already). */
export async function includedResources(
  deps: FhirDeps,
  caller: FhirCaller,
  type: ResourceType,
  s: ParsedSearch,
  matches: readonly Resource[],
): Promise<Resource[]> {
  const out = new Map<string, Resource>();
  const seen = new Set(matches.map((r) => `${r.resourceType}/${String(r.id)}`));
  const add = (r: Resource) => {
    const key = `${r.resourceType}/${String(r.id)}`;
    if (!seen.has(key) && !out.has(key)) out.set(key, r);
  };
  if (s.include) {
    const target = includeParams[type]![s.include]! as ResourceType;
    requireScope(caller, target, 'r');
    const ids = [...new Set(matches.flatMap((r) => referencedIds(r, s.include!, target)))];
    for (const id of ids) if (!seen.has(`${target}/${id}`)) add(await readResource(deps, caller, target, id));
  }
  if (s.revinclude) {
    const target = revincludeParams[type]![s.revinclude]! as ResourceType;
    requireScope(caller, target, 's');
    // A restricted record shown redacted (no versionId) was not opened: nothing of it is brought in.
    for (const p of matches.filter((r) => r.resourceType === 'Patient' && r.meta?.versionId)) {
      const answer = await searchResources(deps, caller, target, everything(String(p.id)));
      if ('resources' in answer) answer.resources.forEach(add);
    }
  }
  return [...out.values()];
}

/**
 * Patient/$everything: the Patient, then its Encounters, Conditions, Procedures and DocumentReferences (content as
 * Binary links). Types the token has no search scope for, or the role may not read (a physician and final coding),
 * are left out; a restricted record needs the glass broken, as a read does.
 */
export async function patientEverything(deps: FhirDeps, caller: FhirCaller, patientId: string): Promise<Resource[]> {
  const out: Resource[] = [await readResource(deps, caller, 'Patient', patientId)];
  for (const type of ['Encounter', 'Condition', 'Procedure', 'DocumentReference'] as const) {
    if (!scopeFor(caller.grant, type, 's').allowed) continue;
    try {
      const answer = await searchResources(deps, caller, type, everything(patientId));
      if ('resources' in answer) out.push(...answer.resources);
    } catch (e) {
      if (isDomainError(e) && e.code === ErrorCode.forbidden) continue;
      throw e;
    }
  }
  return out;
}
