/**
 * The legal health record in a real browser: an HIM clerk opens a patient's chart (documents by encounter and type),
 * files two files chosen with the file picker (a scanned page as PNG and a text note) with a result per file, the
 * scanned page is read by the OCR job runner, a search within the record finds its words, and the viewer shows the
 * hit marked on the page image from the OCR word boxes; a discharge summary PDF is drawn by pdf.js with the search
 * terms marked in its text layer. Real server on an ephemeral port, fresh SQLite database with the demo hospital
 * (its documents filed by the demo seed), Debian's Chromium through playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppJobRunner } from '../../src/app/bootstrap.js';
import { documentsDepsOf } from '../../src/app/modules.js';
import { Role, systemActor } from '../../src/modules/access/index.js';
import { makeImage } from '../../src/modules/documents/documents-fixtures.test-support.js';
import { createDocumentsService } from '../../src/modules/documents/index.js';
import { repoRoot } from '../../src/config/config.js';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';

const title = browserSuiteTitle('documents in the browser');
const convert = '/usr/bin/convert';

/** Newest modification time of the files under a folder. */
function newestMtime(folder: string): number {
  let newest = 0;
  for (const e of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

/** True when the built web app (served by the server as built) is newer than every web source file. */
function webBuildIsFresh(): boolean {
  const index = path.join(repoRoot, 'dist', 'web', 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newestMtime(path.join(repoRoot, 'web', 'src'));
}

describe.skipIf(!hasChromium || !existsSync(convert))(title, () => {
  let started: DemoServer | undefined;
  let server: DemoServer;
  let browser: Browser;
  let baseUrl: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'custodian-docs-browser-'));

  beforeAll(async () => {
    started = await startDemoServer({ patients: 2, isBuilt: webBuildIsFresh });
    server = started;
    ({ browser, baseUrl } = server);
  }, 180_000);

  afterAll(async () => {
    await started?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the queued OCR jobs (the demo's scanned consents and the uploaded page) as `serve` would. */
  async function runOcrJobs(): Promise<void> {
    const runner = createAppJobRunner(server.deps);
    try {
      while (await runner.runOnce()) {
        /* the next job */
      }
    } finally {
      await runner.stop();
    }
  }

  async function openChart(page: Page, patientId: string): Promise<void> {
    await page.goto(`${baseUrl}/patients/${patientId}`);
    await page.getByRole('link', { name: 'Chart documents' }).waitFor();
    await expectAccessible(page, 'Patient summary');
    await page.getByRole('link', { name: 'Chart documents' }).click();
    await page.getByRole('tablist', { name: 'Encounters' }).waitFor();
    await expectAccessible(page, 'Chart documents');
  }

  it('files two chosen files with a result each, finds the scanned words and marks them on the page image', async () => {
    const { db } = server.deps;
    const patient = await db
      .selectFrom('patients as p')
      .innerJoin('encounters as e', 'e.patient_id', 'p.id')
      .select(['p.id', 'e.id as encounterId', 'e.account_number as account'])
      .orderBy('p.mrn')
      .orderBy('e.admit_at', 'desc')
      .executeTakeFirstOrThrow();
    const png = path.join(dir, 'bronchoscopy-scan.png');
    execFileSync(convert, [
      '-density',
      '150',
      '-size',
      '1100x',
      '-pointsize',
      '16',
      '-background',
      'white',
      'caption:OUTSIDE BRONCHOSCOPY REPORT\n\nFindings are consistent with sarcoidosis of the mediastinal lymph nodes.',
      '-bordercolor',
      'white',
      '-border',
      '75',
      '-colorspace',
      'Gray',
      `png:${png}`,
    ]);
    const txt = path.join(dir, 'phone-note.txt');
    writeFileSync(txt, 'Telephone note: patient asked about warfarin dosing before the procedure.\n');
    const bad = path.join(dir, 'viewer-setup.bin');
    writeFileSync(bad, Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0xff, 0xfe]));

    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, server.user('him_clerk'));
      await openChart(page, patient.id);
      // The demo chart: its documents under the encounter tabs by type, the scanned consent without an encounter.
      const tabs = page.getByRole('tablist', { name: 'Encounters' }).getByRole('tab');
      expect(await tabs.first().textContent()).toContain(patient.account);
      const panel = page.getByRole('tabpanel');
      await panel.getByRole('region', { name: 'Discharge summary' }).waitFor();
      await panel.getByRole('region', { name: 'Progress note' }).waitFor();
      await tabs.filter({ hasText: 'Not linked to an encounter' }).click();
      await panel.getByRole('region', { name: 'Consent' }).getByRole('link', { name: 'Consent for treatment' }).waitFor();

      // Two files by the file picker, filed on the newest encounter as outside records.
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Choose files…' }).click();
      await (await chooser).setFiles([png, txt, bad]);
      const files = page.getByRole('table', { name: 'Files to file' });
      await files.getByText('bronchoscopy-scan.png').waitFor();
      await files.getByText('phone-note.txt').waitFor();
      const upload = page.getByRole('region', { name: 'File documents' });
      await upload.getByLabel('Document type').selectOption({ label: 'Outside records' });
      await upload.getByLabel('Encounter').selectOption(patient.encounterId);
      await upload.getByRole('button', { name: 'File documents' }).click();
      await files.locator('tr[data-state="filed"]', { hasText: 'bronchoscopy-scan.png' }).waitFor();
      await files.locator('tr[data-state="filed"]', { hasText: 'phone-note.txt' }).waitFor();
      // A file of no accepted type is refused on its own, with the reason; the others are filed.
      await files.locator('tr[data-state="failed"]', { hasText: 'viewer-setup.bin' }).waitFor();
      expect(await files.locator('tbody tr').allTextContents()).toEqual([
        expect.stringMatching(/bronchoscopy-scan\.png.*100%.*Filed: bronchoscopy-scan$/),
        expect.stringMatching(/phone-note\.txt.*100%.*Filed: phone-note$/),
        expect.stringMatching(/viewer-setup\.bin.*Not filed: .+/),
      ]);
      const filed = await db
        .selectFrom('documents')
        .select(['id', 'type_code', 'encounter_id', 'source'])
        .where('patient_id', '=', patient.id)
        .where('type_code', '=', 'OUTSIDE')
        .execute();
      expect(filed).toHaveLength(2);
      expect(filed.every((d) => d.encounter_id === patient.encounterId && d.source === 'upload')).toBe(true);

      // The chart lists them under the encounter, by type (it reloaded after filing).
      await tabs.first().click();
      const outside = panel.getByRole('region', { name: 'Outside records' });
      await outside.getByRole('link', { name: 'bronchoscopy-scan' }).waitFor();
      await outside.getByRole('link', { name: 'phone-note' }).waitFor();

      // The scanned page has no text until the OCR job reads it.
      await runOcrJobs();
      const search = page.getByRole('region', { name: 'Search this record' });
      await search.getByLabel('Words in the documents').fill('sarcoidosis');
      await search.getByRole('button', { name: 'Search' }).click();
      const hits = search.getByRole('list', { name: 'Search results' });
      const hit = hits.getByRole('listitem').filter({ hasText: 'bronchoscopy-scan' });
      await hit.waitFor();
      expect(await hit.locator('mark').allTextContents()).toEqual([expect.stringMatching(/^sarcoidosis$/i)]);
      // Search words never reach the address bar.
      await hit.getByRole('button', { name: 'bronchoscopy-scan' }).click();
      await page.getByRole('heading', { name: /bronchoscopy-scan/ }).waitFor();
      await expectAccessible(page, 'Document viewer, a scanned page');
      expect(page.url()).not.toContain('sarcoidosis');

      // The hit is marked on the page image where the OCR found the word.
      const image = page.getByTestId('page-image');
      const box = image.getByTestId('hit-box');
      await box.first().waitFor();
      expect(await box.count()).toBe(1);
      const frame = (await image.boundingBox())!;
      const mark = (await box.first().boundingBox())!;
      expect(mark.width).toBeGreaterThan(20);
      expect(mark.x).toBeGreaterThanOrEqual(frame.x);
      expect(mark.y + mark.height).toBeLessThanOrEqual(frame.y + frame.height);
      // Turned a quarter, the mark follows the word: the frame is now wider than tall and the mark taller than wide.
      await page.getByRole('button', { name: 'Rotate right' }).click();
      await expect.poll(async () => (await box.first().boundingBox())!.height).toBeGreaterThan(mark.height + 10);
      await page.getByRole('button', { name: 'Zoom in' }).click();
      expect(await page.getByTestId('zoom').textContent()).toBe('125%');

      // The text note, found by the whole-record search, shows its text with the word marked.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Documents' }).click();
      await page.getByLabel('Words in the documents').fill('warfarin dosing');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('button', { name: 'phone-note' }).waitFor();
      await expectAccessible(page, 'Whole-record search results');
      await page.getByRole('button', { name: 'phone-note' }).click();
      const text = page.getByTestId('doc-text');
      await text.waitFor();
      expect(await text.locator('mark').allTextContents()).toEqual(['warfarin', 'dosing']);

      // Each view was an audited read of the record.
      const reads = await db
        .selectFrom('audit_events')
        .select(['resource_type'])
        .where('patient_id', '=', patient.id)
        .where('resource_type', 'in', ['document', 'document_content', 'document_text'])
        .execute();
      expect(new Set(reads.map((r) => r.resource_type))).toEqual(new Set(['document', 'document_content', 'document_text']));
    } finally {
      await page.close();
    }
  }, 180_000);

  it('draws a discharge summary PDF with pdf.js, marks the found words in its text layer, and lets the physician sign a note', async () => {
    const ds = await server.deps.db
      .selectFrom('documents')
      .select(['id', 'patient_id'])
      .where('type_code', '=', 'DS')
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, server.user('physician'));
      await page.goto(`${baseUrl}/documents/${ds.id}?patient=${ds.patient_id}`);
      await page.getByRole('heading', { name: /Discharge summary/ }).waitFor();
      const pdf = page.getByTestId('pdf-page');
      await pdf.locator('.textLayer span').first().waitFor();
      await page.getByLabel('Find in document').fill('protocol');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await pdf.locator('.textLayer mark.hit').first().waitFor();
      expect(await pdf.locator('.textLayer mark.hit').allTextContents()).toEqual(['protocol']);
      await expectAccessible(page, 'Document viewer, a PDF with found words');
      // The canvas has ink on it (pdf.js drew the page with its bundled worker).
      const inked = await pdf.locator('canvas').evaluate((c: HTMLCanvasElement) => {
        const ctx = c.getContext('2d')!;
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let dark = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! < 128) dark++;
        return dark;
      });
      expect(inked).toBeGreaterThan(100);
      // The author signed it in the demo: no second author signature, and the co-signature is someone else's.
      await page.getByRole('heading', { name: 'Actions' }).waitFor();
      expect(await page.getByRole('button', { name: 'Sign as author' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Co-sign' }).count()).toBe(0);

      // The demo's progress note of the same record is preliminary: the physician signs it as author, and it is final.
      const note = await server.deps.db
        .selectFrom('documents')
        .select('id')
        .where('patient_id', '=', ds.patient_id)
        .where('type_code', '=', 'PN')
        .executeTakeFirstOrThrow();
      await page.goto(`${baseUrl}/documents/${note.id}?patient=${ds.patient_id}`);
      await page.getByTestId('doc-text').waitFor();
      expect(await page.getByTestId('doc-status').textContent()).toBe('Preliminary');
      await page.getByRole('button', { name: 'Sign as author' }).click();
      await page.getByLabel('Attestation').fill('I have reviewed this note and attest that it is accurate.');
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: 'Signed.' }).waitFor();
      await expectAccessible(page, 'Document viewer, a note just signed');
      expect(await page.getByTestId('doc-status').textContent()).toBe('Final');
      const signed = await server.deps.db.selectFrom('documents').select('status').where('id', '=', note.id).executeTakeFirstOrThrow();
      expect(signed.status).toBe('final');
    } finally {
      await page.close();
    }
  }, 120_000);

  it('asks to break the glass before a restricted chart, then shows a TIFF page by page and two versions side by side', async () => {
    const { db } = server.deps;
    const patient = await db.selectFrom('patients').select(['id']).orderBy('mrn', 'desc').executeTakeFirstOrThrow();
    const docs = createDocumentsService(documentsDepsOf(server.deps));
    const filer = { ...systemActor('browser-test'), role: Role.himClerk };
    const scan = await docs.fileDocument(filer, {
      patientId: patient.id,
      typeCode: 'OUTSIDE',
      title: 'Outside imaging report',
      source: 'scan',
      content: { bytes: await makeImage('tiff', 2), mediaType: 'image/tiff' },
    });
    await docs.addVersion(filer, scan.id, {
      content: { bytes: await makeImage('tiff', 2), mediaType: 'image/tiff' },
      kind: 'replacement',
      reason: 'rescanned straight',
    });
    await db.updateTable('patients').set({ restricted: 1, restriction_reason: 'VIP' }).where('id', '=', patient.id).execute();

    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, server.user('him_clerk'));
      await page.goto(`${baseUrl}/patients/${patient.id}/chart`);
      await page.getByRole('heading', { name: 'Restricted record' }).waitFor();
      await expectAccessible(page, 'Restricted record, break the glass');
      await page.getByLabel(/Reason for access/).fill('Filing outside records for the current stay');
      await page.getByRole('button', { name: 'Break the glass and open the record' }).click();
      await page
        .getByRole('tablist', { name: 'Encounters' })
        .getByRole('tab', { name: /Not linked to an encounter/ })
        .click();
      // Files dropped on the upload area are listed to file, as chosen ones are.
      await page.getByTestId('drop-zone').evaluate((zone) => {
        const data = new DataTransfer();
        data.items.add(new File(['Outside clinic letter.'], 'clinic-letter.txt', { type: 'text/plain' }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      });
      await page
        .getByRole('table', { name: 'Files to file' })
        .locator('tr[data-state="waiting"]', { hasText: 'clinic-letter.txt' })
        .waitFor();
      await page.getByRole('tabpanel').getByRole('link', { name: 'Outside imaging report' }).click();

      // The TIFF's pages come as PNG from the server; two thumbnails, the second page on a click.
      const pane = page.getByRole('region', { name: 'Version 2' });
      const image = pane.getByTestId('page-image').locator('img');
      await expect.poll(() => image.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(32);
      const thumbs = pane.getByRole('list', { name: 'Version 2 pages' }).getByRole('button');
      expect(await thumbs.count()).toBe(2);
      await thumbs.nth(1).click();
      await pane.getByText('Page 2 of 2').waitFor();
      await expect.poll(() => image.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(32);

      // The replaced original beside the current version.
      await page.getByLabel('Side by side with').selectOption('1');
      const original = page.getByRole('region', { name: 'Version 1' });
      await expect
        .poll(() =>
          original
            .getByTestId('page-image')
            .locator('img')
            .evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth),
        )
        .toBe(32);
      await expectAccessible(page, 'Document viewer, two versions side by side');
      const grants = await db.selectFrom('break_glass').select('patient_id').where('patient_id', '=', patient.id).execute();
      expect(grants).toHaveLength(1);
    } finally {
      await page.close();
    }
  }, 120_000);
});
