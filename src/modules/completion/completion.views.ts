/** What the completion module needs (deps and ports) and answers (views), made from stored rows. */
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/shared/clock.js';
import type { DeficiencyTable } from '../../db/schema-completion.js';
import type { Database } from '../../db/schema.js';
import type { Actor, RecordAccess } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';

/** The one documents operation the inbox needs (the documents service's `sign`): the caller declares its port. */
export interface SigningPort {
  sign(actor: Actor, documentId: string, input: { attestation: string; role: string }): Promise<unknown>;
}

/**
 * How a notice reaches a physician. In-app (the notifications list) by default; an email sender (the shared mail
 * module, when it exists) can be put behind the same port without touching this module.
 */
export interface NoticePort {
  send(n: { userId: string; kind: string; patientId: string; encounterId: string; resourceId: string; message: string }): Promise<void>;
  /**
   * Once per physician per notice run, after the in-app notices: how many went out and the oldest age reached. The
   * email digest (`emailNoticeDigest`) sits here, so a physician gets one email per run, not one per deficiency.
   */
  digest?(n: { userId: string; notices: number; oldestAgeDays: number }): Promise<void>;
}

export interface CompletionDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  /** Signing from the inbox (absent: signing answers a conflict naming the missing documents service). */
  signing?: SigningPort;
  /** Checks a re-entered password before a batch signature. */
  verifyPassword?: (userId: string, password: string) => Promise<boolean>;
  notices?: NoticePort;
}

export interface DeficiencyView {
  id: string;
  patientId: string;
  encounterId: string;
  type: string;
  requirement: string;
  documentId: string | null;
  documentTypeCode: string;
  responsibleProviderId: string | null;
  responsibleName: string | null;
  citation: string;
  message: string;
  pageRef: string | null;
  source: string;
  status: string;
  dueAt: string;
  createdAt: string;
  resolvedAt: string | null;
  reason: string | null;
}

export function deficiencyView(d: DeficiencyTable, names: Map<string, string>): DeficiencyView {
  return {
    id: d.id,
    patientId: d.patient_id,
    encounterId: d.encounter_id,
    type: d.type,
    requirement: d.requirement,
    documentId: d.document_id,
    documentTypeCode: d.document_type_code,
    responsibleProviderId: d.responsible_provider_id,
    responsibleName: d.responsible_provider_id ? (names.get(d.responsible_provider_id) ?? null) : null,
    citation: d.citation,
    message: d.message,
    pageRef: d.page_ref,
    source: d.source,
    status: d.status,
    dueAt: d.due_at,
    createdAt: d.created_at,
    resolvedAt: d.resolved_at,
    reason: d.reason,
  };
}

/** A record of the analyst's worklist or the physician's inbox: what a list shows, details withheld where restricted. */
export interface RecordLabel {
  patientId: string;
  encounterId: string;
  mrn: string;
  patientName: string;
  accountNumber: string;
  restricted: boolean;
  details: boolean;
  type: string | null;
  dischargeAt: string | null;
}

export interface CompletionRecordView extends RecordLabel {
  /** incomplete | complete | delinquent | not_analysed */
  status: string;
  outstanding: number;
  pending: number;
  daysSinceDischarge: number | null;
  analysedAt: string | null;
  completedAt: string | null;
}

export interface ChartCompletionView {
  record: CompletionRecordView;
  deficiencies: DeficiencyView[];
  events: {
    deficiencyId: string;
    kind: string;
    fromProviderId: string | null;
    toProviderId: string | null;
    reason: string | null;
    by: string;
    at: string;
  }[];
}

export interface InboxItem extends DeficiencyView {
  label: RecordLabel;
  ageDays: number;
}
