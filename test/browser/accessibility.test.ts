/**
 * WCAG 2.1 AA on every screen for every role (issue 26): each demo user signs in and visits every screen of its
 * navigation (read from the rendered Main navigation, so a screen added to web/src/nav.ts is checked without a change
 * here) and the record screens behind them; each is checked with axe-core and the control contrast check. The check
 * itself is shown to fail on planted violations, including the white-on-white button axe leaves as "needs review".
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';
import { accessibilityFindings } from './accessibility.js';

const title = browserSuiteTitle('WCAG 2.1 AA on every screen and role');
const roles = ['coder', 'clerk', 'director', 'physician', 'auditor', 'admin'] as const;

/** Goes to `to` inside the app (the client router listens to popstate), as a link would. */
async function goInApp(page: Page, to: string): Promise<void> {
  await page.evaluate((p) => {
    window.history.pushState(null, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, to);
  await page.locator('main h1').first().waitFor();
}

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;
  let browser: Browser;
  let baseUrl: string;
  /** Record screens with ids from the demo hospital. */
  let recordPaths: string[];
  /** Screens whose tabs a role has checked (see below). */
  const tabsChecked = new Set<string>();

  beforeAll(async () => {
    server = await startDemoServer({ patients: 8, withCodeSets: true });
    ({ browser, baseUrl } = server);
    const db = server.deps.db;
    const enc = await db
      .selectFrom('encounters')
      .innerJoin('patients', 'patients.id', 'encounters.patient_id')
      .select(['encounters.id as encounterId', 'patients.id as patientId'])
      .where('patients.restricted', '=', 0)
      .where('encounters.discharge_at', 'is not', null)
      .orderBy('encounters.discharge_at')
      .executeTakeFirstOrThrow();
    const doc = await db
      .selectFrom('documents')
      .innerJoin('patients', 'patients.id', 'documents.patient_id')
      .select('documents.id')
      .where('patients.restricted', '=', 0)
      .executeTakeFirstOrThrow();
    recordPaths = [
      `/patients/${enc.patientId}`,
      `/patients/${enc.patientId}/edit`,
      `/patients/${enc.patientId}/chart`,
      `/coding/encounters/${enc.encounterId}`,
      `/coding/encounters/${enc.encounterId}/summary`,
      `/documents/${doc.id}`,
      '/codes',
      '/no-such-screen',
    ];
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  it('the sign-in page has no WCAG 2.1 AA violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(baseUrl);
      await page.getByLabel('Username').waitFor();
      await expectAccessible(page, 'sign-in');
    } finally {
      await page.close();
    }
  });

  it.each(roles)(
    'every screen the %s reaches passes axe (WCAG 2.0/2.1 A, AA) and the control contrast check',
    async (role) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      try {
        await signIn(page, baseUrl, server!.user(roleName(role)), { totp: role === 'admin' });
        const failures: string[] = [];
        const check = (label: string) => expectAccessible(page, `${role}: ${label}`).catch((e: unknown) => failures.push(String(e)));
        await check('home');
        const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
        const paths = await nav.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
        expect(paths.length).toBeGreaterThan(0);
        for (const p of new Set([...paths, ...recordPaths])) {
          await goInApp(page, p);
          await check(p);
          // Each tab of a tabbed screen (Code lookup's search, index, PCS builder, check) is a screen of its own. A
          // tab's content is the same for every role (the role shows only in the navigation, checked on every screen
          // above), so the tabs are checked once, by the first role that reaches them.
          if (tabsChecked.has(p)) continue;
          tabsChecked.add(p);
          const tabs = page.locator('main [role=tab]');
          for (let t = 0; t < (await tabs.count()); t++) {
            const tab = tabs.nth(t);
            if ((await tab.getAttribute('aria-selected')) === 'true') continue;
            const name = (await tab.textContent()) ?? `tab ${t}`;
            await tab.click();
            await check(`${p}, tab ${name}`);
          }
        }
        // Every screen's findings in one message, not only the first screen's.
        expect(failures.join('\n\n')).toBe('');
      } finally {
        await page.close();
      }
    },
    240_000,
  );

  it('fails on planted violations: a field without a label, a description that is not rendered, white text on a white button (axe: needs review)', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    try {
      await page.setContent(
        '<!doctype html><html lang="en"><head><title>Planted</title></head><body><main><h1>Planted</h1>' +
          '<input type="text"><label for="dob">Birth date</label><input id="dob" aria-describedby="dob-err">' +
          '<button style="color:#fff;background:#fff;border:1px solid #555">Remove</button></main></body></html>',
      );
      const findings = await accessibilityFindings(page);
      expect(findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['label', 'control-contrast', 'idref-missing']));
      expect(findings.find((f) => f.rule === 'control-contrast')!.targets.join('\n')).toMatch(/button "Remove": 1\.00:1/);
      await expect(expectAccessible(page, 'planted')).rejects.toThrow(/planted: \d+ WCAG 2\.1 AA finding/);

      // The same page with the label and a visible button passes.
      await page.setContent(
        '<!doctype html><html lang="en"><head><title>Fixed</title></head><body><main><h1>Fixed</h1>' +
          '<label>Name <input type="text"></label><button style="color:#1a1a1a;background:#fff;border:1px solid #555">Remove</button></main></body></html>',
      );
      expect(await accessibilityFindings(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

/** The demo seed's role name for the short role names of the issue. */
function roleName(role: (typeof roles)[number]): string {
  return {
    coder: 'coder',
    clerk: 'him_clerk',
    director: 'him_director',
    physician: 'physician',
    auditor: 'auditor',
    admin: 'administrator',
  }[role];
}
