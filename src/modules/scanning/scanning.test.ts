/**
 * The scan inbox end to end on real files and programs (pdftoppm, ImageMagick, zbarimg), on both engines: a batch
 * with cover sheets split into documents of the right patients, encounters and types; pages before the first sheet,
 * a sheet Custodian did not print and a corrupt file in the QA queue with their reasons; the QA pages filed by hand
 * or discarded; a job run again files nothing twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { createJobRunner } from '../jobs/index.js';
import { queryAuditEvents } from '../audit/index.js';
import { claimFile, createScanInbox, PROCESSING_FOLDER } from './scanning.inbox.js';
import { createScanBatchHandler, processBatch } from './scanning.batch.js';
import { discardQaPages, indexQaPages, listBatches, listQaPages, readQaThumbnail } from './scanning.qa.js';
import { encodeCoverToken, SCAN_BATCH_JOB_KIND } from './scanning.rules.js';
import { coverSheetPdf } from './cover-sheet.js';
import { dropIntoInbox, makeBatchPdf, makeScanWorld, pdfToTiff, type ScanWorld } from './scanning-fixtures.test-support.js';

const noProgress = { progress: async () => {}, signal: new AbortController().signal };

describe.each(engines)('scanning: the inbox on %s', (engine) => {
  let t: TestDatabase;
  let w: ScanWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeScanWorld(t);
  });
  afterEach(async () => {
    w.disposeScan();
    await t.dispose();
  });

  const runJobs = async () => {
    const runner = createJobRunner({ db: t.db, clock: w.deps.clock, handlers: { [SCAN_BATCH_JOB_KIND]: createScanBatchHandler(w.scan) } });
    let n = 0;
    while (await runner.runOnce()) n++;
    await runner.stop();
    return n;
  };
  const docsOf = (patientId: string) => w.docs.listForPatient(w.director, patientId);

  it('splits a batch at its cover sheets into documents of the right patients, encounters and types', async () => {
    const a = await w.patient({ familyName: 'Abernathy' });
    const b = await w.patient({ familyName: 'Brightwater' });
    const pdf = await makeBatchPdf([
      await w.sheet(a.id, 'DS', a.encounterId),
      'Discharge summary page one',
      'Discharge summary page two',
      await w.sheet(b.id, 'CONSENT'),
      'Consent to treatment',
      await w.sheet(a.id, 'PN'),
      'Progress note',
    ]);
    dropIntoInbox(w, 'batch-0001.pdf', pdf);
    const inbox = createScanInbox(w.scan, { stableMs: 0 });
    expect(await inbox.poll()).toEqual([]); // first look: not yet known to hold still
    const [batchId] = await inbox.poll();
    expect(batchId).toBeDefined();
    expect(fs.readdirSync(w.inbox).filter((f) => !f.startsWith('.'))).toEqual([]);
    expect(await runJobs()).toBe(1);

    const aDocs = await docsOf(a.id);
    expect(aDocs.map((d) => [d.typeCode, d.encounterId, d.pageCount]).sort()).toEqual([
      ['DS', a.encounterId, 2],
      ['PN', null, 1],
    ]);
    const bDocs = await docsOf(b.id);
    expect(bDocs.map((d) => [d.typeCode, d.pageCount])).toEqual([['CONSENT', 1]]);
    const ds = aDocs.find((d) => d.typeCode === 'DS')!;
    const content = await w.docs.readContent(w.director, ds.id);
    expect(content.mediaType).toBe('application/pdf');
    const [batch] = await listBatches(w.scan, w.clerk);
    expect(batch).toMatchObject({ id: batchId, status: 'done', pageCount: 7, filed: 4, qa: 0 });
    expect(await listQaPages(w.scan, w.clerk)).toEqual([]);
    // The original is gone once every page is recorded.
    expect(fs.readdirSync(path.join(w.inbox, PROCESSING_FOLDER))).toEqual([]);
  }, 60_000);

  it('files a TIFF batch as TIFF documents', async () => {
    const a = await w.patient();
    const tiff = await pdfToTiff(await makeBatchPdf([await w.sheet(a.id, 'RAD'), 'Chest radiograph', 'Second view']));
    const id = await claimFile(w.scan, dropIntoInbox(w, 'scan.tif', tiff));
    const r = await processBatch(w.scan, id, noProgress);
    expect(r).toMatchObject({ pages: 3, qa: 0 });
    const [d] = await docsOf(a.id);
    expect(d).toMatchObject({ typeCode: 'RAD', mediaType: 'image/tiff', pageCount: 2 });
  }, 60_000);

  it('sends pages before the first cover sheet, and the pages behind a sheet it did not print, to QA with the reason', async () => {
    const a = await w.patient();
    const forged = await coverSheetPdf({
      sheetId: '00000000-0000-7000-8000-000000000000',
      token: encodeCoverToken({ patientId: a.id, encounterId: null, typeCode: 'PN', sheetId: '00000000-0000-7000-8000-000000000000' }),
      patientName: 'X, Y',
      mrn: '1',
      dateOfBirth: null,
      encounter: null,
      typeName: 'Progress note',
      typeCode: 'PN',
      printedAt: '2026-03-10T08:00:00.000Z',
    });
    const pdf = await makeBatchPdf(['Stray page one', 'Stray page two', await w.sheet(a.id, 'PN'), 'Note', forged, 'Unknown sheet page']);
    const id = await claimFile(w.scan, dropIntoInbox(w, 'b.pdf', pdf));
    await processBatch(w.scan, id, noProgress);
    const qa = await listQaPages(w.scan, w.clerk);
    expect(qa.map((p) => [p.page, p.reason])).toEqual([
      [1, 'before_first_sheet'],
      [2, 'before_first_sheet'],
      [6, 'sheet_unknown'],
    ]);
    expect((await docsOf(a.id)).length).toBe(1);
    const png = await readQaThumbnail(w.scan, w.clerk, qa[0]!.id);
    expect(Buffer.from(png.subarray(1, 4)).toString()).toBe('PNG');
    const events = await queryAuditEvents(t.db, { userId: w.clerk.userId });
    expect(events.some((e) => e.resourceType === 'scan_page' && e.action === 'read')).toBe(true);

    // Index the two stray pages by hand as one document; discard the other with a reason.
    const d = await indexQaPages(w.scan, w.clerk, {
      pageIds: [qa[1]!.id, qa[0]!.id],
      patientId: a.id,
      encounterId: a.encounterId,
      typeCode: 'CN',
    });
    expect(d).toMatchObject({ typeCode: 'CN', encounterId: a.encounterId, pageCount: 2, patientId: a.id });
    await expect(indexQaPages(w.scan, w.clerk, { pageIds: [qa[0]!.id], patientId: a.id, typeCode: 'CN' })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await discardQaPages(w.scan, w.clerk, { pageIds: [qa[2]!.id], reason: 'sheet of another facility' })).toEqual({ discarded: 1 });
    expect(await listQaPages(w.scan, w.clerk)).toEqual([]);
    const discard = (await queryAuditEvents(t.db, { userId: w.clerk.userId })).filter((e) => e.action === 'delete');
    expect(discard.map((e) => e.resourceId)).toEqual([qa[2]!.id]);
  }, 60_000);

  it('refuses pages that are not consecutive, and a coder', async () => {
    const a = await w.patient();
    const id = await claimFile(w.scan, dropIntoInbox(w, 'c.pdf', await makeBatchPdf(['one', 'two', 'three'])));
    await processBatch(w.scan, id, noProgress);
    const qa = await listQaPages(w.scan, w.clerk);
    await expect(indexQaPages(w.scan, w.clerk, { pageIds: [qa[0]!.id, qa[2]!.id], patientId: a.id, typeCode: 'PN' })).rejects.toThrow(
      /consecutive/,
    );
    await expect(listQaPages(w.scan, w.coder)).rejects.toMatchObject({ code: 'forbidden' });
  }, 60_000);

  it('sends a corrupt file to QA whole, with the reason, and keeps it', async () => {
    const good = await makeBatchPdf(['x']);
    const corrupt = new Uint8Array([...good.subarray(0, 40), ...new Uint8Array(200).fill(7)]);
    const id = await claimFile(w.scan, dropIntoInbox(w, 'broken.pdf', corrupt));
    const id2 = await claimFile(w.scan, dropIntoInbox(w, 'notes.txt', new TextEncoder().encode('not a scan')));
    expect(await runJobs()).toBe(2);
    const qa = await listQaPages(w.scan, w.clerk);
    expect(qa.map((p) => [p.batchId, p.page, p.reason, p.hasThumbnail]).sort()).toEqual(
      [
        [id, 0, 'unreadable_file', false],
        [id2, 0, 'unreadable_file', false],
      ].sort(),
    );
    const row = await t.db.selectFrom('scan_pages').selectAll().where('batch_id', '=', id).executeTakeFirstOrThrow();
    expect(await w.scan.store.get(row.content_sha256!)).toEqual(corrupt);
    const batches = await listBatches(w.scan, w.clerk);
    expect(batches.find((b) => b.id === id)).toMatchObject({ status: 'done', error: 'the PDF file cannot be read' });
    expect(batches.find((b) => b.id === id2)).toMatchObject({ status: 'done', error: 'not a PDF or TIFF file' });
    await expect(indexQaPages(w.scan, w.clerk, { pageIds: [qa[0]!.id], patientId: 'x', typeCode: 'PN' })).rejects.toThrow(/discarded/);
  }, 60_000);

  it('files nothing twice when the batch job runs again', async () => {
    const a = await w.patient();
    const pdf = await makeBatchPdf(['stray', await w.sheet(a.id, 'PN'), 'Note one', await w.sheet(a.id, 'CN'), 'Consult']);
    const id = await claimFile(w.scan, dropIntoInbox(w, 'd.pdf', pdf));
    const stored = (await t.db.selectFrom('scan_batches').select('stored_path').where('id', '=', id).executeTakeFirstOrThrow()).stored_path;
    const copy = fs.readFileSync(stored);
    await processBatch(w.scan, id, noProgress);
    // As if the worker died after filing but before the batch was marked done: the file is back, the status too.
    fs.writeFileSync(stored, copy);
    await t.db.updateTable('scan_batches').set({ status: 'processing' }).where('id', '=', id).execute();
    const again = await processBatch(w.scan, id, noProgress);
    expect(again.documents.length).toBe(2);
    expect((await docsOf(a.id)).length).toBe(2);
    expect((await listQaPages(w.scan, w.clerk)).length).toBe(1);
  }, 60_000);

  it('claims a file only once it held still, leaves dot files and files still being written, and registers a file claimed before a crash', async () => {
    const inbox = createScanInbox(w.scan, { stableMs: 0 });
    const file = dropIntoInbox(w, 'growing.pdf', new Uint8Array(10));
    dropIntoInbox(w, '.hidden.pdf', new Uint8Array(10));
    dropIntoInbox(w, 'copying.pdf.part', new Uint8Array(10));
    expect(await inbox.poll()).toEqual([]);
    fs.appendFileSync(file, new Uint8Array(10)); // the scanner is still writing
    expect(await inbox.poll()).toEqual([]);
    const [id] = await inbox.poll();
    expect(fs.readdirSync(w.inbox).sort()).toEqual(['.hidden.pdf', '.processing', 'copying.pdf.part']);
    const batch = await t.db.selectFrom('scan_batches').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ status: 'queued', byte_size: 20, file_name: 'growing.pdf' });
    // Renamed into the processing folder, then the server died before the row was written: found at start.
    const orphan = '01a25000-0000-7000-8000-000000000001';
    fs.writeFileSync(path.join(w.inbox, PROCESSING_FOLDER, `${orphan}.pdf`), new Uint8Array(5));
    const restarted = createScanInbox(w.scan, { pollMs: 60_000 });
    await restarted.start();
    await restarted.stop();
    expect(await t.db.selectFrom('scan_batches').select('status').where('id', '=', orphan).executeTakeFirst()).toEqual({
      status: 'queued',
    });
    expect((await t.db.selectFrom('jobs').select('id').where('kind', '=', SCAN_BATCH_JOB_KIND).execute()).length).toBe(2);
  });

  it('files pages two clerks index at the same moment once; the other filing is entered in error', async () => {
    const a = await w.patient();
    const id = await claimFile(w.scan, dropIntoInbox(w, 'e.pdf', await makeBatchPdf(['one', 'two'])));
    await processBatch(w.scan, id, noProgress);
    const pageIds = (await listQaPages(w.scan, w.clerk)).map((p) => p.id);
    const input = { pageIds, patientId: a.id, typeCode: 'CORR' };
    const results = await Promise.allSettled([indexQaPages(w.scan, w.clerk, input), indexQaPages(w.scan, w.director, input)]);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
    const docs = (await docsOf(a.id)).filter((d) => d.typeCode === 'CORR');
    expect(docs.filter((d) => d.status !== 'entered_in_error').length).toBe(1);
    const pages = await t.db.selectFrom('scan_pages').select(['status', 'document_id']).where('batch_id', '=', id).execute();
    const live = docs.find((d) => d.status !== 'entered_in_error')!;
    expect(pages).toEqual([
      { status: 'indexed', document_id: live.id },
      { status: 'indexed', document_id: live.id },
    ]);
  }, 60_000);
});
