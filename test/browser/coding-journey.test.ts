/**
 * The coding journey in a real browser: a coder claims a discharged inpatient encounter, finds codes with the
 * inline encoder (a code, then words picked with the keyboard), sees the working MS-DRG change, sends a compliant
 * query (after the composer flags leading wording), the physician answers and signs it in the inbox, and the coder
 * final-codes. Real server on an ephemeral port, fresh SQLite with the demo seed, Debian's Chromium.
 */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';
import type { AppDeps } from '../../src/app/deps.js';

const title = browserSuiteTitle('coding journey in the browser');

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;
  let deps: AppDeps;
  let browser: Browser;
  let baseUrl: string;
  let users: { username: string; password: string; role: string }[];
  let codedAccount: string | null = null;

  beforeAll(async () => {
    server = await startDemoServer({ patients: 30, withCodeSets: true });
    ({ deps, browser, baseUrl } = server);
    users = server.seeded.users;
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  const user = (role: string) => {
    const u = users.find((x) => x.role === role);
    if (!u) throw new Error(`the demo seed has no ${role}`);
    return u;
  };

  it('takes an encounter from claim to final coding through a physician query', async () => {
    const coderPage = await browser.newPage();
    const physicianContext = await browser.newContext();
    const physicianPage = await physicianContext.newPage();
    try {
      // Claim the next inpatient encounter from the worklist.
      await signIn(coderPage, baseUrl, user('coder'));
      await coderPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Coding worklist' }).click();
      await coderPage.getByTestId('worklist').waitFor();
      await coderPage.getByLabel('Type').selectOption('inpatient');
      await coderPage.getByRole('button', { name: 'Claim next' }).click();
      await expect.poll(() => new URL(coderPage.url()).pathname).toMatch(/^\/coding\/encounters\/[0-9a-f-]+$/);
      const encounterId = new URL(coderPage.url()).pathname.split('/').pop()!;
      const enc = await deps.db
        .selectFrom('encounters')
        .select(['account_number', 'type'])
        .where('id', '=', encounterId)
        .executeTakeFirstOrThrow();
      expect(enc.type).toBe('inpatient');
      await coderPage.getByText('History and physical').first().waitFor();
      await expectAccessible(coderPage, 'Coding screen of a claimed encounter');

      // Principal diagnosis by code, secondary by words, picked with the keyboard.
      const dxSearch = coderPage.getByRole('combobox', { name: 'Find a diagnosis' });
      await dxSearch.fill('I50.23');
      await coderPage.getByRole('option', { name: /I50\.23/ }).waitFor();
      await dxSearch.press('Enter');
      await coderPage.getByLabel('POA I5023').selectOption('Y');
      const drg = coderPage.getByTestId('working-drg');
      await expect.poll(() => drg.textContent(), { timeout: 20_000 }).toContain('293');

      await dxSearch.fill('acute kidney failure');
      await coderPage.getByRole('option', { name: /N17\.9/ }).waitFor();
      // Down the list with the keyboard to N17.9, wherever the encoder ranks it.
      const highlighted = coderPage.locator('[role="option"][aria-selected="true"]');
      for (let i = 0; i < 10 && !/N17\.9/.test((await highlighted.textContent()) ?? ''); i++) await dxSearch.press('ArrowDown');
      await expect.poll(() => highlighted.textContent()).toMatch(/N17\.9/);
      await dxSearch.press('Enter');
      await coderPage.getByLabel('POA N179').selectOption('Y');
      await expect.poll(() => drg.textContent(), { timeout: 20_000 }).toContain('292');
      await expect.poll(() => drg.textContent()).toMatch(/N17\.9: CC/);
      await coderPage.getByRole('button', { name: 'Save draft' }).click();
      await coderPage.getByText(/Draft saved/).waitFor();

      // Compose a query: leading wording is flagged with the phrase; a compliant query goes to the physician.
      await coderPage.getByRole('button', { name: 'New query' }).click();
      const composer = coderPage.getByRole('form', { name: 'Query composer' });
      await composer
        .getByLabel('Physician')
        .selectOption({ label: 'Alice Morgan, MD' })
        .catch(async () => {
          const options = await composer.getByLabel('Physician').locator('option').allTextContents();
          const morgan = options.find((o) => o.startsWith('Alice Morgan'));
          if (!morgan) throw new Error('no Alice Morgan in the physician list');
          await composer.getByLabel('Physician').selectOption({ label: morgan });
        });
      await composer.getByLabel('Question').fill('The patient has acute kidney injury, please confirm so the DRG is right.');
      await composer.getByLabel('Option 1').fill('Acute kidney injury');
      await composer.getByLabel('Option 2').fill('Expected fluctuation of chronic kidney disease');
      await composer.getByRole('button', { name: 'Add indicator' }).click();
      await composer.getByLabel('Indicator 1', { exact: true }).fill('Creatinine 1.3 -> 2.2 -> 1.6 mg/dL');
      const compliance = coderPage.getByTestId('compliance');
      await expect.poll(() => compliance.textContent()).toContain('please confirm');
      expect(await compliance.textContent()).toContain('DRG');
      expect(await composer.getByRole('button', { name: 'Send query' }).isDisabled()).toBe(true);
      await composer
        .getByLabel('Question')
        .fill(
          'Creatinine rose from 1.3 to 2.2 mg/dL and improved to 1.6 mg/dL. Can the clinical significance of these values be further specified?',
        );
      await expect.poll(() => compliance.textContent()).toContain('Compliant');
      await composer.getByRole('button', { name: 'Send query' }).click();
      await coderPage.getByTestId('encounter-queries').getByText('open').waitFor();

      // The physician answers and signs in the inbox.
      await signIn(physicianPage, baseUrl, user('physician'));
      await physicianPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queries' }).click();
      const row = physicianPage.getByTestId('inbox').locator('tr', { hasText: enc.account_number }).filter({ hasText: 'open' }).last();
      await row.getByRole('button', { name: 'Read and answer' }).click();
      await physicianPage.getByTestId('query-question').waitFor();
      await expectAccessible(physicianPage, 'Query answer form');
      expect(await physicianPage.getByText('Creatinine 1.3 -> 2.2 -> 1.6 mg/dL').count()).toBeGreaterThan(0);
      await physicianPage.getByRole('radio', { name: 'Acute kidney injury' }).check();
      await physicianPage.getByRole('checkbox', { name: /I attest/ }).check();
      await physicianPage.getByRole('button', { name: 'Sign and send answer' }).click();
      await expect
        .poll(() =>
          physicianPage.getByTestId('inbox').locator('tr', { hasText: enc.account_number }).filter({ hasText: 'answered' }).count(),
        )
        .toBeGreaterThan(0);

      // Back on the worklist flagged as answered; the coder final-codes.
      await coderPage.reload();
      await coderPage.getByText(/A physician answered a query/).waitFor();
      await expect.poll(() => coderPage.getByTestId('encounter-queries').textContent()).toContain('Acute kidney injury');
      await expect.poll(() => coderPage.getByRole('button', { name: 'Final code' }).isEnabled(), { timeout: 20_000 }).toBe(true);
      await coderPage.getByRole('button', { name: 'Final code' }).click();
      await coderPage.getByText(/Final-coded \(version/).waitFor();
      await expect.poll(() => coderPage.getByTestId('abstract-status').textContent()).toBe('final');
      const stored = await deps.db
        .selectFrom('coding_abstracts')
        .select(['status', 'final_drg'])
        .where('encounter_id', '=', encounterId)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ status: 'final', final_drg: '292' });
      codedAccount = enc.account_number;
    } finally {
      await coderPage.close();
      await physicianContext.close();
    }
  }, 180_000);

  it('lets an auditor re-abstract the final-coded encounter blind and see the agreement after submitting', async () => {
    if (!codedAccount) throw new Error('the coding journey did not final-code an encounter');
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, user('auditor'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Coding audit' }).click();
      await page.getByTestId('audit-candidates').locator('tr', { hasText: codedAccount }).getByRole('button', { name: 'Audit' }).click();
      await page.getByRole('heading', { name: `Audit of account ${codedAccount}` }).waitFor();
      await expectAccessible(page, 'Coding audit, blind re-abstraction');
      // Blind: the coder's codes are not on the page before submission.
      expect(await page.locator('main').textContent()).not.toContain('N17.9');
      const dx = page.getByRole('combobox', { name: 'Find a diagnosis' });
      await dx.fill('I50.23');
      await page.getByRole('option', { name: /I50\.23/ }).waitFor();
      await dx.press('Enter');
      await page.getByText('PDX').waitFor();
      await page.getByRole('button', { name: 'Submit and compare' }).click();
      const agreement = page.getByTestId('agreement');
      await agreement.waitFor();
      expect(await agreement.textContent()).toContain('50%');
      expect(await agreement.textContent()).toMatch(/coder only: N17\.9/);
      await expectAccessible(page, 'Coding audit, comparison');
    } finally {
      await page.close();
    }
  }, 120_000);

  it('shows the HIM director the DNFB by age bucket and the query report', async () => {
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, user('him_director'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports', exact: true }).click();
      const ages = page.getByTestId('dnfb-age');
      await ages.waitFor();
      for (const bucket of ['0-3', '4-7', '8-14', '15-30', '30+']) expect(await ages.textContent()).toContain(bucket);
      await page.getByRole('heading', { name: 'Physician queries' }).waitFor();
      await expect.poll(() => page.locator('main').textContent()).toMatch(/Sent \d+, answered \d+/);
      await expectAccessible(page, 'Reports');
    } finally {
      await page.close();
    }
  }, 60_000);
});
