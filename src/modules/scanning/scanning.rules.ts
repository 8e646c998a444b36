/**
 * Pure rules of intake scanning: the cover-sheet token, telling a batch's format from its bytes, and splitting a
 * batch at its cover sheets into parts to file and pages for the QA queue. No I/O.
 */
import { z } from 'zod';

/** The token a cover sheet's QR code carries: `CUST1|<patient id>|<encounter id or empty>|<type code>|<sheet id>`. */
export const TOKEN_PREFIX = 'CUST1';
/** The Code 128 on a cover sheet carries the sheet id alone, after this prefix (a fallback when the QR is damaged). */
export const SHEET_CODE_PREFIX = 'CUSTS:';

/** The job that processes one claimed batch (payload `{ batchId }`). */
export const SCAN_BATCH_JOB_KIND = 'scan.batch';

/** The source system of documents filed from scanned batches (their external id: `<batch id>:<first page>`). */
export const SCAN_SOURCE_SYSTEM = 'scan-inbox';

export interface CoverToken {
  patientId: string;
  encounterId: string | null;
  typeCode: string;
  sheetId: string;
}

export function encodeCoverToken(t: CoverToken): string {
  return [TOKEN_PREFIX, t.patientId, t.encounterId ?? '', t.typeCode, t.sheetId].join('|');
}

const idPart = /^[A-Za-z0-9-]{1,64}$/;
const typePart = /^[A-Za-z0-9_-]{1,32}$/;

/** A decoded QR text as a cover token, or null when it is not one (a text that merely starts with the prefix too). */
export function parseCoverToken(text: string): CoverToken | null {
  const parts = text.trim().split('|');
  if (parts.length !== 5 || parts[0] !== TOKEN_PREFIX) return null;
  const [, patientId, encounterId, typeCode, sheetId] = parts as [string, string, string, string, string];
  if (!idPart.test(patientId) || !idPart.test(sheetId) || !typePart.test(typeCode)) return null;
  if (encounterId !== '' && !idPart.test(encounterId)) return null;
  return { patientId, encounterId: encounterId === '' ? null : encounterId, typeCode, sheetId };
}

/** What the barcodes read on one page say about it. */
export type PageMark =
  | { kind: 'content' }
  /** A cover sheet whose token (or sheet code) was read: the sheet id, and the token when the QR was read. */
  | { kind: 'sheet'; sheetId: string; token: string | null }
  /** A page with our prefix in a barcode that does not parse: a damaged or foreign cover sheet. */
  | { kind: 'bad_sheet' };

/** Classifies a page by the barcode texts zbarimg read on it. */
export function markOfPage(codes: readonly string[]): PageMark {
  for (const c of codes) {
    const t = parseCoverToken(c);
    if (t) return { kind: 'sheet', sheetId: t.sheetId, token: c.trim() };
  }
  for (const c of codes) {
    const v = c.trim();
    if (v.startsWith(SHEET_CODE_PREFIX) && idPart.test(v.slice(SHEET_CODE_PREFIX.length)))
      return { kind: 'sheet', sheetId: v.slice(SHEET_CODE_PREFIX.length), token: null };
  }
  if (codes.some((c) => c.trim().startsWith(TOKEN_PREFIX) || c.trim().startsWith(SHEET_CODE_PREFIX))) return { kind: 'bad_sheet' };
  return { kind: 'content' };
}

/** Why a page waits in the QA queue (stable codes; the screen words them). */
export const QaReason = {
  beforeFirstSheet: 'before_first_sheet',
  sheetUnreadable: 'sheet_unreadable',
  sheetUnknown: 'sheet_unknown',
  sheetMismatch: 'sheet_mismatch',
  recordNotFound: 'record_not_found',
  recordMerged: 'record_merged',
  filingFailed: 'filing_failed',
  unreadableFile: 'unreadable_file',
} as const;
export type QaReason = (typeof QaReason)[keyof typeof QaReason];

export const qaReasonText: Record<QaReason, string> = {
  before_first_sheet: 'pages before the first cover sheet of the batch',
  sheet_unreadable: 'the cover sheet barcode could not be read',
  sheet_unknown: 'the cover sheet is not one Custodian printed',
  sheet_mismatch: 'the cover sheet barcode does not match the sheet printed',
  record_not_found: "the cover sheet's patient or encounter was not found",
  record_merged: "the cover sheet's patient was merged into another record",
  filing_failed: 'the pages could not be filed',
  unreadable_file: 'the file is not a readable PDF or TIFF',
};

/** What happens to one page of a batch. */
export const PageStatus = {
  filed: 'filed',
  cover: 'cover',
  qa: 'qa',
  indexed: 'indexed',
  discarded: 'discarded',
} as const;
export type PageStatus = (typeof PageStatus)[keyof typeof PageStatus];

/** A batch's plan: the cover sheet pages, the parts to file (each behind one sheet) and the pages for QA. */
export interface BatchPlan {
  covers: { page: number; sheetId: string; token: string | null }[];
  /** Consecutive pages behind a readable cover sheet (the sheet itself excluded), to verify and file. */
  parts: { sheetId: string; token: string | null; sheetPage: number; pages: number[] }[];
  /** Pages for the QA queue, with the reason. A part whose sheet fails verification joins it later. */
  qa: { page: number; reason: QaReason }[];
}

/**
 * Splits a batch at its cover sheets (pages 1..n, in order). Pages before the first sheet go to QA; a sheet whose
 * barcode does not parse sends itself and the pages behind it to QA (sheet_unreadable): they cannot be told apart
 * from the part before. A sheet with nothing behind it files nothing.
 */
export function planBatch(marks: readonly PageMark[]): BatchPlan {
  const plan: BatchPlan = { covers: [], parts: [], qa: [] };
  let current: { kind: 'none' } | { kind: 'part'; index: number } | { kind: 'bad' } = { kind: 'none' };
  marks.forEach((m, i) => {
    const page = i + 1;
    if (m.kind === 'sheet') {
      plan.covers.push({ page, sheetId: m.sheetId, token: m.token });
      plan.parts.push({ sheetId: m.sheetId, token: m.token, sheetPage: page, pages: [] });
      current = { kind: 'part', index: plan.parts.length - 1 };
    } else if (m.kind === 'bad_sheet') {
      plan.qa.push({ page, reason: QaReason.sheetUnreadable });
      current = { kind: 'bad' };
    } else if (current.kind === 'part') plan.parts[current.index]!.pages.push(page);
    else plan.qa.push({ page, reason: current.kind === 'bad' ? QaReason.sheetUnreadable : QaReason.beforeFirstSheet });
  });
  plan.parts = plan.parts.filter((p) => p.pages.length > 0);
  return plan;
}

/** A batch file's format from its first bytes: PDF (`%PDF-`), TIFF (`II*\0` or `MM\0*`), or null. */
export function batchFormatOf(head: Uint8Array): 'pdf' | 'tiff' | null {
  const s = String.fromCharCode(...head.subarray(0, 5));
  if (s === '%PDF-') return 'pdf';
  if (
    (head[0] === 0x49 && head[1] === 0x49 && head[2] === 0x2a && head[3] === 0) ||
    (head[0] === 0x4d && head[1] === 0x4d && head[2] === 0 && head[3] === 0x2a)
  )
    return 'tiff';
  return null;
}

/** Pages indexed by hand must be consecutive pages of one batch, each still waiting in QA. */
export function consecutiveProblem(pages: readonly { batchId: string; page: number; status: string }[]): string | null {
  if (pages.length === 0) return 'pageIds: give at least one page';
  if (pages.some((p) => p.status !== PageStatus.qa)) return 'pageIds: a page is no longer waiting in the QA queue';
  if (new Set(pages.map((p) => p.batchId)).size > 1) return 'pageIds: the pages must come from one batch';
  if (pages.some((p) => p.page === 0)) return 'pageIds: a file that could not be read cannot be filed, only discarded';
  const sorted = [...pages].sort((a, b) => a.page - b.page);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.page !== sorted[i - 1]!.page + 1) return 'pageIds: the pages must be consecutive pages of the batch';
  return null;
}

const Id = z.string().min(1).max(64);

export const CoverSheetSchema = z.object({
  patientId: Id,
  encounterId: Id.nullish(),
  typeCode: z.string().min(1).max(32),
});

export const IndexPagesSchema = z.object({
  pageIds: z.array(Id).min(1).max(500),
  patientId: Id,
  encounterId: Id.nullish(),
  typeCode: z.string().min(1).max(32),
  title: z.string().min(1).max(200).nullish(),
});
export type IndexPagesInput = z.infer<typeof IndexPagesSchema>;

export const DiscardPagesSchema = z.object({
  pageIds: z.array(Id).min(1).max(500),
  reason: z.string().trim().min(3).max(500),
});
