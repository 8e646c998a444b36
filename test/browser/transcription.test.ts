/**
 * Dictation and transcription in a real browser (issue 23): the physician uploads a dictation (espeak-ng speech) on
 * the Dictate screen, speech recognition makes the draft from the job queue, the transcriptionist (HIM clerk) claims
 * it, clicks a recognized word (the player seeks there and highlights it), plays and pauses with F4, edits the report
 * (autosaved) and sends it for signature; the physician reviews it with the audio and signs with the password
 * re-entered, and the report is filed in the record. Every screen is checked for WCAG 2.1 AA. Real server, fresh
 * SQLite demo hospital, Debian's Chromium.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentsDepsOf, transcriptionDepsOf } from '../../src/app/modules.js';
import { createDocumentsService } from '../../src/modules/documents/index.js';
import { createJobRunner } from '../../src/modules/jobs/index.js';
import { createRecognitionHandler, RECOGNIZE_JOB_KIND } from '../../src/modules/transcription/index.js';
import { chromium } from 'playwright-core';
import { browserSuiteTitle, chromiumPath, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';

const title = browserSuiteTitle('dictation and transcription in the browser');

describe.skipIf(!hasChromium)(title, () => {
  let server: DemoServer | undefined;
  let dir: string;
  let wav: string;
  let mrn: string;

  beforeAll(async () => {
    server = await startDemoServer({ patients: 4 });
    dir = mkdtempSync(path.join(tmpdir(), 'custodian-dictation-'));
    wav = path.join(dir, 'dictation.wav');
    execFileSync('espeak-ng', ['-s', '150', '-w', wav, 'Patient stable. Discharge home.']);
    // A patient without the demo's own dictations, so the queue rows of this one are told by the MRN.
    const p = await server.deps.db
      .selectFrom('patients')
      .innerJoin('encounters', 'encounters.patient_id', 'patients.id')
      .select('patients.mrn')
      .where('patients.restricted', '=', 0)
      .where('patients.merged_into', 'is', null)
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('dictations').select('dictations.id').whereRef('dictations.patient_id', '=', 'patients.id'))),
      )
      .orderBy('patients.mrn')
      .executeTakeFirstOrThrow();
    mrn = p.mrn;
  }, 240_000);
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the physician dictates, the transcriptionist edits the draft with playback and sends it, and the physician signs it', async () => {
    const s = server!;
    const physician = await s.browser.newPage();
    const clerk = await s.browser.newPage();
    try {
      await signIn(physician, s.baseUrl, s.user('physician'));
      await physician.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dictate' }).click();
      await physician.getByRole('heading', { name: 'Dictate', level: 1 }).waitFor();
      await physician.getByLabel('Patient (name or MRN)').fill(mrn);
      await physician.getByRole('button', { name: 'Find' }).click();
      await physician.getByRole('list', { name: 'Patients found' }).getByRole('button').first().click();
      await physician.getByLabel('Encounter').selectOption({ index: 1 });
      await physician.getByLabel('Work type').selectOption('DS');
      await expectAccessible(physician, 'dictate');
      await physician.getByLabel(/Or upload an audio file/).setInputFiles(wav);
      await physician.getByRole('button', { name: 'Send dictation' }).click();
      await physician.getByText('Dictation received; recognition is queued.').waitFor();

      // The server’s recognition lane, run here: the queued jobs (the demo’s dictations and this one) make the drafts.
      const tx = transcriptionDepsOf(s.deps, createDocumentsService(documentsDepsOf(s.deps)));
      const jobs = createJobRunner({
        db: s.deps.db,
        clock: s.deps.clock,
        handlers: { [RECOGNIZE_JOB_KIND]: createRecognitionHandler(tx) },
      });
      while (await jobs.runOnce());

      await signIn(clerk, s.baseUrl, s.user('him_clerk'));
      await clerk.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transcription' }).click();
      const queue = clerk.getByRole('table', { name: 'Transcription queue' });
      const row = queue.getByRole('row').filter({ hasText: mrn });
      await row.getByText('Draft ready').waitFor();
      await expectAccessible(clerk, 'transcription queue');
      await row.getByRole('link', { name: /^Open/ }).click();
      await clerk.getByRole('button', { name: 'Claim for transcription' }).click();
      await clerk.getByRole('button', { name: 'Send for signature' }).waitFor();
      const words = clerk.locator('.words .word');
      await expect.poll(() => words.count()).toBeGreaterThan(0);
      // Clicking a word seeks the player to it, and the word is highlighted as the current one.
      const last = words.last();
      const start = Number(await last.getAttribute('data-start'));
      await last.click();
      await expect.poll(() => clerk.locator('audio').evaluate((a: HTMLAudioElement) => a.currentTime)).toBeGreaterThanOrEqual(start);
      await expect.poll(() => clerk.locator('.words .word.current').count()).toBe(1);
      await expectAccessible(clerk, 'transcription editor');
      // F4 plays and pauses (foot pedal): from the start, playing moves the highlight along the words.
      await clerk.locator('audio').evaluate((a: HTMLAudioElement) => {
        a.pause();
        a.currentTime = 0;
      });
      await clerk.keyboard.press('F4');
      await expect.poll(() => clerk.locator('audio').evaluate((a: HTMLAudioElement) => !a.paused || a.ended)).toBe(true);
      await expect.poll(() => clerk.locator('audio').evaluate((a: HTMLAudioElement) => a.currentTime)).toBeGreaterThan(0);
      await clerk.keyboard.press('F4');
      await expect.poll(() => clerk.locator('audio').evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);
      const report = 'DISCHARGE SUMMARY\nFinal diagnosis: community-acquired pneumonia.\nDisposition: home, stable.';
      // Typed with a slip; the medical spell check names it and its fix replaces it in place.
      await clerk.getByLabel('Transcription', { exact: true }).fill(report.replace('pneumonia', 'pnuemonia'));
      await clerk.getByRole('status').filter({ hasText: 'Saved (version 2)' }).waitFor();
      await clerk.getByRole('button', { name: 'Check spelling' }).click();
      await clerk.getByRole('list', { name: 'Unknown words' }).waitFor();
      await expectAccessible(clerk, 'transcription editor with the spell check');
      await clerk.getByRole('button', { name: 'Replace pnuemonia with pneumonia' }).click();
      await expect.poll(() => clerk.getByLabel('Transcription', { exact: true }).inputValue()).toBe(report);
      await clerk.getByRole('status').filter({ hasText: 'Saved (version 3)' }).waitFor();
      await clerk.getByRole('button', { name: 'Send for signature' }).click();
      await clerk.getByText('Sent for the physician’s signature.').waitFor();

      await physician.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transcription' }).click();
      const mine = physician.getByRole('table', { name: 'Transcription queue' }).getByRole('row').filter({ hasText: mrn });
      await mine.getByText('Awaiting signature').waitFor();
      await mine.getByRole('link', { name: /^Open/ }).click();
      await physician.getByRole('heading', { name: 'Discharge summary — review and sign', level: 1 }).waitFor();
      expect(await physician.getByLabel('Transcription', { exact: true }).inputValue()).toBe(report);
      await physician.locator('audio').waitFor();
      await expectAccessible(physician, 'transcription sign screen');
      await physician.getByLabel('Re-enter your password to sign').fill(s.user('physician').password);
      await physician.getByRole('button', { name: 'Sign report' }).click();
      await physician.getByText('Signed and filed in the record.').waitFor();
      await physician.getByRole('link', { name: 'open the document' }).waitFor();
      await expectAccessible(physician, 'transcription signed');
      const filed = await s.deps.db
        .selectFrom('dictations')
        .select(['status', 'document_id'])
        .where('status', '=', 'signed')
        .executeTakeFirstOrThrow();
      expect(filed.status).toBe('signed');
      const doc = await s.deps.db
        .selectFrom('documents')
        .select('type_code')
        .where('id', '=', filed.document_id!)
        .executeTakeFirstOrThrow();
      expect(doc.type_code).toBe('DS');
    } finally {
      await physician.close();
      await clerk.close();
    }
  }, 180_000);

  it('the physician records a dictation in the browser (MediaRecorder, pause and resume, level meter) and sends it', async () => {
    const s = server!;
    // Chromium's fake microphone (a tone), granted without a prompt: the recording path end to end.
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    });
    try {
      const context = await browser.newContext();
      await context.grantPermissions(['microphone'], { origin: s.baseUrl });
      const physician = await context.newPage();
      await signIn(physician, s.baseUrl, s.user('physician'));
      await physician.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dictate' }).click();
      await physician.getByLabel('Patient (name or MRN)').fill(mrn);
      await physician.getByRole('button', { name: 'Find' }).click();
      await physician.getByRole('list', { name: 'Patients found' }).getByRole('button').first().click();
      await physician.getByLabel('Work type').selectOption('PN');
      const before = await s.deps.db.selectFrom('dictations').select('id').execute();
      await physician.getByRole('button', { name: 'Start recording' }).click();
      await physician.getByText('Recording…').waitFor();
      // The level meter moves with the (fake) microphone's tone.
      await expect.poll(() => physician.locator('meter').evaluate((m: HTMLMeterElement) => m.value)).toBeGreaterThan(0);
      await physician.getByRole('button', { name: 'Pause' }).click();
      await physician.getByText('Paused').waitFor();
      await expectAccessible(physician, 'dictate while recording is paused');
      await physician.getByRole('button', { name: 'Resume' }).click();
      await physician.getByText('Recording…').waitFor();
      await physician.getByRole('button', { name: 'Stop' }).click();
      await physician.getByText('Recording ready to send').waitFor();
      await physician.getByRole('button', { name: 'Send dictation' }).click();
      await physician.getByText('Dictation received; recognition is queued.').waitFor();
      const after = await s.deps.db
        .selectFrom('dictations')
        .select(['id', 'status', 'work_type', 'audio_media_type', 'audio_bytes'])
        .where(
          'id',
          'not in',
          before.map((b) => b.id),
        )
        .execute();
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ status: 'dictated', work_type: 'PN' });
      expect(after[0]!.audio_media_type).toMatch(/^audio\/(webm|ogg)/);
      expect(after[0]!.audio_bytes).toBeGreaterThan(1000);
      await context.close();
    } finally {
      await browser.close();
    }
  }, 120_000);
});
