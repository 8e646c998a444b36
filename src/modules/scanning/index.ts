/** Intake scanning: barcoded cover sheets, the scan inbox and its `scan.batch` job, the QA queue. */
export {
  SCAN_BATCH_JOB_KIND,
  SCAN_SOURCE_SYSTEM,
  QaReason,
  PageStatus,
  encodeCoverToken,
  parseCoverToken,
  markOfPage,
  planBatch,
  type CoverToken,
  type BatchPlan,
} from './scanning.rules.js';
export type { ScanningDeps, BatchView, QaPageView } from './scanning.views.js';
export { printCoverSheet, coverSheetPdf, type CoverSheetFacts } from './cover-sheet.js';
export { processBatch, createScanBatchHandler, SCAN_ACTOR, type BatchOutcome } from './scanning.batch.js';
export { createScanInbox, claimFile, PROCESSING_FOLDER, type ScanInbox, type ScanInboxOptions } from './scanning.inbox.js';
export { listQaPages, listBatches, readQaThumbnail, indexQaPages, discardQaPages } from './scanning.qa.js';
export { findMissingScanTools, type ScanToolPaths } from './scanning.tools.js';
export { scanningRoutes } from './scanning.routes.js';
