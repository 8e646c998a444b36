/**
 * DocumentReference and Binary (FHIR R4) from the documents module's views (read through its index.ts): the
 * document type (LOINC when the type has one), status (current, entered-in-error) and docStatus, the patient and
 * encounter, date of service, confidentiality flags as security labels, and the current version's content as an
 * attachment whose url is the Binary `<document id>.v<version>`.
 */
import type { DocumentContent, DocumentSummary, DocumentView } from '../documents/index.js';
import type { Binary, DocumentReference } from './fhir.types.js';

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
    type: {
      ...(d.loincCode ? { coding: [{ system: 'http://loinc.org', code: d.loincCode }] } : {}),
      text: d.typeName ?? d.typeCode,
    },
    subject: { reference: `Patient/${d.patientId}` },
    date: d.createdAt,
    ...(d.authorName ? { author: [{ display: d.authorName }] } : {}),
    description: d.title,
    ...(d.confidentiality.length
      ? {
          securityLabel: d.confidentiality.map((c) => ({
            coding: [{ system: 'http://custodian.invalid/fhir/CodeSystem/confidentiality', code: c }],
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
