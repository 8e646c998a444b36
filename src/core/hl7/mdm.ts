import { readCwe, readDateTime, readXcn, type Clinician, type Coded, type ExtendedId } from './datatypes.js';
import { isSupportedVersion } from './adt.js';
import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';
import { component, repetitions, value, type Hl7Message, type Hl7Segment } from './message.js';
import { readMsh, readPid, readPv1, type MessageHeader, type PatientIdentification, type PatientVisit } from './segments.js';

/**
 * MDM (medical document management, HL7 v2.5 chapter 9): a transcribed or authored document's notification and
 * content. Field numbers are those of TXA and OBX from v2.3 on.
 */

/** MDM trigger events Custodian applies: the ones that carry content (T02, T04, T06, T08, T10). */
export const SUPPORTED_MDM_EVENTS = ['T02', 'T04', 'T06', 'T08', 'T10'] as const;
export type SupportedMdmEvent = (typeof SUPPORTED_MDM_EVENTS)[number];

/** A person who authenticated (signed) the document, TXA-22 (PPN: XCN with the date/time of the action in component 15). */
export interface Authentication {
  person: Clinician;
  at?: string;
}

/** TXA: the document's header. */
export interface TranscriptionDocument {
  /** TXA-2 document type (HL7 table 0270: HP, DS, OP, CN, ...; a CWE from v2.7). */
  type: Coded;
  /** TXA-3 content presentation (TX, FT, AP, ...). */
  presentation?: string;
  /** TXA-4 activity date/time (when the care the document records happened). */
  activityAt?: string;
  /** TXA-5 primary activity provider (the author). */
  primaryProviders: Clinician[];
  /** TXA-6 origination date/time. */
  originatedAt?: string;
  /** TXA-9 originator (who dictated or wrote it). */
  originators: Clinician[];
  /** TXA-12 unique document number (EI-1). */
  uniqueNumber?: string;
  /** TXA-13 parent document number (EI-1): the document an addendum belongs to, the one a replacement replaces. */
  parentNumber?: string;
  /** TXA-16 unique document file name. */
  fileName?: string;
  /** TXA-17 completion status (table 0271: DI dictated, DO documented, IP in progress, IN incomplete, PA pre-authenticated, AU authenticated, LA legally authenticated). */
  completionStatus?: string;
  /** TXA-18 confidentiality status (table 0272: V very restricted, R restricted, U usual control). */
  confidentiality?: string;
  /** TXA-19 availability status (table 0273: AV available, CA canceled, OB obsolete, UN unavailable). */
  availability?: string;
  /** TXA-21 document change reason. */
  changeReason?: string;
  /** TXA-22 authentication person, time stamp. */
  authentications: Authentication[];
}

/** The document's content, read from OBX-5. */
export interface DocumentContent {
  bytes: Uint8Array;
  mediaType: string;
}

export interface MdmMessage {
  header: MessageHeader;
  trigger: string;
  supported: boolean;
  patient: PatientIdentification;
  visit?: PatientVisit;
  /** The account (encounter) number: PID-18, else PV1-19 (as for ADT). */
  accountNumber?: ExtendedId;
  document: TranscriptionDocument;
  /** Undefined when the message carries no OBX with content (T01/T03/... notifications, or a T04 without content). */
  content?: DocumentContent;
}

const opt = (v: string) => (v === '' ? undefined : v);

function readTxa(seg: Hl7Segment): TranscriptionDocument {
  const date = (n: number) => readDateTime(value(seg, n), { segment: 'TXA', field: n });
  const type = repetitions(seg, 2)[0];
  if (!type || component(type, 1) === '')
    throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'document type is required', { segment: 'TXA', field: 2 });
  return {
    type: readCwe(type),
    presentation: opt(value(seg, 3)),
    activityAt: date(4),
    primaryProviders: repetitions(seg, 5).map(readXcn),
    originatedAt: date(6),
    originators: repetitions(seg, 9).map(readXcn),
    uniqueNumber: opt(value(seg, 12)),
    parentNumber: opt(value(seg, 13)),
    fileName: opt(value(seg, 16)),
    completionStatus: opt(value(seg, 17).toUpperCase()),
    confidentiality: opt(value(seg, 18).toUpperCase()),
    availability: opt(value(seg, 19).toUpperCase()),
    changeReason: opt(value(seg, 21)),
    authentications: repetitions(seg, 22)
      .map((rep) => ({
        person: readXcn(rep),
        at: readDateTime(component(rep, 15), { segment: 'TXA', field: 22 }),
      }))
      .filter((a) => a.person.id ?? a.person.family),
  };
}

/** OBX value types that carry the document's text, one line per repetition, in OBX order. */
const TEXT_TYPES = new Set(['TX', 'FT', 'ST']);

/** ED data subtypes (HL7 table 0291 and common practice) to media types; others are `<type>/<subtype>` when that reads as one. */
const SUBTYPES: Record<string, string> = {
  PDF: 'application/pdf',
  RTF: 'application/rtf',
  OCTETSTREAM: 'application/octet-stream',
  POSTSCRIPT: 'application/postscript',
  XML: 'application/xml',
  HTML: 'text/html',
  JPEG: 'image/jpeg',
  JPG: 'image/jpeg',
  PNG: 'image/png',
  TIFF: 'image/tiff',
  GIF: 'image/gif',
  XHL7CDALEVELONE: 'application/x-hl7-cda-level-one+xml',
  PLAIN: 'text/plain',
};
/** ED type of data (table 0191) to the media type's top-level type. */
const TYPES: Record<string, string> = {
  AP: 'application',
  APPLICATION: 'application',
  IM: 'image',
  IMAGE: 'image',
  TEXT: 'text',
  SI: 'image',
  SD: 'application',
};

/** The media type of an ED's type of data (ED-2) and subtype (ED-3). */
export function edMediaType(typeOfData: string, subtype: string): string | undefined {
  const known = SUBTYPES[subtype.trim().toUpperCase().replace(/-/g, '')];
  if (known) return known;
  const top = TYPES[typeOfData.trim().toUpperCase()];
  return top && /^[a-z0-9][a-z0-9.+-]*$/i.test(subtype.trim()) ? `${top}/${subtype.trim().toLowerCase()}` : undefined;
}

function decodeEd(seg: Hl7Segment, delimiter: string, at: { segment: string; sequence: number; field: number }): DocumentContent {
  const rep = repetitions(seg, 5)[0];
  const encoding = component(rep, 4).trim().toUpperCase();
  const data = (rep?.[4] ?? []).join('').replace(/\s+/g, '');
  if (data === '') throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'encapsulated data is empty', at);
  const mediaType = edMediaType(component(rep, 2), component(rep, 3));
  if (!mediaType) throw new Hl7Error(Hl7ErrorCode.tableValueNotFound, 'encapsulated data has no known type and subtype', at);
  if (encoding === 'BASE64') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 === 1)
      throw new Hl7Error(Hl7ErrorCode.dataTypeError, 'encapsulated data is not valid Base64', at);
    return { bytes: new Uint8Array(Buffer.from(data, 'base64')), mediaType };
  }
  if (encoding === 'HEX') {
    if (!/^([0-9A-Fa-f]{2})*$/.test(data)) throw new Hl7Error(Hl7ErrorCode.dataTypeError, 'encapsulated data is not valid hex', at);
    return { bytes: new Uint8Array(Buffer.from(data, 'hex')), mediaType };
  }
  if (encoding === 'A' || encoding === '') return { bytes: new TextEncoder().encode((rep?.[4] ?? []).join(delimiter)), mediaType };
  throw new Hl7Error(Hl7ErrorCode.tableValueNotFound, 'encapsulated data encoding must be Base64, Hex or A', at);
}

/**
 * The document's content from its OBX segments: the one ED (base64, hex or ASCII, with its media type), else the
 * text of the TX/FT/ST ones (repetitions and segments joined with newlines, in OBX order). Other value types
 * (a DICOM study's HD, a reference pointer, coded results) are not content. Errors name the OBX and field.
 */
export function readDocumentContent(message: Hl7Message): DocumentContent | undefined {
  const obx = message.all('OBX');
  const ed = obx.flatMap((seg, i) => (value(seg, 2).toUpperCase() === 'ED' ? [{ seg, sequence: i + 1 }] : []));
  if (ed.length > 1)
    throw new Hl7Error(Hl7ErrorCode.dataTypeError, 'only one encapsulated (ED) document per message is accepted', {
      segment: 'OBX',
      sequence: ed[1]!.sequence,
      field: 2,
    });
  if (ed[0]) return decodeEd(ed[0].seg, message.delimiters.subcomponent, { segment: 'OBX', sequence: ed[0].sequence, field: 5 });
  const lines: string[] = [];
  let any = false;
  for (const seg of obx) {
    if (!TEXT_TYPES.has(value(seg, 2).toUpperCase())) continue;
    any = true;
    // A TX/FT value is text: a component separator in it was meant as a character; repetitions are lines.
    for (const rep of repetitions(seg, 5))
      lines.push(rep.map((c) => c.join(message.delimiters.subcomponent)).join(message.delimiters.component));
    if (repetitions(seg, 5).length === 0) lines.push('');
  }
  if (!any) return undefined;
  return { bytes: new TextEncoder().encode(lines.join('\n')), mediaType: 'text/plain' };
}

/**
 * Reads an MDM message. Throws an Hl7Error naming segment and field when it is not MDM (200), its version is
 * outside 2.3–2.8 (203), PID or TXA is missing (100), a required field is empty (101) or a value is malformed (102).
 */
export function parseMdm(message: Hl7Message): MdmMessage {
  const header = readMsh(message.segment('MSH')!);
  if (header.messageCode !== 'MDM')
    throw new Hl7Error(Hl7ErrorCode.unsupportedMessageType, 'not an MDM message', { segment: 'MSH', field: 9 });
  if (!isSupportedVersion(header.version))
    throw new Hl7Error(Hl7ErrorCode.unsupportedVersionId, 'version must be 2.3 to 2.8', { segment: 'MSH', field: 12 });
  const trigger = header.triggerEvent || message.get('EVN-1');
  if (trigger === '') throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'trigger event is required', { segment: 'MSH', field: 9 });
  const supported = (SUPPORTED_MDM_EVENTS as readonly string[]).includes(trigger);
  const pid = message.segment('PID');
  if (!pid) throw new Hl7Error(Hl7ErrorCode.segmentSequence, 'PID segment is required', { segment: 'PID' });
  const txa = message.segment('TXA');
  if (!txa) throw new Hl7Error(Hl7ErrorCode.segmentSequence, 'TXA segment is required', { segment: 'TXA' });
  const patient = readPid(pid);
  const pv1 = message.segment('PV1');
  const visit = pv1 ? readPv1(pv1) : undefined;
  const document = readTxa(txa);
  return {
    header,
    trigger,
    supported,
    patient,
    visit,
    accountNumber: patient.accountNumber ?? visit?.visitNumber,
    document,
    content: supported ? readDocumentContent(message) : undefined,
  };
}
