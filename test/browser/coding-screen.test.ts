/**
 * The coding screen's safety and speed in a real browser: the coder lands on the worklist, pages and searches it,
 * moves through rows with the arrows; codes are autosaved and leaving with unsaved codes asks first; codes on screen
 * survive sending a query; an open query disables final coding with the reason shown; and an encounter is coded
 * from first code to final coding with the keyboard alone. Real server, demo seed, Debian's Chromium.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';
import type { AppDeps } from '../../src/app/deps.js';

const title = browserSuiteTitle('coding screen in the browser');

describe.skipIf(!hasChromium)(title, () => {
  let started: DemoServer | undefined;
  let server: DemoServer;
  let deps: AppDeps;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    started = await startDemoServer({ patients: 80, withCodeSets: true });
    server = started;
    ({ deps, browser, baseUrl } = server);
  }, 240_000);

  afterAll(async () => {
    await started?.close();
  });

  /** Discharged inpatient encounters nobody has touched: no abstract, no query, not restricted. */
  async function untouchedInpatients(): Promise<{ id: string; account_number: string }[]> {
    return deps.db
      .selectFrom('encounters as e')
      .innerJoin('patients as p', 'p.id', 'e.patient_id')
      .leftJoin('coding_abstracts as a', 'a.encounter_id', 'e.id')
      .leftJoin('physician_queries as q', 'q.encounter_id', 'e.id')
      .select(['e.id', 'e.account_number'])
      .where('e.type', '=', 'inpatient')
      .where('e.discharge_at', 'is not', null)
      .where('e.discharge_status', 'is not', null)
      .where('p.restricted', '=', 0)
      .where('a.encounter_id', 'is', null)
      .where('q.id', 'is', null)
      .orderBy('e.account_number')
      .execute();
  }

  async function abstractOf(id: string) {
    return deps.db.selectFrom('coding_abstracts').select(['status', 'data', 'final_drg']).where('encounter_id', '=', id).executeTakeFirst();
  }

  const openCoder = async (): Promise<Page> => {
    const page = await browser.newPage();
    await signIn(page, baseUrl, server.user('coder'));
    return page;
  };

  it('lands the coder on the worklist, pages through all of it, searches it and moves through rows with the arrows', async () => {
    const page = await openCoder();
    try {
      await expect.poll(() => new URL(page.url()).pathname).toBe('/coding');
      const count = page.getByTestId('worklist-count');
      await expect.poll(() => count.textContent()).toMatch(/showing 1–100/);
      const total = Number(/^(\d+)/.exec((await count.textContent()) ?? '')?.[1]);
      expect(total).toBeGreaterThan(100);
      await page.getByRole('navigation', { name: 'Worklist pages' }).getByRole('button', { name: 'Next' }).click();
      await expect.poll(() => count.textContent()).toContain(`showing 101–${Math.min(200, total)}`);
      await expectAccessible(page, 'Coding worklist, second page');
      expect(await page.getByTestId('worklist').locator('tbody tr').count()).toBe(Math.min(100, total - 100));

      // Search by family name, then by MRN: the count says how many match.
      const target = await deps.db
        .selectFrom('encounters as e')
        .innerJoin('patients as p', 'p.id', 'e.patient_id')
        .leftJoin('coding_abstracts as a', 'a.encounter_id', 'e.id')
        .select(['p.family_name', 'p.mrn'])
        .where('e.discharge_at', 'is not', null)
        .where('p.restricted', '=', 0)
        .where((eb) => eb.or([eb('a.status', 'is', null), eb('a.status', '!=', 'final')]))
        .orderBy('p.mrn')
        .executeTakeFirstOrThrow();
      const search = page.getByLabel('Search');
      await search.fill(target.family_name.toLowerCase());
      await expect.poll(() => count.textContent()).not.toMatch(new RegExp(`^${total} `));
      const rows = page.getByTestId('worklist').locator('tbody tr');
      for (const text of await rows.allTextContents()) expect(text.toLowerCase()).toContain(target.family_name.toLowerCase());
      await search.fill(target.mrn);
      await expect.poll(async () => (await rows.allTextContents()).every((t) => t.includes(target.mrn))).toBe(true);
      await search.fill('');
      await expect.poll(() => count.textContent()).toMatch(new RegExp(`^${total} `));

      // Arrow keys move between the rows' links.
      const links = page.getByTestId('worklist').locator('a.row-link');
      await links.nth(0).focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(await links.nth(2).textContent());
      await page.keyboard.press('ArrowUp');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(await links.nth(1).textContent());
    } finally {
      await page.close();
    }
  }, 120_000);

  it('autosaves the codes, asks before leaving with unsaved ones, and keeps them when a query is sent; an open query blocks final coding', async () => {
    const [enc] = await untouchedInpatients();
    if (!enc) throw new Error('the demo seed has no untouched inpatient encounter');
    const page = await openCoder();
    try {
      await page.goto(`${baseUrl}/coding/encounters/${enc.id}`);
      const dx = page.getByRole('combobox', { name: 'Find a diagnosis' });
      await dx.fill('I50.23');
      await page.getByRole('option', { name: /I50\.23/ }).waitFor();
      await dx.press('Enter');
      await page.getByTestId('diagnoses').getByText('I50.23').waitFor();

      // Leaving at once (before the autosave) asks; staying keeps the page and the codes.
      let question = '';
      page.once('dialog', (d) => {
        question = d.message();
        void d.dismiss();
      });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
      await expect.poll(() => question).toMatch(/not saved/);
      expect(new URL(page.url()).pathname).toBe(`/coding/encounters/${enc.id}`);
      await page.getByTestId('diagnoses').getByText('I50.23').waitFor();

      // The autosave keeps them on the server: a reload shows them, the version history names the change.
      await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 20_000 }).toBe('All changes saved');
      expect(JSON.parse((await abstractOf(enc.id))?.data ?? '{}')).toMatchObject({ principalDx: { code: 'I5023' } });
      await page.reload();
      await page.getByTestId('diagnoses').getByText('I50.23').waitFor();
      await expect.poll(() => page.getByTestId('versions').textContent()).toContain('+I50.23');
      // Checked only now: before the autosave the check's time would let the draft save and the leave question not come.
      await expectAccessible(page, 'Coding screen with a saved code and its version history');

      // A code added and a query sent at once: the code is saved first and stays on screen.
      await dx.fill('N17.9');
      await page.getByRole('option', { name: /N17\.9/ }).waitFor();
      await dx.press('Enter');
      await page.getByRole('button', { name: 'New query' }).click();
      const composer = page.getByRole('form', { name: 'Query composer' });
      await composer
        .getByLabel('Question')
        .fill(
          'Creatinine rose from 1.3 to 2.2 mg/dL and improved to 1.6 mg/dL. Can the clinical significance of these values be further specified?',
        );
      await composer.getByLabel('Option 1').fill('Acute kidney injury');
      await composer.getByLabel('Option 2').fill('Expected fluctuation of chronic kidney disease');
      await composer.getByRole('button', { name: 'Add indicator' }).click();
      await composer.getByLabel('Indicator 1', { exact: true }).fill('Creatinine 1.3 -> 2.2 -> 1.6 mg/dL');
      await expect.poll(() => page.getByTestId('compliance').textContent()).toContain('Compliant');
      await expectAccessible(page, 'Query composer');
      await composer.getByRole('button', { name: 'Send query' }).click();
      await page.getByTestId('encounter-queries').getByText('open').waitFor();
      await page.getByTestId('diagnoses').getByText('N17.9').waitFor();
      const stored = JSON.parse((await abstractOf(enc.id))?.data ?? '{}') as { secondaryDx: { code: string }[] };
      expect(stored.secondaryDx.map((x) => x.code)).toEqual(['N179']);
      const sent = await deps.db
        .selectFrom('physician_queries')
        .select('drg_at_send')
        .where('encounter_id', '=', enc.id)
        .executeTakeFirstOrThrow();
      expect(sent.drg_at_send).not.toBeNull();

      // Final coding waits for the answer, and says so before any click.
      await page.getByLabel('POA I5023').selectOption('Y');
      await page.getByLabel('POA N179').selectOption('Y');
      await expect
        .poll(() => page.getByTestId('final-blocked').textContent(), { timeout: 20_000 })
        .toMatch(/1 physician query is still open/);
      await expectAccessible(page, 'Coding screen, final coding blocked by an open query');
      expect(await page.getByRole('button', { name: 'Final code' }).isDisabled()).toBe(true);
    } finally {
      await page.close();
    }
  }, 180_000);

  it('codes an encounter from the first code to final coding with the keyboard alone', async () => {
    const list = await untouchedInpatients();
    const enc = list[list.length - 1];
    if (!enc) throw new Error('the demo seed has no untouched inpatient encounter');
    const page = await openCoder();
    try {
      await page.goto(`${baseUrl}/coding/encounters/${enc.id}`);
      await page.getByTestId('shortcuts').waitFor();
      expect(await page.getByTestId('shortcuts').textContent()).toMatch(/Alt\+F final code/);
      await page.keyboard.press('Alt+KeyD');
      await page.keyboard.type('I50.23');
      // Enter before the list has settled waits for it and takes its highlighted (first) row.
      await page.keyboard.press('Enter');
      await page.getByTestId('diagnoses').getByText('I50.23').waitFor();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('POA I5023');
      await page.keyboard.press('Y');
      await expect.poll(() => page.getByLabel('POA I5023').inputValue()).toBe('Y');
      await expect.poll(() => page.getByTestId('working-drg').textContent(), { timeout: 20_000 }).toContain('293');
      await expect.poll(() => page.getByTestId('final-blocked').count(), { timeout: 20_000 }).toBe(0);
      await page.keyboard.press('Alt+KeyF');
      await page.getByText(/Final-coded \(version/).waitFor();
      await expect.poll(() => page.getByTestId('abstract-status').textContent()).toBe('final');
      expect(await abstractOf(enc.id)).toMatchObject({ status: 'final', final_drg: '293' });

      // The printed summary shows local date-times.
      await page.goto(`${baseUrl}/coding/encounters/${enc.id}/summary`);
      const summary = page.getByTestId('coding-summary');
      await summary.waitFor();
      expect(await summary.textContent()).toMatch(/final-coded \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
      expect(await summary.textContent()).toContain('I50.23');
      await expectAccessible(page, 'Printed coding summary');
    } finally {
      await page.close();
    }
  }, 120_000);

  it('shows the HIM director the open queries by physician and days waiting on the queries page', async () => {
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, server.user('him_director'));
      await expect.poll(() => new URL(page.url()).pathname).toBe('/reports');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queries' }).click();
      const aging = page.getByTestId('query-aging');
      await aging.waitFor();
      expect(await aging.textContent()).toMatch(/0-2 days.*3-7 days/);
      expect(await aging.locator('tbody tr').count()).toBeGreaterThan(0);
      await expectAccessible(page, 'Queries page, aging by physician');
    } finally {
      await page.close();
    }
  }, 60_000);

  it('filters the audit log by a patient typed by name or MRN and by a user chosen by name', async () => {
    const p = await deps.db
      .selectFrom('patients')
      .select(['id', 'mrn', 'family_name'])
      .where('restricted', '=', 0)
      .orderBy('mrn')
      .executeTakeFirstOrThrow();
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, server.user('auditor'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
      await page.getByLabel('Patient (name, MRN or id)').fill(p.mrn);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect.poll(() => page.getByTestId('audit-patient').textContent()).toContain(`MRN ${p.mrn}`);
      await expectAccessible(page, 'Audit log filtered by patient');
      const coderOption = await page.getByLabel('User').locator('option', { hasText: '(coder,' }).first().getAttribute('value');
      await page.getByLabel('User').selectOption(coderOption ?? '');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect.poll(() => new URL(page.url()).search).toBe('');
    } finally {
      await page.close();
    }
  }, 60_000);
});
