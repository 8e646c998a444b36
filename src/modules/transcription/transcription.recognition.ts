/**
 * The recognition job (`transcription.recognize`, payload: the dictation id): the system reads the dictation's audio,
 * runs the speech engine and saves the draft (text, words with timings and confidences) as version 1 of the text.
 * An engine failure is retried by the job queue; after the last attempt (or at once when the audio cannot be decoded)
 * the dictation is marked failed with the reason, and a transcriptionist may claim it and type from the audio.
 */
import { isoNow } from '../../core/shared/clock.js';
import { systemActor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { PermanentJobError, type JobHandler } from '../jobs/index.js';
import * as repo from './transcription.repository.js';
import { AUDIO_EXTENSIONS, DictationStatus } from './transcription.rules.js';
import type { TranscriptionDeps } from './transcription.views.js';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const SYSTEM = systemActor('transcription');

export type RecognitionDeps = Pick<TranscriptionDeps, 'db' | 'clock' | 'audit' | 'records' | 'audio' | 'speech'>;

export function createRecognitionHandler(deps: RecognitionDeps): JobHandler {
  return async ({ payload, job, signal, progress }) => {
    const id = typeof payload.dictationId === 'string' ? payload.dictationId : '';
    const loc = await repo.locateDictation(deps.db, id);
    if (!loc) throw new PermanentJobError('dictation not found');
    const scope = deps.records.forSystem(SYSTEM, { patientId: loc.patient_id, encounterId: loc.encounter_id });
    const d = await repo.findDictation(deps.db, scope, id);
    if (!d) throw new PermanentJobError('dictation not found');
    if (d.status !== DictationStatus.dictated && d.status !== DictationStatus.recognizing) return { skipped: d.status };
    await repo.updateDictation(
      deps.db,
      scope,
      id,
      { status: [d.status] },
      { status: DictationStatus.recognizing, updated_at: isoNow(deps.clock) },
    );
    const bytes = await deps.audio.get(d.audio_sha256);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'custodian-recognize-'));
    let result;
    try {
      const file = path.join(dir, `audio.${AUDIO_EXTENSIONS[d.audio_media_type] ?? 'bin'}`);
      await fs.writeFile(file, bytes, { mode: 0o600 });
      await progress(0.1, 'recognizing');
      result = await deps.speech.recognize(file, signal);
    } catch (e) {
      const message = (e instanceof Error ? e.message : 'recognition failed').replace(/audio\.\w+/g, 'the audio');
      const permanent = e instanceof PermanentJobError || (e as { problem?: string }).problem === 'undecodable';
      if (permanent || job.attempts >= job.maxAttempts) {
        await repo.updateDictation(
          deps.db,
          scope,
          id,
          { status: [DictationStatus.recognizing] },
          {
            status: DictationStatus.failed,
            error: message.slice(0, 500),
            updated_at: isoNow(deps.clock),
          },
        );
      }
      throw permanent ? new PermanentJobError(message) : new Error(message);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    const now = isoNow(deps.clock);
    await deps.db.transaction().execute(async (trx) => {
      const ok = await repo.updateDictation(
        trx,
        scope,
        id,
        { status: [DictationStatus.recognizing] },
        {
          status: DictationStatus.draft,
          engine: result.engine,
          draft_text: result.text,
          draft_words: JSON.stringify(result.words),
          text: result.text,
          text_version: 1,
          duration_seconds: result.durationSeconds,
          recognized_at: now,
          error: null,
          updated_at: now,
        },
      );
      if (!ok) return;
      await repo.insertVersion(trx, scope, {
        patient_id: scope.patientId,
        dictation_id: id,
        version: 1,
        kind: 'draft',
        text: result.text,
        saved_by: SYSTEM.userId,
        saved_at: now,
      });
      await recordAudit(trx, deps.audit, SYSTEM, {
        action: AuditAction.recognize,
        resourceType: 'transcription_dictation',
        resourceId: id,
        patientId: scope.patientId,
        outcome: 'success',
        detail: { words: result.words.length, engine: result.engine },
      });
    });
    return { words: result.words.length, seconds: result.durationSeconds };
  };
}
