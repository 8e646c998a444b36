/**
 * Writes through the FHIR API (FHIR R4 RESTful API: create, conditional create, update with If-Match): Patient
 * create and update through the patients module's writers (record-access step, match keys and duplicate screen,
 * audit), DocumentReference create and Binary create (a new content version) through the documents service (its
 * own record-access step, content checks and audit). Every body is checked against FHIR R4 (@medplum/core) first,
 * then mapped, then checked with our own schemas.
 */
import { DomainError, ErrorCode, invalid, invalidField, notFound } from '../../core/errors.js';
import { Permission, requirePermission, type Actor } from '../access/index.js';
import { insertPatient, listFacilityIds, NewPatientSchema, PatientUpdateSchema, updatePatientInTx } from '../patients/index.js';
import * as repo from './fhir.repository.js';
import { referenceId, versionIdOf, withVersion } from './fhir.rules.js';
import { parseSearch } from './fhir.search.js';
import { patientFilterOf, readPatient, requireScope, type FhirCaller, type FhirDeps } from './fhir.service.js';
import { newPatientOf, patientFields, toPatient } from './patient.map.js';
import { binaryId, documentInputOf, toDocumentReference } from './document-reference.map.js';
import { parseMapped, parseResource } from './fhir.validate.js';
import type { Binary, Resource } from './fhir.types.js';

/** A create's answer: 201 and the new resource, or (conditional create that matched one) 200 and the existing one. */
export interface CreateAnswer {
  created: boolean;
  resource: Resource;
}

const preconditionFailed = (message: string) => new DomainError(ErrorCode.preconditionFailed, message);

/**
 * Patient create. With If-None-Exist (a Patient search, e.g. `identifier=system|value`): one match answers it
 * (nothing is created), more than one is refused (412), none creates. The facility is managingOrganization, or the
 * only facility there is. The MRN is assigned here (one the resource names is ignored).
 */
export async function createPatientResource(
  deps: FhirDeps,
  caller: FhirCaller,
  body: unknown,
  ifNoneExist: string | undefined,
): Promise<CreateAnswer> {
  if (requireScope(caller, 'Patient', 'c') !== null)
    throw new DomainError(ErrorCode.forbidden, 'scope: a patient-scoped token cannot create patients');
  // The role's permission first (403 before the body is looked at), as every service starts.
  await requirePermission(deps, caller.actor, Permission.patientWrite, { type: 'patient' });
  const fields = patientFields(parseResource(body, 'Patient'));
  if (ifNoneExist !== undefined) {
    const existing = await matchingPatient(deps, caller.actor, ifNoneExist);
    if (existing) return { created: false, resource: await readPatient(deps, caller.actor, existing, null) };
  }
  const facilities = await listFacilityIds(deps.db);
  const facilityId = fields.facilityId ?? (facilities.length === 1 ? facilities[0] : undefined);
  if (!facilityId || !facilities.includes(facilityId))
    throw invalidField('Patient.managingOrganization', 'the facility (Organization/id) that registers the patient');
  const input = parseMapped(NewPatientSchema, newPatientOf(fields, facilityId), 'Patient');
  const { id } = await deps.db.transaction().execute((trx) => insertPatient(trx, deps, caller.actor, input, 'fhir'));
  return { created: true, resource: await readPatient(deps, caller.actor, id, null) };
}

/** The one patient an If-None-Exist search finds, undefined for none; 412 for more than one. */
async function matchingPatient(deps: FhirDeps, actor: Actor, query: string): Promise<string | undefined> {
  const params = new URLSearchParams(query);
  const criteria = parseSearch('Patient', Object.fromEntries(params));
  if ([...criteria.strings.keys()].every((k) => k.startsWith('_') && k !== '_id'))
    throw invalidField('If-None-Exist', 'a Patient search such as identifier=system|value');
  const list = await deps.records.openList(actor, { permission: Permission.patientSearch, resourceType: 'patient' });
  const { filter, byHiddenField } = patientFilterOf(criteria, null);
  const rows = (await repo.countPatients(deps.db, list, filter)).filter(
    (p) => !byHiddenField || list.showsDetails({ patientId: p.id, restricted: p.restricted }),
  );
  if (rows.length > 1) throw preconditionFailed(`If-None-Exist: ${rows.length} patients match; make the criteria selective`);
  return rows[0]?.id;
}

/**
 * Patient update (the whole resource: a field left out is cleared, as FHIR update replaces the resource). With
 * If-Match, the version must still be the current one (412 otherwise), checked in the update's transaction. The
 * MRN and the facility cannot change here; update cannot create (an unknown id is not found).
 */
export async function updatePatientResource(
  deps: FhirDeps,
  caller: FhirCaller,
  id: string,
  body: unknown,
  ifMatch: string | undefined,
): Promise<Resource> {
  const boundTo = requireScope(caller, 'Patient', 'u');
  if (boundTo !== null && boundTo !== id) throw notFound('Patient');
  await requirePermission(deps, caller.actor, Permission.patientWrite, { type: 'patient' });
  const resource = parseResource(body, 'Patient');
  if (resource.id !== id) throw invalidField('Patient.id', 'the id in the URL');
  const fields = patientFields(resource);
  const update = parseMapped(PatientUpdateSchema, fields.person, 'Patient');
  const scope = await deps.records.open(
    caller.actor,
    { patientId: id },
    { permission: Permission.patientWrite, mode: 'write', resourceType: 'patient', resourceId: id, detail: { via: 'fhir' } },
  );
  await deps.db.transaction().execute(async (trx) => {
    const found = await repo.readPatient(trx, scope);
    if (!found || found.patient.merged_into !== null) throw notFound('Patient');
    if (fields.mrn !== undefined && fields.mrn !== found.patient.mrn)
      throw invalidField('Patient.identifier', 'the MRN is assigned by Custodian and cannot be changed');
    if (fields.facilityId !== undefined && fields.facilityId !== found.patient.facility_id)
      throw invalidField('Patient.managingOrganization', 'the registering facility cannot be changed');
    if (ifMatch !== undefined) {
      const current = versionIdOf(toPatient(found.patient, found.names, found.identifiers, found.mergedFrom));
      if (current !== ifMatch) throw preconditionFailed('If-Match: the Patient has changed since that version; read it again');
    }
    await updatePatientInTx(trx, deps, scope, update, 'fhir');
  });
  return readPatient(deps, caller.actor, id, null);
}

/** DocumentReference create: files the document (version 1) through the documents service. */
export async function createDocumentReference(deps: FhirDeps, caller: FhirCaller, body: unknown): Promise<Resource> {
  const boundTo = requireScope(caller, 'DocumentReference', 'c');
  await requirePermission(deps, caller.actor, Permission.documentWrite, { type: 'document' });
  const resource = parseResource(body, 'DocumentReference');
  const input = documentInputOf(resource, await deps.documents.listTypes(caller.actor));
  if (boundTo !== null && input.patientId !== boundTo) throw notFound('Patient');
  const view = await deps.documents.fileDocument(caller.actor, input);
  return withVersion(toDocumentReference(view));
}

/**
 * Binary create: new content for a document, as its next version (`<document>.v<n>`; every earlier version stays).
 * The document is named by the Binary's securityContext (or the X-Security-Context header with raw content).
 * The answer names the new Binary without echoing its data.
 */
export async function createBinary(
  deps: FhirDeps,
  caller: FhirCaller,
  content: { bytes: Uint8Array; mediaType: string } | { resource: unknown },
  securityContext: string | undefined,
): Promise<Binary> {
  const boundTo = requireScope(caller, 'DocumentReference', 'u');
  await requirePermission(deps, caller.actor, Permission.documentWrite, { type: 'document' });
  let bytes: Uint8Array;
  let mediaType: string;
  let context = securityContext;
  if ('resource' in content) {
    const b = parseResource(content.resource, 'Binary');
    if (b.data === undefined) throw invalidField('Binary.data', 'the content, base64');
    bytes = new Uint8Array(Buffer.from(b.data, 'base64'));
    mediaType = b.contentType;
    context = b.securityContext?.reference ?? context;
  } else ({ bytes, mediaType } = content);
  const documentId = context && /(^|\/)DocumentReference\//.test(context) ? referenceId(context, 'DocumentReference') : undefined;
  if (!documentId)
    throw invalidField('Binary.securityContext', 'the DocumentReference (DocumentReference/id) this content is a new version of');
  if (boundTo !== null && (await repo.patientOfDocument(deps.db, documentId)) !== boundTo) throw notFound('DocumentReference');
  if (bytes.byteLength === 0) throw invalid('Binary: the content is empty');
  const view = await deps.documents.addVersion(caller.actor, documentId, {
    content: { bytes, mediaType },
    kind: 'revision',
    reason: 'new content filed through the FHIR API (Binary create)',
  });
  return {
    resourceType: 'Binary',
    id: binaryId(documentId, view.currentVersion),
    contentType: view.mediaType ?? mediaType,
    securityContext: { reference: `DocumentReference/${documentId}` },
  };
}
