/**
 * A scanned page filed as a document is queued for OCR in the filing transaction; the job runner reads it with the
 * real engine and saves its text and word boxes, after which the words are found by search (both engines).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { ocrToolPaths, renderPage } from '../../../test/support/ocr-pages.js';
import { createJobRunner } from '../jobs/index.js';
import { createOcrEngine, createOcrJobHandler, findMissingOcrTools, OCR_JOB_KIND, type OcrEngine } from '../ocr/index.js';
import { documentsOcrJobDeps } from './documents.ocr.js';
import { makeDocsWorld, type DocsWorld } from './documents-fixtures.test-support.js';

const paths = ocrToolPaths();
const skip = findMissingOcrTools(paths).length > 0 && !process.env.CI;

describe.skipIf(skip).each(engines)('documents: OCR of scanned pages on %s', (engine) => {
  let ocr: OcrEngine;
  let page: Uint8Array;
  let t: TestDatabase;
  let w: DocsWorld;
  beforeAll(async () => {
    ocr = createOcrEngine({ paths, workers: 1 });
    page = await renderPage('CONSULTATION\nSuspected sarcoidosis with hilar lymphadenopathy.', { heightFraction: 0.25 });
  }, 60_000);
  afterAll(() => ocr.close());
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeDocsWorld(t);
  });
  afterEach(async () => {
    w.dispose();
    await t.dispose();
  });

  it('makes a filed PNG page searchable once its OCR job ran, with word boxes for highlighting', async () => {
    const p = await w.patient();
    const d = await w.docs.fileDocument(w.clerk, {
      patientId: p.id,
      typeCode: 'CN',
      source: 'scan',
      content: { bytes: page, mediaType: 'image/png' },
    });
    expect(d.textSource).toBe('ocr_pending');
    const job = await t.db.selectFrom('jobs').selectAll().where('kind', '=', OCR_JOB_KIND).executeTakeFirstOrThrow();
    expect(JSON.parse(job.payload)).toEqual({ documentId: d.id, version: 1 });
    expect((await w.docs.search(w.coder, { words: 'sarcoidosis' })).hits).toEqual([]);

    const runner = createJobRunner({
      db: t.db,
      clock: w.deps.clock,
      handlers: { [OCR_JOB_KIND]: createOcrJobHandler({ engine: ocr, ...documentsOcrJobDeps(w.deps) }) },
    });
    expect(await runner.runOnce()).toBe(true);
    await runner.stop();
    const done = await t.db.selectFrom('jobs').select(['status', 'result']).where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(done.status).toBe('succeeded');

    expect((await w.docs.getDocument(w.coder, d.id)).textSource).toBe('ocr');
    const hits = (await w.docs.search(w.coder, { words: 'sarcoidosis lymphadenopathy', patientId: p.id })).hits;
    expect(hits.map((h) => [h.documentId, h.page])).toEqual([[d.id, 1]]);
    expect(hits[0]!.snippet.toLowerCase()).toContain('<mark>sarcoidosis</mark>');
    const [pg] = await w.docs.listPages(w.coder, d.id, 1);
    expect(pg!.source).toBe('ocr');
    expect(pg!.confidence).toBeGreaterThan(0.5);
    const box = pg!.words.find((x) => x.text.toLowerCase().startsWith('sarcoidosis'))!;
    expect(box.x).toBeGreaterThan(0);
    expect(box.x + box.w).toBeLessThanOrEqual(1);
    expect(box.y + box.h).toBeLessThanOrEqual(1);
  }, 120_000);
});
