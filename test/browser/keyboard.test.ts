/**
 * Keyboard use (issue 26, WCAG 2.1.1, 2.4.3, 2.4.7, 1.4.10, 1.4.11): focus is visible on every stop with 3:1
 * against what surrounds it, the top bar included; Alt+L reaches the first row of the work list and arrow keys move
 * between rows; the answer form takes focus and gives it back; the idle dialog keeps focus inside and returns it;
 * at 320 px the top bar wraps instead of clipping. Real server, Debian's Chromium, the demo hospital.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';
import { focusIndicator } from './accessibility.js';

const title = browserSuiteTitle('keyboard: visible focus, work lists, dialogs, reflow');

/** The focused element's accessible text, for assertions. */
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent.trim() ?? '');

/** Presses Tab `stops` times and returns every stop whose focus is invisible or under 3:1. */
async function tabThrough(page: Page, stops: number): Promise<string[]> {
  const bad: string[] = [];
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Tab');
    const f = await focusIndicator(page);
    if (f.element === 'body') continue;
    if (!f.visible) bad.push(`${f.element}: no focus indicator`);
    else if (f.ratio !== null && f.ratio < 3) bad.push(`${f.element}: focus indicator ${f.ratio.toFixed(2)}:1`);
  }
  return bad;
}

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startDemoServer({ patients: 20, withCodeSets: true });
    ({ browser, baseUrl } = server);
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  it('shows a focus indicator of at least 3:1 on every Tab stop, in the dark top bar and on the PCS table builder', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(page, baseUrl, server!.user('coder'));
      // From the top: the skip link, the brand and Sign out in the dark top bar, the navigation, the worklist.
      await page.evaluate(() => {
        (document.activeElement as HTMLElement | null)?.blur();
      });
      expect(await tabThrough(page, 40)).toEqual([]);

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Code lookup' }).click();
      await expectAccessible(page, 'coder: Code lookup');
      await page.getByRole('tab', { name: 'PCS table builder' }).click();
      const builder = page.getByTestId('pcs-builder');
      await builder.waitFor();
      await builder.focus();
      const f = await focusIndicator(page);
      expect(f.visible).toBe(true);
      expect(f.ratio).toBeGreaterThanOrEqual(3);
      await expectAccessible(page, 'coder: Code lookup, PCS table builder');
    } finally {
      await page.close();
    }
  });

  it('Alt+L goes to the first row of the coding worklist; arrow keys, Home and End move between rows', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(page, baseUrl, server!.user('coder'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Coding worklist' }).click();
      const links = page.getByTestId('worklist').locator('tbody a.row-link');
      await links.first().waitFor();
      await expectAccessible(page, 'coder: Coding worklist');
      const accounts = await links.allTextContents();
      expect(accounts.length).toBeGreaterThan(2);

      await page.keyboard.press('Alt+L');
      expect(await focusedText(page)).toBe(accounts[0]);
      await page.keyboard.press('ArrowDown');
      expect(await focusedText(page)).toBe(accounts[1]);
      await page.keyboard.press('ArrowUp');
      expect(await focusedText(page)).toBe(accounts[0]);
      await page.keyboard.press('End');
      expect(await focusedText(page)).toBe(accounts.at(-1));
      await page.keyboard.press('Home');
      expect(await focusedText(page)).toBe(accounts[0]);
      expect((await focusIndicator(page)).visible).toBe(true);

      // Enter opens the encounter; the shortcut does nothing harmful where there is no work list.
      await page.keyboard.press('Enter');
      // An inpatient stay opens the coding screen, an ED or clinic visit its outpatient mode.
      await page.waitForURL(/\/coding\/encounters\/[^/]+(\/outpatient)?$/);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await expectAccessible(page, 'coder: coding screen');
      await page.keyboard.press('Alt+L');
      await page.goBack();
      await links.first().waitFor();
      await expectAccessible(page, 'coder: Coding worklist (back)');
    } finally {
      await page.close();
    }
  });

  it("the physician's answer form takes focus when opened and gives it back to the row's button on Close", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(page, baseUrl, server!.user('physician'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queries' }).click();
      const inbox = page.getByTestId('inbox');
      await inbox.waitFor();
      await expectAccessible(page, 'physician: Query inbox');
      await page.keyboard.press('Alt+L');
      const opener = await focusedText(page);
      expect(opener).toMatch(/^Read/);
      await page.keyboard.press('Enter');
      await page.getByTestId('query-question').waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('q-h');
      await expectAccessible(page, 'physician: Query inbox, answer form');
      await page.getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => focusedText(page)).toBe(opener);
      expect(await page.evaluate(() => document.activeElement?.closest('[data-testid=inbox]') !== null)).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('the idle warning keeps focus inside while open and returns it to where the user was', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      // The page's clock only: the server's session stays alive, the warning's countdown is driven here.
      await page.clock.install();
      await signIn(page, baseUrl, server!.user('coder'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Coding worklist' }).click();
      await page.getByTestId('worklist').locator('tbody a.row-link').first().waitFor();
      await page.keyboard.press('Alt+L');
      const before = await focusedText(page);

      const idleSeconds = server!.deps.config.sessionIdleMinutes * 60;
      await page.clock.runFor((idleSeconds - 30) * 1000);
      const dialog = page.getByRole('alertdialog', { name: 'Are you still working?' });
      await dialog.waitFor();
      await expectAccessible(page, 'coder: idle warning');
      expect(await focusedText(page)).toBe('Stay signed in');
      for (let i = 0; i < 5; i++) {
        await page.keyboard.press('Tab');
        // Focus is on a dialog button or has left the page for the browser's own controls; never behind the dialog.
        const where = await page.evaluate(() => {
          const a = document.activeElement;
          return !a || a === document.body ? 'outside the page' : a.closest('dialog') ? 'dialog' : 'page';
        });
        expect(where).not.toBe('page');
      }
      await page.keyboard.press('Escape');
      await page.clock.runFor(2000);
      await dialog.waitFor({ state: 'hidden' });
      expect(await focusedText(page)).toBe(before);
    } finally {
      await page.close();
    }
  });

  it('at 320 px the top bar wraps: the user name and Sign out stay on screen (WCAG 1.4.10 reflow)', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    try {
      await signIn(page, baseUrl, server!.user('him_director'));
      const topbar = await page.evaluate(() => {
        const box = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
        const name = document.querySelector('.user-name')!;
        return {
          signOutRight: box('.topbar-user button').right,
          nameRight: box('.user-name').right,
          nameClipped: name.scrollWidth > name.clientWidth + 1,
          topbarOverflow: document.querySelector('.topbar')!.scrollWidth - document.querySelector('.topbar')!.clientWidth,
        };
      });
      expect(topbar.signOutRight).toBeLessThanOrEqual(320);
      expect(topbar.nameRight).toBeLessThanOrEqual(320);
      expect(topbar.nameClipped).toBe(false);
      expect(topbar.topbarOverflow).toBeLessThanOrEqual(0);
      await expectAccessible(page, 'director: home at 320 px');

      // The patient summary's encounters table scrolls sideways at this width: a named, focusable region.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
      await expectAccessible(page, 'director: Patients at 320 px');
      const patient = await server!.deps.db
        .selectFrom('patients')
        .innerJoin('encounters', 'encounters.patient_id', 'patients.id')
        .select('patients.id')
        .where('patients.restricted', '=', 0)
        .executeTakeFirstOrThrow();
      await page.evaluate((p) => {
        window.history.pushState(null, '', p);
        window.dispatchEvent(new PopStateEvent('popstate'));
      }, `/patients/${patient.id}`);
      const region = page.locator('.table-scroll[role=region]');
      await region.waitFor();
      await expectAccessible(page, 'director: Patient summary at 320 px');
      await region.focus();
      expect((await focusIndicator(page)).visible).toBe(true);
    } finally {
      await page.close();
    }
  });
});
