/**
 * The encoder in a real browser: a coder opens Code lookup, types "CHF" and sees billable heart-failure codes
 * first, moves with the keyboard and opens one (title and the release its notes come from), then builds an
 * ICD-10-PCS code axis by axis from "0" to a complete code, and checks an encounter's codes. Real server on an
 * ephemeral port, fresh SQLite with the demo seed, Debian's Chromium through playwright-core.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';
import { repoRoot } from '../../src/config/config.js';

const title = browserSuiteTitle('code lookup in the browser');
/** A date inside the FY2026 code set (the page defaults to today, which may be past the newest loaded release). */
const dischargeDate = '2026-01-15';
const shots = process.env.CUSTODIAN_SCREENSHOTS; // e.g. /tmp/code-lookup-shots: save screenshots for review

/** True when the built web app already contains the Code lookup panel (the server serves dist/web as built). */
function webBuildHasCodeLookup(): boolean {
  const assets = path.join(repoRoot, 'dist', 'web', 'assets');
  if (!existsSync(path.join(repoRoot, 'dist', 'web', 'index.html')) || !existsSync(assets)) return false;
  return readdirSync(assets).some((f) => f.endsWith('.js') && readFileSync(path.join(assets, f), 'utf8').includes('pcs-builder'));
}

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;
  let browser: Browser;
  let baseUrl: string;
  let coder: { username: string; password: string };

  beforeAll(async () => {
    server = await startDemoServer({ patients: 10, withCodeSets: true, isBuilt: webBuildHasCodeLookup });
    ({ browser, baseUrl } = server);
    coder = server.user('coder');
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  it('finds CHF codes, billable I50.x first, and opens one with its title and the release of its notes', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await openCodeLookup(page, baseUrl, coder);
      const search = page.getByRole('combobox', { name: 'Search ICD-10-CM diagnoses' });
      await search.fill('CHF');
      const options = page.getByRole('listbox', { name: 'Matching ICD-10-CM codes' }).getByRole('option');
      await options.first().waitFor();
      await expect.poll(() => page.getByTestId('code-release').textContent()).toContain('ICD-10-CM FY2026');
      expect(await page.getByTestId('release-in-force').textContent()).toContain('ICD-10-CM FY2026');

      const rows = await options.evaluateAll((els) =>
        els.map((e) => ({
          code: e.querySelector('.code-chip')?.textContent ?? '',
          billable: e.textContent.includes('Billable'),
        })),
      );
      expect(rows[0]!.code).toMatch(/^I50\.\d+$/);
      expect(rows[0]!.billable).toBe(true);
      // Billable codes rank first: no billable row after the first header row.
      const firstHeader = rows.findIndex((r) => !r.billable);
      if (firstHeader >= 0) expect(rows.slice(firstHeader).every((r) => !r.billable)).toBe(true);
      expect(rows.filter((r) => /^I50\./.test(r.code)).length).toBeGreaterThanOrEqual(3);
      expect(await options.first().textContent()).toContain('Alphabetic Index: Failure, failed › heart');

      // Keyboard: the first row is highlighted; ↓ moves to the second; Enter opens it.
      expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
      await search.press('ArrowDown');
      expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
      await search.press('ArrowUp');
      const chosen = rows[0]!.code;
      await search.press('Enter');

      const details = page.getByTestId('code-details');
      await details.getByTestId('code-title').waitFor();
      expect(await details.locator('.details-title .code-chip').textContent()).toBe(chosen);
      expect(await details.getByTestId('code-title').textContent()).toMatch(/heart failure/i);
      expect(await details.textContent()).toContain('Billable');
      // The notes name the tabular they come from; an older tabular is flagged, never shown as current.
      const source = await details.getByTestId('notes-source').textContent();
      expect(source).toMatch(/Source: ICD-10-CM FY20\d\d tabular/);
      if (!source?.includes('FY2026')) expect(await details.getByTestId('notes-caveat').textContent()).toMatch(/not from ICD-10-CM FY2026/);
      expect(await details.textContent()).toMatch(/Excludes2/);
      await shot(page, 'search-details');
      await expectAccessible(page, 'coder: Code lookup, code details');

      // A code cited in a note opens in place; "Previous code" comes back.
      await details.locator('.note-excludes2').getByRole('button', { name: 'P29.0' }).first().click();
      await expect.poll(() => details.locator('.details-title .code-chip').textContent()).toBe('P29.0');
      await details.getByRole('button', { name: '← Previous code' }).click();
      await expect.poll(() => details.locator('.details-title .code-chip').textContent()).toBe(chosen);

      // Escape clears the search.
      await search.press('Escape');
      expect(await search.inputValue()).toBe('');
      await expect.poll(() => options.count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('says plainly when no code set covers the date and offers the nearest covered date', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await openCodeLookup(page, baseUrl, coder);
      // While the date is still the default today and today is past FY2026: the newest release with a banner, no error.
      const today = await page.getByLabel('Discharge / service date').inputValue();
      if (today > '2026-09-30') {
        await page.getByRole('combobox', { name: 'Search ICD-10-CM diagnoses' }).fill('CHF');
        expect(await page.getByTestId('date-banner').textContent()).toMatch(/past the newest loaded code set, ICD-10-CM FY2026/);
        await page.getByRole('listbox', { name: 'Matching ICD-10-CM codes' }).getByRole('option').first().waitFor();
        expect(await page.getByRole('alert').count()).toBe(0);
        await page.getByRole('combobox', { name: 'Search ICD-10-CM diagnoses' }).fill('');
      }
      await page.getByLabel('Discharge / service date').fill('2030-01-15');
      await page.getByRole('combobox', { name: 'Search ICD-10-CM diagnoses' }).fill('CHF');
      const alert = page.getByRole('alert').filter({ hasText: 'No ICD-10-CM code set is loaded for 2030-01-15' });
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/ICD-10-CM FY2026 .*: 2025-10-01 to 2026-09-30/);
      await alert.getByRole('button', { name: 'Look up as of 2026-09-30' }).click();
      expect(await page.getByLabel('Discharge / service date').inputValue()).toBe('2026-09-30');
      await page.getByRole('listbox', { name: 'Matching ICD-10-CM codes' }).getByRole('option').first().waitFor();
      await expect.poll(() => page.getByTestId('release-in-force').textContent()).toContain('ICD-10-CM FY2026');
    } finally {
      await page.close();
    }
  });

  it('builds an ICD-10-PCS code from "0" to a complete code, offering only valid values', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await openCodeLookup(page, baseUrl, coder);
      await page.getByRole('tab', { name: 'PCS table builder' }).click();
      const builder = page.getByTestId('pcs-builder');
      const option = (code: string) => builder.locator('.pcs-options').getByRole('button', { name: new RegExp(`^${code} `) });
      await option('0').waitFor();
      expect(await builder.locator('#pcs-next-h').textContent()).toContain('Character 1: Section');

      await option('0').click(); // Medical and Surgical
      await expect.poll(() => builder.locator('#pcs-next-h').textContent()).toContain('Character 2');
      await option('D').click(); // Gastrointestinal System
      await expect.poll(() => builder.locator('#pcs-next-h').textContent()).toContain('Character 3');
      await option('T').click(); // Resection
      await expect.poll(() => builder.locator('#pcs-next-h').textContent()).toContain('Character 4: Body Part');
      // Only valid values: "Resection" of the GI system has no body part "I" or "O" and offers the appendix.
      expect(await option('J').textContent()).toContain('Appendix');
      // Keyboard: typing a value's character chooses it; Backspace takes the last one back.
      await page.keyboard.press('j');
      await expect.poll(() => builder.locator('#pcs-next-h').textContent()).toContain('Character 5: Approach');
      await page.keyboard.press('Backspace');
      await expect.poll(() => builder.locator('#pcs-next-h').textContent()).toContain('Character 4');
      await option('J').click();
      await expect.poll(() => builder.locator('#pcs-next-h').textContent()).toContain('Character 5');
      expect(await option('4').textContent()).toMatch(/Percutaneous Endoscopic/);
      await option('4').click();
      await expect.poll(() => builder.locator('#pcs-next-h').textContent()).toContain('Character 6');
      await option('Z').click();
      await expect.poll(() => builder.locator('#pcs-next-h').textContent()).toContain('Character 7');
      await option('Z').click();

      const complete = builder.getByTestId('pcs-complete');
      await complete.waitFor();
      expect(await complete.textContent()).toContain('0DTJ4ZZ');
      expect(await complete.textContent()).toContain('Resection of Appendix, Percutaneous Endoscopic Approach');
      expect(await page.getByTestId('release-in-force').textContent()).toContain('ICD-10-PCS FY2026');
      await shot(page, 'pcs-builder');
      await expectAccessible(page, 'coder: Code lookup, PCS table builder');

      // The complete code opens with the meaning of every axis and the root operation's definition.
      await complete.getByRole('button', { name: 'Open details' }).click();
      const details = page.getByTestId('code-details');
      await details.getByTestId('code-title').waitFor();
      expect(await details.locator('.pcs-axes').textContent()).toContain('Cutting out or off, without replacement, all of a body part');
      await expectAccessible(page, 'coder: Code lookup, PCS code details');
    } finally {
      await page.close();
    }
  });

  it('checks an encounter: header codes, missing 7th character and Excludes1 as a worklist, errors first', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await openCodeLookup(page, baseUrl, coder);
      await page.getByRole('tab', { name: 'Encounter check' }).click();
      await page.getByRole('textbox', { name: /Diagnoses/ }).fill('E11.9 Type 2 diabetes\nE10.9\nI50\nS72.001');
      await page.getByRole('textbox', { name: /Procedures/ }).fill('0DTJ4ZZ');
      await page.getByRole('button', { name: /Check codes for 2026-01-15/ }).click();
      const findings = page.getByTestId('findings');
      await findings.waitFor();
      const items = findings.locator('.finding');
      const texts = await items.allTextContents();
      expect(texts[0]).toMatch(/^Error/);
      expect(texts.some((t) => /^Error.*I50 is a header/.test(t))).toBe(true);
      expect(texts.some((t) => /^Error.*S72\.001 needs a 7th character: A, B, C/.test(t))).toBe(true);
      expect(texts.some((t) => /^Warning.*Excludes1.*E1[01]\.9/.test(t))).toBe(true);
      // Errors, then warnings, then reminders.
      const rank = texts.map((t) => (t.startsWith('Error') ? 0 : t.startsWith('Warning') ? 1 : 2));
      expect([...rank].sort((a, b) => a - b)).toEqual(rank);
      await shot(page, 'encounter-check');
      await expectAccessible(page, 'coder: Code lookup, encounter check');
    } finally {
      await page.close();
    }
  });
});

async function openCodeLookup(page: Page, baseUrl: string, user: { username: string; password: string }): Promise<void> {
  await signIn(page, baseUrl, user);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Code lookup' }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe('/codes');
  // Keyboard first: the search box has the focus on arrival.
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
  await page.getByLabel('Discharge / service date').fill(dischargeDate);
  // No search words ever reach the address bar.
  expect(new URL(page.url()).search).toBe('');
  await expectAccessible(page, 'coder: Code lookup');
}

async function shot(page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}
