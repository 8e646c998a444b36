/**
 * DocumentReference and Binary (FHIR R4) from the documents module's views (read through its index.ts): the
 * document type (LOINC when the type has one), status (current, entered-in-error) and docStatus, the patient and
 * encounter, date of service, confidentiality flags as security labels, and the current version's content as an
 * attachment whose url is the Binary `<document id>.v<version>`.
 */
import { invalidField } from '../../core/errors.js';
import type { DocumentContent, DocumentSummary, DocumentTypeView, DocumentView, FileDocumentInput } from '../documents/index.js';
import { CUSTODIAN_URI, referenceId } from './fhir.rules.js';
import type { Binary, DocumentReference } from './fhir.types.js';

/** Custodian's document type codes (the documents module's types), beside LOINC. */
export const DOCUMENT_TYPE_SYSTEM = `${CUSTODIAN_URI}/CodeSystem/document-type`;
/** Confidentiality flags (42 CFR Part 2, behavioral health, HIV, ...: the documents module's flags). */
export const CONFIDENTIALITY_SYSTEM = `${CUSTODIAN_URI}/CodeSystem/confidentiality`;
const LOINC = 'http://loinc.org';

type DocStatus = NonNullable<DocumentReference['docStatus']>;
const docStatuses: Record<string, DocStatus> = { preliminary: 'preliminary', final: 'final', amended: 'amended' };

/** FHIR DocumentReference.status to ours (for search). */
export function documentStatusesOf(fhirStatus: string): string[] {
  if (fhirStatus === 'current') return ['preliminary', 'final', 'amended'];
  if (fhirStatus === 'entered-in-error') return ['entered_in_error'];
  return [];
}

export function binaryId(documentId: string, version: number): string {
  return `${documentId}.v${version}`;
}

export function parseBinaryId(id: string): { documentId: string; version: number } | undefined {
  const m = /^([A-Za-z0-9-]{1,56})\.v(\d{1,6})$/.exec(id);
  return m?.[1] && m[2] ? { documentId: m[1], version: Number(m[2]) } : undefined;
}

export function toDocumentReference(d: DocumentSummary & Partial<Pick<DocumentView, 'typeName' | 'loincCode'>>): DocumentReference {
  const destroyed = d.status === 'destroyed';
  return {
    resourceType: 'DocumentReference',
    id: d.id,
    meta: { lastUpdated: d.updatedAt },
    status: d.status === 'entered_in_error' || destroyed ? 'entered-in-error' : 'current',
    ...(docStatuses[d.status] ? { docStatus: docStatuses[d.status] } : {}),
    ...(d.externalId && d.sourceSystem ? { masterIdentifier: { system: identifierSystemOf(d.sourceSystem), value: d.externalId } } : {}),
    type: {
      coding: [{ system: DOCUMENT_TYPE_SYSTEM, code: d.typeCode }, ...(d.loincCode ? [{ system: LOINC, code: d.loincCode }] : [])],
      text: d.typeName ?? d.typeCode,
    },
    subject: { reference: `Patient/${d.patientId}` },
    date: d.createdAt,
    ...(d.authorName ? { author: [{ display: d.authorName }] } : {}),
    description: d.title,
    ...(d.confidentiality.length
      ? {
          securityLabel: d.confidentiality.map((c) => ({
            coding: [{ system: CONFIDENTIALITY_SYSTEM, code: c }],
          })),
        }
      : {}),
    content: destroyed
      ? [{ attachment: { title: d.title } }]
      : [
          {
            attachment: {
              contentType: d.mediaType ?? 'application/octet-stream',
              url: `Binary/${binaryId(d.id, d.currentVersion)}`,
              ...(d.byteSize !== undefined ? { size: d.byteSize } : {}),
              title: d.title,
              creation: d.createdAt,
            },
          },
        ],
    context: {
      ...(d.encounterId ? { encounter: [{ reference: `Encounter/${d.encounterId}` }] } : {}),
      period: { start: d.serviceAt },
    },
  };
}

export function toBinary(id: string, c: DocumentContent): Binary {
  return { resourceType: 'Binary', id, contentType: c.mediaType, data: Buffer.from(c.bytes).toString('base64') };
}

/** A source system as an identifier system URI (a stored name that is not a URI gets a Custodian namespace). */
const identifierSystemOf = (s: string) => (/^(https?:|urn:)/.test(s) ? s : `${CUSTODIAN_URI}/sid/${encodeURIComponent(s)}`);
const sourceSystemOf = (uri: string) =>
  uri.startsWith(`${CUSTODIAN_URI}/sid/`) ? decodeURIComponent(uri.slice(`${CUSTODIAN_URI}/sid/`.length)) : uri;

/**
 * A DocumentReference to file (FHIR create), as the documents module's filing input: subject (the patient),
 * context.encounter, type (our code, else LOINC: the active type with that LOINC code), description as the title,
 * docStatus preliminary or final, the first author's display, context.period.start as the date of service,
 * securityLabel in our confidentiality system (the type's defaults when none), masterIdentifier as the sending
 * system's id (a second document with the same one is refused), and the one attachment's inline data and
 * contentType. Content by url (a Binary posted before) is not supported: the data comes inline.
 */
export function documentInputOf(r: DocumentReference, types: readonly DocumentTypeView[]): FileDocumentInput {
  if (r.status !== 'current') throw invalidField('DocumentReference.status', 'a new document is current');
  const patientId = r.subject?.reference ? referenceId(r.subject.reference, 'Patient') : undefined;
  if (!patientId || !r.subject?.reference?.includes('Patient/'))
    throw invalidField('DocumentReference.subject', 'a reference to the Patient (Patient/id)');
  const enc = r.context?.encounter ?? [];
  if (enc.length > 1) throw invalidField('DocumentReference.context.encounter', 'at most one encounter');
  const encounterId = enc[0]?.reference ? referenceId(enc[0].reference, 'Encounter') : undefined;
  if (enc[0] && !encounterId) throw invalidField('DocumentReference.context.encounter', 'a reference to an Encounter (Encounter/id)');
  const codings = r.type?.coding ?? [];
  const own = codings.find((c) => c.system === DOCUMENT_TYPE_SYSTEM)?.code;
  const loinc = codings.find((c) => c.system === LOINC)?.code;
  const type = own
    ? types.find((t) => t.code === own && t.active)
    : types.find((t) => t.active && loinc !== undefined && t.loincCode === loinc);
  if (!type)
    throw invalidField('DocumentReference.type', `a document type in use: ${DOCUMENT_TYPE_SYSTEM}|code, or a LOINC code one maps to`);
  if (r.content.length !== 1) throw invalidField('DocumentReference.content', 'exactly one attachment');
  const a = r.content[0]!.attachment;
  if (!a.data || !a.contentType) throw invalidField('DocumentReference.content.attachment', 'data (base64) and contentType inline');
  if (r.docStatus && r.docStatus !== 'preliminary' && r.docStatus !== 'final')
    throw invalidField('DocumentReference.docStatus', 'preliminary or final');
  const labels = (r.securityLabel ?? []).flatMap((l) => l.coding ?? []).filter((c) => c.system === CONFIDENTIALITY_SYSTEM);
  const master = r.masterIdentifier;
  return {
    patientId,
    encounterId: encounterId ?? null,
    typeCode: type.code,
    title: r.description ?? null,
    authorName: r.author?.[0]?.display ?? null,
    serviceAt: r.context?.period?.start ?? null,
    status: r.docStatus ?? null,
    ...(labels.length ? { confidentiality: labels.map((c) => c.code ?? '') } : {}),
    source: 'system',
    ...(master?.value ? { externalId: master.value, sourceSystem: sourceSystemOf(master.system ?? 'unknown') } : {}),
    content: { bytes: new Uint8Array(Buffer.from(a.data, 'base64')), mediaType: a.contentType, fileName: a.title ?? null },
  };
}
