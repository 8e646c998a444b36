import type { ExtendedId } from './datatypes.js';
import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';
import type { Hl7Message, Hl7Segment } from './message.js';
import {
  readEvn,
  readIn1,
  readMrg,
  readMsh,
  readNk1,
  readPd1,
  readPid,
  readPv1,
  readPv2,
  type AdditionalDemographics,
  type EventType,
  type Insurance,
  type MergeInfo,
  type MessageHeader,
  type NextOfKin,
  type PatientIdentification,
  type PatientVisit,
  type PatientVisitAdditional,
} from './segments.js';

/** ADT trigger events Custodian applies (issue 5). Others parse but are `supported: false`. */
export const SUPPORTED_ADT_EVENTS = [
  'A01',
  'A02',
  'A03',
  'A04',
  'A05',
  'A06',
  'A07',
  'A08',
  'A11',
  'A12',
  'A13',
  'A28',
  'A31',
  'A40',
  'A47',
] as const;
export type SupportedAdtEvent = (typeof SUPPORTED_ADT_EVENTS)[number];

/**
 * ADT trigger events that change nothing Custodian keeps, so a full registration feed can send them without
 * being turned away: patient tracking (A09, A10 and their cancels A32, A33), pending admit, transfer and discharge
 * and their cancels (A14-A16, A25-A27), bed status (A20), leave of absence (A21, A22 and their cancels A52, A53),
 * allergies (A60) and consulting doctor (A61, A62; PV1-9 is not kept). They are stored and acknowledged AA, not
 * applied. Any other event outside SUPPORTED_ADT_EVENTS would change what Custodian keeps (a swap of beds, a
 * deleted or linked person, a merged account, a moved visit, a new attending doctor, a cancelled pre-admit, ...)
 * and is answered AR 201, so that the sender sees what was not done.
 */
export const INFORMATIONAL_ADT_EVENTS = [
  'A09',
  'A10',
  'A14',
  'A15',
  'A16',
  'A20',
  'A21',
  'A22',
  'A25',
  'A26',
  'A27',
  'A32',
  'A33',
  'A52',
  'A53',
  'A60',
  'A61',
  'A62',
] as const;

/** An ADT message's trigger event: MSH-9.2, or EVN-1 for senders that leave it empty ('' when neither has one). */
export function adtTriggerEvent(header: MessageHeader, event?: EventType): string {
  return header.triggerEvent || event?.eventTypeCode || '';
}

/** True for a trigger event of INFORMATIONAL_ADT_EVENTS. */
export function isInformationalAdtEvent(trigger: string): boolean {
  return (INFORMATIONAL_ADT_EVENTS as readonly string[]).includes(trigger);
}

/** Events whose message carries one or more PID + MRG groups (HL7 v2.8 section 3.3.40, 3.3.47). */
const MERGE_EVENTS = new Set(['A40', 'A41', 'A42', 'A44', 'A47', 'A49', 'A50', 'A51']);

/** Versions accepted: 2.3 to 2.8.x (MSH-12). */
export function isSupportedVersion(version: string): boolean {
  const m = /^2\.(\d)(?:\.\d+)?$/.exec(version);
  return m !== null && Number(m[1]) >= 3 && Number(m[1]) <= 8;
}

export interface MergeGroup {
  /** The surviving patient (PID). */
  patient: PatientIdentification;
  /** The record merged into it or the identifier replaced (MRG). */
  merge: MergeInfo;
  visit?: PatientVisit;
}

/** A typed ADT message: what registration and encounter services need to apply it. */
export interface AdtMessage {
  header: MessageHeader;
  /** MSH-9.2, or EVN-1 for senders that leave it empty. */
  trigger: string;
  /** True for the events in SUPPORTED_ADT_EVENTS. */
  supported: boolean;
  event?: EventType;
  patient: PatientIdentification;
  additionalDemographics?: AdditionalDemographics;
  nextOfKin: NextOfKin[];
  visit?: PatientVisit;
  visitAdditional?: PatientVisitAdditional;
  insurance: Insurance[];
  /** The account (encounter) number: PID-18, else PV1-19. */
  accountNumber?: ExtendedId;
  /** A40/A47 and other merge events: one entry per PID/MRG group. */
  merges: MergeGroup[];
  /** Z-segments, kept as parsed for site-specific handling. */
  zSegments: Hl7Segment[];
}

function mergeGroups(message: Hl7Message): MergeGroup[] {
  const groups: MergeGroup[] = [];
  let pid: Hl7Segment | undefined;
  for (const seg of message.segments) {
    if (seg.name === 'PID') pid = seg;
    else if (seg.name === 'MRG') {
      if (!pid) throw new Hl7Error(Hl7ErrorCode.segmentSequence, 'MRG without a preceding PID', { segment: 'MRG' });
      groups.push({ patient: readPid(pid), merge: readMrg(seg) });
    } else if (seg.name === 'PV1' && groups.length > 0) {
      const last = groups[groups.length - 1]!;
      last.visit ??= readPv1(seg);
    }
  }
  return groups;
}

/**
 * Reads an ADT message into typed parts. Throws an Hl7Error naming segment and field when the message is
 * not ADT (200), its version is outside 2.3–2.8 (203), or a segment or field the event needs is missing
 * (100/101) or malformed (102).
 */
export function parseAdt(message: Hl7Message): AdtMessage {
  const mshSeg = message.segment('MSH');
  if (!mshSeg) throw new Hl7Error(Hl7ErrorCode.segmentSequence, 'MSH segment is required', { segment: 'MSH' });
  const header = readMsh(mshSeg);
  if (header.messageCode !== 'ADT') {
    throw new Hl7Error(Hl7ErrorCode.unsupportedMessageType, 'not an ADT message', { segment: 'MSH', field: 9 });
  }
  if (!isSupportedVersion(header.version)) {
    throw new Hl7Error(Hl7ErrorCode.unsupportedVersionId, 'version must be 2.3 to 2.8', { segment: 'MSH', field: 12 });
  }
  const evnSeg = message.segment('EVN');
  const event = evnSeg ? readEvn(evnSeg) : undefined;
  const trigger = adtTriggerEvent(header, event);
  if (trigger === '') throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'trigger event is required', { segment: 'MSH', field: 9 });
  const pidSeg = message.segment('PID');
  if (!pidSeg) throw new Hl7Error(Hl7ErrorCode.segmentSequence, 'PID segment is required', { segment: 'PID' });
  const patient = readPid(pidSeg);
  const merges = MERGE_EVENTS.has(trigger) || message.segment('MRG') ? mergeGroups(message) : [];
  if (MERGE_EVENTS.has(trigger) && merges.length === 0) {
    throw new Hl7Error(Hl7ErrorCode.segmentSequence, `MRG segment is required for ${trigger}`, { segment: 'MRG' });
  }
  // A40 merges and A47 identifier changes act on patient identifiers (HL7 v2.8 3.3.40, 3.3.47).
  if ((trigger === 'A40' || trigger === 'A47') && merges.some((g) => g.merge.priorIdentifiers.length === 0)) {
    throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, `prior patient identifier list is required for ${trigger}`, {
      segment: 'MRG',
      field: 1,
    });
  }
  const pd1 = message.segment('PD1');
  const pv1 = message.segment('PV1');
  const pv2 = message.segment('PV2');
  const visit = pv1 ? readPv1(pv1) : undefined;
  return {
    header,
    trigger,
    supported: (SUPPORTED_ADT_EVENTS as readonly string[]).includes(trigger),
    event,
    patient,
    additionalDemographics: pd1 ? readPd1(pd1) : undefined,
    nextOfKin: message.all('NK1').map(readNk1),
    visit,
    visitAdditional: pv2 ? readPv2(pv2) : undefined,
    insurance: message.all('IN1').map(readIn1),
    accountNumber: patient.accountNumber ?? visit?.visitNumber,
    merges,
    zSegments: message.segments.filter((s) => s.name.startsWith('Z')),
  };
}
