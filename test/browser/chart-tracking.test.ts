/**
 * Paper chart tracking in a real browser: an HIM clerk at the scan station checks a paper chart out to a physician
 * with nothing but the scan field (a keyboard-wedge scanner types the physician's location code, then the chart's
 * barcode, each followed by Enter), sees the chart on the overdue list once the server's clock is past its due-back
 * time, and checks it back in by scanning; the chart's history shows both moves. Real server on an ephemeral port
 * with a manual clock, fresh SQLite database with the demo hospital, Debian's Chromium through playwright-core.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/config.js';
import { manualClock } from '../../src/core/shared/clock.js';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';

const title = browserSuiteTitle('paper chart tracking in the browser');
const DAY = 86_400_000;

/** True when the built web app already has the Chart tracking screen (the server serves dist/web as built). */
function webBuildHasChartTracking(): boolean {
  const assets = path.join(repoRoot, 'dist', 'web', 'assets');
  if (!existsSync(path.join(repoRoot, 'dist', 'web', 'index.html')) || !existsSync(assets)) return false;
  return readdirSync(assets).some((f) => f.endsWith('.js') && readFileSync(path.join(assets, f), 'utf8').includes('CMD-FILE'));
}

describe.skipIf(!hasChromium)(title, () => {
  let started: DemoServer | undefined;
  let server: DemoServer;
  let browser: Browser;
  let baseUrl: string;
  const clock = manualClock(new Date());

  beforeAll(async () => {
    started = await startDemoServer({ patients: 10, clock, isBuilt: webBuildHasChartTracking });
    server = started;
    ({ browser, baseUrl } = server);
  }, 180_000);

  afterAll(async () => {
    await started?.close();
  });

  /** Types into the focused scan field as a keyboard-wedge scanner does: the code, then Enter. */
  async function scan(page: Page, code: string): Promise<void> {
    const field = page.getByLabel('Scan or type a barcode, then Enter');
    await field.focus();
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  }

  async function openChartTracking(page: Page): Promise<void> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chart tracking' }).click();
    await page.getByRole('heading', { name: 'Scan station' }).waitFor();
    await expectAccessible(page, 'Chart tracking');
  }

  it('checks a chart out to a physician by scanning, lists it overdue after its due date, and checks it back in by scanning', async () => {
    const { db } = server.deps;
    // A chart of the demo hospital that is in on a file-room shelf.
    const chart = await db
      .selectFrom('paper_charts as c')
      .innerJoin('chart_locations as l', 'l.id', 'c.current_location_id')
      .select(['c.id', 'c.barcode', 'l.name as shelf'])
      .where('c.status', '=', 'in')
      .where('l.kind', '=', 'file_room')
      .orderBy('c.barcode')
      .executeTakeFirstOrThrow();
    const clerk = server.user('him_clerk');
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, clerk);
      await openChartTracking(page);
      // The scan field has the focus on arrival: the scanner works at once.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('scan-code');

      // The physician's badge code picks the destination, the chart's barcode checks it out (3 days' loan).
      await scan(page, 'DR-MORGAN');
      await page.getByRole('status').filter({ hasText: 'Destination: Alice Morgan, MD (person)' }).waitFor();
      await scan(page, chart.barcode.toLowerCase());
      await page.getByRole('status').filter({ hasText: 'Checked out to Alice Morgan, MD' }).waitFor();
      const history = page.getByRole('table', { name: 'Movement history' });
      await history.locator('tbody tr', { hasText: 'Checked out' }).waitFor();
      await expectAccessible(page, 'Chart tracking, a chart checked out');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('scan-code');
      const out = await db
        .selectFrom('paper_charts')
        .select(['status', 'due_back_at'])
        .where('id', '=', chart.id)
        .executeTakeFirstOrThrow();
      expect(out).toEqual({ status: 'out', due_back_at: new Date(clock.now().getTime() + 3 * DAY).toISOString() });
      await expect(page.getByRole('table', { name: 'Overdue charts' }).getByText(chart.barcode).count()).resolves.toBe(0);

      // Four days later: the session ended long ago; the clerk signs in again and finds the chart overdue.
      clock.advance(4 * DAY);
      await signIn(page, baseUrl, clerk);
      await openChartTracking(page);
      const overdue = page.getByRole('table', { name: 'Overdue charts' }).locator('tbody tr', { hasText: chart.barcode });
      await overdue.waitFor();
      expect(await overdue.textContent()).toMatch(/Alice Morgan, MD.*1 d overdue/);

      // Back at the desk: the check-in command, then the chart.
      await scan(page, 'CMD-IN');
      await page.getByRole('status').filter({ hasText: 'Action: Check in' }).waitFor();
      await scan(page, chart.barcode);
      await page
        .getByRole('status')
        .filter({ hasText: `Checked in at ${chart.shelf}` })
        .waitFor();
      const moves = page.getByRole('table', { name: 'Movement history' }).locator('tbody tr');
      await moves.filter({ hasText: 'Checked in' }).waitFor();
      const rows = await moves.allTextContents();
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatch(/Checked in.*Alice Morgan, MD.*/);
      expect(rows[0]).toContain(chart.shelf);
      expect(rows[1]).toMatch(/Checked out.*Alice Morgan, MD/);
      expect(rows[2]).toMatch(/Opened/);
      await overdue.waitFor({ state: 'detached' });
      expect(await db.selectFrom('paper_charts').select(['status']).where('id', '=', chart.id).executeTakeFirstOrThrow()).toEqual({
        status: 'in',
      });
      const moved = await db.selectFrom('chart_movements').select('kind').where('chart_id', '=', chart.id).orderBy('moved_at').execute();
      expect(moved.map((m) => m.kind)).toEqual(['created', 'check_out', 'check_in']);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('prints the chart label with its Code 128 barcode', async () => {
    const chart = await server.deps.db.selectFrom('paper_charts').select(['id', 'barcode']).orderBy('barcode').executeTakeFirstOrThrow();
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, server.user('him_clerk'));
      await page.goto(`${baseUrl}/chart-tracking/label/${chart.id}`);
      const img = page.getByRole('img', { name: /Chart label/ });
      await img.waitFor();
      await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('img.chart-label')?.naturalWidth ?? 0) > 0);
      const res = await page.request.get(`${baseUrl}/api/charts/${chart.id}/label.svg`);
      expect(res.headers()['content-type']).toMatch(/^image\/svg\+xml/);
      const svg = await res.text();
      expect(svg).toContain('MRN ');
      expect(svg).toMatch(/<path [^>]*stroke="#000000"/);
      await page.getByRole('button', { name: 'Print label' }).waitFor();
      await expectAccessible(page, 'Chart label');
    } finally {
      await page.close();
    }
  }, 60_000);
});
