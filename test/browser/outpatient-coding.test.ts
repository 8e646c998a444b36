/**
 * Outpatient coding in a real browser: an emergency department visit coded with the keyboard alone — diagnoses from
 * the encoder, service lines with a modifier, the E/M level from the MDM elements — and final-coded. Real server,
 * demo seed, Debian's Chromium.
 */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';
import type { AppDeps } from '../../src/app/deps.js';

const title = browserSuiteTitle('outpatient coding in the browser');

describe.skipIf(!hasChromium)(title, () => {
  let started: DemoServer | undefined;
  let server: DemoServer;
  let deps: AppDeps;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    started = await startDemoServer({ patients: 40, withCodeSets: true });
    server = started;
    ({ deps, browser, baseUrl } = server);
  }, 300_000);

  afterAll(async () => {
    await started?.close();
  });

  /** A discharged ED visit nobody has coded, of a record that is not restricted. */
  async function untouchedEdVisit(): Promise<string> {
    const row = await deps.db
      .selectFrom('encounters as e')
      .innerJoin('patients as p', 'p.id', 'e.patient_id')
      .leftJoin('outpatient_abstracts as o', 'o.encounter_id', 'e.id')
      .leftJoin('coding_abstracts as a', 'a.encounter_id', 'e.id')
      .select('e.id')
      .where('e.type', '=', 'emergency')
      .where('e.discharge_at', 'is not', null)
      .where('p.restricted', '=', 0)
      .where('o.encounter_id', 'is', null)
      .where('a.encounter_id', 'is', null)
      .orderBy('e.account_number', 'desc')
      .executeTakeFirst();
    if (!row) throw new Error('the demo seed has no untouched ED visit');
    return row.id;
  }

  it('codes an ED visit with the keyboard alone: diagnoses, service lines with a modifier, E/M level, final', async () => {
    const id = await untouchedEdVisit();
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, server.user('coder'));
      await page.goto(`${baseUrl}/coding/encounters/${id}/outpatient`);
      await page.getByTestId('shortcuts').waitFor();
      await expectAccessible(page, 'coder: outpatient coding of an ED visit');

      // Diagnoses from the encoder: the first one found is first-listed.
      for (const code of ['S61.411A', 'W26.0XXA']) {
        await page.keyboard.press('Alt+KeyD');
        await page.keyboard.type(code);
        await page.keyboard.press('Enter');
        await page.getByTestId('outpatient-diagnoses').getByText(code, { exact: true }).waitFor();
      }
      expect(await page.getByTestId('outpatient-diagnoses').locator('li').first().textContent()).toContain('S61.411A (first-listed)');

      // The E/M line with modifier 25, then the repair.
      await page.keyboard.press('Alt+KeyA');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Code, line 1');
      await page.keyboard.type('99283');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Modifier 1, line 1');
      await page.keyboard.type('25');
      await page.keyboard.press('Alt+KeyA');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Code, line 2');
      await page.keyboard.type('12002');
      expect(await page.getByLabel('Revenue code, line 2').inputValue()).toBe('0450');

      // The E/M helper: MDM elements graded from the keyboard; the level they support is used.
      await page.keyboard.press('Alt+KeyE');
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
      await page.keyboard.press('Tab'); // the basis (MDM, checked)
      await page.keyboard.press('Tab');
      await page.keyboard.press('l'); // problems: low
      await page.keyboard.press('Tab');
      await page.keyboard.press('l'); // data: low
      await page.keyboard.press('Tab');
      await page.keyboard.press('m'); // risk: moderate
      const use = page.getByRole('button', { name: 'Use 99283' });
      await use.waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('em-suggestion').textContent()).toMatch(/MDM low: two of three elements meet it/);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Use 99283');
      await page.keyboard.press('Enter');
      await page.getByText('E/M 99283 recorded on the service lines.').waitFor();
      await expect
        .poll(() => page.getByTestId('outpatient-edits').textContent(), { timeout: 20_000 })
        .toContain('No edits on these codes.');

      await page.keyboard.press('Alt+KeyF');
      await page.getByText(/Final-coded \(version/).waitFor({ timeout: 20_000 });
      await expect.poll(() => page.getByTestId('outpatient-status').textContent()).toBe('final');
      await expectAccessible(page, 'coder: outpatient coding, final-coded');

      const stored = await deps.db
        .selectFrom('outpatient_abstracts')
        .select(['status', 'data', 'em_code'])
        .where('encounter_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ status: 'final', em_code: '99283' });
      expect(JSON.parse(stored.data)).toMatchObject({
        side: 'facility',
        firstListedDx: 'S61411A',
        otherDx: ['W260XXA'],
        lines: [
          { code: '99283', modifiers: ['25'], units: 1, pointers: [1], revenueCode: '0450' },
          { code: '12002', modifiers: [], units: 1, pointers: [1], revenueCode: '0450' },
        ],
        em: { category: 'emergency', basis: 'mdm', problems: 'low', data: 'low', risk: 'moderate', code: '99283' },
      });
    } finally {
      await page.close();
    }
  }, 180_000);
});
