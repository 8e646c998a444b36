/**
 * Table types of amendment requests (src/modules/amendments) and retention and destruction (src/modules/retention),
 * migration 0013, part of `Database` (schema.ts). Same conventions: UUIDv7 text ids, ISO-8601 UTC text timestamps,
 * YYYY-MM-DD text dates, 0/1 integers; the tables of one patient's rows lead their primary key with patient_id.
 */

/** A patient's request to amend their record (45 CFR 164.526): status open | accepted | denied. */
export interface AmendmentRequestTable {
  patient_id: string;
  id: string;
  /** JSON string[]: documents the request names. */
  document_ids: string;
  /** What information the patient asks to amend, in their words. */
  information: string;
  requested_change: string;
  /** The patient's reason, when given (164.526(b)(1) lets the entity ask for one). */
  reason: string | null;
  received_on: string;
  /** mail | in_person | fax | email | portal | phone */
  received_via: string;
  /** received_on + 60 days (164.526(b)(2)(i)). */
  due_on: string;
  /** due_on + 30 days, once, with the written reason and the date the patient was told (164.526(b)(2)(ii)). */
  extended_due_on: string | null;
  extension_reason: string | null;
  extension_notice_on: string | null;
  extended_by: string | null;
  status: string;
  decided_on: string | null;
  decided_by: string | null;
  /** not_created_by_entity | not_in_designated_record_set | not_available_for_inspection | accurate_and_complete */
  denial_basis: string | null;
  denial_explanation: string | null;
  /** The written denial, filed in the record (document type AMEND). */
  denial_document_id: string | null;
  /** The accepted amendment: a version of kind amendment of this document. */
  amendment_document_id: string | null;
  amendment_version: number | null;
  disagreement_document_id: string | null;
  disagreement_received_on: string | null;
  rebuttal_document_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A person or organisation to be told of an accepted amendment (164.526(c)(3)); notified_on once told. */
export interface AmendmentNotificationTable {
  patient_id: string;
  id: string;
  request_id: string;
  recipient: string;
  /** person | organisation */
  recipient_kind: string;
  /** patient (named by the patient, (c)(3)(i)) | entity (known to have relied on it, (c)(3)(ii)) */
  identified_by: string;
  notified_on: string | null;
  notified_by: string | null;
  created_at: string;
}

/** Retention rules of one jurisdiction; exactly one active. No patient data. */
export interface RetentionRuleSetTable {
  id: string;
  name: string;
  jurisdiction: string;
  description: string;
  age_of_majority: number;
  /** JSON RetentionRule[]. */
  rules: string;
  active: number;
  updated_by: string;
  updated_at: string;
}

/** A destruction batch and, once completed, its certificate: status draft | approved | completed. */
export interface DestructionBatchTable {
  id: string;
  rule_set_id: string;
  rule_set_name: string;
  status: string;
  note: string | null;
  method: string | null;
  created_by: string;
  created_at: string;
  approved_by: string | null;
  approved_at: string | null;
  performed_by: string | null;
  performed_at: string | null;
  destroyed_count: number;
  skipped_count: number;
}

/** One document of a destruction batch: outcome pending | destroyed | skipped (with the reason). Never moved by a merge. */
export interface DestructionItemTable {
  patient_id: string;
  id: string;
  batch_id: string;
  document_id: string;
  type_code: string;
  service_at: string;
  /** The MRN when selected: the certificate names the record as it was. */
  mrn: string;
  eligible_on: string;
  /** Why it was eligible: the rule and its dates, in words. */
  eligibility: string;
  outcome: string;
  outcome_reason: string | null;
  done_at: string | null;
}

/** The tables of migration 0013, merged into `Database` (schema.ts). */
export interface RecordLifeTables {
  amendment_requests: AmendmentRequestTable;
  amendment_notifications: AmendmentNotificationTable;
  retention_rule_sets: RetentionRuleSetTable;
  destruction_batches: DestructionBatchTable;
  destruction_items: DestructionItemTable;
}
