/**
 * Reads and searches of one patient's clinical resources: Encounter, Condition and Procedure (final coding
 * abstracts), DocumentReference and Binary (through the documents service). Each search is bound to one record
 * (`patient`, `subject`, `encounter` or `_id`), opened through the record-access step before any row is read.
 */
import { invalid, notFound } from '../../core/errors.js';
import { Permission, requirePermission, type Actor, type RecordScope } from '../access/index.js';
import { parseData } from '../coding/index.js';
import type { DocumentSummary } from '../documents/index.js';
import * as repo from './fhir.repository.js';
import { dateBounds, ICD10CM_SYSTEM, icd10cmWithoutDot, ICD10PCS_SYSTEM, type DateSearch } from './fhir.rules.js';
import { dateOf, refOf, tokenOf, type ParsedSearch } from './fhir.search.js';
import type { FhirDeps, SearchAnswer } from './fhir.service.js';
import { encounterStatusesOf, toEncounter } from './encounter.map.js';
import { conditionId, diagnosesOf, parseConditionId, toCondition } from './condition.map.js';
import { parseProcedureId, procedureId, proceduresOf, toProcedure } from './procedure.map.js';
import { documentStatusesOf, parseBinaryId, toBinary, toDocumentReference } from './document-reference.map.js';
import type { Resource } from './fhir.types.js';

type ClinicalType = 'Encounter' | 'Condition' | 'Procedure' | 'DocumentReference' | 'Binary';

const codingRule = Permission.codingRead;

/** Refuses (as not found) a resource of another patient than the one a patient-scoped token is bound to. */
async function checkBound(deps: FhirDeps, boundTo: string | null, owner: () => Promise<string | undefined>, type: string): Promise<void> {
  if (boundTo === null) return;
  if ((await owner()) !== boundTo) throw notFound(type);
}

const openEncounter = (
  deps: FhirDeps,
  actor: Actor,
  encounterId: string,
  resourceType: string,
  permission: Permission = Permission.encounterRead,
) =>
  deps.records.open(actor, { encounterId }, { permission, mode: 'read', resourceType, resourceId: encounterId, detail: { via: 'fhir' } });

export async function readClinical(
  deps: FhirDeps,
  actor: Actor,
  type: ClinicalType,
  id: string,
  boundTo: string | null,
): Promise<Resource> {
  switch (type) {
    case 'Encounter': {
      await checkBound(deps, boundTo, () => repo.patientOfEncounter(deps.db, id), type);
      const scope = await openEncounter(deps, actor, id, 'encounter');
      const [e] = await repo.listEncounters(deps.db, scope, { id }, { offset: 0, count: 1 });
      if (!e) throw notFound('Encounter');
      return toEncounter(e);
    }
    case 'Condition':
    case 'Procedure': {
      const parsed = type === 'Condition' ? parseConditionId(id) : parseProcedureId(id);
      if (!parsed) throw notFound(type);
      await checkBound(deps, boundTo, () => repo.patientOfEncounter(deps.db, parsed.encounterId), type);
      const scope = await openEncounter(deps, actor, parsed.encounterId, 'coding_abstract', codingRule);
      const found = (await codedResources(deps, scope, type)).find((r) => r.id === id);
      if (!found) throw notFound(type);
      return found;
    }
    case 'DocumentReference': {
      // The role's permission before any lookup (the documents service finds the document first).
      await requirePermission(deps, actor, Permission.documentRead, { type: 'document' });
      await checkBound(deps, boundTo, () => repo.patientOfDocument(deps.db, id), type);
      return toDocumentReference(await deps.documents.getDocument(actor, id));
    }
    case 'Binary': {
      const parsed = parseBinaryId(id);
      await requirePermission(deps, actor, Permission.documentRead, { type: 'document' });
      if (!parsed) throw notFound(type);
      await checkBound(deps, boundTo, () => repo.patientOfDocument(deps.db, parsed.documentId), type);
      return toBinary(id, await deps.documents.readContent(actor, parsed.documentId, parsed.version));
    }
  }
}

/** The Conditions or Procedures of the final abstracts a scope covers (one encounter's, when it names one). */
async function codedResources(
  deps: FhirDeps,
  scope: RecordScope,
  type: 'Condition' | 'Procedure',
  encounterId?: string,
): Promise<Resource[]> {
  const abstracts = await repo.listFinalAbstracts(deps.db, scope, encounterId);
  return abstracts.flatMap((a): Resource[] => {
    const data = parseData(a.data);
    return type === 'Condition' ? diagnosesOf(data).map((d) => toCondition(a, d)) : proceduresOf(data).map((p) => toProcedure(a, p));
  });
}

/**
 * The record a clinical search is bound to: `patient`/`subject` (or a patient-scoped token's patient), else the
 * `encounter`, else the `_id`'s encounter. A search bound to none is refused: searches across patients are not built.
 */
function boundRecord(type: string, s: ParsedSearch, boundTo: string | null): { patientId?: string; encounterId?: string; empty?: true } {
  const patient = refOf(s, 'patient', 'Patient');
  const subject = refOf(s, 'subject', 'Patient');
  const named = [patient, subject, boundTo].filter((x): x is string => x !== undefined && x !== null);
  if (named.some((x) => x !== named[0])) return { empty: true };
  if (named[0]) return { patientId: named[0] };
  const encounter = type === 'Encounter' ? s.strings.get('_id') : refOf(s, 'encounter', 'Encounter');
  if (encounter) return { encounterId: encounter };
  const id = s.strings.get('_id');
  const parsed = id && (type === 'Condition' ? parseConditionId(id) : type === 'Procedure' ? parseProcedureId(id) : undefined);
  if (parsed) return { encounterId: parsed.encounterId };
  throw invalid(`${type} search needs patient, subject or encounter (searches across patients are not supported yet)`);
}

export async function searchClinical(
  deps: FhirDeps,
  actor: Actor,
  type: Exclude<ClinicalType, 'Binary'>,
  s: ParsedSearch,
  boundTo: string | null,
): Promise<SearchAnswer> {
  const bound = boundRecord(type, s, boundTo);
  if (bound.empty) return s.summaryCount ? { total: 0 } : { resources: [], hasMore: false };
  if (bound.encounterId && boundTo !== null && (await repo.patientOfEncounter(deps.db, bound.encounterId)) !== boundTo)
    return s.summaryCount ? { total: 0 } : { resources: [], hasMore: false };
  const all = sortResources(await matching(deps, actor, type, s, bound), s);
  if (s.summaryCount) return { total: all.length };
  const page = all.slice(s.offset, s.offset + s.count);
  return { resources: page, hasMore: all.length > s.offset + s.count };
}

/** The date a clinical resource sorts by (`_sort=date`): admission, performed, filed. */
function dateOfResource(r: Resource): string {
  if (r.resourceType === 'Encounter') return r.period?.start ?? '';
  if (r.resourceType === 'Procedure') return r.performedDateTime ?? '';
  if (r.resourceType === 'DocumentReference') return r.date ?? '';
  return '';
}

/** A bound search's matches in `_sort` order (ties keep the type's own order); unchanged without `_sort`. */
function sortResources(all: Resource[], s: ParsedSearch): Resource[] {
  if (!s.sort.length) return all;
  return all
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      for (const k of s.sort) {
        const c = dateOfResource(a.r).localeCompare(dateOfResource(b.r));
        if (c !== 0) return k.desc ? -c : c;
      }
      return a.i - b.i;
    })
    .map((x) => x.r);
}

/** Every match of a bound search, in the order pages are cut from (a record's rows are few: hundreds at most). */
async function matching(
  deps: FhirDeps,
  actor: Actor,
  type: Exclude<ClinicalType, 'Binary'>,
  s: ParsedSearch,
  bound: { patientId?: string; encounterId?: string },
): Promise<Resource[]> {
  const target = bound.patientId ? { patientId: bound.patientId } : { encounterId: bound.encounterId! };
  const encounterParam = type === 'Encounter' ? undefined : refOf(s, 'encounter', 'Encounter');
  if (type === 'DocumentReference') return searchDocuments(deps, actor, s, target, encounterParam);
  const permission = type === 'Encounter' ? Permission.encounterRead : codingRule;
  const resourceType = type === 'Encounter' ? 'encounter' : 'coding_abstract';
  const scope = await deps.records.open(actor, target, {
    permission,
    mode: 'read',
    resourceType,
    resourceId: bound.encounterId ?? bound.patientId ?? null,
    detail: { via: 'fhir', search: type },
  });
  if (type === 'Encounter') {
    const status = s.strings.get('status');
    const date = dateOf(s, 'date');
    const rows = await repo.listEncounters(
      deps.db,
      scope,
      {
        ...(s.strings.has('_id') ? { id: s.strings.get('_id')! } : {}),
        ...(tokenOf(s, 'identifier')?.code ? { accountNumber: tokenOf(s, 'identifier')!.code! } : {}),
        ...(date ? { date } : {}),
        ...(status !== undefined ? { statuses: encounterStatusesOf(status) } : {}),
      },
      { offset: 0, count: 100_000 },
    );
    return rows.map(toEncounter);
  }
  const resources = await codedResources(deps, scope, type, encounterParam);
  return resources.filter((r) => codedMatches(r, type, s));
}

function codedMatches(r: Resource, type: 'Condition' | 'Procedure', s: ParsedSearch): boolean {
  const id = s.strings.get('_id');
  if (id !== undefined && r.id !== id) return false;
  const code = tokenOf(s, 'code');
  if (code) {
    const system = type === 'Condition' ? ICD10CM_SYSTEM : ICD10PCS_SYSTEM;
    if (code.system !== undefined && code.system !== system) return false;
    const coded = r.resourceType === 'Condition' || r.resourceType === 'Procedure' ? r.code?.coding?.[0]?.code : undefined;
    if (code.code !== undefined && icd10cmWithoutDot(coded ?? '') !== icd10cmWithoutDot(code.code)) return false;
  }
  const category = tokenOf(s, 'category');
  if (
    category &&
    (category.code !== 'encounter-diagnosis' || (category.system !== undefined && !category.system.endsWith('condition-category')))
  )
    return false;
  if (r.resourceType === 'Procedure') {
    const status = s.strings.get('status');
    if (status !== undefined && status !== 'completed') return false;
    const date = dateOf(s, 'date');
    if (date && !inRange(r.performedDateTime, date, true)) return false;
  }
  return true;
}

function inRange(value: string | undefined, d: DateSearch, dateOnly: boolean): boolean {
  if (!value) return false;
  return dateBounds(d, dateOnly).every(([op, bound]) => (op === '>=' ? value >= bound : value < bound));
}

async function searchDocuments(
  deps: FhirDeps,
  actor: Actor,
  s: ParsedSearch,
  target: { patientId: string } | { encounterId: string },
  encounterParam: string | undefined,
): Promise<Resource[]> {
  const encounterId = 'encounterId' in target ? target.encounterId : encounterParam;
  const patientId = 'patientId' in target ? target.patientId : await repo.patientOfEncounter(deps.db, target.encounterId);
  if (!patientId) throw notFound('Encounter');
  // The documents service opens the record (permission, restriction, sensitivity, audit) and lists its documents.
  const docs: DocumentSummary[] = await deps.documents.listForPatient(actor, patientId, encounterId ? { encounterId } : {});
  const id = s.strings.get('_id');
  const status = s.strings.get('status');
  const date = dateOf(s, 'date');
  return docs
    .filter((d) => id === undefined || d.id === id)
    .filter((d) => status === undefined || documentStatusesOf(status).includes(d.status))
    .filter((d) => !date || inRange(d.createdAt, date, false))
    .map(toDocumentReference);
}

export { conditionId, procedureId };
