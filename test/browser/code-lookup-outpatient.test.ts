/**
 * Code lookup for the outpatient code sets in a real browser, keyboard only: the coder switches to HCPCS Level II,
 * types words, moves with the arrow keys and opens a code with Enter (its dates and indicators), then switches to
 * CPT and is told that CPT descriptors are licensed and not loaded. Real server, demo seed, Debian's Chromium.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';
import { repoRoot } from '../../src/config/config.js';

const title = browserSuiteTitle('outpatient code lookup in the browser');

/** True when the built web app already has the outpatient lookup (the server serves dist/web as built). */
function webBuildHasOutpatientLookup(): boolean {
  const assets = path.join(repoRoot, 'dist', 'web', 'assets');
  if (!existsSync(path.join(repoRoot, 'dist', 'web', 'index.html')) || !existsSync(assets)) return false;
  return readdirSync(assets).some((f) => f.endsWith('.js') && readFileSync(path.join(assets, f), 'utf8').includes('outpatient-lookup'));
}

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startDemoServer({ patients: 5, withCodeSets: true, isBuilt: webBuildHasOutpatientLookup });
    ({ browser, baseUrl } = server);
  }, 300_000);

  afterAll(async () => {
    await server?.close();
  });

  it('finds a HCPCS code by words and opens it with the keyboard; CPT says it is not loaded', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await signIn(page, baseUrl, server!.user('coder'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Code lookup' }).click();
      await page.getByLabel('Discharge / service date').fill('2026-03-02');
      await page.getByRole('radio', { name: 'HCPCS Level II' }).focus();
      await page.keyboard.press('Enter');
      const search = page.getByRole('combobox', { name: 'Search HCPCS Level II' });
      await search.focus();
      await page.keyboard.type('outpatient clinic visit');
      const options = page.getByRole('listbox', { name: 'Matching HCPCS codes' }).getByRole('option');
      await options.first().waitFor();
      await expect.poll(() => page.getByTestId('code-release').textContent()).toContain('HCPCS Level II January 2026');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      const details = page.getByTestId('outpatient-details');
      await details.waitFor();
      expect(await details.textContent()).toContain('G0463');
      expect(await details.textContent()).toContain('Valid on 2026-03-02');
      expect(await details.textContent()).toContain('M1B');
      await expectAccessible(page, 'Code lookup: a HCPCS Level II code opened');

      await page.getByRole('radio', { name: 'CPT (licensed)' }).focus();
      await page.keyboard.press('Enter');
      const cpt = page.getByRole('combobox', { name: 'Search CPT' });
      await cpt.focus();
      await page.keyboard.type('99284');
      await page.getByTestId('outpatient-notice').waitFor();
      expect(await page.getByTestId('outpatient-notice').textContent()).toMatch(/licensed by the AMA and not shipped/);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('outpatient-details').textContent()).toContain('descriptor not loaded');
      await expectAccessible(page, 'Code lookup: CPT without a licensed file');
    } finally {
      await page.close();
    }
  });
});
