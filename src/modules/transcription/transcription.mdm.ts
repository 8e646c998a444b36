/**
 * The outbound HL7 v2.5 MDM^T02 (chapter 9, "original document notification and content") of a signed report, pure:
 * MSH, EVN, PID, PV1, TXA (type, activity and origination times, originator, unique document number, completion
 * status AU authenticated, availability AV, the authenticating physician with the time), and one OBX of type TX per
 * line of the report.
 */
import { DEFAULT_DELIMITERS, escapeText, formatHl7DateTime } from '../../core/hl7/index.js';

export interface MdmReport {
  documentId: string;
  workType: string;
  workTypeName: string;
  loinc: string | null;
  dictatedAt: string;
  signedAt: string;
  transcribedAt: string | null;
  physician: { id: string; name: string };
  transcriptionist: { id: string; name: string } | null;
  patient: { mrn: string; familyName: string; givenName: string; dateOfBirth: string | null; sex: string };
  encounter: { accountNumber: string; patientClass: string } | null;
  text: string;
}

const esc = (v: string | null | undefined) => escapeText(v ?? '', DEFAULT_DELIMITERS);
const ts = (iso: string) => formatHl7DateTime(new Date(iso));

/** HL7 table 0004 patient class of an encounter type. */
function patientClassOf(type: string): string {
  return { inpatient: 'I', emergency: 'E', outpatient: 'O', observation: 'O', recurring: 'R' }[type] ?? 'O';
}

/** The encounter's PV1-2 patient class from its type (inpatient I, emergency E, others O). */
export function encounterClass(type: string): string {
  return patientClassOf(type);
}

/** One MDM^T02 message, segments separated by CR (HL7 v2.5 2.7). */
export function buildMdmT02(
  r: MdmReport,
  msh: { controlId: string; sendingApplication: string; sendingFacility: string; at: Date },
): string {
  const person = (p: { id: string; name: string }) => {
    const [family, given] = p.name.includes(',') ? p.name.split(',').map((s) => s.trim()) : [p.name, ''];
    return `${esc(p.id)}^${esc(family)}^${esc(given)}`;
  };
  const txa = [
    'TXA',
    '1',
    esc(r.workType),
    'TX',
    ts(r.dictatedAt),
    person(r.physician),
    ts(r.dictatedAt),
    r.transcribedAt ? ts(r.transcribedAt) : '',
    '',
    person(r.physician),
    '',
    r.transcriptionist ? person(r.transcriptionist) : '',
    `${esc(r.documentId)}^CUSTODIAN`,
    '',
    '',
    '',
    '',
    'AU',
    'U',
    'AV',
    '',
    '',
    `${person(r.physician)}${'^'.repeat(12)}${ts(r.signedAt)}`,
  ].join('|');
  const observation = r.loinc ? `${esc(r.loinc)}^${esc(r.workTypeName)}^LN` : `${esc(r.workType)}^${esc(r.workTypeName)}^L`;
  const lines = r.text.replace(/\r\n?/g, '\n').split('\n');
  return [
    `MSH|^~\\&|${esc(msh.sendingApplication)}|${esc(msh.sendingFacility)}|||${formatHl7DateTime(msh.at)}||MDM^T02^MDM_T02|${esc(msh.controlId)}|P|2.5`,
    `EVN|T02|${formatHl7DateTime(msh.at)}`,
    `PID|1||${esc(r.patient.mrn)}^^^CUSTODIAN^MR||${esc(r.patient.familyName)}^${esc(r.patient.givenName)}||${(r.patient.dateOfBirth ?? '').replace(/-/g, '')}|${esc(r.patient.sex)}`,
    r.encounter ? `PV1|1|${esc(r.encounter.patientClass)}|${'|'.repeat(16)}${esc(r.encounter.accountNumber)}` : 'PV1|1|U',
    txa,
    ...lines.map((line, i) => `OBX|${i + 1}|TX|${observation}||${esc(line)}||||||F`),
  ].join('\r');
}
