/**
 * Computer-assisted coding in a real browser (issue 25): a coder claims an inpatient encounter whose progress note
 * names its conditions, asks for suggestions, sees the evidence highlighted in the note, accepts the heart failure as
 * the principal diagnosis (the working MS-DRG follows) and acute kidney injury as a secondary, and rejects the
 * pneumonia with a reason. The knowledge is the small one the CAC tests learn from written notes (the real one takes
 * a minute to build); everything else is the real server over the demo hospital in Debian's Chromium.
 */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';
import type { AppDeps } from '../../src/app/deps.js';
import { documentsDepsOf } from '../../src/app/modules.js';
import { Role, systemActor } from '../../src/modules/access/index.js';
import { fixedKnowledge, smallCacKnowledge } from '../../src/modules/cac/cac-fixtures.test-support.js';
import { createDocumentsService } from '../../src/modules/documents/index.js';

const title = browserSuiteTitle('computer-assisted coding in the browser');

const NOTE = [
  'PROGRESS NOTE',
  'Hospital course: admitted with dyspnea and edema.',
  'Assessment: acute on chronic systolic heart failure. Acute kidney injury, improving with diuresis.',
  'Possible community acquired pneumonia on the chest film.',
  'Plan: continue diuretics, recheck creatinine.',
].join('\n');

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;
  let deps: AppDeps;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startDemoServer({
      patients: 20,
      withCodeSets: true,
      prepare: (d) => {
        d.cacKnowledge = fixedKnowledge(smallCacKnowledge());
      },
    });
    ({ deps, browser, baseUrl } = server);
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  it('suggests codes with their evidence highlighted; accepting one adds it to the abstract and moves the DRG', async () => {
    const page = await browser.newPage();
    try {
      await signIn(page, baseUrl, server!.user('coder'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Coding worklist' }).click();
      await page.getByTestId('worklist').waitFor();
      await page.getByLabel('Type').selectOption('inpatient');
      await page.getByRole('button', { name: 'Claim next' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/coding\/encounters\/[0-9a-f-]+$/);
      const encounterId = new URL(page.url()).pathname.split('/').pop()!;
      const enc = await deps.db.selectFrom('encounters').select(['patient_id']).where('id', '=', encounterId).executeTakeFirstOrThrow();
      const clerk = { ...systemActor('cac-browser'), role: Role.himClerk };
      const filed = await createDocumentsService(documentsDepsOf(deps)).fileDocument(clerk, {
        patientId: enc.patient_id,
        encounterId,
        typeCode: 'PN',
        source: 'system',
        content: { bytes: new TextEncoder().encode(NOTE), mediaType: 'text/plain' },
      });

      await page.reload();
      await page.getByRole('heading', { name: 'Code suggestions' }).waitFor();
      await page.getByRole('button', { name: 'Suggest codes' }).click();
      const aki = page.locator('tr[data-code="N179"]');
      await aki.waitFor();
      // The title comes from the code sets of the encounter's date.
      await expect.poll(() => aki.textContent()).toContain('Acute kidney failure, unspecified');
      // One diagnosis is marked as the suggested principal (the best-ranked one the code editor accepts as principal).
      await expect.poll(() => page.getByText('suggested principal', { exact: true }).count()).toBe(1);
      await expectAccessible(page, 'Coding screen with code suggestions');

      await page.getByRole('button', { name: 'Show evidence for N17.9' }).click();
      const text = page.getByTestId('cac-evidence-text');
      await expect.poll(async () => (await text.locator('mark').allTextContents()).join(' | ')).toMatch(/Acute kidney injury/);
      // The highlight is the note's own words at the offsets the server gave.
      const marked = await text.locator('mark').allTextContents();
      for (const m of marked) expect(NOTE).toContain(m);
      await expectAccessible(page, 'Coding screen with the evidence of a suggestion');

      await page.locator('tr[data-code="I5023"]').getByRole('button', { name: 'As principal' }).click();
      await page.getByText(/I50\.23 accepted as the principal diagnosis/).waitFor();
      await expect.poll(() => page.getByTestId('working-drg').first().textContent(), { timeout: 20_000 }).toMatch(/29[123]/);
      await page.getByRole('button', { name: 'Accept N17.9' }).click();
      await page.getByText(/N17\.9 accepted/).waitFor();
      await expect.poll(() => aki.textContent()).toContain('on the abstract');
      await page.getByLabel('POA N179').waitFor();

      const pneumonia = page.locator('tr[data-code="J189"]');
      await pneumonia.getByRole('button', { name: 'Reject J18.9' }).click();
      await pneumonia.getByLabel('Reason for rejecting J18.9').fill('not confirmed by the attending');
      await pneumonia.getByRole('button', { name: 'Reject', exact: true }).click();
      await expect.poll(() => pneumonia.textContent()).toContain('not confirmed by the attending');

      const decisions = await deps.db
        .selectFrom('cac_decisions')
        .select(['code', 'decision', 'accepted_as', 'evidence_document_id'])
        .where('encounter_id', '=', encounterId)
        .orderBy('decided_at')
        .execute();
      expect(decisions.map((d) => [d.code, d.decision, d.accepted_as])).toEqual([
        ['I5023', 'accepted', 'principal'],
        ['N179', 'accepted', 'secondary'],
        ['J189', 'rejected', null],
      ]);
      // Each decision links its evidence in one of the encounter's documents; the kidney injury is only in the new note.
      const ofEncounter = (await deps.db.selectFrom('documents').select('id').where('encounter_id', '=', encounterId).execute()).map(
        (d) => d.id,
      );
      for (const d of decisions) expect(ofEncounter).toContain(d.evidence_document_id);
      expect(decisions[1]!.evidence_document_id).toBe(filed.id);
    } finally {
      await page.close();
    }
  }, 180_000);
});
