/**
 * The claim the 837 builders read: everything the X12 5010 TR3s (005010X223A2 institutional, 005010X222A1
 * professional) carry for the loops we write, already resolved from storage. Amounts are integer cents; dates are
 * YYYY-MM-DD; codes are as the code sets hold them (ICD-10 without the dot).
 */

export interface X12Address {
  line1: string;
  line2?: string | null;
  city: string;
  /** Two-letter state or province code. */
  state: string;
  /** Five or nine digits (the billing provider needs nine: TR3 2010AA N403). */
  zip: string;
}

/** A person or organization named in an NM1. */
export interface X12Name {
  /** Organization name, or the person's last name. */
  lastOrOrgName: string;
  firstName?: string | null;
  middleName?: string | null;
  suffix?: string | null;
}

export interface BillingProvider {
  name: string;
  npi: string;
  /** Health care provider taxonomy code (10 characters), PRV*BI. */
  taxonomy?: string | null;
  /** Employer identification number, nine digits (REF*EI). */
  taxId: string;
  address: X12Address;
  /** Loop 2010AB, when payment goes to another address. */
  payToAddress?: X12Address | null;
}

/** A physician on the claim (2310A attending, 2310B operating, 2310C other, 837P rendering/referring). */
export interface ClaimProvider extends X12Name {
  npi: string;
  taxonomy?: string | null;
}

export interface Payer {
  name: string;
  /** Payer identifier (NM109 with qualifier PI). */
  payerId: string;
  /**
   * Claim filing indicator (SBR09): MA Medicare A, MB Medicare B, MC Medicaid, CI commercial, BL Blue Cross,
   * HM HMO, ZZ unknown, ...
   */
  claimFilingIndicator: string;
  address?: X12Address | null;
}

export interface Subscriber extends X12Name {
  memberId: string;
  groupNumber?: string | null;
  groupName?: string | null;
  address?: X12Address | null;
  dateOfBirth?: string | null;
  /** M, F or U. */
  sex?: string | null;
}

/** The patient when not the subscriber (loop 2000C/2010CA). */
export interface PatientPerson extends X12Name {
  address: X12Address;
  dateOfBirth: string;
  sex: string;
}

/**
 * Individual relationship code (SBR02 / PAT01 / 2320 SBR02): 18 self, 01 spouse, 19 child, 20 employee,
 * 21 unknown, 39 organ donor, 40 cadaver donor, 53 life partner, G8 other.
 */
export type RelationshipCode = string;

/** Payer responsibility sequence (SBR01): P primary, S secondary, T tertiary, ... */
export type PayerSequence = 'P' | 'S' | 'T' | 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'U';

/** The coverage the claim is sent to (2000B/2010BA/2010BB). */
export interface DestinationCoverage {
  sequence: PayerSequence;
  payer: Payer;
  subscriber: Subscriber;
  /** Patient's relationship to the subscriber; '18' puts the patient in 2000B, anything else adds 2000C. */
  relationship: RelationshipCode;
}

/** A claim-level adjustment from a prior payer's remittance (2320 CAS). */
export interface ClaimAdjustment {
  /** CO, PR, OA, PI, CR. */
  group: string;
  /** CARC reason code. */
  reason: string;
  amountCents: number;
}

/** Another payer on the claim (2320/2330A/2330B), with what it paid when it adjudicated first. */
export interface OtherCoverage {
  sequence: PayerSequence;
  payer: Payer;
  subscriber: Subscriber;
  relationship: RelationshipCode;
  /** AMT*D, when this payer has adjudicated the claim. */
  paidCents?: number | null;
  adjustments?: ClaimAdjustment[];
  /** Remittance date (2330B DTP*573). */
  adjudicationDate?: string | null;
}

/**
 * A prior payer's adjudication of one service line (loop 2430: SVD, CAS, DTP*573), from its 835 SVC. One per payer
 * that adjudicated the line; the line's charge less what the payer paid equals its adjustments (TR3 2430 note).
 */
export interface LineAdjudication {
  /** SVD01: the other payer's identifier, the NM109 of its 2330B loop. */
  payerId: string;
  /** SVD02. */
  paidCents: number;
  /** SVD03 procedure code (HCPCS/CPT) as adjudicated, with its modifiers; null for a line paid by revenue code only. */
  procedureCode?: string | null;
  modifiers?: string[];
  /** 837I: the NUBC revenue code (SVD04, and SVD03 with qualifier NU when no procedure code was adjudicated). */
  revenueCode?: string | null;
  /** SVD05 paid units of service. */
  units: number;
  adjustments: ClaimAdjustment[];
  /** DTP*573: the date the payer adjudicated the line (its remittance date). */
  adjudicationDate: string;
}

export interface CodedDx {
  code: string;
  /** Present on admission (837I only): Y, N, U, W, or '1'/'' for exempt. */
  poa?: string | null;
}

export interface CodedProcedure {
  code: string;
  date: string;
}

/** Fields both claim kinds share. */
export interface ClaimCommon {
  /** CLM01, patient control number (account): up to 20 characters that come back on the 835. */
  patientControlNumber: string;
  totalChargeCents: number;
  /** CLM05-3 claim frequency: 1 original, 7 replacement, 8 void. */
  frequencyCode: string;
  /** CLM05-1 / 2300 REF*F8: payer claim control number of the claim replaced or voided. */
  originalClaimNumber?: string | null;
  medicalRecordNumber?: string | null;
  billingProvider: BillingProvider;
  destination: DestinationCoverage;
  /** Required in 2010CA when `destination.relationship` is not '18'. */
  patient?: PatientPerson | null;
  otherCoverages?: OtherCoverage[];
  principalDx: CodedDx;
  otherDx: CodedDx[];
}

export interface InstitutionalLine {
  revenueCode: string;
  hcpcs?: string | null;
  modifiers?: string[];
  chargeCents: number;
  /** UN units, DA days. */
  unitBasis: 'UN' | 'DA';
  units: number;
  serviceDate?: string | null;
  nonCoveredCents?: number | null;
  /** Loop 2430 for each prior payer that adjudicated this line (secondary and tertiary claims). */
  adjudications?: LineAdjudication[];
}

export interface InstitutionalClaim extends ClaimCommon {
  kind: '837I';
  /** Type of bill digits 2-3 (CLM05-1 facility type code): 11 inpatient hospital, 13 outpatient hospital, ... */
  facilityTypeCode: string;
  statementFrom: string;
  statementTo: string;
  /** Inpatient: admission date/hour, type (UB-04 FL 14) and source (FL 15). */
  admission?: { date: string; hour?: string | null; typeCode: string; sourceCode: string } | null;
  /** Discharge hour (HHMM), inpatient final bills (DTP*096). */
  dischargeHour?: string | null;
  /** UB-04 patient discharge status (FL 17), two digits. */
  dischargeStatus: string;
  admittingDx?: string | null;
  reasonForVisit?: string[];
  externalCauses?: CodedDx[];
  /** MS-DRG (HI*DR), three digits. */
  drg?: string | null;
  principalProcedure?: CodedProcedure | null;
  otherProcedures?: CodedProcedure[];
  conditionCodes?: string[];
  occurrences?: { code: string; date: string }[];
  occurrenceSpans?: { code: string; from: string; to: string }[];
  valueCodes?: { code: string; amountCents: number }[];
  attending?: ClaimProvider | null;
  operating?: ClaimProvider | null;
  otherOperating?: ClaimProvider | null;
  lines: InstitutionalLine[];
}

export interface ProfessionalLine {
  /** HCPCS Level II or CPT (HC qualifier). */
  procedureCode: string;
  modifiers?: string[];
  chargeCents: number;
  unitBasis: 'UN' | 'MJ';
  units: number;
  /** 1-based pointers into [principalDx, ...otherDx], at most four. */
  diagnosisPointers: number[];
  serviceDate: string;
  /** SV105, only when it differs from the claim's place of service. */
  placeOfService?: string | null;
  /** Loop 2430 for each prior payer that adjudicated this line (secondary and tertiary claims). */
  adjudications?: LineAdjudication[];
}

export interface ProfessionalClaim extends ClaimCommon {
  kind: '837P';
  /** CLM05-1, CMS place of service code (11 office, 21 inpatient hospital, 22 outpatient hospital, 23 ED). */
  placeOfService: string;
  rendering?: ClaimProvider | null;
  referring?: ClaimProvider | null;
  /** 2310C service facility, when not the billing provider's address. */
  serviceFacility?: { name: string; npi?: string | null; address: X12Address } | null;
  lines: ProfessionalLine[];
}

export type Claim837 = InstitutionalClaim | ProfessionalClaim;
export type Claim837Kind = Claim837['kind'];

/** The sender and receiver of an interchange (ISA/GS and loops 1000A/1000B). */
export interface Submission {
  submitterName: string;
  submitterId: string;
  submitterContact: { name: string; phone: string };
  receiverName: string;
  receiverId: string;
}

/** 005010X223A2 (837I) and 005010X222A1 (837P): GS08 and ST03. */
export const IMPLEMENTATION_GUIDE = { '837I': '005010X223A2', '837P': '005010X222A1' } as const;
