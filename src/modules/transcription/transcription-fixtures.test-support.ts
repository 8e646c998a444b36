/**
 * Test data for the transcription tests (not a test file itself): the completion world (physicians with passwords,
 * a discharged chart), the documents service wrapped with completion analysis as the application wires it, a dictation
 * audio store in a temporary folder, the real speech engine, and short spoken clips made with espeak-ng.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestDatabase } from '../../../test/support/databases.js';
import { localSpeechRecognizer } from '../../app/modules.js';
import { withCompletionAnalysis } from '../../app/completion-hooks.js';
// eslint-disable-next-line no-restricted-imports -- the completion module's test world (physicians, charts), not its surface
import { makeCompletionWorld, PASSWORD, type CompletionWorld } from '../completion/completion-fixtures.test-support.js';
import { createLocalBlobStore } from '../documents/index.js';
import { createJobRunner, type JobRunner } from '../jobs/index.js';
import { createRecognitionHandler } from './transcription.recognition.js';
import { RECOGNIZE_JOB_KIND } from './transcription.service.js';
import type { MdmDestination, TranscriptionDeps } from './transcription.views.js';

const run = promisify(execFile);
export { PASSWORD };

export interface TranscriptionWorld extends CompletionWorld {
  tx: TranscriptionDeps;
  jobs: JobRunner;
  /** Spoken words as audio of the format (wav from espeak-ng; others converted with ffmpeg). */
  speak(words: string, format?: 'wav' | 'flac' | 'mp3' | 'ogg' | 'm4a' | 'webm'): Promise<Uint8Array>;
}

export async function makeTranscriptionWorld(t: TestDatabase, opts: { mdm?: MdmDestination } = {}): Promise<TranscriptionWorld> {
  const w = await makeCompletionWorld(t);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-dictations-'));
  const documents = withCompletionAnalysis(w.docs, w.deps, (e) => {
    throw e;
  });
  const tx: TranscriptionDeps = {
    db: w.deps.db,
    clock: w.deps.clock,
    audit: w.deps.audit,
    records: w.deps.records,
    documents,
    audio: createLocalBlobStore({ dir: path.join(dir, 'blobs') }),
    speech: localSpeechRecognizer,
    verifyPassword: w.deps.verifyPassword!,
    mdm: opts.mdm,
    maxAudioBytes: 5 * 1024 * 1024,
  };
  const jobs = createJobRunner({ db: t.db, clock: w.deps.clock, handlers: { [RECOGNIZE_JOB_KIND]: createRecognitionHandler(tx) } });
  return {
    ...w,
    tx,
    jobs,
    async speak(words, format = 'wav') {
      const wav = path.join(dir, `${Math.random().toString(36).slice(2)}.wav`);
      await run('espeak-ng', ['-s', '160', '-w', wav, words]);
      if (format === 'wav') return new Uint8Array(fs.readFileSync(wav));
      const out = wav.replace(/\.wav$/, `.${format}`);
      const codec = {
        flac: ['-c:a', 'flac'],
        mp3: ['-c:a', 'libmp3lame'],
        ogg: ['-c:a', 'libvorbis'],
        m4a: ['-c:a', 'aac'],
        webm: ['-c:a', 'libopus'],
      }[format];
      await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', wav, ...codec, out]);
      return new Uint8Array(fs.readFileSync(out));
    },
    dispose() {
      w.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One signed-off dictation of the encounter with two text versions, for the MPI merge round trip (mpi.test.ts). */
export async function addTranscriptionRows(db: TestDatabase['db'], patientId: string, encounterId: string, userId: string): Promise<void> {
  const at = '2026-02-20T10:00:00.000Z';
  const id = `dict-${encounterId}`;
  await db
    .insertInto('dictations')
    .values({
      patient_id: patientId,
      id,
      encounter_id: encounterId,
      work_type: 'PN',
      priority: 'routine',
      status: 'in_transcription',
      dictated_by: userId,
      dictated_at: at,
      due_at: at,
      audio_sha256: 'b'.repeat(64),
      audio_media_type: 'audio/wav',
      audio_bytes: 100,
      duration_seconds: 1,
      engine: 'test',
      draft_words: '[]',
      draft_text: 'stable',
      text: 'Stable.',
      text_version: 2,
      claimed_by: userId,
      claimed_at: at,
      recognized_at: at,
      transcribed_at: null,
      transcribed_by: null,
      signed_at: null,
      signed_by: null,
      document_id: null,
      line_count: null,
      error: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const [version, kind, text] of [
    [1, 'draft', 'stable'],
    [2, 'autosave', 'Stable.'],
  ] as const)
    await db
      .insertInto('dictation_versions')
      .values({ patient_id: patientId, dictation_id: id, version, kind, text, saved_by: userId, saved_at: at })
      .execute();
}
