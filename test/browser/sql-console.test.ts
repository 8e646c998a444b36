/**
 * The analysts' SQL console in a real browser: the HIM director opens it from the main navigation, runs a SELECT and
 * sees the result table, runs one that passes the row cap and sees the truncated notice, and a write is refused with
 * its reason. Every state is checked for WCAG 2.1 AA. Real server, fresh SQLite demo hospital (a file: the console
 * opens it read-only), Debian's Chromium.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { repoRoot } from '../../src/config/config.js';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';

const title = browserSuiteTitle('SQL console in the browser');

/** True when the built web app already has the SQL console (the server serves dist/web as built). */
function webBuildHasConsole(): boolean {
  const assets = path.join(repoRoot, 'dist', 'web', 'assets');
  if (!existsSync(path.join(repoRoot, 'dist', 'web', 'index.html')) || !existsSync(assets)) return false;
  return readdirSync(assets).some((f) => {
    if (!f.endsWith('.js')) return false;
    const text = readFileSync(path.join(assets, f), 'utf8');
    return text.includes('sql-console-statement') && text.includes('Save filters');
  });
}

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;

  beforeAll(async () => {
    server = await startDemoServer({ patients: 3, isBuilt: webBuildHasConsole });
  }, 240_000);
  afterAll(async () => {
    await server?.close();
  });

  it('runs a SELECT, shows the truncated notice and refuses a write', { timeout: 60_000 }, async () => {
    const s = server!;
    const page = await s.browser.newPage();
    try {
      await signIn(page, s.baseUrl, s.user('him_director'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'SQL console' }).click();
      await page.getByRole('heading', { name: 'SQL console', level: 1 }).waitFor();
      const statement = page.getByRole('textbox', { name: 'Statement' });
      await statement.fill('select count(*) as patients from patients');
      await page.getByRole('button', { name: 'Run' }).click();
      await page.getByRole('table', { name: 'Result' }).getByRole('columnheader', { name: 'patients' }).waitFor();
      await expectAccessible(page, 'director: SQL console, a result');

      await statement.fill('with recursive r(n) as (select 1 union all select n + 1 from r where n < 1200) select n from r');
      await page.getByRole('button', { name: 'Run' }).click();
      await page.getByText(/1000 rows — truncated/).waitFor();
      await expectAccessible(page, 'director: SQL console, truncated');

      await statement.fill('delete from patients');
      await page.getByRole('button', { name: 'Run' }).click();
      await page.getByText(/only a SELECT or WITH statement is allowed, not DELETE/).waitFor();
      await expectAccessible(page, 'director: SQL console, refused');
    } finally {
      await page.close();
    }
  });

  it('saves the dashboard filters as a report, lists and deletes it', { timeout: 60_000 }, async () => {
    const s = server!;
    const page = await s.browser.newPage();
    try {
      await signIn(page, s.baseUrl, s.user('him_director'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Director dashboard' }).click();
      await page.getByRole('heading', { name: 'Director dashboard', level: 1 }).waitFor();
      await page.getByText('Saved reports', { exact: true }).click();
      const form = page.getByRole('form', { name: 'Save these filters' });
      await form.getByRole('textbox', { name: 'Name' }).fill('Monday DNFB');
      await form.getByRole('combobox', { name: 'Email' }).selectOption('weekly');
      await form.getByRole('textbox', { name: 'To (addresses)' }).fill('cfo@example.org');
      await form.getByRole('button', { name: 'Save filters' }).click();
      const list = page.getByRole('list', { name: 'Saved reports' });
      await list.getByText('Monday DNFB (weekly to 1)').waitFor();
      await expectAccessible(page, 'director: Director dashboard, saved reports');
      await list.getByRole('button', { name: 'Delete Monday DNFB' }).click();
      await page.getByText('Deleted “Monday DNFB”.').waitFor();
    } finally {
      await page.close();
    }
  });
});
