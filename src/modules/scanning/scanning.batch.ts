/**
 * The `scan.batch` job: one claimed batch file is rendered page by page, cover sheets are found by their barcodes,
 * the batch is split at them and each part filed through the documents service to the sheet's patient, encounter
 * and type (a PDF of those pages, or a TIFF); the rest goes to the QA queue with its reason. Nothing is dropped:
 * the original file stays in the processing folder until every page is recorded (filed, cover sheet or QA).
 *
 * Run again after a crash (the job queue claims it after its lease), the job skips the pages already recorded and
 * files no part twice: each part's document carries the external id `<batch id>:<sheet page>` from source system
 * `scan-inbox`, looked up before filing (and refused by the documents service if filed meanwhile).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { Permission, systemActor, type Actor, type ListScope } from '../access/index.js';
import { PermanentJobError, type JobContext, type JobHandler } from '../jobs/index.js';
import * as repo from './scanning.repository.js';
import { batchFormatOf, markOfPage, PageStatus, planBatch, QaReason, SCAN_SOURCE_SYSTEM, type BatchPlan } from './scanning.rules.js';
import { cutPdfPages, joinTiffs, makeThumbnail, readBarcodes, renderPages, type PageFiles } from './scanning.tools.js';
import type { ScanningDeps } from './scanning.views.js';

/** The system actor batch work is audited as. */
export const SCAN_ACTOR: Actor = systemActor('scan-inbox');

/** What a finished batch job answers (kept as the job's result: counts and ids only). */
export interface BatchOutcome {
  batchId: string;
  pages: number;
  documents: string[];
  qa: number;
  unreadable: boolean;
}

type Ctx = Pick<JobContext, 'progress' | 'signal'>;

interface Opened {
  format: 'pdf' | 'tiff';
  pdf: PDFDocument | null;
  files: PageFiles;
}

/** The content of some pages of the batch, as one file. */
async function contentOf(deps: ScanningDeps, o: Opened, pages: readonly number[], dir: string, signal: AbortSignal) {
  if (o.pdf) return { bytes: await cutPdfPages(o.pdf, pages), mediaType: 'application/pdf' };
  const files = pages.map((p) => o.files.tiffPages![p - 1]!);
  return { bytes: await joinTiffs(deps.tools, files, dir, signal), mediaType: 'image/tiff' };
}

/** Why a part could not be filed, from the documents service's refusal (null: not a refusal, let the job retry). */
function refusalReason(e: unknown): QaReason | null {
  if (!(e instanceof DomainError)) return null;
  if (e.code === ErrorCode.notFound) return QaReason.recordNotFound;
  if (e.code === ErrorCode.conflict && /merged/.test(e.message)) return QaReason.recordMerged;
  if (e.code === ErrorCode.invalid || e.code === ErrorCode.conflict || e.code === ErrorCode.preconditionFailed)
    return QaReason.filingFailed;
  return null;
}

/** Files one part behind a cover sheet; answers the document id, or the reason the part goes to QA. */
async function filePart(
  deps: ScanningDeps,
  list: ListScope,
  batchId: string,
  part: BatchPlan['parts'][number],
  content: () => Promise<{ bytes: Uint8Array; mediaType: string }>,
): Promise<{ documentId: string } | { reason: QaReason }> {
  const sheet = await repo.findCoverSheet(deps.db, list, part.sheetId);
  if (!sheet) return { reason: QaReason.sheetUnknown };
  if (part.token !== null && part.token !== sheet.token) return { reason: QaReason.sheetMismatch };
  const externalId = `${batchId}:${part.sheetPage}`;
  const existing = await deps.documents.findByExternalId(SCAN_ACTOR, SCAN_SOURCE_SYSTEM, externalId);
  if (existing) return { documentId: existing.id };
  try {
    const c = await content();
    const d = await deps.documents.fileDocument(SCAN_ACTOR, {
      patientId: sheet.patient_id,
      encounterId: sheet.encounter_id,
      typeCode: sheet.type_code,
      source: 'scan',
      sourceSystem: SCAN_SOURCE_SYSTEM,
      externalId,
      content: { ...c, fileName: `scan-${batchId}-p${part.pages[0]}.${c.mediaType === 'application/pdf' ? 'pdf' : 'tif'}` },
    });
    return { documentId: d.id };
  } catch (e) {
    const again = await deps.documents.findByExternalId(SCAN_ACTOR, SCAN_SOURCE_SYSTEM, externalId);
    if (again) return { documentId: again.id };
    const reason = refusalReason(e);
    if (reason === null) throw e;
    return { reason };
  }
}

/** Records pages for the QA queue, each with its own content (one page) and thumbnail in the encrypted store. */
async function recordQa(
  deps: ScanningDeps,
  o: Opened,
  batchId: string,
  pages: readonly { page: number; reason: QaReason; sheetId?: string | null }[],
  dir: string,
  signal: AbortSignal,
): Promise<void> {
  for (const q of pages) {
    const one = await contentOf(deps, o, [q.page], dir, signal);
    const content = await deps.store.put(one.bytes);
    const thumb = await deps.store.put(await makeThumbnail(deps.tools, o.files.rasters[q.page - 1]!, path.join(dir, 'thumb.png'), signal));
    await repo.insertPages(deps.db, [
      pageRow(deps, batchId, q.page, PageStatus.qa, {
        reason: q.reason,
        sheet_id: q.sheetId ?? null,
        media_type: one.mediaType,
        content_sha256: content.sha256,
        thumbnail_sha256: thumb.sha256,
      }),
    ]);
  }
}

function pageRow(deps: ScanningDeps, batchId: string, page: number, status: PageStatus, over: Partial<repo.PageRow> = {}): repo.PageRow {
  return {
    id: newId(),
    batch_id: batchId,
    page,
    status,
    reason: null,
    sheet_id: null,
    document_id: null,
    media_type: null,
    content_sha256: null,
    thumbnail_sha256: null,
    resolved_by: null,
    resolved_at: null,
    resolution_note: null,
    created_at: isoNow(deps.clock),
    ...over,
  };
}

/** A file that is not a readable PDF or TIFF: kept whole (encrypted) as one QA item, page 0, to be discarded by hand. */
async function recordUnreadable(deps: ScanningDeps, batchId: string, bytes: Uint8Array, why: string): Promise<BatchOutcome> {
  const content = await deps.store.put(bytes);
  await repo.insertPages(deps.db, [
    pageRow(deps, batchId, 0, PageStatus.qa, {
      reason: QaReason.unreadableFile,
      media_type: 'application/octet-stream',
      content_sha256: content.sha256,
    }),
  ]);
  await repo.updateBatch(deps.db, batchId, { status: 'done', error: why, page_count: 0, finished_at: isoNow(deps.clock) });
  return { batchId, pages: 0, documents: [], qa: 1, unreadable: true };
}

/** Processes one claimed batch (the `scan.batch` job's work). */
export async function processBatch(deps: ScanningDeps, batchId: string, ctx: Ctx): Promise<BatchOutcome> {
  const batch = await repo.findBatch(deps.db, batchId);
  if (!batch) throw new PermanentJobError('scan batch not found');
  const done = await repo.pagesOfBatch(deps.db, batchId);
  if (batch.status === 'done') return summary(batchId, batch.page_count ?? 0, done);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(batch.stored_path));
  } catch {
    // The file is gone only after every page was recorded; anything else is a retry (a disk that came back).
    if (done.length > 0) return finish(deps, batchId, batch.page_count ?? done.length, done);
    throw new Error('the claimed batch file cannot be read');
  }
  await repo.updateBatch(deps.db, batchId, { status: 'processing' });
  const format = batchFormatOf(bytes);
  if (!format) return await afterUnreadable(batch, await recordUnreadable(deps, batchId, bytes, 'not a PDF or TIFF file'));
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'custodian-scan-'));
  try {
    let opened: Opened;
    try {
      const files = await renderPages(deps.tools, batch.stored_path, format, dir, ctx.signal);
      const pdf = format === 'pdf' ? await PDFDocument.load(bytes, { updateMetadata: false }) : null;
      if (files.rasters.length === 0 || (pdf && pdf.getPageCount() !== files.rasters.length)) throw new Error('page count');
      opened = { format, pdf, files };
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      return await afterUnreadable(batch, await recordUnreadable(deps, batchId, bytes, `the ${format.toUpperCase()} file cannot be read`));
    }
    const n = opened.files.rasters.length;
    await repo.updateBatch(deps.db, batchId, { format, page_count: n });
    const marks = [];
    for (let i = 0; i < n; i++) {
      marks.push(markOfPage(await readBarcodes(deps.tools, opened.files.rasters[i]!, ctx.signal)));
      if (i % 10 === 9) await ctx.progress((0.5 * (i + 1)) / n, `read barcodes of ${i + 1} of ${n} pages`);
    }
    await fileByPlan(deps, opened, batchId, planBatch(marks), dir, ctx);
    return await finish(deps, batchId, n, await repo.pagesOfBatch(deps.db, batchId));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function fileByPlan(deps: ScanningDeps, o: Opened, batchId: string, plan: BatchPlan, dir: string, ctx: Ctx): Promise<void> {
  const recorded = new Set((await repo.pagesOfBatch(deps.db, batchId)).map((p) => p.page));
  const list = await deps.records.openList(SCAN_ACTOR, { permission: Permission.documentWrite, resourceType: 'scan_cover_sheet' });
  await repo.insertPages(
    deps.db,
    plan.covers.filter((c) => !recorded.has(c.page)).map((c) => pageRow(deps, batchId, c.page, PageStatus.cover, { sheet_id: c.sheetId })),
  );
  const qa: { page: number; reason: QaReason; sheetId?: string | null }[] = plan.qa.filter((q) => !recorded.has(q.page));
  let doneParts = 0;
  for (const part of plan.parts) {
    doneParts++;
    if (part.pages.every((p) => recorded.has(p))) continue;
    const r = await filePart(deps, list, batchId, part, () => contentOf(deps, o, part.pages, dir, ctx.signal));
    if ('documentId' in r)
      await repo.insertPages(
        deps.db,
        part.pages.map((p) => pageRow(deps, batchId, p, PageStatus.filed, { sheet_id: part.sheetId, document_id: r.documentId })),
      );
    else qa.push(...part.pages.filter((p) => !recorded.has(p)).map((page) => ({ page, reason: r.reason, sheetId: part.sheetId })));
    await ctx.progress(0.5 + (0.4 * doneParts) / Math.max(1, plan.parts.length), `filed ${doneParts} of ${plan.parts.length} parts`);
  }
  await recordQa(deps, o, batchId, qa, dir, ctx.signal);
}

function summary(batchId: string, pages: number, rows: readonly repo.PageRow[]): BatchOutcome {
  const documents = [...new Set(rows.filter((r) => r.document_id && r.status === PageStatus.filed).map((r) => r.document_id!))];
  return {
    batchId,
    pages,
    documents,
    qa: rows.filter((r) => r.reason !== null).length,
    unreadable: rows.some((r) => r.page === 0),
  };
}

/** Every page recorded: the batch is done and its original file goes. */
async function finish(deps: ScanningDeps, batchId: string, pages: number, rows: readonly repo.PageRow[]): Promise<BatchOutcome> {
  const batch = await repo.findBatch(deps.db, batchId);
  if (rows.length < pages) throw new Error(`batch incomplete: ${rows.length} of ${pages} pages recorded`);
  await repo.updateBatch(deps.db, batchId, { status: 'done', finished_at: isoNow(deps.clock) });
  if (batch) await fs.rm(batch.stored_path, { force: true });
  return summary(batchId, pages, rows);
}

async function afterUnreadable(batch: repo.BatchRow, outcome: BatchOutcome): Promise<BatchOutcome> {
  // The whole file is kept (encrypted) with its QA item: the claimed copy may go.
  await fs.rm(batch.stored_path, { force: true });
  return outcome;
}

/** The job handler of `scan.batch` (payload `{ batchId }`). */
export function createScanBatchHandler(deps: ScanningDeps): JobHandler {
  return async (ctx) => {
    const batchId = typeof ctx.payload.batchId === 'string' ? ctx.payload.batchId : null;
    if (!batchId) throw new PermanentJobError('payload: batchId is required');
    return processBatch(deps, batchId, ctx);
  };
}
