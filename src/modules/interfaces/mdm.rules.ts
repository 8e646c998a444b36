import { Hl7Error, Hl7ErrorCode, type Clinician, type MdmMessage, type TranscriptionDocument } from '../../core/hl7/index.js';

/**
 * Pure mapping of an MDM message (HL7 v2.5 chapter 9) to what the documents module keeps: the event's action, the
 * Custodian document type of TXA-2, the status of TXA-17/TXA-19, the confidentiality of TXA-18, the author of
 * TXA-5/TXA-9 and the signature of TXA-22.
 */

/** What each supported trigger does to the documents. */
export const MdmAction = {
  /** T02 original document notification and content: file a new document. */
  file: 'file',
  /** T04 status change notification and content: status (and content when it differs) of the TXA-12 document. */
  statusChange: 'status_change',
  /** T06 addendum notification and content: an addendum version of the TXA-13 (parent) document. */
  addendum: 'addendum',
  /** T08 edit notification and content: a correction version of the TXA-12 document (TXA-13 when TXA-12 is not known). */
  edit: 'edit',
  /** T10 replacement notification and content: a replacement version of the TXA-13 document (the one replaced). */
  replacement: 'replacement',
} as const;
export type MdmAction = (typeof MdmAction)[keyof typeof MdmAction];

export const ACTION_OF_MDM_TRIGGER: Readonly<Record<string, MdmAction>> = {
  T02: MdmAction.file,
  T04: MdmAction.statusChange,
  T06: MdmAction.addendum,
  T08: MdmAction.edit,
  T10: MdmAction.replacement,
};

/** The version kind (documents contract) of each action that adds a version. */
export const VERSION_KIND_OF: Readonly<Partial<Record<MdmAction, 'revision' | 'addendum' | 'correction' | 'replacement'>>> = {
  [MdmAction.statusChange]: 'revision',
  [MdmAction.addendum]: 'addendum',
  [MdmAction.edit]: 'correction',
  [MdmAction.replacement]: 'replacement',
};

/**
 * HL7 table 0270 (document type) to LOINC document codes, used when no site setting maps TXA-2: the codes the
 * documents module seeds its types with. Psychiatric consultation (PC) and history and physical (PH) are left out
 * on purpose: they need a behavioral-health flag a site decides, so they are answered AE until mapped.
 */
export const LOINC_OF_HL7_DOCUMENT_TYPE: Readonly<Record<string, string>> = {
  AR: '18743-5', // autopsy report
  CN: '11488-4', // consultation note
  DI: '18748-4', // diagnostic imaging study (radiology report)
  DS: '18842-5', // discharge summary
  ED: '34111-5', // emergency department note
  HP: '34117-2', // history and physical note
  OP: '11504-8', // operative note
  PN: '28570-0', // procedure note
  PR: '11506-3', // progress note
  SP: '11526-1', // pathology study (surgical pathology)
  TS: '18761-8', // transfer summary note
};

/** The site's settings of the MDM feed (config: CUSTODIAN_MDM_DOCUMENT_TYPES, CUSTODIAN_MDM_CONFIDENTIALITY). */
export interface MdmSettings {
  /** TXA-2 code -> Custodian document type code (or a LOINC code). */
  documentTypes: Readonly<Record<string, string>>;
  /** TXA-18 code (R restricted, V very restricted) -> confidentiality flags joined with `+`. */
  confidentiality: Readonly<Record<string, string>>;
}

export const NO_MDM_SETTINGS: MdmSettings = Object.freeze({ documentTypes: {}, confidentiality: {} });

/** Every code of HL7 table 0270 (document type), mapped above or not. */
const HL7_DOCUMENT_TYPES = new Set(['AR', 'CD', 'CN', 'DI', 'DS', 'ED', 'HP', 'OP', 'PC', 'PH', 'PN', 'PR', 'SP', 'TS']);

/**
 * The codes to try for TXA-2, in order: the site's mapping; then, for a code of HL7 table 0270, its LOINC default
 * only (never the code itself: table 0270 PN is a procedure note, where a Custodian type PN may be a progress note);
 * for any other code, the code itself (a Custodian type code, or a LOINC code of a v2.7 CWE).
 */
export function documentTypeCandidates(type: TranscriptionDocument['type'], settings: MdmSettings): string[] {
  const code = type.code ?? '';
  const upper = code.toUpperCase();
  const out = [settings.documentTypes[code], HL7_DOCUMENT_TYPES.has(upper) ? LOINC_OF_HL7_DOCUMENT_TYPE[upper] : code];
  return [...new Set(out.filter((c): c is string => !!c))];
}

export const unknownDocumentType = () =>
  new Hl7Error(Hl7ErrorCode.tableValueNotFound, 'document type is not mapped to a Custodian document type', { segment: 'TXA', field: 2 });

/** Authenticated (AU) and legally authenticated (LA) documents are final; the others (dictated, in progress, ...) preliminary. */
export function statusOf(doc: TranscriptionDocument): 'final' | 'preliminary' {
  const done = doc.completionStatus === 'AU' || doc.completionStatus === 'LA';
  // TXA-19 UN: the sender says the document is not available for patient care yet.
  return done && doc.availability !== 'UN' ? 'final' : 'preliminary';
}

/** TXA-19 CA: the sender canceled the document (HL7 table 0273): it becomes entered in error. */
export const isCanceled = (doc: TranscriptionDocument) => doc.availability === 'CA';

/**
 * The confidentiality flags of TXA-18: none for U (usual control) or empty; the site's flags for R and V. A
 * restricted document without a mapping is not filed as an ordinary one: AE naming TXA-18.
 */
export function confidentialityOf(doc: TranscriptionDocument, settings: MdmSettings): string[] {
  const c = doc.confidentiality;
  if (!c || c === 'U') return [];
  const flags = settings.confidentiality[c];
  if (!flags)
    throw new Hl7Error(Hl7ErrorCode.tableValueNotFound, 'confidentiality status has no mapping to confidentiality flags here', {
      segment: 'TXA',
      field: 18,
    });
  return flags.split('+').filter((f) => f !== '');
}

/** A clinician as "given family, degree (id)", or the id alone. */
export function clinicianName(c: Clinician | undefined): string | undefined {
  if (!c) return undefined;
  const name = [c.prefix, c.given, c.middle, c.family].filter((x) => x && x !== '""').join(' ');
  const withDegree = name && c.degree ? `${name}, ${c.degree}` : name;
  const s = withDegree ? (c.id ? `${withDegree} (${c.id})` : withDegree) : (c.id ?? '');
  return s === '' ? undefined : s.slice(0, 200);
}

/** The author: TXA-5 primary activity provider, else TXA-9 originator. */
export function authorOf(doc: TranscriptionDocument): string | undefined {
  return clinicianName(doc.primaryProviders[0]) ?? clinicianName(doc.originators[0]);
}

/** The attestation of a TXA-22 authentication: who and when, as the sending system recorded it (the signature's time is its filing). */
export function attestationOf(m: MdmMessage, sendingApplication: string): string | undefined {
  const a = m.document.authentications[0];
  if (!a) return undefined;
  const who = clinicianName(a.person) ?? 'unnamed';
  const when = a.at ? ` at ${a.at}` : '';
  return `Authenticated by ${who}${when} in ${sendingApplication || 'the sending system'} (HL7 MDM ${m.trigger}, TXA-17 ${m.document.completionStatus ?? ''}, TXA-22)`.slice(
    0,
    1000,
  );
}

/** The number of the document an event acts on, in the order it is looked for, with the field that named it. */
export function targetNumbers(action: MdmAction, doc: TranscriptionDocument): { number: string; field: 12 | 13 }[] {
  const own = doc.uniqueNumber ? [{ number: doc.uniqueNumber, field: 12 as const }] : [];
  const parent = doc.parentNumber ? [{ number: doc.parentNumber, field: 13 as const }] : [];
  switch (action) {
    case MdmAction.statusChange:
      return own;
    case MdmAction.edit:
      return [...own, ...parent];
    case MdmAction.addendum:
    case MdmAction.replacement:
      return parent;
    default:
      return [];
  }
}

/** The reason recorded with a new version: the event, its document number, and TXA-21 when sent. */
export function versionReason(m: MdmMessage): string {
  const what = { T04: 'status change', T06: 'addendum', T08: 'edit', T10: 'replacement' }[m.trigger] ?? m.trigger;
  const num = m.document.uniqueNumber ? `, document ${m.document.uniqueNumber}` : '';
  const why = m.document.changeReason ? `: ${m.document.changeReason}` : '';
  return `HL7 MDM ${m.trigger} ${what}${num}${why}`.slice(0, 500);
}
