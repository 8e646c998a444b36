/**
 * Turns a final-coded encounter, its charges and the patient's coverages into the typed claim the 837 builders
 * read (src/core/x12/build-837-types.ts). Pure: the service loads the rows and passes them in.
 *
 * UB-04 / 837I: type of bill 11x inpatient, 13x outpatient (NUBC); admission type and source (FL 14/15) from the
 * registration; discharge status (FL 17) from the abstract; value code 54 birth weight for newborns.
 * 837P: place of service from the encounter type (CMS POS codes 21 inpatient, 22 outpatient, 23 emergency).
 */
import type { AbstractData } from '../coding/index.js';
import type {
  BillingProvider,
  ClaimProvider,
  InstitutionalClaim,
  InstitutionalLine,
  OtherCoverage,
  PayerSequence,
  ProfessionalClaim,
  Subscriber,
  X12Address,
} from '../../core/x12/build-837-types.js';

export const ClaimStatus = { draft: 'draft', ready: 'ready', released: 'released' } as const;
export type ClaimStatus = (typeof ClaimStatus)[keyof typeof ClaimStatus];
export const ClaimKind = { institutional: '837I', professional: '837P' } as const;
export type ClaimKind = (typeof ClaimKind)[keyof typeof ClaimKind];

export interface EncounterForClaim {
  id: string;
  accountNumber: string;
  type: string;
  admitAt: string;
  dischargeAt: string | null;
  dischargeStatus: string | null;
  admissionType: string | null;
  admissionSource: string | null;
  mrn: string;
  patient: {
    familyName: string;
    givenName: string;
    middleName: string | null;
    dateOfBirth: string | null;
    sex: string;
    address: X12Address | null;
  };
  attending: ClaimProvider | null;
}

export interface CoverageForClaim {
  id: string;
  benefitOrder: number;
  relationship: string;
  payer: { name: string; payerId: string; claimFilingIndicator: string };
  subscriber: Subscriber;
}

export interface ChargeForClaim {
  component: 'facility' | 'professional';
  revenueCode: string;
  hcpcs: string | null;
  modifiers: string[];
  units: number;
  amountCents: number;
  serviceDate: string;
  diagnosisPointers: number[];
}

/** What a prior payer paid, for a secondary or tertiary claim (from its remittance). */
export interface PriorPayment {
  coverageId: string;
  paidCents: number;
  adjustments: { group: string; reason: string; amountCents: number }[];
  adjudicationDate: string | null;
}

export interface ClaimSource {
  kind: ClaimKind;
  encounter: EncounterForClaim;
  abstract: AbstractData;
  drg: string | null;
  billingProvider: BillingProvider;
  /** The patient's coverages in force, any order; `destinationOrder` picks the payer the claim goes to. */
  coverages: CoverageForClaim[];
  destinationOrder: number;
  priorPayments: PriorPayment[];
  charges: ChargeForClaim[];
  /** Operating physician of the principal procedure, when one is named. */
  operating: ClaimProvider | null;
}

const SEQUENCE: Record<number, PayerSequence> = { 1: 'P', 2: 'S', 3: 'T' };
/** HL7 table 0007 admission type -> UB-04 FL 14 priority (type) of admission. */
const ADMISSION_TYPE: Record<string, string> = { E: '1', A: '1', U: '2', R: '3', C: '3', N: '4', L: '1' };

export const isInpatientEncounter = (type: string): boolean => type === 'inpatient';
const day = (iso: string): string => iso.slice(0, 10);
const hhmm = (iso: string): string | null => (iso.length >= 16 ? iso.slice(11, 13) + iso.slice(14, 16) : null);

/** CLM01: the account number, the kind and the payer order, so each claim of an encounter has its own. */
export function patientControlNumber(accountNumber: string, kind: ClaimKind, order: number): string {
  return `${accountNumber.replace(/[^A-Za-z0-9-]/g, '').slice(0, 16)}${kind === '837I' ? 'I' : 'P'}${String(order)}`;
}

/** The claim's destination coverage and the others, as the 2000B and 2320 loops carry them. */
function payers(s: ClaimSource): Pick<InstitutionalClaim, 'destination' | 'otherCoverages'> {
  const dest = s.coverages.find((c) => c.benefitOrder === s.destinationOrder);
  if (!dest) throw new Error(`no coverage with order of benefits ${String(s.destinationOrder)}`);
  const others: OtherCoverage[] = s.coverages
    .filter((c) => c !== dest)
    .sort((a, b) => a.benefitOrder - b.benefitOrder)
    .map((c) => {
      const paid = s.priorPayments.find((p) => p.coverageId === c.id);
      return {
        sequence: SEQUENCE[c.benefitOrder] ?? 'U',
        payer: c.payer,
        subscriber: c.subscriber,
        relationship: c.relationship,
        ...(paid ? { paidCents: paid.paidCents, adjustments: paid.adjustments, adjudicationDate: paid.adjudicationDate } : {}),
      };
    });
  return {
    destination: {
      sequence: SEQUENCE[dest.benefitOrder] ?? 'U',
      payer: dest.payer,
      subscriber: dest.subscriber,
      relationship: dest.relationship,
    },
    otherCoverages: others,
  };
}

function patientLoop(e: EncounterForClaim): InstitutionalClaim['patient'] {
  const p = e.patient;
  if (!p.address || !p.dateOfBirth) return null;
  return {
    lastOrOrgName: p.familyName,
    firstName: p.givenName,
    middleName: p.middleName,
    address: p.address,
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
  };
}

/** The 837I claim of an encounter (facility charges only). */
export function assembleInstitutionalClaim(s: ClaimSource): InstitutionalClaim {
  const e = s.encounter;
  const a = s.abstract;
  const inpatient = isInpatientEncounter(e.type);
  const to = day(e.dischargeAt ?? e.admitAt);
  const lines: InstitutionalLine[] = s.charges
    .filter((c) => c.component === 'facility')
    .map((c) => ({
      revenueCode: c.revenueCode,
      hcpcs: inpatient ? null : c.hcpcs,
      modifiers: inpatient ? [] : c.modifiers,
      chargeCents: c.amountCents,
      unitBasis: /^01\d\d$/.test(c.revenueCode) || /^020\d$/.test(c.revenueCode) ? 'DA' : 'UN',
      units: c.units,
      serviceDate: inpatient ? null : c.serviceDate,
    }));
  const [first, ...rest] = a.procedures;
  return {
    kind: '837I',
    patientControlNumber: patientControlNumber(e.accountNumber, '837I', s.destinationOrder),
    totalChargeCents: lines.reduce((t, l) => t + l.chargeCents, 0),
    frequencyCode: '1',
    medicalRecordNumber: e.mrn,
    billingProvider: s.billingProvider,
    ...payers(s),
    patient: patientLoop(e),
    facilityTypeCode: inpatient ? '11' : '13',
    statementFrom: day(e.admitAt),
    statementTo: to,
    admission: inpatient
      ? {
          date: day(e.admitAt),
          hour: hhmm(e.admitAt),
          typeCode: /^\d$/.test(e.admissionType ?? '') ? (e.admissionType ?? '9') : (ADMISSION_TYPE[e.admissionType ?? ''] ?? '9'),
          sourceCode: /^[0-9A-Z]$/.test(e.admissionSource ?? '') ? (e.admissionSource ?? '9') : '9',
        }
      : null,
    dischargeHour: inpatient && e.dischargeAt ? hhmm(e.dischargeAt) : null,
    dischargeStatus: a.dischargeStatus ?? e.dischargeStatus ?? '01',
    principalDx: { code: a.principalDx?.code ?? '', poa: inpatient ? a.principalDx?.poa : null },
    admittingDx: inpatient ? a.admittingDx : null,
    reasonForVisit: inpatient ? [] : a.reasonForVisit,
    otherDx: a.secondaryDx.slice(0, 24).map((d) => ({ code: d.code, poa: inpatient ? d.poa : null })),
    drg: inpatient ? s.drg : null,
    principalProcedure: inpatient && first ? { code: first.code, date: first.date ?? to } : null,
    otherProcedures: inpatient ? rest.slice(0, 24).map((p) => ({ code: p.code, date: p.date ?? to })) : [],
    valueCodes: a.birthWeightGrams ? [{ code: '54', amountCents: a.birthWeightGrams * 100 }] : [],
    attending: e.attending,
    operating: inpatient ? s.operating : null,
    lines,
  };
}

/** Place of service for a professional claim from where the encounter happened (CMS POS code set). */
export function placeOfServiceFor(type: string): string {
  if (type === 'inpatient') return '21';
  if (type === 'emergency') return '23';
  if (type === 'outpatient') return '22';
  return '11';
}

/** The 837P claim of an encounter (professional charges only). */
export function assembleProfessionalClaim(s: ClaimSource): ProfessionalClaim {
  const e = s.encounter;
  const a = s.abstract;
  const lines = s.charges
    .filter((c) => c.component === 'professional')
    .map((c) => ({
      procedureCode: c.hcpcs ?? '',
      modifiers: c.modifiers,
      chargeCents: c.amountCents,
      unitBasis: 'UN' as const,
      units: c.units,
      diagnosisPointers: c.diagnosisPointers.length > 0 ? c.diagnosisPointers : [1],
      serviceDate: c.serviceDate,
    }));
  return {
    kind: '837P',
    patientControlNumber: patientControlNumber(e.accountNumber, '837P', s.destinationOrder),
    totalChargeCents: lines.reduce((t, l) => t + l.chargeCents, 0),
    frequencyCode: '1',
    medicalRecordNumber: e.mrn,
    billingProvider: s.billingProvider,
    ...payers(s),
    patient: patientLoop(e),
    placeOfService: placeOfServiceFor(e.type),
    principalDx: { code: a.principalDx?.code ?? '' },
    otherDx: a.secondaryDx.slice(0, 11).map((d) => ({ code: d.code })),
    rendering: e.attending,
    lines,
  };
}
