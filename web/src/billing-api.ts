/** The claims and remittance API (/api/claims, /api/remittance): ids in paths, X12 files as text in JSON bodies. */
import { queryString, request } from './api.js';

export interface ScrubFinding {
  severity: 'error' | 'warning';
  code: string;
  loop: string;
  message: string;
}

/** A row of the claim edit worklist; all but the id and the flag are null for a restricted record not opened. */
export interface ClaimListItem {
  claimId: string;
  restricted: boolean;
  status: string | null;
  kind: string | null;
  patientControlNumber: string | null;
  accountNumber: string | null;
  mrn: string | null;
  payerId: string | null;
  payerName: string | null;
  totalCents: number | null;
  statementFrom: string | null;
  statementTo: string | null;
  drg: string | null;
  errors: number | null;
  warnings: number | null;
  rejected: boolean | null;
  releasedAt: string | null;
}

export interface UnbilledEncounter {
  encounterId: string;
  restricted: boolean;
  mrn: string;
  accountNumber: string | null;
  type: string | null;
  patientName: string | null;
  dischargeAt: string | null;
  drg: string | null;
}

export interface Payer {
  id: string;
  name: string;
  payerId: string;
  claimFilingIndicator: string;
}

export interface Posting {
  id: string;
  kind: string;
  claimStatus: string;
  paidCents: number;
  contractualCents: number;
  patientResponsibilityCents: number;
  otherAdjustmentCents: number;
  adjustments: { group: string; reason: string; amountCents: number }[];
  remarks: string[];
  warnings: string[];
  reversesPostingId: string | null;
  reversedByPostingId: string | null;
  reason: string | null;
  postedAt: string;
}

export interface ClaimDetail {
  id: string;
  encounterId: string;
  accountNumber: string;
  encounterType: string;
  kind: string;
  status: string;
  patientControlNumber: string;
  payerId: string;
  payerName: string;
  benefitOrder: number;
  totalCents: number;
  statementFrom: string;
  statementTo: string;
  drg: string | null;
  principalDx: string;
  otherDx: string[];
  findings: ScrubFinding[];
  interchangeControlNumber: string | null;
  releasedAt: string | null;
  lines: {
    revenueCode: string | null;
    procedureCode: string | null;
    modifiers: string[];
    units: number;
    chargeCents: number;
    serviceDate: string | null;
  }[];
  postings: Posting[];
  acknowledgements: { kind: string; outcome: string; errors: { code: string; message: string }[]; receivedAt: string }[];
  denialWork: { id: string; action: string; status: string; note: string; amountCents: number | null; by: string; at: string }[];
}

export interface BuiltClaim {
  id: string;
  status: string;
  errors: number;
  findings: ScrubFinding[];
}

export interface ReleaseResult {
  text: string | null;
  fileName: string | null;
  interchangeControlNumber: string | null;
  released: number;
  refused: number;
  claims: { claimId: string; patientControlNumber: string | null; ok: boolean; error?: { code: string; message: string } }[];
}

export interface PaymentResult {
  controlNumber: string;
  trace: string;
  payer: string;
  amountCents: number;
  balanced: boolean;
  posted: boolean;
  reason: string | null;
  postings: { postingId: string; claimId: string; patientControlNumber: string; kind: string; paidCents: number; warnings: string[] }[];
  unmatched: { patientControlNumber: string; paidCents: number; reason: string }[];
  providerAdjustmentCents: number;
}

export interface RemittanceResult {
  fileId: string;
  status: 'posted' | 'refused';
  payments: PaymentResult[];
}

export interface AckResult {
  claims: {
    kind: string;
    patientControlNumber: string;
    claimId: string | null;
    outcome: string;
    errors: { code: string; message: string }[];
  }[];
  notes: string[];
}

export interface DenialItem {
  claimId: string;
  group: string | null;
  payerId: string | null;
  payerName: string | null;
  patientControlNumber: string | null;
  reasons: { reason: string; amountCents: number }[];
  remarks: string[];
  paidCents: number | null;
  postingId: string | null;
  workStatus: string | null;
  lastNote: string | null;
  restricted: boolean;
}

export interface PayerAgeing {
  payerId: string;
  payerName: string;
  buckets: Record<string, number>;
  totalCents: number;
  claims: number;
}

export interface UnmatchedItem {
  id: string;
  patientControlNumber: string;
  payerClaimControlNumber: string;
  claimStatus: string;
  chargeCents: number;
  paidCents: number;
  payer: string;
  trace: string;
  reason: string;
  receivedAt: string;
}

export type DenialAction = 'note' | 'appeal' | 'resubmit' | 'write_off' | 'close' | 'reopen';

export const denialActionLabels: Record<DenialAction, string> = {
  note: 'Add a note',
  appeal: 'Appeal sent',
  resubmit: 'Corrected claim sent',
  write_off: 'Write off the balance',
  close: 'Close',
  reopen: 'Reopen',
};

export const workStatusLabels: Record<string, string> = {
  open: 'Open',
  appealed: 'Appealed',
  resubmitted: 'Resubmitted',
  written_off: 'Written off',
  closed: 'Closed',
};

/** CAS claim adjustment group codes (X12 TR3). */
export const casGroupLabels: Record<string, string> = {
  CO: 'CO – contractual obligation',
  PR: 'PR – patient responsibility',
  OA: 'OA – other adjustment',
  PI: 'PI – payer initiated reduction',
  CR: 'CR – correction and reversal',
};

/** Cents as dollars with two decimals and thousands separators. */
export function money(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  const sign = cents < 0 ? '-' : '';
  return `${sign}$${(Math.abs(cents) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

const enc = encodeURIComponent;

export const billingApi = {
  claims(f: { status?: string; kind?: string; payerId?: string; scrub?: string }): Promise<{ items: ClaimListItem[] }> {
    return request('GET', `/api/claims${queryString(f)}`);
  },
  payers(): Promise<{ items: Payer[] }> {
    return request('GET', '/api/claims/payers');
  },
  unbilled(): Promise<{ items: UnbilledEncounter[] }> {
    return request('GET', '/api/claims/unbilled');
  },
  build(encounterId: string, kind: '837I' | '837P'): Promise<BuiltClaim> {
    return request('POST', `/api/claims/encounters/${enc(encounterId)}/build`, { body: { kind } });
  },
  claim(id: string): Promise<ClaimDetail> {
    return request('GET', `/api/claims/${enc(id)}`);
  },
  rebuild(id: string): Promise<BuiltClaim> {
    return request('POST', `/api/claims/${enc(id)}/rebuild`, { body: {} });
  },
  /** The replacement (7) or void (8) of a released claim the payer answered, in its place (REF*F8). */
  correct(id: string, frequency: '7' | '8'): Promise<BuiltClaim> {
    return request('POST', `/api/claims/${enc(id)}/correct`, { body: { frequency } });
  },
  /** The claim to the next payer, with this claim's posted payment and adjustments. */
  secondary(id: string): Promise<BuiltClaim> {
    return request('POST', `/api/claims/${enc(id)}/secondary`, { body: {} });
  },
  release(body: { kind: '837I' | '837P'; from?: string; to?: string; usage?: 'T' | 'P' }): Promise<ReleaseResult> {
    return request('POST', '/api/claims/release', { body });
  },
  post835(text: string): Promise<RemittanceResult> {
    return request('POST', '/api/remittance/835', { body: { text } });
  },
  acknowledge(text: string): Promise<AckResult> {
    return request('POST', '/api/remittance/acknowledgements', { body: { text } });
  },
  denials(f: { group?: string; payerId?: string; workStatus?: string }): Promise<{ items: DenialItem[] }> {
    return request('GET', `/api/claims/denials${queryString(f)}`);
  },
  workDenial(id: string, body: { action: DenialAction; note: string; amountCents?: number }): Promise<{ status: string }> {
    return request('POST', `/api/claims/${enc(id)}/denial-work`, { body });
  },
  ar(asOf?: string): Promise<{ asOf: string; buckets: string[]; items: PayerAgeing[] }> {
    return request('GET', `/api/claims/ar${queryString({ asOf })}`);
  },
  unmatched(): Promise<{ items: UnmatchedItem[] }> {
    return request('GET', '/api/remittance/unmatched');
  },
  resolveUnmatched(id: string, resolution: string): Promise<void> {
    return request('POST', `/api/remittance/unmatched/${enc(id)}/resolve`, { body: { resolution } });
  },
};
