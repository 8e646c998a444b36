import { PDFDocument } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { createDocumentsService, createTiffPageRenderer } from '../documents/index.js';
import { makeDocsWorld, makeImage, type DocsWorld } from '../documents/documents-fixtures.test-support.js';
import { FEDERAL_CLOCK_POLICY } from './roi.clock.rules.js';
import { releaseRoiRequest } from './roi.release.js';
import { createRoiRequest, selectDocuments } from './roi.service.js';
import type { RoiDeps } from './roi.views.js';

describe.each(engines)('a TIFF document in the release packet on %s', (engine) => {
  let t: TestDatabase;
  let w: DocsWorld;
  let deps: RoiDeps;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeDocsWorld(t);
    const documents = createDocumentsService({ ...w.deps, pageImages: createTiffPageRenderer('/usr/bin/convert') });
    deps = { ...w.deps, documents, pdftoppmPath: '/usr/bin/pdftoppm', roiClockPolicy: FEDERAL_CLOCK_POLICY };
  });
  afterEach(async () => {
    w.dispose();
    await t.dispose();
  });

  it('puts each page of a multi-page scanned TIFF on a packet page of its own, a redaction area on its page', async () => {
    const p = await w.patient();
    const tiff = await deps.documents.fileDocument(w.physician, {
      patientId: p.id,
      encounterId: p.encounterId,
      typeCode: 'OP',
      title: 'Scanned consent',
      source: 'upload',
      status: 'final',
      serviceAt: '2026-02-12T10:00:00Z',
      content: { bytes: await makeImage('tiff', 3), mediaType: 'image/tiff' },
    });
    const r = await createRoiRequest(deps, w.clerk, {
      patientId: p.id,
      requesterType: 'patient',
      requesterName: 'The patient',
      receivedOn: '2026-03-01',
      format: 'pdf',
      delivery: 'pickup',
    });
    await selectDocuments(deps, w.clerk, r.id, {
      documentIds: [tiff.id],
      redactions: { [tiff.id]: [{ page: 2, x: 0.1, y: 0.1, width: 0.5, height: 0.2 }] },
    });
    const { request, packet } = await releaseRoiRequest(deps, w.clerk, r.id);
    // The cover letter, then the three scanned pages.
    expect(request.packetPages).toBe(4);
    expect((await PDFDocument.load(packet)).getPageCount()).toBe(4);
  });
});
