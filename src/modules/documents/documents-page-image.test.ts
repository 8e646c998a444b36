/**
 * TIFF pages as PNG for the web viewer: each page of a multi-page TIFF rendered by ImageMagick in order, through
 * an audited, hash-verified content read; other types, pages past the end and a server without ImageMagick are
 * refused with the reason (both engines).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { createTiffPageRenderer } from './documents.page-image.js';
import { createDocumentsService } from './documents.service.js';
import { makeDocsWorld, makeImage, text, type DocsWorld } from './documents-fixtures.test-support.js';

const convert = '/usr/bin/convert';
const PNG = [0x89, 0x50, 0x4e, 0x47];

/** Width and height of a PNG (its IHDR chunk). */
function pngFacts(png: Uint8Array): { width: number; height: number } {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

describe.skipIf(!fs.existsSync(convert)).each(engines)('documents: TIFF page images on %s', (engine) => {
  let t: TestDatabase;
  let w: DocsWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeDocsWorld(t);
    w.deps.pageImages = createTiffPageRenderer(convert);
    w.docs = createDocumentsService(w.deps);
  });
  afterEach(async () => {
    w.dispose();
    await t.dispose();
  });

  it('renders each page of a multi-page TIFF as PNG, audited as a content read', async () => {
    const p = await w.patient();
    const d = await w.docs.fileDocument(w.clerk, {
      patientId: p.id,
      typeCode: 'OUTSIDE',
      source: 'scan',
      content: { bytes: await makeImage('tiff', 3), mediaType: 'image/tiff' },
    });
    for (const page of [1, 3]) {
      const png = await w.docs.renderPageImage(w.coder, d.id, 1, page);
      expect([...png.subarray(0, 4)]).toEqual(PNG);
      expect(pngFacts(png)).toEqual({ width: 32, height: 24 });
    }
    const reads = await t.db
      .selectFrom('audit_events')
      .select(['resource_type', 'outcome'])
      .where('resource_id', '=', d.id)
      .where('action', '=', 'read')
      .execute();
    expect(reads.filter((r) => r.resource_type === 'document_content' && r.outcome === 'success')).toHaveLength(2);
    // A thumbnail keeps the page's shape within 200 pixels.
    const big = await w.docs.fileDocument(w.clerk, {
      patientId: p.id,
      typeCode: 'OUTSIDE',
      source: 'scan',
      content: { bytes: new Uint8Array(execFileSync(convert, ['-size', '600x400', 'xc:white', 'tiff:-'])), mediaType: 'image/tiff' },
    });
    expect(pngFacts(await w.docs.renderPageImage(w.coder, big.id, 1, 1, 'thumb'))).toEqual({ width: 200, height: 133 });
    expect(pngFacts(await w.docs.renderPageImage(w.coder, big.id, 1, 1))).toEqual({ width: 600, height: 400 });
    await expect(w.docs.renderPageImage(w.coder, d.id, 1, 4)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a document that is not a TIFF, and says so when the server cannot render', async () => {
    const p = await w.patient();
    const note = await w.docs.fileDocument(w.clerk, {
      patientId: p.id,
      typeCode: 'PN',
      source: 'upload',
      content: { bytes: text('Progress note.'), mediaType: 'text/plain' },
    });
    await expect(w.docs.renderPageImage(w.coder, note.id, 1, 1)).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('TIFF documents only'),
    });
    const tiff = await w.docs.fileDocument(w.clerk, {
      patientId: p.id,
      typeCode: 'OUTSIDE',
      source: 'scan',
      content: { bytes: await makeImage('tiff'), mediaType: 'image/tiff' },
    });
    const { pageImages: _, ...without } = w.deps;
    await expect(createDocumentsService(without).renderPageImage(w.coder, tiff.id, 1, 1)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('ImageMagick'),
    });
  });
});
