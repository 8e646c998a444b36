/**
 * The main user journey in a real browser: a coder signs in through the login form, finds a demo patient by name
 * and opens the patient summary. Runs the real server (buildApp) on an ephemeral port with a fresh SQLite database
 * seeded with demo data, and Debian's Chromium through playwright-core.
 */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';
import type { AppDeps } from '../../src/app/deps.js';

interface DemoPatient {
  id: string;
  mrn: string;
  familyName: string;
  givenName: string;
  accountNumber: string;
}

const title = browserSuiteTitle('patient journey in the browser');

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;
  let deps: AppDeps;
  let browser: Browser;
  let baseUrl: string;
  let coder: { username: string; password: string };
  let patient: DemoPatient;

  beforeAll(async () => {
    server = await startDemoServer({ patients: 25 });
    ({ deps, browser, baseUrl } = server);
    coder = server.user('coder');
    patient = await findDemoPatientWithEncounter(deps);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('lets a coder sign in, find a demo patient by name and open the summary with MRN and encounters', async () => {
    const page = await browser.newPage();
    const urls: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) urls.push(f.url());
    });
    try {
      await signIn(page, baseUrl, coder);
      // A coder lands on the coding worklist; the patient search is one link away.
      await expect.poll(() => new URL(page.url()).pathname).toBe('/coding');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/patients');

      await page.getByLabel('Name, MRN or date of birth').fill(`${patient.familyName}, ${patient.givenName}`);
      await page.keyboard.press('Enter');
      const row = page.locator('tbody tr', { hasText: patient.mrn });
      await row.waitFor();
      await expectAccessible(page, 'Patient search results');
      await row.getByRole('link').click();

      await page.getByTestId('patient-mrn').waitFor();
      expect(await page.getByTestId('patient-mrn').textContent()).toBe(patient.mrn);
      expect(await page.locator('h1').first().textContent()).toContain(patient.familyName.toUpperCase());
      await expect.poll(() => page.getByTestId('encounters').textContent()).toContain(patient.accountNumber);
      expect(new URL(page.url()).pathname).toBe(`/patients/${patient.id}`);
      await expectAccessible(page, 'Patient summary');

      // PHI never appears in the address bar: only the patient's random id.
      for (const u of [...urls, page.url()]) {
        expect(u).not.toContain(encodeURIComponent(patient.familyName));
        expect(u).not.toContain(patient.mrn);
      }
    } finally {
      await page.close();
    }
  });

  it('asks for a reason before opening a restricted record, then opens it', async () => {
    const restricted = await deps.db.selectFrom('patients').select(['id', 'mrn']).where('restricted', '=', 1).executeTakeFirst();
    if (!restricted) throw new Error('the demo seed has no restricted record');
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, coder);
      await page.goto(`${baseUrl}/patients/${restricted.id}`);
      const reason = page.getByLabel(/Reason for access/);
      await reason.waitFor();
      await expectAccessible(page, 'Restricted record, break the glass');
      await reason.fill('too short');
      expect(await page.getByRole('button', { name: /Break the glass/ }).isDisabled()).toBe(true);
      await reason.fill('Coding review of the current inpatient account');
      await page.getByRole('button', { name: /Break the glass/ }).click();
      await page.getByTestId('patient-mrn').waitFor();
      expect(await page.getByTestId('patient-mrn').textContent()).toBe(restricted.mrn);
      const grant = await deps.db.selectFrom('break_glass').select(['reason']).where('patient_id', '=', restricted.id).executeTakeFirst();
      expect(grant?.reason).toBe('Coding review of the current inpatient account');
    } finally {
      await page.close();
    }
  });

  it('returns to sign-in with the inactivity message when the server has ended the session', async () => {
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, coder);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
      await page.getByLabel('Name, MRN or date of birth').waitFor();
      await page.context().clearCookies();
      await page.getByLabel('Name, MRN or date of birth').fill(patient.mrn);
      await page.keyboard.press('Enter');
      await page.getByText('You were signed out after inactivity').waitFor();
      expect(await page.getByLabel('Username').isVisible()).toBe(true);
      await expectAccessible(page, 'Sign-in after inactivity');
    } finally {
      await page.close();
    }
  });

  it('answers wrong credentials with a message on the login form', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${baseUrl}/patients`);
      await page.getByLabel('Username').fill(coder.username);
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).not.toBe('');
      expect(await page.getByLabel('Password').inputValue()).toBe('');
      await expectAccessible(page, 'Sign-in with wrong credentials');
    } finally {
      await page.close();
    }
  });
});

/** A demo patient who is not restricted and has at least one encounter. */
async function findDemoPatientWithEncounter(deps: AppDeps): Promise<DemoPatient> {
  const row = await deps.db
    .selectFrom('patients as p')
    .innerJoin('encounters as e', 'e.patient_id', 'p.id')
    .select(['p.id', 'p.mrn', 'p.family_name', 'p.given_name', 'e.account_number'])
    .where('p.restricted', '=', 0)
    .orderBy('p.mrn')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new Error('the demo seed has no unrestricted patient with an encounter');
  return { id: row.id, mrn: row.mrn, familyName: row.family_name, givenName: row.given_name, accountNumber: row.account_number };
}
