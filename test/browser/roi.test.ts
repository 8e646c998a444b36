/**
 * Release of information in a real browser: an ROI specialist (HIM clerk) opens the demo hospital's queue, fulfils the
 * attorney's request made under a valid 164.508 authorization (selects documents, releases, gets the packet PDF), then
 * the patient's own access request escalated near its 30-day limit (164.524(b)(2)) with its FHIR copy, and records the
 * payment. Every screen visited is checked for WCAG 2.1 AA. Real server, fresh SQLite demo hospital, Debian's Chromium.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/config.js';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';

const title = browserSuiteTitle('release of information in the browser');

/** True when the built web app already has the ROI screens (the server serves dist/web as built). */
function webBuildHasRoi(): boolean {
  const assets = path.join(repoRoot, 'dist', 'web', 'assets');
  if (!existsSync(path.join(repoRoot, 'dist', 'web', 'index.html')) || !existsSync(assets)) return false;
  return readdirSync(assets).some((f) => f.endsWith('.js') && readFileSync(path.join(assets, f), 'utf8').includes('Make the FHIR copy'));
}

/** Selects every document the rules let go, releases, and answers the first bytes of the packet the link offers. */
async function fulfil(page: Page): Promise<string> {
  const docs = page.getByRole('group', { name: 'Documents to release' });
  const boxes = docs.getByRole('checkbox', { disabled: false });
  await boxes.first().waitFor();
  for (const box of await boxes.all()) await box.check();
  await page.getByRole('button', { name: 'Save the selection' }).click();
  await page.getByText('Nothing blocks the release.').waitFor();
  const release = page.getByRole('button', { name: 'Release and make the packet' });
  await expect.poll(() => release.isEnabled()).toBe(true);
  await release.click();
  await page.getByText('Released: the disclosure and invoice are recorded.').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Release packet (PDF)' }).click()]);
  return readFileSync(await download.path())
    .subarray(0, 5)
    .toString();
}

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;

  beforeAll(async () => {
    server = await startDemoServer({ patients: 10, isBuilt: webBuildHasRoi });
  }, 240_000);
  afterAll(async () => {
    await server?.close();
  });

  it('fulfils an attorney request under a valid authorization and a patient access request', async () => {
    const s = server!;
    const page = await s.browser.newPage();
    try {
      await signIn(page, s.baseUrl, s.user('him_clerk'));
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Release of information' }).click();
      await page.getByRole('heading', { name: 'Release of information', level: 1 }).waitFor();
      const queue = page.getByRole('table', { name: 'ROI requests' });
      await queue.getByText('escalated', { exact: true }).waitFor();
      await expectAccessible(page, 'ROI queue');

      await queue.getByRole('row').filter({ hasText: 'Harlan & Pike LLP' }).getByRole('link', { name: 'Open' }).click();
      await page.getByRole('heading', { name: 'ROI request: Attorney', level: 1 }).waitFor();
      await page.getByText('valid (45 CFR 164.508)').waitFor();
      await expectAccessible(page, 'ROI request: attorney');
      expect(await fulfil(page)).toBe('%PDF-');
      await expectAccessible(page, 'ROI request: attorney released');

      await page.getByRole('link', { name: 'Back to the queue' }).click();
      await queue.getByRole('row').filter({ hasText: 'The patient' }).getByRole('link', { name: 'Open' }).click();
      await page.getByRole('heading', { name: 'ROI request: Patient', level: 1 }).waitFor();
      expect(await fulfil(page)).toBe('%PDF-');
      // The patient's electronic copy as FHIR too (164.524(c)(2)(ii)): nothing was drawn over.
      await page.getByRole('button', { name: 'Make the FHIR copy' }).click();
      const [fhir] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'FHIR copy (JSON)' }).click()]);
      const bundle = JSON.parse(readFileSync(await fhir.path(), 'utf8')) as { resourceType: string; entry: unknown[] };
      expect(bundle.resourceType).toBe('Bundle');
      expect(bundle.entry.length).toBeGreaterThan(0);
      const pay = page.getByRole('form', { name: 'Payment' });
      await pay.getByLabel('Amount paid (USD)').fill('6.50');
      await pay.getByRole('button', { name: 'Record payment' }).click();
      await page.getByText('Payment recorded.').waitFor();
      await expectAccessible(page, 'ROI request: patient released');
    } finally {
      await page.close();
    }
  }, 180_000);
});
