/**
 * The main user journey in a real browser: a coder signs in through the login form, finds a demo patient by name
 * and opens the patient summary. Runs the real server (buildApp) on an ephemeral port with a fresh SQLite database
 * seeded with demo data, and Debian's Chromium through playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppDeps } from '../../src/app/bootstrap.js';
import { loadConfig, repoRoot } from '../../src/config/config.js';
import { buildApp } from '../../src/http/app.js';
import type { AppDeps } from '../../src/http/context.js';
import { seedDemo } from '../../src/modules/demo/index.js';

const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) console.warn(`browser tests skipped: ${chromiumPath} is missing (apt-get install -y chromium)`);

interface DemoPatient {
  id: string;
  mrn: string;
  familyName: string;
  givenName: string;
  accountNumber: string;
}

const title = hasChromium ? 'patient journey in the browser' : `patient journey in the browser (skipped: ${chromiumPath} is missing)`;

describe.skipIf(!hasChromium)(title, () => {
  let dir: string;
  let deps: AppDeps;
  let closeDeps: () => Promise<void>;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let coder: { username: string; password: string };
  let patient: DemoPatient;

  beforeAll(async () => {
    // The server decides at start whether it can serve the web app, so build it first when missing.
    if (!existsSync(path.join(repoRoot, 'dist', 'web', 'index.html'))) {
      execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
    }
    dir = mkdtempSync(path.join(tmpdir(), 'custodian-browser-'));
    const config = loadConfig({ CUSTODIAN_VAR_DIR: dir, CUSTODIAN_DATABASE_URL: path.join(dir, 'custodian.sqlite'), CUSTODIAN_LOG_LEVEL: 'silent', CUSTODIAN_PORT: '0', CUSTODIAN_HOST: '127.0.0.1' });
    const opened = await openAppDeps(config);
    deps = opened.deps;
    closeDeps = opened.close;
    const seeded = await seedDemo(deps, { patients: 25 });
    const c = seeded.users.find((u) => u.role === 'coder');
    if (!c) throw new Error('the demo seed has no coder');
    coder = c;
    patient = await findDemoPatientWithEncounter(deps);
    app = await buildApp(deps);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('server has no TCP address');
    baseUrl = `http://127.0.0.1:${addr.port}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await closeDeps?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets a coder sign in, find a demo patient by name and open the summary with MRN and encounters', async () => {
    const page = await browser.newPage();
    const urls: string[] = [];
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) urls.push(f.url()); });
    try {
      await signIn(page, baseUrl, coder);
      await expect.poll(() => new URL(page.url()).pathname).toBe('/patients');

      await page.getByLabel('Name, MRN or date of birth').fill(`${patient.familyName}, ${patient.givenName}`);
      await page.keyboard.press('Enter');
      const row = page.locator('tbody tr', { hasText: patient.mrn });
      await row.waitFor();
      await row.getByRole('link').click();

      await page.getByTestId('patient-mrn').waitFor();
      expect(await page.getByTestId('patient-mrn').textContent()).toBe(patient.mrn);
      expect(await page.locator('h1').first().textContent()).toContain(patient.familyName.toUpperCase());
      await expect.poll(() => page.getByTestId('encounters').textContent()).toContain(patient.accountNumber);
      expect(new URL(page.url()).pathname).toBe(`/patients/${patient.id}`);

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
      await page.context().clearCookies();
      await page.getByLabel('Name, MRN or date of birth').fill(patient.mrn);
      await page.keyboard.press('Enter');
      await page.getByText('You were signed out after inactivity').waitFor();
      expect(await page.getByLabel('Username').isVisible()).toBe(true);
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
    } finally {
      await page.close();
    }
  });
});

async function signIn(page: Page, baseUrl: string, user: { username: string; password: string }): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

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
