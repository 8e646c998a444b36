import type { Generated } from 'kysely';

/** Tables of claims (migration 0020, src/modules/claims). Amounts are integer cents. */
export interface PayerTable {
  id: string;
  name: string;
  payer_code: string;
  claim_filing_indicator: string;
  address_line1: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  created_at: string;
}

export interface PatientCoverageTable {
  patient_id: string;
  id: string;
  payer_id: string;
  benefit_order: number;
  relationship: string;
  member_id: string;
  group_number: string | null;
  group_name: string | null;
  subscriber_family_name: string;
  subscriber_given_name: string | null;
  subscriber_middle_name: string | null;
  subscriber_date_of_birth: string | null;
  subscriber_sex: string | null;
  subscriber_address_line1: string | null;
  subscriber_address_line2: string | null;
  subscriber_city: string | null;
  subscriber_state: string | null;
  subscriber_postal_code: string | null;
  effective_from: string | null;
  effective_to: string | null;
  created_at: string;
  updated_at: string;
}

export interface BillingProviderTable {
  id: string;
  facility_id: string;
  name: string;
  npi: string;
  taxonomy: string | null;
  tax_id: string;
  address_line1: string;
  address_line2: string | null;
  city: string;
  state: string;
  postal_code: string;
  pay_to_address_line1: string | null;
  pay_to_address_line2: string | null;
  pay_to_city: string | null;
  pay_to_state: string | null;
  pay_to_postal_code: string | null;
  created_at: string;
}

export interface ChargemasterItemTable {
  id: string;
  code: string;
  description: string;
  revenue_code: string;
  hcpcs: string | null;
  price_cents: number;
  active: number;
  created_at: string;
}

export interface EncounterChargeTable {
  patient_id: string;
  id: string;
  encounter_id: string;
  item_id: string;
  service_date: string;
  units: number;
  amount_cents: number;
  modifiers: string;
  component: string;
  diagnosis_pointers: string;
  rendering_provider_id: string | null;
  created_by: string;
  created_at: string;
}

export interface ClaimTable {
  patient_id: string;
  id: string;
  encounter_id: string;
  kind: string;
  coverage_id: string;
  status: string;
  patient_control_number: string;
  total_cents: number;
  statement_from: string;
  statement_to: string;
  drg: string | null;
  data: string;
  findings: string;
  interchange_control_number: string | null;
  transaction_control_number: string | null;
  released_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  /** JSON list of the submissions a replacement or void claim took the place of (migration 0034). */
  prior_submissions: Generated<string>;
}

export interface X12ControlNumberTable {
  name: string;
  last_value: number;
}

export interface ClaimInterchangeTable {
  id: string;
  kind: string;
  sender_id: string;
  interchange_control_number: string;
  claim_count: number;
  refused_count: number;
  sha256: string;
  created_by: string;
  created_at: string;
}

export interface ClaimsTables {
  payers: PayerTable;
  patient_coverages: PatientCoverageTable;
  billing_providers: BillingProviderTable;
  chargemaster_items: ChargemasterItemTable;
  encounter_charges: EncounterChargeTable;
  claims: ClaimTable;
  x12_control_numbers: X12ControlNumberTable;
  claim_interchanges: ClaimInterchangeTable;
}
