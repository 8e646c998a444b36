/**
 * Billing in a real browser: the HIM director (biller) opens the claim edit worklist of the demo hospital, releases a
 * batch of 837I claims and downloads the interchange, loads an 835 the test writes for the released claims (one paid
 * with a contractual adjustment, one denied CO-50) and sees the posting results, then works the denial (an appeal)
 * and looks at A/R. Every screen visited is checked for WCAG 2.1 AA. Real server, fresh SQLite demo hospital with the
 * billing demo, Debian's Chromium.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/config.js';
import { build835 } from '../../src/core/x12/remit-fixtures.test-support.js';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';

const title = browserSuiteTitle('billing in the browser');

/** True when the built web app already has the billing screens (the server serves dist/web as built). */
function webBuildHasBilling(): boolean {
  const assets = path.join(repoRoot, 'dist', 'web', 'assets');
  if (!existsSync(path.join(repoRoot, 'dist', 'web', 'index.html')) || !existsSync(assets)) return false;
  return readdirSync(assets).some(
    (f) => f.endsWith('.js') && readFileSync(path.join(assets, f), 'utf8').includes('data only, for pre-printed forms'),
  );
}

const money = (cents: number) => (cents / 100).toFixed(2);

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'custodian-billing-browser-'));

  beforeAll(async () => {
    server = await startDemoServer({ patients: 12, billing: true, withCodeSets: true, isBuilt: webBuildHasBilling });
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('releases a batch, posts an 835 for it and works the denial', async () => {
    const s = server!;
    const page = await s.browser.newPage();
    try {
      await signIn(page, s.baseUrl, s.user('him_director'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
      await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
      const claims = page.getByRole('table', { name: 'Claims' });
      await claims.getByText('ready', { exact: true }).first().waitFor();
      await expectAccessible(page, 'Billing: claims');

      await claims.getByRole('row').filter({ hasText: '837I' }).filter({ hasText: 'ready' }).first().getByRole('link').click();
      await page.getByRole('heading', { name: 'Scrub edits' }).waitFor();
      await page.getByRole('table', { name: 'Claim lines' }).waitFor();
      await expectAccessible(page, 'Billing: claim');

      const tabs = page.getByRole('navigation', { name: 'Billing' });
      await tabs.getByRole('link', { name: 'Release batch' }).click();
      await page.getByRole('heading', { name: 'Release claims', level: 1 }).waitFor();
      await page.getByText(/\d+ ready 837I claims\./).waitFor();
      await expectAccessible(page, 'Billing: release');
      await page.getByRole('button', { name: 'Release 837I batch' }).click();
      await page.getByText(/claims released in interchange/).waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Download 837i-/ }).click()]);
      const x12 = readFileSync(await download.path(), 'utf8');
      expect(x12.startsWith('ISA*')).toBe(true);
      expect(x12).toContain('005010X223A2');
      await expectAccessible(page, 'Billing: released');

      // The payer answers the batch just released: the first claim paid, the second denied.
      const released = await s.deps.db
        .selectFrom('claims')
        .select(['patient_control_number', 'total_cents'])
        .where('status', '=', 'released')
        .where('kind', '=', '837I')
        .where('interchange_control_number', '=', /ISA(?:\*[^*]*){12}\*(\d{9})/.exec(x12)?.[1] ?? '')
        .where((eb) => eb.not(eb.exists(eb.selectFrom('remittance_postings as p').select('p.id').whereRef('p.claim_id', '=', 'claims.id'))))
        .orderBy('patient_control_number')
        .execute();
      expect(released.length).toBeGreaterThanOrEqual(2);
      const [paid, denied] = released as [(typeof released)[number], (typeof released)[number]];
      const allowed = Math.round(paid.total_cents * 0.4);
      const file = path.join(dir, 'payment.835');
      writeFileSync(
        file,
        build835({
          trace: 'BROWSER-EFT-1',
          body: [
            'LX*1',
            `CLP*${paid.patient_control_number}*1*${money(paid.total_cents)}*${money(allowed)}*0*MA*BRICN1*11*1`,
            `CAS*CO*45*${money(paid.total_cents - allowed)}`,
            `CLP*${denied.patient_control_number}*4*${money(denied.total_cents)}*0*0*MA*BRICN2*11*1`,
            `CAS*CO*50*${money(denied.total_cents)}`,
            'MOA***N115',
          ],
        }),
      );
      await tabs.getByRole('link', { name: 'Remittance' }).click();
      await page.getByRole('heading', { name: 'Remittance', level: 1 }).waitFor();
      await expectAccessible(page, 'Billing: remittance');
      await page.getByLabel('X12 file').setInputFiles(file);
      await page.getByRole('button', { name: 'Post the 835' }).click();
      await page.getByText('The file was posted.').waitFor();
      const results = page.getByRole('table', { name: 'Claims of payment BROWSER-EFT-1' });
      await results.getByRole('row').filter({ hasText: denied.patient_control_number }).getByText('denial').waitFor();
      await expectAccessible(page, 'Billing: posting results');

      await tabs.getByRole('link', { name: 'Denials' }).click();
      const denials = page.getByRole('table', { name: 'Denials' });
      const row = denials.getByRole('row').filter({ hasText: denied.patient_control_number });
      await row.getByRole('cell', { name: 'Open', exact: true }).waitFor();
      await expectAccessible(page, 'Billing: denials');
      await row.getByRole('link', { name: /^Work/ }).click();
      const work = page.getByRole('form', { name: 'Work the denial' });
      await work.getByLabel('Step').selectOption('appeal');
      await work.getByLabel('Note').fill('Appeal with the echocardiogram and H&P sent to the payer');
      await work.getByRole('button', { name: 'Record step' }).click();
      await page.getByText('Step recorded: the denial is Appealed.').waitFor();
      await page.getByRole('heading', { name: 'Denial work' }).waitFor();
      await expectAccessible(page, 'Billing: denial worked');

      await tabs.getByRole('link', { name: 'Denials' }).click();
      await page.getByLabel('Work status').selectOption('appealed');
      await denials.getByRole('row').filter({ hasText: denied.patient_control_number }).getByText('Appealed').waitFor();

      // The corrected claim: a replacement (frequency 7) in the denied claim's place, with the payer's claim number.
      await denials.getByRole('row').filter({ hasText: denied.patient_control_number }).getByRole('link', { name: /^Work/ }).click();
      await page.getByRole('button', { name: 'Build replacement claim' }).click();
      await page.getByText(/^Replacement claim built and scrubbed: (ready|draft)/).waitFor();
      await expectAccessible(page, 'Billing: replacement claim');
      const replaced = await s.deps.db
        .selectFrom('claims')
        .select(['data', 'status'])
        .where('patient_control_number', '=', denied.patient_control_number)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(replaced.data)).toMatchObject({ frequencyCode: '7', originalClaimNumber: 'BRICN2' });
      expect(replaced.status).not.toBe('released');

      await tabs.getByRole('link', { name: 'A/R ageing' }).click();
      await page.getByRole('heading', { name: 'A/R ageing', level: 1 }).waitFor();
      await page.getByRole('table', { name: /^Accounts receivable on / }).waitFor();
      await expectAccessible(page, 'Billing: A/R');
    } finally {
      await page.close();
    }
  }, 240_000);
});
