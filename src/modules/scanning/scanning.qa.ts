/**
 * The QA queue: pages the inbox could not file (before the first cover sheet, a sheet that cannot be read or does
 * not match, a record not found or merged, a file that is not a readable PDF or TIFF). A clerk (document:write)
 * sees each page's thumbnail and reason, and either files consecutive pages of one batch as one document to a
 * patient, encounter and type (through the documents service: the record-access step, break-the-glass and the
 * audit of the filing are the documents module's), or discards them with a reason (audited). The list shows ids,
 * reasons and times only; the thumbnail, an image of a page not yet in any record, is an audited read.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { Permission, requirePermission, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import type { DocumentView } from '../documents/index.js';
import * as repo from './scanning.repository.js';
import { consecutiveProblem, DiscardPagesSchema, IndexPagesSchema, PageStatus } from './scanning.rules.js';
import { joinPdfs, joinTiffs } from './scanning.tools.js';
import { batchView, qaPageView, type BatchView, type QaPageView, type ScanningDeps } from './scanning.views.js';

function parse<T>(schema: z.ZodType<T>, v: unknown): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw invalid(`${issue.path.map(String).join('.') || 'body'}: ${issue.message}`);
}

const allowed = (deps: ScanningDeps, actor: Actor, type: string) =>
  actor.system ? Promise.resolve() : requirePermission(deps, actor, Permission.documentWrite, { type });

/** Pages waiting in the QA queue, oldest first. */
export async function listQaPages(deps: ScanningDeps, actor: Actor, opts: { limit?: number } = {}): Promise<QaPageView[]> {
  await allowed(deps, actor, 'scan_page');
  return (await repo.listQaPages(deps.db, Math.min(Math.max(opts.limit ?? 500, 1), 2000))).map(qaPageView);
}

/** The batches claimed from the inbox, newest first, with their counts. */
export async function listBatches(deps: ScanningDeps, actor: Actor, opts: { limit?: number } = {}): Promise<BatchView[]> {
  await allowed(deps, actor, 'scan_batch');
  return (await repo.listBatches(deps.db, Math.min(Math.max(opts.limit ?? 50, 1), 500))).map(batchView);
}

/** A QA page's thumbnail (PNG), an audited read. */
export async function readQaThumbnail(deps: ScanningDeps, actor: Actor, pageId: string): Promise<Uint8Array> {
  await allowed(deps, actor, 'scan_page');
  const [p] = await repo.findPages(deps.db, [pageId]);
  if (!p?.thumbnail_sha256 || p.status !== PageStatus.qa) throw notFound('page thumbnail');
  const bytes = await deps.store.get(p.thumbnail_sha256);
  await deps.db
    .transaction()
    .execute((trx) =>
      recordAudit(trx, deps.audit, actor, { action: AuditAction.read, resourceType: 'scan_page', resourceId: p.id, outcome: 'success' }),
    );
  return bytes;
}

/** The pages of a request, each waiting in QA, consecutive, of one batch. */
async function pagesToResolve(deps: ScanningDeps, ids: readonly string[]): Promise<repo.PageRow[]> {
  const unique = [...new Set(ids)];
  const rows = await repo.findPages(deps.db, unique);
  if (rows.length !== unique.length) throw notFound('page');
  const problem = consecutiveProblem(rows.map((r) => ({ batchId: r.batch_id, page: r.page, status: r.status })));
  if (problem) throw problem.includes('no longer') ? conflict(problem) : invalid(problem);
  return rows.sort((a, b) => a.page - b.page);
}

/** One file of the pages' stored content: a PDF of PDF pages, a TIFF of TIFF pages. */
async function joinedContent(deps: ScanningDeps, rows: readonly repo.PageRow[]): Promise<{ bytes: Uint8Array; mediaType: string }> {
  const types = new Set(rows.map((r) => r.media_type));
  const parts = await Promise.all(rows.map((r) => deps.store.get(r.content_sha256!)));
  if (types.size === 1 && types.has('application/pdf')) return { bytes: await joinPdfs(parts), mediaType: 'application/pdf' };
  if (types.size === 1 && types.has('image/tiff')) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'custodian-scan-qa-'));
    try {
      const files = [];
      for (const [i, b] of parts.entries()) {
        const f = path.join(dir, `p-${String(i).padStart(5, '0')}.tif`);
        await fs.writeFile(f, b);
        files.push(f);
      }
      return { bytes: await joinTiffs(deps.tools, files, dir), mediaType: 'image/tiff' };
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  throw invalid('pageIds: the pages are of different kinds');
}

/**
 * Files consecutive QA pages of one batch as one document of a patient (and encounter) and type, by hand. The
 * documents service opens the record (document:write; break-the-glass for a restricted record) and audits the
 * filing; the pages are then marked indexed with the document's id.
 */
export async function indexQaPages(deps: ScanningDeps, actor: Actor, input: unknown): Promise<DocumentView> {
  const m = parse(IndexPagesSchema, input);
  await allowed(deps, actor, 'scan_page');
  const rows = await pagesToResolve(deps, m.pageIds);
  const content = await joinedContent(deps, rows);
  const first = rows[0]!;
  const doc = await deps.documents.fileDocument(actor, {
    patientId: m.patientId,
    encounterId: m.encounterId ?? null,
    typeCode: m.typeCode,
    title: m.title ?? null,
    source: 'scan',
    content: { ...content, fileName: `scan-${first.batch_id}-p${first.page}.${content.mediaType === 'application/pdf' ? 'pdf' : 'tif'}` },
  });
  const ids = rows.map((r) => r.id);
  const marked = await deps.db
    .transaction()
    .execute(async (trx) => {
      const n = await repo.resolvePages(trx, ids, {
        status: PageStatus.indexed,
        document_id: doc.id,
        resolved_by: actor.userId,
        resolved_at: isoNow(deps.clock),
        resolution_note: null,
      });
      if (n < ids.length) throw conflict('pageIds: these pages were filed or discarded by someone else at the same time');
      return n;
    })
    .catch((e: unknown) => e);
  if (marked instanceof Error) {
    // Another clerk filed or discarded (some of) these pages at the same moment: this filing is the duplicate, and
    // the record keeps it only as entered in error (never deleted: the legal health record keeps what was filed).
    await deps.documents.setStatus(actor, doc.id, 'entered_in_error', 'scanned pages filed twice at the same time (QA queue)');
    throw marked;
  }
  return doc;
}

/** Discards QA pages with a reason (a blank page, a duplicate scan, a page of another facility): audited. */
export async function discardQaPages(deps: ScanningDeps, actor: Actor, input: unknown): Promise<{ discarded: number }> {
  const m = parse(DiscardPagesSchema, input);
  await allowed(deps, actor, 'scan_page');
  const unique = [...new Set(m.pageIds)];
  const rows = await repo.findPages(deps.db, unique);
  if (rows.length !== unique.length) throw notFound('page');
  if (rows.some((r) => r.status !== PageStatus.qa)) throw conflict('pageIds: a page is no longer waiting in the QA queue');
  return deps.db.transaction().execute(async (trx) => {
    const n = await repo.resolvePages(trx, unique, {
      status: PageStatus.discarded,
      document_id: null,
      resolved_by: actor.userId,
      resolved_at: isoNow(deps.clock),
      resolution_note: m.reason,
    });
    if (n !== unique.length) throw conflict('pageIds: a page is no longer waiting in the QA queue');
    for (const r of rows)
      await recordAudit(trx, deps.audit, actor, {
        action: AuditAction.delete,
        resourceType: 'scan_page',
        resourceId: r.id,
        outcome: 'success',
        detail: { batchId: r.batch_id, page: r.page, reason: r.reason },
      });
    return { discarded: n };
  });
}
