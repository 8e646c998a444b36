/**
 * The matching-model screen in a real browser: an administrator opens it, sees the fitted model in use with its
 * weights per field and level, fits again (too few demo patients: the model in use stays and the reason is shown),
 * goes back to the default model, then makes the earlier fit live again. Real server on an ephemeral port, fresh
 * SQLite database with demo data, Debian's Chromium through playwright-core.
 */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModel, FIELDS, FIELD_LEVELS } from '../../src/core/matching/index.js';
import type { AppDeps } from '../../src/app/deps.js';
import { browserSuiteTitle, hasChromium, signIn, startDemoServer, type DemoServer, expectAccessible } from './support.js';

const title = browserSuiteTitle('matching model screen in the browser');

describe.skipIf(!hasChromium)(title, () => {
  let started: DemoServer | undefined;
  let server: DemoServer;
  let deps: AppDeps;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    started = await startDemoServer({ patients: 25 });
    server = started;
    ({ deps, browser, baseUrl } = server);
    // A fit stored earlier, as `fitMpiModel` stores one (the demo hospital is too small to fit here).
    await deps.db
      .insertInto('mpi_models')
      .values({
        id: 'fit-earlier',
        fitted_at: '2026-02-01T09:00:00.000Z',
        fitted_by: 'admin',
        patient_count: 4200,
        candidate_pairs: 9100,
        random_pairs: 50000,
        estimated_matches: 130,
        iterations: 11,
        model: JSON.stringify({ ...defaultModel(), prior: 1e-6 }),
        active: 1,
      })
      .execute();
  }, 120_000);

  afterAll(async () => {
    await started?.close();
  });

  it('shows the model in use with its weights, keeps it when a fit has too few patients, goes back to the default and to the earlier fit', async () => {
    const admin = server.user('administrator');
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, admin, { totp: true });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Matching model' }).click();

      await page.getByRole('heading', { name: 'In use: fitted model' }).waitFor();
      await expectAccessible(page, 'admin: Matching model');
      const weights = page.getByRole('table', { name: /m, u and weight per field/ });
      expect(await weights.locator('tbody tr').count()).toBe(FIELDS.reduce((n, f) => n + FIELD_LEVELS[f].length, 0));
      expect(await weights.getByRole('rowheader', { name: 'Date of birth' }).count()).toBe(1);
      const mergedPairs = await deps.db
        .selectFrom('mpi_duplicate_pairs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'merged')
        .executeTakeFirstOrThrow();
      const mergedRow = page.getByRole('table', { name: /Resolved pairs/ }).getByRole('row', { name: /Merged \(same person\)/ });
      expect(await mergedRow.getByRole('cell').first().textContent()).toBe(String(mergedPairs.n));
      const fits = page.getByRole('table', { name: 'Stored fits, newest first' });
      expect(await fits.locator('tbody tr').first().textContent()).toMatch(/4,200.*In use/);

      await page.getByRole('button', { name: 'Fit from stored patients' }).click();
      await page.getByRole('group', { name: 'Confirm fit' }).getByRole('button', { name: 'Fit now' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /Nothing fitted; the fitted model stays in use: \d+ records, fewer than 100/ })
        .waitFor();
      expect(await deps.db.selectFrom('mpi_models').select(['id', 'active']).execute()).toEqual([{ id: 'fit-earlier', active: 1 }]);

      await page.getByRole('button', { name: 'Use default model' }).click();
      await page.getByRole('group', { name: 'Confirm default model' }).getByRole('button', { name: 'Switch to the default' }).click();
      await page.getByRole('heading', { name: 'In use: default model' }).waitFor();
      await page.getByRole('status').filter({ hasText: 'The default model is in use now.' }).waitFor();
      expect(await page.getByText('Built-in weights (no fit in use)').count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Use default model' }).isDisabled()).toBe(true);
      expect(await deps.db.selectFrom('mpi_models').select(['id', 'active']).execute()).toEqual([{ id: 'fit-earlier', active: 0 }]);

      await fits.getByRole('button', { name: 'Use this fit' }).click();
      await page.getByRole('group', { name: 'Confirm fit to use' }).getByRole('button', { name: 'Switch to this fit' }).click();
      await page.getByRole('heading', { name: 'In use: fitted model' }).waitFor();
      await fits.getByText('In use').waitFor();
      expect(await deps.db.selectFrom('mpi_models').select(['id', 'active']).execute()).toEqual([{ id: 'fit-earlier', active: 1 }]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
