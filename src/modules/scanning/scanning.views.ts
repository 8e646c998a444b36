/** What the scanning module needs and what it answers (ids, statuses and reasons: no patient data). */
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/shared/clock.js';
import type { Database } from '../../db/schema.js';
import type { RecordAccess } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';
import type { BlobStore, DocumentsService } from '../documents/index.js';
import type { BatchRow, PageRow } from './scanning.repository.js';
import { qaReasonText, type QaReason } from './scanning.rules.js';
import type { ScanToolPaths } from './scanning.tools.js';

/** The scanning service's deps: the documents service it files through, its encrypted page store, its programs. */
export interface ScanningDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  documents: Pick<DocumentsService, 'fileDocument' | 'findByExternalId' | 'listTypes' | 'setStatus'>;
  /** QA pages' content and thumbnails, encrypted at rest (a blob store of its own, not the documents'). */
  store: BlobStore;
  tools: ScanToolPaths;
  /** The scan inbox (CUSTODIAN_SCAN_INBOX); claimed files wait in its `.processing` folder. */
  inboxDir: string;
}

export interface BatchView {
  id: string;
  status: string;
  format: string | null;
  pageCount: number | null;
  filed: number;
  qa: number;
  jobId: string | null;
  error: string | null;
  receivedAt: string;
  finishedAt: string | null;
}

export function batchView(b: BatchRow & { filed: number; qa: number }): BatchView {
  return {
    id: b.id,
    status: b.status,
    format: b.format,
    pageCount: b.page_count,
    filed: b.filed,
    qa: b.qa,
    jobId: b.job_id,
    error: b.error,
    receivedAt: b.received_at,
    finishedAt: b.finished_at,
  };
}

/** A page waiting in the QA queue: where it came from and why it waits. */
export interface QaPageView {
  id: string;
  batchId: string;
  page: number;
  reason: QaReason;
  reasonText: string;
  mediaType: string | null;
  hasThumbnail: boolean;
  receivedAt: string;
}

export function qaPageView(p: PageRow): QaPageView {
  const reason = (p.reason ?? 'filing_failed') as QaReason;
  return {
    id: p.id,
    batchId: p.batch_id,
    page: p.page,
    reason,
    reasonText: (qaReasonText as Partial<Record<string, string>>)[reason] ?? reason,
    mediaType: p.media_type,
    hasThumbnail: p.thumbnail_sha256 !== null,
    receivedAt: p.created_at,
  };
}
