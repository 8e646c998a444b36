/**
 * Amendment requests and retention in a real browser: the HIM director finds the demo hospital's overdue amendment
 * request, denies it on a ground of 164.526(a)(2) (the letter is filed), then on the Retention screen selects the old
 * outside record the hospital policy makes eligible, makes a batch, authorises and performs it, and gets the
 * certificate of destruction as a PDF. Real server on an ephemeral port, fresh SQLite database with the demo hospital,
 * Debian's Chromium through playwright-core.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/config.js';
import { browserSuiteTitle, hasChromium, signIn, startDemoServer, type DemoServer, expectAccessible } from './support.js';

const title = browserSuiteTitle('amendment requests and retention in the browser');

/** True when the built web app already has the Retention screen (the server serves dist/web as built). */
function webBuildHasRetention(): boolean {
  const assets = path.join(repoRoot, 'dist', 'web', 'assets');
  if (!existsSync(path.join(repoRoot, 'dist', 'web', 'index.html')) || !existsSync(assets)) return false;
  return readdirSync(assets).some(
    (f) => f.endsWith('.js') && readFileSync(path.join(assets, f), 'utf8').includes('Make a destruction batch of'),
  );
}

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;

  beforeAll(async () => {
    server = await startDemoServer({ patients: 10, isBuilt: webBuildHasRetention });
  }, 240_000);
  afterAll(async () => {
    await server?.close();
  });

  it('denies the overdue amendment request, then destroys the eligible outside record with a certificate', async () => {
    const s = server!;
    const page = await s.browser.newPage();
    try {
      await signIn(page, s.baseUrl, s.user('him_director'));
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Amendment requests' }).click();
      await page.getByRole('heading', { name: 'Amendment requests', level: 1 }).waitFor();
      await page.getByLabel('Show').selectOption('overdue');
      const list = page.getByRole('table', { name: 'Amendment requests' });
      await list.getByText('overdue', { exact: true }).waitFor();
      await list.getByRole('button', { name: 'Open' }).first().click();
      const detail = page.getByRole('region', { name: 'Amendment request' });
      await detail.getByText('never smoked', { exact: false }).waitFor();
      const deny = detail.getByRole('form', { name: 'Deny' });
      await deny.getByLabel('Ground for denial').selectOption('accurate_and_complete');
      await deny.getByLabel('Explanation in plain language').fill('The history was taken from the patient on admission.');
      await deny.getByRole('button', { name: 'Deny and file the letter' }).click();
      await page.getByText('Denied: the letter is filed.').waitFor();
      await detail.getByText('letter: document', { exact: false }).waitFor();
      await expectAccessible(page, 'director: Amendment requests, a denied request');

      await nav.getByRole('link', { name: 'Retention' }).click();
      const eligible = page.getByRole('table', { name: 'Eligible documents' });
      await eligible.getByText('Outside records: clinic notes 2012', { exact: false }).waitFor();
      await expectAccessible(page, 'director: Retention');
      await eligible.getByRole('checkbox').first().check();
      await page.getByRole('button', { name: 'Make a destruction batch of 1 selected' }).click();
      const batch = page.getByRole('region', { name: 'Destruction batch' });
      await batch.getByRole('button', { name: 'Authorise destruction' }).click();
      await batch.getByRole('button', { name: 'Destroy now' }).click();
      await page.getByText('Destroyed 1, skipped 0.').waitFor();
      const link = batch.getByRole('link', { name: 'Certificate of destruction (PDF)' });
      const href = await link.getAttribute('href');
      const pdf = await page.request.get(`${s.baseUrl}${href!}`);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await page.close();
    }
  }, 120_000);
});
