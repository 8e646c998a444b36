/**
 * The HIM director's dashboard in a real browser: the director opens it from the main navigation, sees the DNFB
 * tile and the charts, drills from DNFB (the tile, then a reason row of the chart's table) to the encounters behind
 * it and opens one in the coding summary. Every screen is checked for WCAG 2.1 AA. Real server, fresh SQLite demo
 * hospital, Debian's Chromium.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/config.js';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';

const title = browserSuiteTitle('director dashboard in the browser');

/** True when the built web app already has the dashboard and the indexes (the server serves dist/web as built). */
function webBuildHasDashboard(): boolean {
  const assets = path.join(repoRoot, 'dist', 'web', 'assets');
  if (!existsSync(path.join(repoRoot, 'dist', 'web', 'index.html')) || !existsSync(assets)) return false;
  return readdirSync(assets).some(
    (f) => f.endsWith('.js') && readFileSync(path.join(assets, f), 'utf8').includes('Encounters with queries sent'),
  );
}

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;

  beforeAll(async () => {
    server = await startDemoServer({ patients: 8, withCodeSets: true, isBuilt: webBuildHasDashboard });
  }, 240_000);
  afterAll(async () => {
    await server?.close();
  });

  it('drills from DNFB to an encounter', { timeout: 60_000 }, async () => {
    const s = server!;
    const page = await s.browser.newPage();
    try {
      await signIn(page, s.baseUrl, s.user('him_director'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Director dashboard' }).click();
      await page.getByRole('heading', { name: 'Director dashboard', level: 1 }).waitFor();
      const tile = page.getByRole('button', { name: /^DNFB \d+ accounts/ });
      await tile.waitFor();
      await page.getByRole('img', { name: /^DNFB accounts by reason/ }).waitFor();
      await expectAccessible(page, 'director: Director dashboard');
      // The operational tiles: delinquency leads to the completion reports; the others are figures only.
      const delinquency = page.getByRole('link', { name: /^Chart delinquency / });
      expect(await delinquency.getAttribute('href')).toBe('/completion-reports');
      await page.getByText('No-show rate', { exact: true }).waitFor();
      await page.getByText('Accounts receivable', { exact: true }).waitFor();

      await tile.click();
      const list = page.getByRole('table', { name: 'Encounters: DNFB' });
      await list.waitFor();
      await expectAccessible(page, 'director: Director dashboard, DNFB encounters');

      // The same figure by reason, from the chart's table alternative: the first reason that has accounts.
      await page.getByText('Table: DNFB by reason').click();
      const reasons = page.getByRole('table', { name: 'DNFB by reason' });
      const rows = await reasons.getByRole('row').all();
      let opened = '';
      for (const row of rows.slice(1)) {
        const cells = await row.getByRole('cell').allTextContents();
        if (Number(cells[1]) > 0) {
          opened = cells[0] ?? '';
          await row.getByRole('button', { name: 'Show' }).click();
          break;
        }
      }
      expect(opened).not.toBe('');
      const byReason = page.getByRole('table', { name: `Encounters: DNFB — ${opened}` });
      await byReason.waitFor();
      const first = byReason.getByRole('link').first();
      await first.waitFor();
      await first.click();
      await page.getByRole('heading', { name: /^Coding summary/, level: 1 }).waitFor();
      await expectAccessible(page, 'director: coding summary from the dashboard');

      // The HIM indexes beside it: the physician index over a year of discharges.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'HIM indexes' }).click();
      await page.getByRole('heading', { name: 'HIM indexes', level: 1 }).waitFor();
      await page.getByRole('combobox', { name: /^Index/ }).selectOption('physician');
      await page.getByLabel('Discharged from').fill(new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10));
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('table', { name: 'Physician index' }).or(page.getByText('No final-coded discharge in the range')).waitFor();
      await expectAccessible(page, 'director: HIM indexes');
    } finally {
      await page.close();
    }
  });
});
