/**
 * Intake scanning for the restricted-record walk: pages waiting in the QA queue (a batch without a cover sheet, run
 * through the real inbox job), so that each walk step that files pages by hand to the restricted record has its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AppDeps } from '../../src/app/deps.js';
import { scanningDepsOf } from '../../src/app/modules.js';
import { claimFile, processBatch } from '../../src/modules/scanning/index.js';
import { makeTextPdf } from '../../src/modules/documents/documents-fixtures.test-support.js';

/** Text of the QA pages (no patient named: a page not yet in any record). */
export const QA_PAGE_TEXT = 'Scanned page awaiting indexing';

/** A new batch of `pages` pages without a cover sheet, processed: answers the ids of its QA pages, in page order. */
export async function makeQaPages(deps: AppDeps, pages = 1): Promise<string[]> {
  const scan = scanningDepsOf(deps);
  fs.mkdirSync(scan.inboxDir, { recursive: true });
  const file = path.join(scan.inboxDir, `walk-${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, await makeTextPdf(Array.from({ length: pages }, (_, i) => `${QA_PAGE_TEXT} ${i + 1}`)));
  const batchId = await claimFile(scan, file);
  await processBatch(scan, batchId, { progress: async () => {}, signal: new AbortController().signal });
  const rows = await deps.db.selectFrom('scan_pages').select(['id', 'page']).where('batch_id', '=', batchId).orderBy('page').execute();
  return rows.map((r) => r.id);
}
