/**
 * The scan QA queue in a real browser: a scanned batch dropped into the inbox files the part behind a real cover
 * sheet and sends a stray first page and the part behind a sheet Custodian never printed to the QA queue (and a
 * corrupt file whole); an HIM clerk sees the thumbnails and reasons, files the two unreadable-part pages by hand to
 * a patient's encounter as outside records, finds the document in the patient's record, and discards the corrupt
 * file with a reason. Real server, demo hospital on SQLite, the inbox claimed and the batch job run as `serve` does.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/config.js';
import { scanningDepsOf } from '../../src/app/modules.js';
import { createJobRunner } from '../../src/modules/jobs/index.js';
import { Role, systemActor } from '../../src/modules/access/index.js';
import {
  coverSheetPdf,
  createScanBatchHandler,
  createScanInbox,
  encodeCoverToken,
  printCoverSheet,
  SCAN_BATCH_JOB_KIND,
} from '../../src/modules/scanning/index.js';
import { DEMO_BATCH_FILE } from '../../src/modules/demo/index.js';
import { makeBatchPdf } from '../../src/modules/scanning/scanning-fixtures.test-support.js';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';

const title = browserSuiteTitle('the scan QA queue in the browser');

/** True when the built web app already has the Scan QA screen (the server serves dist/web as built). */
function webBuildHasScanQa(): boolean {
  const assets = path.join(repoRoot, 'dist', 'web', 'assets');
  if (!existsSync(path.join(repoRoot, 'dist', 'web', 'index.html')) || !existsSync(assets)) return false;
  return readdirSync(assets).some((f) => f.endsWith('.js') && readFileSync(path.join(assets, f), 'utf8').includes('Scan QA queue'));
}

describe.skipIf(!hasChromium)(title, () => {
  let started: DemoServer | undefined;
  let server: DemoServer;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    started = await startDemoServer({ patients: 6, isBuilt: webBuildHasScanQa });
    server = started;
    ({ browser, baseUrl } = server);
  }, 180_000);

  afterAll(async () => {
    await started?.close();
  });

  it('files the pages of an unreadable part by hand and shows the document in the patient record', async () => {
    const { deps } = server;
    const scan = scanningDepsOf(deps);
    const [a, b] = await deps.db
      .selectFrom('patients as p')
      .innerJoin('encounters as e', 'e.patient_id', 'p.id')
      .select(['p.id', 'p.mrn', 'p.family_name', 'e.id as encounterId', 'e.account_number'])
      .where('p.restricted', '=', 0)
      .where('p.merged_into', 'is', null)
      .orderBy('p.mrn')
      .execute()
      .then((rows) => rows.filter((r, i) => rows.findIndex((x) => x.id === r.id) === i));
    if (!a || !b) throw new Error('the demo hospital has fewer than two patients with an encounter');
    const clerkAsSystem = { ...systemActor('test-scan-station'), role: Role.himClerk };
    const sheet = (await printCoverSheet(scan, clerkAsSystem, { patientId: a.id, typeCode: 'PN' })).pdf;
    const forgedId = '00000000-0000-7000-8000-00000000beef';
    const forged = await coverSheetPdf({
      sheetId: forgedId,
      token: encodeCoverToken({ patientId: a.id, encounterId: null, typeCode: 'PN', sheetId: forgedId }),
      patientName: 'Nobody, Noone',
      mrn: '0',
      dateOfBirth: null,
      encounter: null,
      typeName: 'Progress note',
      typeCode: 'PN',
      printedAt: new Date().toISOString(),
    });
    const batch = await makeBatchPdf([
      'Stray intake page',
      sheet,
      'Progress note behind a real sheet',
      forged,
      'Outside records page one',
      'Outside records page two',
    ]);
    mkdirSync(scan.inboxDir, { recursive: true });
    // The demo's own sample batch is left to the demo: this test drops its own.
    rmSync(path.join(scan.inboxDir, DEMO_BATCH_FILE), { force: true });
    writeFileSync(path.join(scan.inboxDir, 'scanner-0001.pdf'), batch);
    writeFileSync(path.join(scan.inboxDir, 'scanner-0002.pdf'), Buffer.from('%PDF-1.7\nthe scanner stopped here'));
    const inbox = createScanInbox(scan, { stableMs: 0 });
    await inbox.poll();
    expect((await inbox.poll()).length).toBe(2);
    const runner = createJobRunner({ db: deps.db, clock: deps.clock, handlers: { [SCAN_BATCH_JOB_KIND]: createScanBatchHandler(scan) } });
    while (await runner.runOnce());
    await runner.stop();
    const filed = await deps.db
      .selectFrom('documents')
      .select(['type_code', 'source'])
      .where('patient_id', '=', a.id)
      .where('source_system', '=', 'scan-inbox')
      .execute();
    expect(filed).toEqual([{ type_code: 'PN', source: 'scan' }]);

    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, server.user('him_clerk'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scan QA' }).click();
      const waiting = page.getByRole('table', { name: 'Pages waiting' });
      await waiting.waitFor();
      await expect(waiting.locator('tbody tr').count()).resolves.toBe(4);
      await waiting.locator('tbody tr', { hasText: 'before the first cover sheet' }).waitFor();
      await expect(waiting.locator('tbody tr', { hasText: 'not one Custodian printed' }).count()).resolves.toBe(2);
      await waiting.locator('tbody tr', { hasText: 'not a readable PDF or TIFF' }).waitFor();
      // The thumbnails are PNGs made on the server.
      const img = waiting.getByRole('img', { name: 'Page 5' });
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);

      // The two pages of the unreadable part, filed as one outside-records document of patient b's encounter.
      await waiting.getByRole('checkbox', { name: /^Select page 5 / }).check();
      await waiting.getByRole('checkbox', { name: /^Select page 6 / }).check();
      const filing = page.getByRole('region', { name: 'File 2 selected page(s)' });
      await filing.locator('#idx-q').fill(b.mrn);
      await filing.getByRole('button', { name: 'Find patient' }).click();
      await filing.getByRole('button', { name: new RegExp(`MRN ${b.mrn}`) }).click();
      await filing.getByLabel('Encounter').selectOption(b.encounterId);
      await filing.getByLabel('Document type').selectOption('OUTSIDE');
      await expectAccessible(page, 'Scan QA, indexing two pages');
      await filing.getByRole('button', { name: 'File these pages' }).click();
      await page.getByText('Filed 2 page(s) as Outside records').waitFor();
      await expect(waiting.locator('tbody tr').count()).resolves.toBe(2);

      // The document is in the patient's record, under the encounter, as outside records of two pages.
      const docs = await page.evaluate(async (id) => {
        const r = await fetch(`/api/patients/${id}/documents`, { credentials: 'same-origin' });
        return (await r.json()) as { items: { typeCode: string; encounterId: string | null; pageCount: number; source: string }[] };
      }, b.id);
      expect(docs.items.filter((d) => d.typeCode === 'OUTSIDE')).toEqual([
        expect.objectContaining({ encounterId: b.encounterId, pageCount: 2, source: 'scan' }),
      ]);
      await page.getByRole('link', { name: 'Open the record' }).click();
      await page.getByRole('link', { name: 'Chart documents' }).waitFor();
      await expectAccessible(page, 'Patient summary');
      await page.getByRole('link', { name: 'Chart documents' }).click();
      await page.getByRole('tab', { name: new RegExp(`^${b.account_number} `) }).click();
      const outside = page.getByRole('tabpanel').getByRole('region', { name: 'Outside records' });
      await outside.waitFor();
      await expect.poll(() => outside.locator('tbody tr').count()).toBe(1);
      await expectAccessible(page, 'Chart documents of the filed pages');
      await page.goBack();
      await page.goBack();
      await waiting.waitFor();

      // The corrupt file is discarded with a reason.
      await waiting.getByRole('checkbox', { name: /^Select the file of batch/ }).check();
      await page.getByLabel('Reason for discarding').fill('scanner jam: rescanned as a new batch');
      await page.getByRole('button', { name: 'Discard these pages' }).click();
      await page.getByText('Discarded 1 page(s).').waitFor();
      // The notice can show before the queue reloads: wait for the list, not the first look at it.
      await expect.poll(() => waiting.locator('tbody tr').count()).toBe(1);
    } finally {
      await page.close();
    }
  }, 180_000);
});
