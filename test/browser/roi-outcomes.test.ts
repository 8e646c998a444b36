/**
 * Release of information in a real browser, the outcomes besides a plain release: an HIM clerk logs requests with
 * the legal documents on file (a court order releases; a subpoena without satisfactory assurance is denied with the
 * 164.524/164.512 letter), enters an insurer's 164.508 authorization from the paper form and sees the check's defect
 * and then its validity, records the patient's revocation, extends a patient's accounting request with the written
 * notice and makes the accounting letter, releases the attorney's request with its invoice, and sends it by a secure
 * link that the recipient opens (no account) with the passcode after a wrong one, and releases a patient's copy with
 * two areas to redact, one typed and one drawn with the mouse on the page, stored with the release. Every screen
 * visited is checked for WCAG 2.1 AA. Real server, fresh SQLite demo hospital, Debian's Chromium.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/config.js';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';

const title = browserSuiteTitle('release of information outcomes in the browser');

/** True when the built web app already has these screens (the server serves dist/web as built). */
function webBuildHasRoiOutcomes(): boolean {
  const assets = path.join(repoRoot, 'dist', 'web', 'assets');
  if (!existsSync(path.join(repoRoot, 'dist', 'web', 'index.html')) || !existsSync(assets)) return false;
  return readdirSync(assets).some(
    (f) => f.endsWith('.js') && readFileSync(path.join(assets, f), 'utf8').includes('Find and redact by rule'),
  );
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** Logs a request from the queue's form for the patient of `mrn` and opens it. */
async function logAndOpen(
  page: Page,
  mrn: string,
  r: { type: string; name: string; accounting?: boolean; facts?: string[]; checkQueue?: boolean },
) {
  await page.getByRole('link', { name: 'Release of information' }).click();
  await page.getByLabel('Patient (name or MRN)').fill(mrn);
  await page.getByRole('button', { name: 'Find' }).click();
  await page.getByRole('list', { name: 'Patients found' }).getByRole('button').filter({ hasText: mrn }).click();
  const form = page.getByRole('form', { name: 'New request' });
  await form.getByLabel('Requester type').selectOption({ label: r.type });
  await form.getByLabel('Requester name').fill(r.name);
  if (r.accounting) await form.getByLabel('Asks for').selectOption({ label: 'Accounting of disclosures' });
  for (const f of r.facts ?? []) await form.getByRole('checkbox', { name: f }).check();
  if (r.checkQueue) await expectAccessible(page, 'ROI queue: logging a request with its legal documents');
  await form.getByRole('button', { name: 'Log the request' }).click();
  await page.getByText('Request logged').waitFor();
  await page
    .getByRole('table', { name: 'ROI requests' })
    .getByRole('row')
    .filter({ hasText: r.name })
    .getByRole('link', { name: 'Open' })
    .click();
  await page.getByRole('heading', { name: `ROI request: ${r.type}`, level: 1 }).waitFor();
}

const blockers = (page: Page) => page.getByRole('list', { name: 'Blockers' });

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;
  let mrn = '';

  beforeAll(async () => {
    server = await startDemoServer({ patients: 10, isBuilt: webBuildHasRoiOutcomes });
    const p = await server.deps.db
      .selectFrom('patients')
      .select('mrn')
      .where('restricted', '=', 0)
      .orderBy('mrn')
      .executeTakeFirstOrThrow();
    mrn = p.mrn;
  }, 240_000);
  afterAll(async () => {
    await server?.close();
  });

  it('releases under a court order on file, denies a subpoena without assurance, checks an authorization and records its revocation', async () => {
    const s = server!;
    const page = await s.browser.newPage();
    try {
      await signIn(page, s.baseUrl, s.user('him_clerk'));
      await logAndOpen(page, mrn, {
        type: 'Court order',
        name: 'Superior Court, Department 4',
        facts: ['Court order (or the legal document) on file — 164.512(e)(1)(i)'],
        checkQueue: true,
      });
      await page.getByText('Nothing blocks the release.').waitFor();
      await expectAccessible(page, 'ROI request: court order');

      await logAndOpen(page, mrn, { type: 'Subpoena', name: 'Clerk of the County Court' });
      await blockers(page).getByText('subpoena_without_assurance').waitFor();
      const deny = page.getByRole('form', { name: 'Deny' });
      await deny.getByLabel('Ground for denial').selectOption('no_valid_basis');
      await deny.getByLabel('Explanation').fill('No satisfactory assurance and no authorization came with the subpoena.');
      await deny.getByRole('button', { name: 'Deny' }).click();
      await page.getByText('Denied: the letter gives the reason and review rights.').waitFor();
      await page.getByText('No satisfactory assurance and no authorization came with the subpoena.').first().waitFor();
      await expectAccessible(page, 'ROI request: subpoena denied');

      await logAndOpen(page, mrn, { type: 'Insurer', name: 'Acme Life Insurance' });
      await blockers(page).getByText('authorization_missing').waitFor();
      const auth = page.getByRole('form', { name: 'Authorization form' });
      await auth.getByLabel('Description of the information', { exact: true }).fill('Discharge summaries of the last two years');
      await auth.getByLabel('Who may disclose', { exact: true }).fill('Custodian General Hospital');
      await auth.getByLabel('Recipient', { exact: true }).fill('Acme Life Insurance');
      await auth.getByLabel('Purpose', { exact: true }).fill('Life insurance application');
      await auth.getByLabel('Expiration date', { exact: true }).fill(daysAgo(-365));
      await auth.getByLabel('Signed by', { exact: true }).selectOption('patient');
      await auth.getByLabel('Signature date', { exact: true }).fill(daysAgo(3));
      for (const box of [
        'States the right to revoke',
        'Says how to revoke',
        'States that treatment or payment',
        'Written in plain language',
      ])
        await auth.getByRole('checkbox', { name: box }).check();
      await auth.getByRole('button', { name: 'Check and save the authorization' }).click();
      await page.getByRole('list', { name: 'Authorization defects' }).getByText('missing_redisclosure_statement').waitFor();
      await blockers(page).getByText('authorization_invalid').waitFor();
      await expectAccessible(page, 'ROI request: insurer, defective authorization');

      await auth.getByRole('checkbox', { name: 'Warns of redisclosure by the recipient' }).check();
      await auth.getByRole('button', { name: 'Check and save the authorization' }).click();
      await page.getByText('valid (45 CFR 164.508)').waitFor();
      await page.getByText('Nothing blocks the release.').waitFor();
      const revoke = page.getByRole('form', { name: 'Revocation' });
      await revoke.getByRole('button', { name: 'Record the revocation' }).click();
      await blockers(page).getByText('authorization_revoked').waitFor();
      await page.getByText(/Revoked in writing on \d{4}-\d{2}-\d{2}/).waitFor();
      await expectAccessible(page, 'ROI request: insurer, revoked');
    } finally {
      await page.close();
    }
  }, 180_000);

  it('extends an accounting request with its written notice and makes the accounting letter', async () => {
    const s = server!;
    const page = await s.browser.newPage();
    try {
      await signIn(page, s.baseUrl, s.user('him_clerk'));
      await logAndOpen(page, mrn, { type: 'Patient', name: 'The patient, accounting', accounting: true });
      const ext = page.getByRole('form', { name: 'Extension' });
      await ext.getByLabel('Reason for the extension').fill('Records of the period are stored off-site');
      await ext.getByRole('button', { name: 'Send the extension notice' }).click();
      await page.getByText('Extended: the written notice is recorded.').waitFor();
      await page.getByText(/We need more time to act on it, for this reason: Records of the period are stored off-site/).waitFor();
      await page.getByText(/45 CFR 164\.528\(c\)\(1\)\(ii\)/).waitFor();
      await expectAccessible(page, 'ROI request: accounting extended');

      await page.getByRole('button', { name: 'Make the accounting letter' }).click();
      const link = page.getByRole('link', { name: 'Accounting of disclosures (PDF)' });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(
        readFileSync(await download.path())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      await expectAccessible(page, 'ROI request: accounting answered');
    } finally {
      await page.close();
    }
  }, 180_000);

  it('releases with the invoice shown, logs a mailing, and the recipient opens a secure link with its passcode', async () => {
    const s = server!;
    const page = await s.browser.newPage();
    const recipient = await s.browser.newPage(); // its own context: no session
    try {
      await signIn(page, s.baseUrl, s.user('him_clerk'));
      await page.getByRole('link', { name: 'Release of information' }).click();
      const queue = page.getByRole('table', { name: 'ROI requests' });
      await queue.getByRole('row').filter({ hasText: 'Harlan & Pike LLP' }).getByRole('link', { name: 'Open' }).click();
      await page.getByRole('heading', { name: 'ROI request: Attorney', level: 1 }).waitFor();
      const boxes = page.getByRole('group', { name: 'Documents to release' }).getByRole('checkbox', { disabled: false });
      await boxes.first().waitFor();
      for (const box of await boxes.all()) await box.check();
      await page.getByRole('button', { name: 'Save the selection' }).click();
      await page.getByText(/^Selected \d+ documents\.$/).waitFor();
      await page.getByRole('button', { name: 'Release and make the packet' }).click();
      await page.getByText('Released: the disclosure and invoice are recorded.').waitFor();
      const invoice = page.getByRole('table', { name: 'Invoice' });
      await expect
        .poll(async () => (await invoice.getByRole('row').filter({ hasText: 'Total' }).textContent()) ?? '')
        .toMatch(/\$\d+\.\d\d/);

      const mail = page.getByRole('form', { name: 'Mailing' });
      await mail.getByLabel('Carrier').fill('USPS Certified Mail');
      await mail.getByLabel('Tracking number').fill('9407 1118 9956');
      await mail.getByRole('button', { name: 'Log the mailing' }).click();
      await page
        .getByRole('list', { name: 'Deliveries' })
        .getByText(/Mailed .* by USPS Certified Mail, tracking 9407 1118 9956/)
        .waitFor();

      await page.getByRole('form', { name: 'Secure link' }).getByRole('button', { name: 'Make a secure download link' }).click();
      const shown = page.getByRole('status').filter({ hasText: 'Passcode' });
      await shown.waitFor();
      const url = ((await shown.locator('.mono').first().textContent()) ?? '').trim();
      const passcode = ((await shown.locator('strong').textContent()) ?? '').trim();
      expect(url).toMatch(/\/roi-download\/[\w-]{40,}$/);
      expect(passcode).toMatch(/^[A-Z2-9]{8}$/);
      await expectAccessible(page, 'ROI request: attorney released and sent');

      await recipient.goto(url);
      await recipient.getByRole('heading', { name: 'Download your records' }).waitFor();
      await expectAccessible(recipient, 'Secure download: passcode');
      await recipient.getByRole('textbox', { name: 'Passcode' }).fill('WRONG234');
      await recipient.getByRole('button', { name: 'Open' }).click();
      await recipient.getByText(/4 attempt\(s\) left/).waitFor();
      await recipient.getByRole('textbox', { name: 'Passcode' }).fill(passcode);
      await recipient.getByRole('button', { name: 'Open' }).click();
      const save = recipient.getByRole('link', { name: 'Save the records (PDF)' });
      const [download] = await Promise.all([recipient.waitForEvent('download'), save.click()]);
      expect(
        readFileSync(await download.path())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      await expectAccessible(recipient, 'Secure download: opened');

      await page.reload();
      await page
        .getByRole('list', { name: 'Deliveries' })
        .getByText(/downloaded 1 time\(s\); 4 passcode attempt\(s\) left/)
        .waitFor();
    } finally {
      await recipient.close();
      await page.close();
    }
  }, 180_000);

  it('releases a patient copy with one area typed and one drawn on a discharge summary page, stored with the release', async () => {
    const s = server!;
    const page = await s.browser.newPage();
    try {
      await signIn(page, s.baseUrl, s.user('him_clerk'));
      await logAndOpen(page, mrn, { type: 'Patient', name: 'The patient, redacted copy' });
      const box = page
        .getByRole('group', { name: 'Documents to release' })
        .getByRole('checkbox', { name: /Discharge summary/ })
        .first();
      await box.check();
      const doc = page.getByRole('region', { name: /^Redaction: Discharge summary/ });
      await doc.getByText('Page 1 of 1').waitFor();
      await doc.getByLabel('Page', { exact: true }).fill('1');
      await doc.getByLabel('Left (% of width)').fill('10');
      await doc.getByLabel('Top (% of height)').fill('20');
      await doc.getByLabel('Width (%)').fill('30');
      await doc.getByLabel('Height (%)').fill('5');
      await doc.getByRole('button', { name: 'Add the area' }).click();
      const list = doc.getByRole('list', { name: /^Areas on / });
      await list.getByText('Page 1: 10% from the left, 20% from the top, 30% × 5%').waitFor();

      // The mouse: a drag over the page from (50%, 50%) to (75%, 60%).
      const overlay = doc.getByTestId('roi-redact-overlay');
      await doc.locator('[data-testid="roi-redact-overlay"][data-ready="true"]').waitFor();
      const r = (await overlay.boundingBox())!;
      await page.mouse.move(r.x + r.width * 0.5, r.y + r.height * 0.5);
      await page.mouse.down();
      await page.mouse.move(r.x + r.width * 0.6, r.y + r.height * 0.55, { steps: 3 });
      await page.mouse.move(r.x + r.width * 0.75, r.y + r.height * 0.6, { steps: 3 });
      await page.mouse.up();
      await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
      await expectAccessible(page, 'ROI request: areas to redact');

      await page.getByRole('button', { name: 'Save the selection' }).click();
      await page.getByText(/^Selected 1 documents and 2 areas to redact\.$/).waitFor();
      await page.getByRole('checkbox', { name: 'Phone numbers' }).check();
      await page.getByRole('button', { name: 'Release and make the packet' }).click();
      await page.getByText('Released: the disclosure and invoice are recorded.').waitFor();
      // Drawn areas: the PDF packet, not the FHIR copy of the documents as filed.
      expect(await page.getByRole('button', { name: 'Make the FHIR copy' }).count()).toBe(0);
      await expectAccessible(page, 'ROI request: released with areas redacted');

      const row = await s.deps.db
        .selectFrom('roi_requests')
        .select(['redactions', 'status', 'selected'])
        .where('requester_name', '=', 'The patient, redacted copy')
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('released');
      const [docId] = JSON.parse(row.selected) as string[];
      const areas = (JSON.parse(row.redactions) as Record<string, { page: number; x: number; y: number; width: number; height: number }[]>)[
        docId!
      ]!;
      expect(areas).toHaveLength(2);
      expect(areas[0]).toEqual({ page: 1, x: 0.1, y: 0.2, width: 0.3, height: 0.05 });
      expect(areas[1]!.page).toBe(1);
      expect(areas[1]!.x).toBeCloseTo(0.5, 1);
      expect(areas[1]!.y).toBeCloseTo(0.5, 1);
      expect(areas[1]!.width).toBeCloseTo(0.25, 1);
      expect(areas[1]!.height).toBeCloseTo(0.1, 1);
    } finally {
      await page.close();
    }
  }, 180_000);
});
