/**
 * The HL7 message log in a real browser: an interface administrator pages back through the log, narrows it to
 * the failed messages and to one control id, opens a message's raw text (an audited read), and reprocesses a
 * message once the data it needed has arrived. Real server on an ephemeral port, fresh SQLite database with demo
 * data, Debian's Chromium through playwright-core.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/deps.js';
import { buildModuleDeps } from '../../src/app/modules.js';
import { DEMO_FACILITY_ID } from '../../src/modules/demo/index.js';
import { receiveHl7 } from '../../src/modules/interfaces/index.js';
import { browserSuiteTitle, hasChromium, signIn, startDemoServer, type DemoServer, expectAccessible } from './support.js';

const title = browserSuiteTitle('HL7 message log in the browser');

/** A v2.5.1 ADT message for a patient the demo hospital does not have yet. */
function adt(trigger: string, control: string): string {
  return (
    [
      `MSH|^~\\&|REG|MAIN|CUSTODIAN|${DEMO_FACILITY_ID}|20260301080000+0000||ADT^${trigger}^ADT_A01|${control}|P|2.5.1`,
      `EVN|${trigger}|20260301080000+0000`,
      'PID|1||E-BT-1^^^REG^MR||Brightwater^Oona^M||19750704|F|||12 Quarry Ln^^Ely^MN^55731||218-555-0199|||||V-BT-1',
      'PV1|1|I',
    ].join('\r') + '\r'
  );
}
/** A lab result: not ADT, acknowledged and stored as ignored. */
const oru = (control: string) =>
  `MSH|^~\\&|LAB|MAIN|CUSTODIAN|${DEMO_FACILITY_ID}|20260301080000+0000||ORU^R01^ORU_R01|${control}|P|2.5.1\rPID|1||L-${control}^^^LAB^MR||Test^Result\r`;

describe.skipIf(!hasChromium)(title, () => {
  let started: DemoServer | undefined;
  let server: DemoServer;
  let deps: AppDeps;
  let hl7: ReturnType<typeof buildModuleDeps>['interfaces'];
  let browser: Browser;
  let baseUrl: string;
  let cancelId: string;

  beforeAll(async () => {
    started = await startDemoServer({ patients: 10 });
    server = started;
    ({ deps, browser, baseUrl } = server);
    hl7 = buildModuleDeps(deps).interfaces;
    const cancel = await receiveHl7(hl7, adt('A11', 'BT-CANCEL'), { channel: 'file' });
    expect(cancel).toMatchObject({ status: 'error', ackCode: 'AE' });
    cancelId = cancel.messageId;
    expect(await receiveHl7(hl7, 'not an HL7 message at all', { channel: 'file' })).toMatchObject({ status: 'rejected', ackCode: 'AR' });
    for (let i = 0; i < 105; i++) expect((await receiveHl7(hl7, oru(`BT-LAB-${i}`), { channel: 'file' })).status).toBe('ignored');
  }, 120_000);

  afterAll(async () => {
    await started?.close();
  });

  const rows = (page: Page) => page.getByRole('table', { name: 'Messages received, newest first' }).locator('tbody tr');

  it('pages back through the log, filters it, shows a raw message and reprocesses a failed one', async () => {
    const admin = server.user('administrator');
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, admin, { totp: true });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'HL7 messages' }).click();

      // 107 messages: a page of 100 (newest first: the lab results), then the rest.
      await page.getByRole('button', { name: 'Load more' }).waitFor();
      await expectAccessible(page, 'admin: HL7 messages');
      expect(await rows(page).count()).toBe(100);
      expect(await rows(page).first().textContent()).toContain('BT-LAB-104');
      await page.getByRole('button', { name: 'Load more' }).click();
      await page.getByText('107 messages – end of the log for these filters.').waitFor();
      expect(await rows(page).last().textContent()).toContain('BT-CANCEL');

      // Failed messages only: the cancel of a visit nobody has, with its reason.
      await page.getByLabel('Status').selectOption('error');
      await page.getByText('1 message – end of the log for these filters.').waitFor();
      const stored = await deps.db.selectFrom('hl7_messages').select(['error_text']).where('id', '=', cancelId).executeTakeFirstOrThrow();
      expect(stored.error_text).toBeTruthy();
      expect(await rows(page).first().textContent()).toContain(stored.error_text!);

      // One control id, whatever its status.
      await page.getByLabel('Status').selectOption('');
      await page.getByLabel('Control id (MSH-10)').fill('BT-LAB-7');
      await page.getByRole('button', { name: 'Show messages' }).click();
      await page.getByText('1 message – end of the log for these filters.').waitFor();
      expect(await rows(page).first().textContent()).toMatch(/ORU\^R01.*BT-LAB-7.*ignored/);

      // Back to the failed one: its raw text, an audited read.
      await page.getByLabel('Control id (MSH-10)').fill('BT-CANCEL');
      await page.getByRole('button', { name: 'Show messages' }).click();
      await page.getByText('1 message – end of the log for these filters.').waitFor();
      await rows(page).first().getByRole('button', { name: 'View' }).click();
      await page.getByRole('heading', { name: 'Message BT-CANCEL' }).waitFor();
      expect(await page.locator('pre.raw-message').textContent()).toContain('PID|1||E-BT-1^^^REG^MR||Brightwater');
      const reads = await deps.db
        .selectFrom('audit_events')
        .select(['action'])
        .where('resource_type', '=', 'hl7_message')
        .where('resource_id', '=', cancelId)
        .execute();
      expect(reads.map((r) => r.action)).toContain('read');

      // The admission arrives; the cancel can now be applied.
      expect(await receiveHl7(hl7, adt('A01', 'BT-ADMIT'), { channel: 'file' })).toMatchObject({ status: 'applied' });
      await rows(page).first().getByRole('button', { name: 'Reprocess' }).click();
      await page.getByRole('status').filter({ hasText: 'Processed again: applied (AA)' }).waitFor();
      await rows(page)
        .filter({ hasText: /applied ×2.*AA/ })
        .waitFor();
      expect(await rows(page).first().getByRole('button', { name: 'Reprocess' }).count()).toBe(0);
      expect(
        await deps.db.selectFrom('hl7_messages').select(['status', 'attempts']).where('id', '=', cancelId).executeTakeFirstOrThrow(),
      ).toEqual({ status: 'applied', attempts: 2 });
      const visit = await deps.db
        .selectFrom('encounters')
        .select(['status'])
        .where('account_number', '=', 'V-BT-1')
        .executeTakeFirstOrThrow();
      expect(visit.status).toBe('cancelled');

      // The same administrator sets a physician's work email on the users screen (completion notices go there). One
      // sign-in: the second factor's code is accepted once per time step.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
      const physician = server.user('physician');
      const field = page.getByLabel(`Work email of ${physician.username}`);
      // The browser checks the address before sending (the server checks again: auth.http.test.ts).
      await field.fill('not an address');
      expect(await field.evaluate((el: HTMLInputElement) => el.validity.valid)).toBe(false);
      await field.fill('dr.demo@hospital.example');
      await field.locator('xpath=ancestor::form').getByRole('button', { name: 'Save' }).click();
      await page.getByText(`${physician.username}: work email saved.`).waitFor();
      await expectAccessible(page, 'user administration with a work email');
      const row = await deps.db.selectFrom('users').select('email').where('username', '=', physician.username).executeTakeFirstOrThrow();
      expect(row.email).toBe('dr.demo@hospital.example');
    } finally {
      await page.close();
    }
  }, 60_000);
});
