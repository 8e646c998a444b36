import type { Generated } from 'kysely';

/**
 * Table types for Kysely. Conventions (one schema for SQLite and PostgreSQL):
 * - ids are text (UUIDv7: time-ordered, made by the application, never by the engine);
 * - tables that hold one patient's data lead their primary key with patient_id, the distribution key when
 *   the PostgreSQL deployment is sharded (e.g. Citus `distribute by patient_id`);
 * - timestamps are ISO-8601 UTC text (`2026-11-28T01:02:03.456Z`), which sorts and compares alike on both engines;
 * - booleans are integers 0/1.
 */
export interface FacilityTable {
  id: string;
  name: string;
  mrn_prefix: string;
  next_mrn: number;
  created_at: string;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  totp_secret: string | null;
  totp_enabled: number;
  disabled: number;
  failed_logins: number;
  locked_until: string | null;
  provider_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  ended_at: string | null;
}

export interface ProviderTable {
  id: string;
  npi: string | null;
  family_name: string;
  given_name: string;
  credentials: string | null;
  specialty: string | null;
  created_at: string;
}

export interface PatientTable {
  id: string;
  facility_id: string;
  mrn: string;
  family_name: string;
  given_name: string;
  middle_name: string | null;
  date_of_birth: string | null;
  sex: string;
  race: string | null;
  ethnicity: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  phone: string | null;
  email: string | null;
  ssn_encrypted: string | null;
  ssn_last4: string | null;
  deceased: number;
  deceased_at: string | null;
  restricted: number;
  restriction_reason: string | null;
  merged_into: string | null;
  created_at: string;
  updated_at: string;
}

export interface PatientNameTable {
  patient_id: string;
  id: string;
  use: string;
  family_name: string;
  given_name: string;
  middle_name: string | null;
}

export interface PatientIdentifierTable {
  patient_id: string;
  id: string;
  system: string;
  value: string;
  type: string | null;
}

export interface PatientInsuranceTable {
  patient_id: string;
  id: string;
  priority: number;
  payer_name: string;
  payer_id: string | null;
  plan_type: string | null;
  member_id: string;
  group_number: string | null;
  subscriber_name: string | null;
  subscriber_relationship: string | null;
}

export interface NextOfKinTable {
  patient_id: string;
  id: string;
  name: string;
  relationship: string | null;
  phone: string | null;
}

export interface EncounterTable {
  patient_id: string;
  id: string;
  facility_id: string;
  account_number: string;
  type: string;
  status: string;
  admit_at: string;
  discharge_at: string | null;
  attending_provider_id: string | null;
  admission_source: string | null;
  admission_type: string | null;
  discharge_status: string | null;
  payer_name: string | null;
  reason_for_visit: string | null;
  created_at: string;
  updated_at: string;
}

export interface BreakGlassTable {
  patient_id: string;
  id: string;
  user_id: string;
  reason: string;
  granted_at: string;
  expires_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
}

export interface AuditEventTable {
  seq: number;
  id: string;
  occurred_at: string;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  patient_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  purpose_of_use: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface Database {
  facilities: FacilityTable;
  users: UserTable;
  sessions: SessionTable;
  providers: ProviderTable;
  patients: PatientTable;
  patient_names: PatientNameTable;
  patient_identifiers: PatientIdentifierTable;
  patient_insurance: PatientInsuranceTable;
  next_of_kin: NextOfKinTable;
  encounters: EncounterTable;
  break_glass: BreakGlassTable;
  audit_events: AuditEventTable;
  audit_head: AuditHeadTable;
}

/** Unused marker so Generated stays importable for later tables with engine defaults. */
export type _Generated<T> = Generated<T>;
