/** What the amendments module answers, made from stored rows, and the deps its services need. */
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/shared/clock.js';
import type { AmendmentNotificationTable, AmendmentRequestTable } from '../../db/schema-record-life.js';
import type { Database } from '../../db/schema.js';
import type { RecordAccess } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';
import type { DocumentsService } from '../documents/index.js';
import { amendmentClock, dateOf, type ClockState } from './amendments.rules.js';

/** The database, clock, audit log, record-access step, and the documents service (amendments and letters are filed there). */
export interface AmendmentDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  documents: DocumentsService;
}

export interface NotificationView {
  id: string;
  recipient: string;
  kind: string;
  identifiedBy: string;
  notifiedOn: string | null;
  notifiedBy: string | null;
}

export interface AmendmentView {
  id: string;
  patientId: string;
  mrn?: string;
  patientName?: string;
  /** False for a restricted record the user has not opened: its existence and clock only. */
  details: boolean;
  documentIds: string[];
  information: string;
  requestedChange: string;
  reason: string | null;
  receivedOn: string;
  receivedVia: string;
  dueOn: string;
  extendedDueOn: string | null;
  extensionReason: string | null;
  extensionNoticeOn: string | null;
  status: string;
  decidedOn: string | null;
  denialBasis: string | null;
  denialExplanation: string | null;
  denialDocumentId: string | null;
  amendmentDocumentId: string | null;
  amendmentVersion: number | null;
  disagreementDocumentId: string | null;
  disagreementReceivedOn: string | null;
  rebuttalDocumentId: string | null;
  /** The date that counts now (extended or not), days left and the state of the clock today. */
  clock: { dueOn: string; daysLeft: number; state: ClockState };
  createdAt: string;
  notifications?: NotificationView[];
}

const parseIds = (json: string): string[] => {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

export function amendmentView(r: AmendmentRequestTable, now: Date): AmendmentView {
  return {
    id: r.id,
    patientId: r.patient_id,
    details: true,
    documentIds: parseIds(r.document_ids),
    information: r.information,
    requestedChange: r.requested_change,
    reason: r.reason,
    receivedOn: r.received_on,
    receivedVia: r.received_via,
    dueOn: r.due_on,
    extendedDueOn: r.extended_due_on,
    extensionReason: r.extension_reason,
    extensionNoticeOn: r.extension_notice_on,
    status: r.status,
    decidedOn: r.decided_on,
    denialBasis: r.denial_basis,
    denialExplanation: r.denial_explanation,
    denialDocumentId: r.denial_document_id,
    amendmentDocumentId: r.amendment_document_id,
    amendmentVersion: r.amendment_version,
    disagreementDocumentId: r.disagreement_document_id,
    disagreementReceivedOn: r.disagreement_received_on,
    rebuttalDocumentId: r.rebuttal_document_id,
    clock: amendmentClock(
      { status: r.status, receivedOn: r.received_on, dueOn: r.due_on, extendedDueOn: r.extended_due_on, decidedOn: r.decided_on },
      dateOf(now),
    ),
    createdAt: r.created_at,
  };
}

/** A list row of a restricted record the user has not opened: who, the status and the clock (the law's deadline runs for it too). */
export function withheldView(v: AmendmentView): AmendmentView {
  return {
    ...v,
    details: false,
    documentIds: [],
    information: '',
    requestedChange: '',
    reason: null,
    extensionReason: null,
    denialBasis: null,
    denialExplanation: null,
    denialDocumentId: null,
    amendmentDocumentId: null,
    amendmentVersion: null,
    disagreementDocumentId: null,
    disagreementReceivedOn: null,
    rebuttalDocumentId: null,
  };
}

export function notificationView(n: AmendmentNotificationTable): NotificationView {
  return {
    id: n.id,
    recipient: n.recipient,
    kind: n.recipient_kind,
    identifiedBy: n.identified_by,
    notifiedOn: n.notified_on,
    notifiedBy: n.notified_by,
  };
}
