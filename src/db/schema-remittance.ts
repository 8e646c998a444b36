/** Tables of remittance posting (migration 0022, src/modules/claims claims-remit.*). Amounts are integer cents. */
export interface RemittanceFileTable {
  id: string;
  sha256: string;
  transaction_count: number;
  status: string;
  received_by: string;
  received_at: string;
}

export interface RemittanceTable {
  id: string;
  file_id: string;
  control_number: string;
  payer_name: string;
  payer_code: string;
  trace: string;
  amount_cents: number;
  method: string;
  payment_date: string;
  balanced: number;
  status: string;
  reason: string | null;
}

export interface RemittancePostingTable {
  id: string;
  claim_id: string;
  remittance_id: string | null;
  kind: string;
  claim_status: string;
  payer_claim_control_number: string;
  paid_cents: number;
  contractual_cents: number;
  patient_responsibility_cents: number;
  other_adjustment_cents: number;
  adjustments: string;
  remarks: string;
  warnings: string;
  reverses_posting_id: string | null;
  reversed_by_posting_id: string | null;
  reason: string | null;
  posted_by: string;
  posted_at: string;
  /** JSON claim-level CAS and service lines of the 835, in cents (migration 0034); null before it. */
  adjudication?: string | null;
}

export interface RemittanceProviderAdjustmentTable {
  id: string;
  remittance_id: string;
  provider: string;
  fiscal_period: string;
  reason: string;
  reference: string;
  amount_cents: number;
}

export interface RemittanceUnmatchedTable {
  id: string;
  remittance_id: string;
  patient_control_number: string;
  payer_claim_control_number: string;
  claim_status: string;
  charge_cents: number;
  paid_cents: number;
  reason: string;
  remit_claim: string;
  status: string;
  created_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution: string | null;
}

export interface ClaimAcknowledgementTable {
  id: string;
  claim_id: string;
  kind: string;
  outcome: string;
  errors: string;
  file_sha256: string;
  received_by: string;
  received_at: string;
}

/** Migration 0025: a biller's steps on a denied claim (claims-work.service.ts). */
export interface ClaimDenialWorkTable {
  id: string;
  claim_id: string;
  action: string;
  status: string;
  note: string;
  amount_cents: number | null;
  created_by: string;
  created_at: string;
}

export interface RemittanceTables {
  remittance_files: RemittanceFileTable;
  remittances: RemittanceTable;
  remittance_postings: RemittancePostingTable;
  remittance_provider_adjustments: RemittanceProviderAdjustmentTable;
  remittance_unmatched: RemittanceUnmatchedTable;
  claim_acknowledgements: ClaimAcknowledgementTable;
  claim_denial_work: ClaimDenialWorkTable;
}
