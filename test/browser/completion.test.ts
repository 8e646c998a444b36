/**
 * Chart completion in a real browser (issue 18): the HIM analyst reviews a discharged chart whose history and physical
 * and discharge summary are filed but unsigned (42 CFR 482.24(c)(1)), the attending physician signs both from the
 * completion inbox with the attestation and the password re-entered, and the analyst sees the chart complete. Every
 * screen visited is checked for WCAG 2.1 AA. Real server, fresh SQLite demo hospital, Debian's Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentsDepsOf } from '../../src/app/modules.js';
import { Role, systemActor } from '../../src/modules/access/index.js';
import { createDocumentsService } from '../../src/modules/documents/index.js';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';

const title = browserSuiteTitle('chart completion in the browser');

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;
  let account: string;
  /** The worklist filter that lists the chart before it is complete: delinquent from day 31 after discharge. */
  let listedAs: 'incomplete' | 'delinquent';

  beforeAll(async () => {
    server = await startDemoServer({ patients: 4 });
    const { deps } = server;
    // The demo physician's latest discharged inpatient stay has two unsigned progress notes (the demo seed's); it also
    // gets the H&P and a discharge summary stating the final diagnosis, authored and signed by the physician, so the
    // two notes are what stands between the chart and complete.
    const physician = await deps.db
      .selectFrom('users')
      .select(['id', 'provider_id'])
      .where('username', '=', server.user('physician').username)
      .executeTakeFirstOrThrow();
    const stay = await deps.db
      .selectFrom('encounters')
      .innerJoin('patients', 'patients.id', 'encounters.patient_id')
      .select(['encounters.id', 'encounters.patient_id', 'encounters.admit_at', 'encounters.discharge_at', 'encounters.account_number'])
      .where('encounters.attending_provider_id', '=', physician.provider_id)
      .where('encounters.type', '=', 'inpatient')
      .where('encounters.status', '=', 'discharged')
      .where('patients.restricted', '=', 0)
      .orderBy('encounters.discharge_at', 'desc')
      .executeTakeFirstOrThrow();
    account = stay.account_number;
    const days = (deps.clock.now().getTime() - Date.parse(stay.discharge_at ?? stay.admit_at)) / 86_400_000;
    listedAs = days > 30 ? 'delinquent' : 'incomplete';
    const docs = createDocumentsService(documentsDepsOf(deps));
    const clerk = { ...systemActor('browser-test'), role: Role.himClerk };
    for (const [typeCode, docTitle, text, at] of [
      ['HP', 'History and physical', 'History and physical.\nChief complaint: cough and fever.', stay.admit_at],
      ['DS', 'Discharge summary', 'Discharge summary.\nFinal diagnosis: community-acquired pneumonia.', stay.discharge_at ?? stay.admit_at],
    ] as const) {
      const filed = await docs.fileDocument(clerk, {
        patientId: stay.patient_id,
        encounterId: stay.id,
        typeCode,
        title: docTitle,
        authorId: physician.id,
        authorName: 'Alice Morgan, MD',
        serviceAt: at,
        source: 'system',
        content: { bytes: new TextEncoder().encode(text), mediaType: 'text/plain', fileName: `${typeCode}.txt` },
      });
      await docs.sign({ ...clerk, userId: physician.id, role: Role.physician }, filed.id, {
        attestation: 'Electronically signed by the attending physician',
        role: 'author',
      });
    }
  }, 240_000);
  afterAll(async () => {
    await server?.close();
  });

  it('an analyst reviews a discharged chart, the physician signs two documents from the inbox, and the chart is complete', async () => {
    const s = server!;
    const analyst = await s.browser.newPage();
    const physician = await s.browser.newPage();
    try {
      await signIn(analyst, s.baseUrl, s.user('him_clerk'));
      await analyst.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chart completion' }).click();
      await analyst.getByRole('heading', { name: 'Chart completion', level: 1 }).waitFor();
      await analyst.getByRole('table', { name: 'Completion worklist' }).waitFor();
      await analyst.getByLabel('Show').selectOption(listedAs);
      await expectAccessible(analyst, 'completion worklist');
      await analyst.getByRole('button', { name: `Review chart ${account}` }).click();
      const review = analyst.getByRole('region', { name: 'Chart review' });
      await review.getByRole('button', { name: 'Analyse again' }).click();
      await analyst.getByText('Chart analysed.').waitFor();
      const deficiencies = review.getByRole('table', { name: 'Deficiencies' });
      const unsigned = deficiencies.getByRole('row').filter({ hasText: 'Document not signed' });
      await expect.poll(() => unsigned.filter({ hasText: 'open' }).count()).toBe(2);
      expect(await review.getByTestId('record-status').textContent()).not.toBe('complete');
      await expectAccessible(analyst, 'chart review');
      // What the physician's signatures cannot complete (the demo's first discharge summary states no final diagnosis;
      // the one filed later does) the analyst waives with a reason, as the bylaws allow.
      analyst.on('dialog', (d) => void d.accept('Superseded by the discharge summary filed later'));
      const others = deficiencies
        .getByRole('row')
        .filter({ hasNotText: 'Document not signed' })
        .filter({ has: analyst.getByRole('button', { name: 'Waive' }) });
      while ((await others.count()) > 0) {
        const before = await others.count();
        await others.first().getByRole('button', { name: 'Waive' }).click();
        await expect.poll(() => others.count()).toBeLessThan(before);
      }

      await signIn(physician, s.baseUrl, s.user('physician'));
      await physician.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Completion inbox' }).click();
      await physician.getByRole('heading', { name: 'Completion inbox', level: 1 }).waitFor();
      const inbox = physician.getByRole('table', { name: 'Open deficiencies' });
      const rows = inbox.getByRole('row').filter({ hasText: account });
      await expect.poll(() => rows.count()).toBe(2);
      await expectAccessible(physician, 'completion inbox');
      for (const row of await rows.all()) await row.getByRole('checkbox').check();
      await physician.getByLabel('Re-enter your password to sign 2 documents').fill(s.user('physician').password);
      await physician.getByRole('button', { name: 'Sign selected' }).click();
      await physician.getByText('2 signed.').waitFor();
      await expect.poll(() => inbox.getByRole('row').filter({ hasText: account }).count()).toBe(0);
      await expectAccessible(physician, 'completion inbox after signing');

      // The analyst's next look: signing completed both deficiencies and the record at once.
      await analyst.getByLabel('Show').selectOption('complete');
      await analyst.getByRole('button', { name: `Review chart ${account}` }).click();
      await expect.poll(() => review.getByTestId('record-status').textContent()).toBe('complete');
      expect(await unsigned.filter({ hasText: 'completed' }).count()).toBe(2);
      await expectAccessible(analyst, 'chart review, complete');
    } finally {
      await analyst.close();
      await physician.close();
    }
  }, 120_000);

  it('the HIM director opens the completion reports: charts by type, age and monthly rate with their tables, scorecards and exports', async () => {
    const s = server!;
    const page = await s.browser.newPage();
    try {
      await signIn(page, s.baseUrl, s.user('him_director'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Completion reports' }).click();
      await page.getByRole('heading', { name: 'Completion reports', level: 1 }).waitFor();
      for (const name of [/^Outstanding deficiencies by type:/, /^Outstanding deficiencies by age in days:/, /flag line at 50%$/])
        await page.getByRole('img', { name }).waitFor();
      await page.getByText('Table: Delinquency rate by month').click();
      await page.getByRole('table', { name: 'Delinquency rate by month' }).waitFor();
      const cards = page.getByRole('table', { name: 'Physician scorecards' });
      await cards.waitFor();
      await expectAccessible(page, 'completion reports');
      const csv = await page.getByRole('link', { name: 'Export scorecards CSV' }).getAttribute('href');
      expect(csv).toBe('/api/reports/completion/scorecards?format=csv');
      const res = await page.request.get(`${s.baseUrl}${csv}`);
      expect(res.status()).toBe(200);
      expect((await res.text()).split('\r\n')[1]).toBe(
        'provider,assigned,completed,completed on time,median days to complete,disputes,open now,delinquent records now,suspended',
      );
    } finally {
      await page.close();
    }
  }, 120_000);
});
