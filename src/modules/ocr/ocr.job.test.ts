/**
 * The `document.ocr` job on the real queue (both engines) with the real OCR engine: the owner's load and save are
 * plain maps here, standing in for the documents module's blob store and page-text table.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { CLINICAL_PAGES, ocrToolPaths, renderPage } from '../../../test/support/ocr-pages.js';
import { manualClock } from '../../core/shared/clock.js';
import { createJobRunner, enqueueJob } from '../jobs/index.js';
import { createOcrEngine, createOcrJobHandler, findMissingOcrTools, OCR_JOB_KIND, type OcrEngine, type OcrResult } from './index.js';

const paths = ocrToolPaths();
const skip = findMissingOcrTools(paths).length > 0 && !process.env.CI;

describe.skipIf(skip).each(engines)('the document.ocr job on %s', (dbEngine) => {
  let ocr: OcrEngine;
  let t: TestDatabase;
  const contents = new Map<string, { bytes: Uint8Array; mediaType: string }>();
  const saved = new Map<string, OcrResult>();
  const clock = manualClock('2026-03-01T08:00:00Z');

  beforeAll(async () => {
    ocr = createOcrEngine({ paths, workers: 2 });
    const text = CLINICAL_PAGES[0]!.split('\n').slice(0, 2).join('\n');
    contents.set('v1', { bytes: await renderPage(text, { heightFraction: 0.3 }), mediaType: 'image/png' });
    contents.set('v2', { bytes: new TextEncoder().encode('a text file filed as a scan'), mediaType: 'image/tiff' });
  }, 60_000);
  afterAll(() => ocr.close());
  beforeEach(async () => {
    t = await createTestDatabase(dbEngine);
    saved.clear();
  });
  afterEach(() => t.dispose());

  const runner = () =>
    createJobRunner({
      db: t.db,
      clock,
      handlers: {
        [OCR_JOB_KIND]: createOcrJobHandler({
          engine: ocr,
          loadContent: async (payload) => contents.get(String(payload.versionId))!,
          saveText: async (payload, result) => void saved.set(String(payload.versionId), result),
        }),
      },
    });
  const row = (id: string) => t.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('reads the content, saves each page, and keeps counts, not text, as the result', async () => {
    const job = await enqueueJob(t.db, clock, { kind: OCR_JOB_KIND, payload: { versionId: 'v1' } });
    expect(await runner().runOnce()).toBe(true);
    const done = await row(job.id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, progress_note: 'page 1 of 1' });
    expect(Number(done.progress)).toBe(1);
    const result = JSON.parse(done.result!) as { pages: number; meanConfidence: number };
    expect(result.pages).toBe(1);
    expect(result.meanConfidence).toBeGreaterThan(0.8);
    expect(Object.keys(result)).toEqual(['pages', 'meanConfidence']);
    expect(saved.get('v1')!.pages[0]!.text.split('\n')[0]).toBe('DISCHARGE SUMMARY');
  }, 60_000);

  it('fails at once, without retrying, on content that cannot be read', async () => {
    const job = await enqueueJob(t.db, clock, { kind: OCR_JOB_KIND, payload: { versionId: 'v2' }, maxAttempts: 5 });
    expect(await runner().runOnce()).toBe(true);
    expect(await row(job.id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'not a PDF, TIFF, PNG or JPEG file' });
    expect(saved.size).toBe(0);
  });
});
