/**
 * The registration journey in a real browser: an HIM clerk enters a person who is already in the MPI, sees the
 * existing record offered with a score before any MRN is made, registers the duplicate anyway, finds the pair
 * on the duplicate worklist, compares it side by side, merges, and undoes the merge. Real server on an ephemeral
 * port, fresh SQLite database with demo data, Debian's Chromium through playwright-core.
 */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';
import type { AppDeps } from '../../src/app/deps.js';

const title = browserSuiteTitle('registration and duplicate journey in the browser');

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;
  let deps: AppDeps;
  let browser: Browser;
  let baseUrl: string;
  let clerk: { username: string; password: string };

  beforeAll(async () => {
    server = await startDemoServer({ patients: 25 });
    ({ deps, browser, baseUrl } = server);
    clerk = server.user('him_clerk');
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('offers the existing record before registering, then merges the duplicate and undoes the merge', async () => {
    const existing = await deps.db
      .selectFrom('patients')
      .select(['id', 'mrn', 'family_name', 'given_name', 'date_of_birth', 'sex'])
      .where('restricted', '=', 0)
      .where('date_of_birth', 'is not', null)
      .orderBy('mrn')
      .limit(1)
      .executeTakeFirstOrThrow();
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, clerk);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Register patient' }).click();

      await page.getByLabel(/Legal family name/).fill(existing.family_name);
      await page.getByLabel(/Given name/).fill(existing.given_name);
      await page.getByLabel('Date of birth').fill(existing.date_of_birth!);
      await page.getByLabel('Sex').selectOption(existing.sex);
      await page.getByRole('button', { name: 'Check for existing records' }).click();
      const offered = page.locator('tbody tr', { hasText: existing.mrn });
      await offered.waitFor();
      expect(await offered.textContent()).toMatch(/%/);
      await expectAccessible(page, 'Registration with existing records offered');

      await page.getByRole('button', { name: 'Register as a new patient' }).click();
      await page.getByTestId('patient-mrn').waitFor();
      const newMrn = await page.getByTestId('patient-mrn').textContent();
      expect(newMrn).not.toBe(existing.mrn);
      await expectAccessible(page, 'Patient summary of a new registration');

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Duplicate records' }).click();
      const pair = page.locator('tbody tr', { hasText: existing.mrn }).filter({ hasText: newMrn! });
      await pair.getByRole('button', { name: 'Compare' }).click();
      await page.getByRole('heading', { name: /Side by side/ }).waitFor();
      await expectAccessible(page, 'Duplicate records, side by side');
      await page.getByRole('button', { name: /Keep A, merge B into it/ }).click();
      // A merge needs a reason.
      expect(await page.getByRole('button', { name: 'Merge', exact: true }).isDisabled()).toBe(true);
      await page.getByLabel('Reason (required to merge)').fill('Same person: date of birth and SSN agree');
      await page.getByRole('button', { name: 'Merge', exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /^Merged / })
        .waitFor();
      const merged = await deps.db.selectFrom('patients').select(['mrn', 'merged_into']).where('merged_into', 'is not', null).execute();
      expect(merged).toHaveLength(1);
      await expectAccessible(page, 'Duplicate records, merged');

      // The history names both records by MRN; an unmerge asks first.
      const history = page.locator('tbody tr', { hasText: 'Same person: date of birth and SSN agree' });
      expect(await history.textContent()).toContain(existing.mrn);
      expect(await history.textContent()).toContain(newMrn);
      await page.getByRole('button', { name: 'Unmerge' }).click();
      await page.getByRole('group', { name: 'Confirm unmerge' }).getByRole('button', { name: 'Undo merge' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /Merge undone/ })
        .waitFor();
      expect(await deps.db.selectFrom('patients').select('id').where('merged_into', 'is not', null).execute()).toEqual([]);

      // Edit the new record: an identifier from another system, then the demographics.
      const created = await deps.db.selectFrom('patients').select('id').where('mrn', '=', newMrn!).executeTakeFirstOrThrow();
      await page.goto(`${baseUrl}/patients/${created.id}/edit`);
      const ids = page.getByRole('region', { name: 'Identifiers from other systems' });
      await ids.getByRole('button', { name: 'Add' }).click();
      await ids.getByLabel('Assigning authority, row 1').fill('CLINIC');
      await ids.getByLabel('Identifier, row 1').fill('C-4711');
      await ids.getByRole('button', { name: /Save identifiers/ }).click();
      await ids.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      await expectAccessible(page, 'Patient edit');
      expect(
        await deps.db.selectFrom('patient_identifiers').select(['system', 'value']).where('patient_id', '=', created.id).execute(),
      ).toEqual([{ system: 'CLINIC', value: 'C-4711' }]);
      await page.getByLabel('Phone').fill('555-0142');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByTestId('patient-mrn').waitFor();
      expect((await deps.db.selectFrom('patients').select('phone').where('id', '=', created.id).executeTakeFirstOrThrow()).phone).toBe(
        '555-0142',
      );
    } finally {
      await page.close();
    }
  }, 60_000);
});
