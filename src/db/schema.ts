import type { Generated } from 'kysely';
import type { ChartsTables } from './schema-charts.js';
import type { DocumentsTables } from './schema-documents.js';
import type { ScanningTables } from './schema-scanning.js';
import type { SchedulingTables } from './schema-scheduling.js';
import type { RecordLifeTables } from './schema-record-life.js';
import type { CompletionTables } from './schema-completion.js';
import type { RoiTables } from './schema-roi.js';
import type { FhirTables } from './schema-fhir.js';
import type { ClaimsTables } from './schema-claims.js';
import type { RemittanceTables } from './schema-remittance.js';
import type { ResearchTables } from './schema-research.js';
import type { ReportsTables } from './schema-reports.js';
import type { OutpatientTables } from './schema-outpatient.js';
import type { CacTables } from './schema-cac.js';
import type { TranscriptionTables } from './schema-transcription.js';

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
  /** Last TOTP time step used (migration 0002): a code is never accepted twice. */
  totp_last_step: number | null;
  /** Work email for notices (migration 0028); optional on insert. */
  email?: string | null;
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
  /** Assigned location (HL7 PV1-3, point of care^room^bed), migration 0003. */
  location?: string | null;
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

/**
 * An audit event. `seq` is the listing key (unique; from a sequence on PostgreSQL, not hashed); `chain_id` and
 * `chain_seq` its place in a hash chain (chain 0: events before migration 0008, unkeyed), `prev_hash` and `hash` its links.
 */
export interface AuditEventTable {
  seq: number;
  chain_id: number;
  chain_seq: number;
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

/** One row per audit chain (id = chain id, 0 the legacy chain): the position and hash of its last event. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** The audit trail's identity (one row, id 1), migration 0008: checkpoints name it. */
export interface AuditTrailTable {
  id: number;
  trail_id: string;
  created_at: string;
}

/** Persisted MPI blocking keys (keyed hashes), migration 0003. */
export interface PatientMatchKeyTable {
  patient_id: string;
  key: string;
}

/** Which blocking keys patient_match_keys holds (one row, id 1), migration 0007. */
export interface MpiMatchKeyStateTable {
  id: number;
  /** `${BLOCKING_KEY_VERSION}:${fingerprint of the hashing secret}`. */
  key_version: string;
  rebuilt_at: string;
  patient_count: number;
}

/** Potential-duplicate worklist: status open | not_duplicate | merged. patient_id_1 < patient_id_2. */
export interface MpiDuplicatePairTable {
  id: string;
  patient_id_1: string;
  patient_id_2: string;
  score: number;
  weight: number;
  status: string;
  source: string;
  detected_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution_note: string | null;
  merge_id: string | null;
}

/** One merge of `merged_id` into `survivor_id`; status merged | unmerged. */
export interface MpiMergeTable {
  id: string;
  survivor_id: string;
  merged_id: string;
  status: string;
  source: string;
  reason: string | null;
  merged_at: string;
  merged_by: string;
  unmerged_at: string | null;
  unmerged_by: string | null;
  /** JSON: what the merge changed outside moved rows (merged patient's updated_at, worklist pair statuses). */
  prior_state: string;
}

/** A row a merge moved (old_id -> new_id under the survivor) or created (old_id null). */
export interface MpiMergeRowTable {
  merge_id: string;
  seq: number;
  table_name: string;
  action: string;
  old_id: string | null;
  new_id: string;
}

/** A Fellegi–Sunter model fitted to the stored patients (migration 0005); the latest active one is live. */
export interface MpiModelTable {
  id: string;
  fitted_at: string;
  /** Username of who ran the fit. */
  fitted_by: string;
  patient_count: number;
  candidate_pairs: number;
  random_pairs: number;
  estimated_matches: number;
  iterations: number;
  /** JSON of the core's MatchModel (m, u per field and level; prior). */
  model: string;
  /** 1 = may be live (the latest wins), 0 = superseded. */
  active: number;
}

/** Every HL7 v2 message received, raw; status received | applied | error | rejected | duplicate | ignored. */
export interface Hl7MessageTable {
  id: string;
  received_at: string;
  channel: string;
  control_id: string | null;
  sending_application: string | null;
  sending_facility: string | null;
  message_type: string | null;
  trigger_event: string | null;
  version: string | null;
  status: string;
  ack_code: string | null;
  error_code: string | null;
  error_text: string | null;
  raw: string;
  patient_id: string | null;
  attempts: number;
  processed_at: string | null;
}

/** Coding workspace (migration 0004): one abstract per encounter; status draft | final. `data` is JSON (AbstractData). */
export interface CodingAbstractTable {
  encounter_id: string;
  patient_id: string;
  status: string;
  version: number;
  data: string;
  assigned_to: string | null;
  assigned_at: string | null;
  working_drg: string | null;
  working_drg_title: string | null;
  final_drg: string | null;
  coded_by: string | null;
  coded_at: string | null;
  query_answered: number;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

/** Every saved version of an abstract: kind draft | final | reopen. Never updated. */
export interface CodingAbstractVersionTable {
  encounter_id: string;
  version: number;
  patient_id: string;
  kind: string;
  data: string;
  drg: string | null;
  reason: string | null;
  saved_by: string;
  saved_at: string;
}

/** Clinical text of an encounter (notes, results, query answers) that coders read and cite. */
export interface EncounterDocumentTable {
  patient_id: string;
  id: string;
  encounter_id: string;
  kind: string;
  title: string;
  author: string | null;
  authored_at: string;
  text: string;
}

/** A physician query: type open_ended | multiple_choice | yes_no; status open | answered | escalated | expired. */
export interface PhysicianQueryTable {
  id: string;
  patient_id: string;
  encounter_id: string;
  provider_id: string;
  author_id: string;
  type: string;
  purpose: string | null;
  question: string;
  /** JSON string[] */
  options: string;
  /** JSON ClinicalIndicator[] */
  indicators: string;
  status: string;
  drg_at_send: string | null;
  created_at: string;
  sent_at: string;
  escalated_at: string | null;
  closed_at: string | null;
  answered_at: string | null;
  answered_by: string | null;
  answer_choice: string | null;
  answer_text: string | null;
  agreed: number | null;
  signature: string | null;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  kind: string;
  patient_id: string | null;
  encounter_id: string | null;
  resource_id: string | null;
  message: string;
  created_at: string;
  read_at: string | null;
}

/** An auditor's blind re-abstraction: status in_progress | submitted; `agreement` JSON once submitted. */
export interface CodingAuditTable {
  id: string;
  patient_id: string;
  encounter_id: string;
  auditor_id: string;
  status: string;
  data: string;
  drg: string | null;
  coder_version: number;
  agreement: string | null;
  created_at: string;
  submitted_at: string | null;
}

/** A unit of background work (migration 0009): status queued | running | succeeded | failed | cancelled. */
export interface JobTable {
  id: string;
  kind: string;
  /** JSON: ids and options only, never PHI (a job's payload shows in the job list). */
  payload: string;
  patient_id: string | null;
  /** At most one job with this key (e.g. `ocr:<document>:<version>`): enqueuing it again answers the existing one. */
  dedupe_key: string | null;
  status: string;
  priority: number;
  attempts: number;
  max_attempts: number;
  run_after: string;
  lease_token: string | null;
  lease_until: string | null;
  progress: number | null;
  progress_note: string | null;
  last_error: string | null;
  result: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export interface Database
  extends
    ChartsTables,
    DocumentsTables,
    ScanningTables,
    RecordLifeTables,
    CompletionTables,
    RoiTables,
    FhirTables,
    SchedulingTables,
    ResearchTables,
    ClaimsTables,
    RemittanceTables,
    CacTables,
    ReportsTables,
    OutpatientTables,
    TranscriptionTables {
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
  jobs: JobTable;
  audit_head: AuditHeadTable;
  audit_trail: AuditTrailTable;
  patient_match_keys: PatientMatchKeyTable;
  mpi_match_key_state: MpiMatchKeyStateTable;
  mpi_duplicate_pairs: MpiDuplicatePairTable;
  mpi_merges: MpiMergeTable;
  mpi_merge_rows: MpiMergeRowTable;
  mpi_models: MpiModelTable;
  hl7_messages: Hl7MessageTable;
  coding_abstracts: CodingAbstractTable;
  coding_abstract_versions: CodingAbstractVersionTable;
  encounter_documents: EncounterDocumentTable;
  physician_queries: PhysicianQueryTable;
  notifications: NotificationTable;
  coding_audits: CodingAuditTable;
}

/** Unused marker so Generated stays importable for later tables with engine defaults. */
export type _Generated<T> = Generated<T>;
