import {
  readCwe,
  readCx,
  readDateTime,
  readHd,
  readPl,
  readXad,
  readXcn,
  readXon,
  readXpn,
  readXtn,
  type Address,
  type Clinician,
  type Coded,
  type ExtendedId,
  type HierarchicDesignator,
  type Location,
  type Organization,
  type PersonName,
  type Telecom,
} from './datatypes.js';
import { Hl7Error, Hl7ErrorCode } from './hl7-error.js';
import { repetitions, value, type Hl7Segment } from './message.js';

// Field numbers follow HL7 v2.8 chapter 3 (ADT) and chapter 2 (MSH); they are stable from v2.3 on.
const opt = (v: string) => (v === '' ? undefined : v);
const first = (seg: Hl7Segment, n: number) => repetitions(seg, n)[0];
const all = <T>(seg: Hl7Segment, n: number, read: (r: string[][]) => T) => repetitions(seg, n).map(read);
const date = (seg: Hl7Segment, n: number, rep = 1) => readDateTime(value(seg, n, rep), { segment: seg.name, field: n });
const coded = (seg: Hl7Segment, n: number): Coded | undefined => (first(seg, n) ? readCwe(first(seg, n)) : undefined);

export interface MessageHeader {
  sendingApplication: HierarchicDesignator;
  sendingFacility: HierarchicDesignator;
  receivingApplication: HierarchicDesignator;
  receivingFacility: HierarchicDesignator;
  dateTime?: string;
  messageCode: string;
  triggerEvent: string;
  messageStructure?: string;
  controlId: string;
  processingId: string;
  version: string;
  acceptAckType?: string;
  applicationAckType?: string;
  characterSet?: string;
}

/** MSH. Requires MSH-9 (message type) and MSH-10 (control id), without which no ACK can be correlated. */
export function readMsh(seg: Hl7Segment): MessageHeader {
  const messageCode = value(seg, 9, 1, 1);
  const controlId = value(seg, 10);
  if (messageCode === '') throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'message type is required', { segment: 'MSH', field: 9 });
  if (controlId === '')
    throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'message control id is required', { segment: 'MSH', field: 10 });
  return {
    sendingApplication: readHd(first(seg, 3)),
    sendingFacility: readHd(first(seg, 4)),
    receivingApplication: readHd(first(seg, 5)),
    receivingFacility: readHd(first(seg, 6)),
    dateTime: date(seg, 7),
    messageCode,
    triggerEvent: value(seg, 9, 1, 2),
    messageStructure: opt(value(seg, 9, 1, 3)),
    controlId,
    processingId: value(seg, 11),
    version: value(seg, 12),
    acceptAckType: opt(value(seg, 15)),
    applicationAckType: opt(value(seg, 16)),
    characterSet: opt(value(seg, 18)),
  };
}

export interface EventType {
  eventTypeCode?: string;
  recordedDateTime?: string;
  plannedDateTime?: string;
  reasonCode?: string;
  operators: Clinician[];
  occurredDateTime?: string;
  eventFacility?: HierarchicDesignator;
}
export function readEvn(seg: Hl7Segment): EventType {
  return {
    eventTypeCode: opt(value(seg, 1)),
    recordedDateTime: date(seg, 2),
    plannedDateTime: date(seg, 3),
    reasonCode: opt(value(seg, 4)),
    operators: all(seg, 5, readXcn),
    occurredDateTime: date(seg, 6),
    eventFacility: first(seg, 7) ? readHd(first(seg, 7)) : undefined,
  };
}

export interface PatientIdentification {
  /** PID-3, with PID-2 (external id) and PID-4 (alternate ids) appended: all ids sent for the patient. */
  identifiers: ExtendedId[];
  names: PersonName[];
  mothersMaidenName?: PersonName;
  dateOfBirth?: string;
  sex?: string;
  aliases: PersonName[];
  race: Coded[];
  addresses: Address[];
  homePhones: Telecom[];
  businessPhones: Telecom[];
  primaryLanguage?: Coded;
  maritalStatus?: Coded;
  religion?: Coded;
  /** PID-18 patient account number. */
  accountNumber?: ExtendedId;
  /** PID-19 (to v2.6), else the PID-3 identifier of type SS. */
  ssn?: string;
  ethnicGroup: Coded[];
  birthPlace?: string;
  multipleBirth?: string;
  birthOrder?: string;
  deathDateTime?: string;
  deathIndicator?: string;
}

/** PID. Requires at least one identifier (PID-3, or PID-2/PID-4 of older senders). */
export function readPid(seg: Hl7Segment): PatientIdentification {
  const identifiers = [...all(seg, 3, readCx), ...all(seg, 2, readCx), ...all(seg, 4, readCx)].filter((c) => c.id !== '');
  if (identifiers.length === 0) {
    throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'patient identifier list is required', { segment: 'PID', field: 3 });
  }
  const ssn = opt(value(seg, 19)) ?? identifiers.find((c) => c.identifierTypeCode === 'SS')?.id;
  return {
    identifiers,
    names: all(seg, 5, readXpn),
    mothersMaidenName: first(seg, 6) ? readXpn(first(seg, 6)) : undefined,
    dateOfBirth: date(seg, 7),
    sex: opt(value(seg, 8)),
    aliases: all(seg, 9, readXpn),
    race: all(seg, 10, readCwe),
    addresses: all(seg, 11, readXad),
    homePhones: all(seg, 13, readXtn),
    businessPhones: all(seg, 14, readXtn),
    primaryLanguage: coded(seg, 15),
    maritalStatus: coded(seg, 16),
    religion: coded(seg, 17),
    accountNumber: first(seg, 18) ? readCx(first(seg, 18)) : undefined,
    ssn,
    ethnicGroup: all(seg, 22, readCwe),
    birthPlace: opt(value(seg, 23)),
    multipleBirth: opt(value(seg, 24)),
    birthOrder: opt(value(seg, 25)),
    deathDateTime: date(seg, 29),
    deathIndicator: opt(value(seg, 30)),
  };
}

export interface AdditionalDemographics {
  livingArrangement?: string;
  primaryFacility: Organization[];
  primaryCareProviders: Clinician[];
  studentIndicator?: string;
  livingWill?: string;
  organDonor?: string;
  duplicatePatient: ExtendedId[];
  publicityCode?: Coded;
  protectionIndicator?: string;
}
export function readPd1(seg: Hl7Segment): AdditionalDemographics {
  return {
    livingArrangement: opt(value(seg, 1)),
    primaryFacility: all(seg, 3, readXon),
    primaryCareProviders: all(seg, 4, readXcn),
    studentIndicator: opt(value(seg, 5)),
    livingWill: opt(value(seg, 7)),
    organDonor: opt(value(seg, 8)),
    duplicatePatient: all(seg, 10, readCx),
    publicityCode: coded(seg, 11),
    protectionIndicator: opt(value(seg, 12)),
  };
}

export interface NextOfKin {
  names: PersonName[];
  relationship?: Coded;
  addresses: Address[];
  phones: Telecom[];
  businessPhones: Telecom[];
  contactRole?: Coded;
  startDate?: string;
  endDate?: string;
}
export function readNk1(seg: Hl7Segment): NextOfKin {
  return {
    names: all(seg, 2, readXpn),
    relationship: coded(seg, 3),
    addresses: all(seg, 4, readXad),
    phones: all(seg, 5, readXtn),
    businessPhones: all(seg, 6, readXtn),
    contactRole: coded(seg, 7),
    startDate: date(seg, 8),
    endDate: date(seg, 9),
  };
}

export interface PatientVisit {
  /** PV1-2: E emergency, I inpatient, O outpatient, P preadmit, R recurring, B obstetrics, ... */
  patientClass?: string;
  assignedLocation?: Location;
  admissionType?: string;
  priorLocation?: Location;
  attending: Clinician[];
  referring: Clinician[];
  consulting: Clinician[];
  hospitalService?: string;
  admitSource?: string;
  admitting: Clinician[];
  patientType?: string;
  /** PV1-19 visit number (the encounter's account number when PID-18 is not used). */
  visitNumber?: ExtendedId;
  financialClass?: string;
  /** PV1-36: UB-04 patient discharge status where the sender uses that table. */
  dischargeDisposition?: string;
  dischargedToLocation?: string;
  pendingLocation?: Location;
  admitDateTime?: string;
  dischargeDateTime?: string;
  visitIndicator?: string;
}
export function readPv1(seg: Hl7Segment): PatientVisit {
  const loc = (n: number) => (first(seg, n) ? readPl(first(seg, n)) : undefined);
  return {
    patientClass: opt(value(seg, 2)),
    assignedLocation: loc(3),
    admissionType: opt(value(seg, 4)),
    priorLocation: loc(6),
    attending: all(seg, 7, readXcn),
    referring: all(seg, 8, readXcn),
    consulting: all(seg, 9, readXcn),
    hospitalService: opt(value(seg, 10)),
    admitSource: opt(value(seg, 14)),
    admitting: all(seg, 17, readXcn),
    patientType: opt(value(seg, 18)),
    visitNumber: first(seg, 19) ? readCx(first(seg, 19)) : undefined,
    financialClass: opt(value(seg, 20)),
    dischargeDisposition: opt(value(seg, 36)),
    dischargedToLocation: opt(value(seg, 37)),
    pendingLocation: loc(42),
    admitDateTime: date(seg, 44),
    dischargeDateTime: date(seg, 45),
    visitIndicator: opt(value(seg, 51)),
  };
}

export interface PatientVisitAdditional {
  accommodation?: Coded;
  admitReason?: Coded;
  transferReason?: Coded;
  expectedAdmitDateTime?: string;
  expectedDischargeDateTime?: string;
  estimatedLengthOfStay?: string;
  visitDescription?: string;
}
export function readPv2(seg: Hl7Segment): PatientVisitAdditional {
  return {
    accommodation: coded(seg, 2),
    admitReason: coded(seg, 3),
    transferReason: coded(seg, 4),
    expectedAdmitDateTime: date(seg, 8),
    expectedDischargeDateTime: date(seg, 9),
    estimatedLengthOfStay: opt(value(seg, 10)),
    visitDescription: opt(value(seg, 12)),
  };
}

export interface Insurance {
  setId?: string;
  healthPlan?: Coded;
  companyIds: ExtendedId[];
  companyName: Organization[];
  groupNumber?: string;
  groupName?: string;
  planEffectiveDate?: string;
  planExpirationDate?: string;
  planType?: string;
  insuredNames: PersonName[];
  insuredRelationship?: Coded;
  insuredDateOfBirth?: string;
  /** IN1-36 policy number, the member id on most cards. */
  policyNumber?: string;
  /** IN1-49 insured's id numbers. */
  insuredIds: ExtendedId[];
}
export function readIn1(seg: Hl7Segment): Insurance {
  return {
    setId: opt(value(seg, 1)),
    healthPlan: coded(seg, 2),
    companyIds: all(seg, 3, readCx),
    companyName: all(seg, 4, readXon),
    groupNumber: opt(value(seg, 8)),
    groupName: opt(value(seg, 9)),
    planEffectiveDate: date(seg, 12),
    planExpirationDate: date(seg, 13),
    planType: opt(value(seg, 15)),
    insuredNames: all(seg, 16, readXpn),
    insuredRelationship: coded(seg, 17),
    insuredDateOfBirth: date(seg, 18),
    policyNumber: opt(value(seg, 36)),
    insuredIds: all(seg, 49, readCx),
  };
}

export interface MergeInfo {
  priorIdentifiers: ExtendedId[];
  priorAlternateId?: ExtendedId;
  priorAccountNumber?: ExtendedId;
  priorVisitNumber?: ExtendedId;
  priorNames: PersonName[];
}
/**
 * MRG: what goes away in a merge or move — patient ids (MRG-1: A40, A47), an account (MRG-3: A06, A07,
 * A41) or a visit (MRG-5: A45). Requires at least one of them.
 */
export function readMrg(seg: Hl7Segment): MergeInfo {
  const priorIdentifiers = all(seg, 1, readCx).filter((c) => c.id !== '');
  const cx = (n: number) => (first(seg, n) && value(seg, n) !== '' ? readCx(first(seg, n)) : undefined);
  const info = {
    priorIdentifiers,
    priorAlternateId: cx(2),
    priorAccountNumber: cx(3),
    priorVisitNumber: cx(5),
    priorNames: all(seg, 7, readXpn),
  };
  if (priorIdentifiers.length === 0 && !info.priorAccountNumber && !info.priorVisitNumber) {
    throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'prior patient identifier list is required', { segment: 'MRG', field: 1 });
  }
  return info;
}
