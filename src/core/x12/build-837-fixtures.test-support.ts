/** Claim factories for the 837 builder tests and the benchmark (fictional people, valid-format NPIs). */
import type { EnvelopeOptions } from './envelope.js';
import type { BillingProvider, InstitutionalClaim, OtherCoverage, ProfessionalClaim, Submission } from './build-837-types.js';

export const submission: Submission = {
  submitterName: 'Custodian General Hospital',
  submitterId: 'CGH0001',
  submitterContact: { name: 'Billing Office', phone: '(555) 010-2000' },
  receiverName: 'Example Clearinghouse',
  receiverId: 'CLEARHOUSE1',
};

export function envelopeOptions(n = 1): EnvelopeOptions {
  return {
    sender: { qualifier: 'ZZ', id: 'CGH0001' },
    receiver: { qualifier: 'ZZ', id: 'CLEARHOUSE1' },
    interchangeControlNumber: n,
    usage: 'T',
    createdAt: new Date('2026-03-02T14:05:00Z'),
    submission,
  };
}

export const billingProvider: BillingProvider = {
  name: 'Custodian General Hospital',
  npi: '1234567893',
  taxonomy: '282N00000X',
  taxId: '12-3456789',
  address: { line1: '100 Main Street', city: 'Springfield', state: 'IL', zip: '62701-1234' },
};

const medicare = { name: 'Medicare Part A', payerId: '00430', claimFilingIndicator: 'MA' };
const commercial = { name: 'Acme Health Plan', payerId: 'ACME1', claimFilingIndicator: 'CI' };
const homeAddress = { line1: '12 Oak Avenue', city: 'Springfield', state: 'IL', zip: '62704' };

/** An inpatient Medicare stay: the patient is the subscriber, DRG 291, two procedures, two revenue lines. */
export function makeInpatientClaim(over: Partial<InstitutionalClaim> = {}): InstitutionalClaim {
  return {
    kind: '837I',
    patientControlNumber: 'ACCT1001',
    totalChargeCents: 1_254_050,
    frequencyCode: '1',
    medicalRecordNumber: 'MRN0001',
    billingProvider,
    destination: {
      sequence: 'P',
      payer: medicare,
      relationship: '18',
      subscriber: {
        lastOrOrgName: 'Peña',
        firstName: 'José',
        memberId: '1EG4TE5MK72',
        address: homeAddress,
        dateOfBirth: '1948-05-17',
        sex: 'M',
      },
    },
    facilityTypeCode: '11',
    statementFrom: '2026-02-20',
    statementTo: '2026-02-24',
    admission: { date: '2026-02-20', hour: '0830', typeCode: '1', sourceCode: '7' },
    dischargeHour: '1400',
    dischargeStatus: '01',
    principalDx: { code: 'I5023', poa: 'Y' },
    admittingDx: 'R0602',
    otherDx: [
      { code: 'N184', poa: 'Y' },
      { code: 'E1122', poa: 'Y' },
      { code: 'Z7984', poa: '1' },
    ],
    drg: '291',
    principalProcedure: { code: '02HV33Z', date: '2026-02-21' },
    otherProcedures: [{ code: '5A1935Z', date: '2026-02-21' }],
    conditionCodes: ['39'],
    occurrences: [{ code: '11', date: '2026-02-18' }],
    occurrenceSpans: [{ code: '74', from: '2026-02-22', to: '2026-02-22' }],
    valueCodes: [{ code: '80', amountCents: 400 }],
    attending: { lastOrOrgName: 'Smith', firstName: 'Anna', npi: '1987654328', taxonomy: '207RC0000X' },
    operating: { lastOrOrgName: 'Jones', firstName: 'Omar', npi: '1555555550' },
    lines: [
      { revenueCode: '0120', chargeCents: 1_004_000, unitBasis: 'DA', units: 4 },
      { revenueCode: '0250', chargeCents: 250_050, unitBasis: 'UN', units: 12 },
    ],
    ...over,
  };
}

/** An outpatient hospital visit: lines with HCPCS and modifiers, service dates, reason for visit. */
export function makeOutpatientClaim(over: Partial<InstitutionalClaim> = {}): InstitutionalClaim {
  return makeInpatientClaim({
    patientControlNumber: 'ACCT2001',
    facilityTypeCode: '13',
    statementFrom: '2026-03-01',
    statementTo: '2026-03-01',
    admission: null,
    dischargeHour: null,
    dischargeStatus: '01',
    destination: {
      sequence: 'P',
      payer: commercial,
      relationship: '18',
      subscriber: {
        lastOrOrgName: 'Nguyen',
        firstName: 'Linh',
        memberId: 'ACM778899',
        groupNumber: 'GRP100',
        address: homeAddress,
        dateOfBirth: '1980-01-02',
        sex: 'F',
      },
    },
    principalDx: { code: 'S52501A' },
    admittingDx: null,
    reasonForVisit: ['M25531'],
    otherDx: [{ code: 'W010XXA' }],
    drg: null,
    principalProcedure: null,
    otherProcedures: [],
    conditionCodes: [],
    occurrences: [{ code: '01', date: '2026-03-01' }],
    occurrenceSpans: [],
    valueCodes: [],
    operating: null,
    totalChargeCents: 98_525,
    lines: [
      { revenueCode: '0450', hcpcs: '99284', modifiers: ['25'], chargeCents: 65_000, unitBasis: 'UN', units: 1, serviceDate: '2026-03-01' },
      { revenueCode: '0320', hcpcs: '73090', modifiers: ['RT'], chargeCents: 33_525, unitBasis: 'UN', units: 1, serviceDate: '2026-03-01' },
    ],
    ...over,
  });
}

/** The primary payer's adjudication, for a secondary claim. */
export const medicarePaid: OtherCoverage = {
  sequence: 'P',
  payer: medicare,
  relationship: '18',
  subscriber: { lastOrOrgName: 'Peña', firstName: 'José', memberId: '1EG4TE5MK72' },
  paidCents: 900_000,
  adjustments: [
    { group: 'CO', reason: '45', amountCents: 300_000 },
    { group: 'PR', reason: '1', amountCents: 54_050 },
  ],
  adjudicationDate: '2026-03-20',
};

/** The same stay billed to the Medigap plan as secondary, with Medicare's payment. */
export function makeSecondaryClaim(): InstitutionalClaim {
  return makeInpatientClaim({
    patientControlNumber: 'ACCT1001S',
    destination: {
      sequence: 'S',
      payer: commercial,
      relationship: '18',
      subscriber: {
        lastOrOrgName: 'Peña',
        firstName: 'José',
        memberId: 'ACM1234',
        address: homeAddress,
        dateOfBirth: '1948-05-17',
        sex: 'M',
      },
    },
    otherCoverages: [medicarePaid],
  });
}

/** A newborn billed under the mother's coverage: patient is a child of the subscriber (2000C), birth weight value 54. */
export function makeNewbornClaim(): InstitutionalClaim {
  return makeInpatientClaim({
    patientControlNumber: 'ACCT3001',
    destination: {
      sequence: 'P',
      payer: commercial,
      relationship: '19',
      subscriber: { lastOrOrgName: 'Garcia', firstName: 'Maria', memberId: 'ACM5550', groupNumber: 'GRP100' },
    },
    patient: { lastOrOrgName: 'Garcia', firstName: 'Baby Girl', address: homeAddress, dateOfBirth: '2026-02-20', sex: 'F' },
    statementFrom: '2026-02-20',
    statementTo: '2026-02-22',
    admission: { date: '2026-02-20', hour: '0412', typeCode: '4', sourceCode: '5' },
    principalDx: { code: 'Z3800', poa: 'Y' },
    admittingDx: 'Z3800',
    otherDx: [{ code: 'P599', poa: 'N' }],
    drg: '795',
    principalProcedure: null,
    otherProcedures: [],
    conditionCodes: [],
    occurrences: [],
    occurrenceSpans: [],
    valueCodes: [{ code: '54', amountCents: 325_000 }],
    operating: null,
    totalChargeCents: 300_000,
    lines: [{ revenueCode: '0171', chargeCents: 300_000, unitBasis: 'DA', units: 2 }],
  });
}

/** An office visit on an 837P with two lines, modifiers and diagnosis pointers. */
export function makeProfessionalClaim(over: Partial<ProfessionalClaim> = {}): ProfessionalClaim {
  return {
    kind: '837P',
    patientControlNumber: 'PRO4001',
    totalChargeCents: 21_000,
    frequencyCode: '1',
    billingProvider: { ...billingProvider, taxonomy: '207Q00000X' },
    destination: {
      sequence: 'P',
      payer: commercial,
      relationship: '18',
      subscriber: {
        lastOrOrgName: 'Nguyen',
        firstName: 'Linh',
        memberId: 'ACM778899',
        groupNumber: 'GRP100',
        address: homeAddress,
        dateOfBirth: '1980-01-02',
        sex: 'F',
      },
    },
    placeOfService: '11',
    principalDx: { code: 'J0190' },
    otherDx: [{ code: 'R05.9' }],
    rendering: { lastOrOrgName: 'Smith', firstName: 'Anna', npi: '1987654328', taxonomy: '207Q00000X' },
    lines: [
      {
        procedureCode: '99214',
        modifiers: ['25'],
        chargeCents: 15_000,
        unitBasis: 'UN',
        units: 1,
        diagnosisPointers: [1, 2],
        serviceDate: '2026-03-01',
      },
      {
        procedureCode: '87880',
        modifiers: ['QW'],
        chargeCents: 6_000,
        unitBasis: 'UN',
        units: 1,
        diagnosisPointers: [1],
        serviceDate: '2026-03-01',
      },
    ],
    ...over,
  };
}
