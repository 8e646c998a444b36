import { inflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { createDocumentsService, createTiffPageRenderer } from '../documents/index.js';
import { pdfTextPages } from '../documents/index.js';
import { makeDocsWorld, makeImage, makeTextPdf, type DocsWorld } from '../documents/documents-fixtures.test-support.js';
import { findSsnAreas, ssnAreasFromBbox } from './roi.identifiers.js';
import { FEDERAL_CLOCK_POLICY } from './roi.clock.rules.js';
import { releaseRoiRequest } from './roi.release.js';
import { createRoiRequest, selectDocuments } from './roi.service.js';
import type { RoiDeps } from './roi.views.js';

/** The file's raw bytes and its inflated streams (where text would hide). */
function everythingIn(pdf: Uint8Array): string {
  const raw = Buffer.from(pdf);
  const s = raw.toString('latin1');
  const parts = [s];
  for (let at = s.indexOf('stream'); at !== -1; at = s.indexOf('stream', at + 6)) {
    const start = s[at + 6] === '\r' ? at + 8 : at + 7;
    const end = s.indexOf('endstream', start);
    if (end === -1) break;
    try {
      parts.push(inflateSync(raw.subarray(start, end)).toString('latin1'));
    } catch {
      // not Flate
    }
  }
  return parts.join('\n');
}

describe('SSNs found in a PDF text layer', () => {
  it('answers each SSN word as an area of its page, padded, in fractions of the page from the top-left', () => {
    const html =
      '<page width="600.000000" height="800.000000"><word xMin="100.000000" yMin="80.000000" xMax="160.000000" yMax="90.000000">SSN:</word>' +
      '<word xMin="170.000000" yMin="80.000000" xMax="230.000000" yMax="90.000000">123-45-6789,</word></page>' +
      '<page width="600.000000" height="800.000000"><word xMin="1" yMin="1" xMax="2" yMax="2">12-345-6789</word></page>';
    const [a, ...rest] = ssnAreasFromBbox(html);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ page: 1 });
    expect(a!.x).toBeCloseTo(168.5 / 600, 6);
    expect(a!.y).toBeCloseTo(78.5 / 800, 6);
    expect(a!.width).toBeCloseTo(63 / 600, 6);
    expect(a!.height).toBeCloseTo(13 / 800, 6);
  });

  it('finds the SSN on the second page of a real PDF', async () => {
    const areas = await findSsnAreas('/usr/bin/pdftotext', await makeTextPdf(['No identifiers here', 'Patient SSN 123-45-6789 on file']));
    expect(areas.map((x) => x.page)).toEqual([2]);
  });
});

describe.each(engines)('scanned and PDF documents in the release packet on %s', (engine) => {
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

  it('burns in an SSN of a PDF document’s text layer without anyone drawing the area', async () => {
    const p = await w.patient();
    const pdf = await deps.documents.fileDocument(w.physician, {
      patientId: p.id,
      encounterId: p.encounterId,
      typeCode: 'OP',
      title: 'Operative report',
      source: 'upload',
      status: 'final',
      serviceAt: '2026-02-12T10:00:00Z',
      content: { bytes: await makeTextPdf(['Operative report', 'Patient SSN 123-45-6789 verified']), mediaType: 'application/pdf' },
    });
    const r = await createRoiRequest(deps, w.clerk, {
      patientId: p.id,
      requesterType: 'patient',
      requesterName: 'The patient',
      receivedOn: '2026-03-01',
      format: 'pdf',
      delivery: 'pickup',
    });
    await selectDocuments(deps, w.clerk, r.id, { documentIds: [pdf.id] });
    const { packet } = await releaseRoiRequest(deps, w.clerk, r.id);
    const text = (await pdfTextPages(packet)).map((x) => x.text).join('\n');
    expect(text).toContain('Operative report'); // the page without an SSN keeps its text layer
    expect(text).not.toContain('123-45-6789');
    expect(everythingIn(packet)).not.toContain('123-45-6789');
  });

  it('finds the identifiers ticked at release, the patient’s MRN among them, and records which in the audit', async () => {
    const p = await w.patient();
    const { mrn } = await t.db.selectFrom('patients').select('mrn').where('id', '=', p.id).executeTakeFirstOrThrow();
    const pdf = await deps.documents.fileDocument(w.physician, {
      patientId: p.id,
      encounterId: p.encounterId,
      typeCode: 'OP',
      title: 'Operative report',
      source: 'upload',
      status: 'final',
      serviceAt: '2026-02-12T10:00:00Z',
      content: {
        bytes: await makeTextPdf([`Operative report, MRN ${mrn}`, 'Call (555) 234-5678 or write jane@example.org']),
        mediaType: 'application/pdf',
      },
    });
    const r = await createRoiRequest(deps, w.clerk, {
      patientId: p.id,
      requesterType: 'patient',
      requesterName: 'The patient',
      receivedOn: '2026-03-01',
      format: 'pdf',
      delivery: 'pickup',
    });
    await selectDocuments(deps, w.clerk, r.id, { documentIds: [pdf.id] });
    const { packet } = await releaseRoiRequest(deps, w.clerk, r.id, { identifiers: ['mrn', 'phone'] });
    const text = (await pdfTextPages(packet)).map((x) => x.text).join('\n');
    expect(everythingIn(packet)).not.toContain(mrn);
    expect(everythingIn(packet)).not.toContain('234-5678');
    expect(text).not.toContain('234-5678');
    expect(text).toContain('Enclosed are copies'); // the cover letter keeps its text
    const audit = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'release')
      .where('resource_id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ identifiers: ['mrn', 'phone'] });
  });
});
