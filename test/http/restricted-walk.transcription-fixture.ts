/**
 * The restricted record's dictations, for the restricted-record walk: a WAV of silence to upload, and a fresh
 * dictation of the record in the state each walk step needs (a draft to claim, one claimed by the role's user to edit
 * or send, one awaiting the walk physician's signature), inserted as the recognition job would leave it.
 */
import type { AppDeps } from '../../src/app/deps.js';
import { transcriptionDepsOf } from '../../src/app/modules.js';
import { newId } from '../../src/core/shared/ids.js';
import { createDocumentsService } from '../../src/modules/documents/index.js';
import { documentsDepsOf } from '../../src/app/modules.js';
import type { Role } from '../../src/modules/access/index.js';

/** Half a second of 16 kHz mono 16-bit silence as a WAV file (decodable by ffmpeg). */
export function silentWav(seconds = 0.5): Buffer {
  const pcm = Buffer.alloc(Math.round(16000 * seconds) * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + pcm.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(16000, 24);
  h.writeUInt32LE(32000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([h, pcm]);
}

/** The (one) signed-in walk user of a role. */
export async function walkUserOf(deps: AppDeps, role: Role): Promise<string> {
  const u = await deps.db.selectFrom('users').select('id').where('role', '=', role).orderBy('created_at').executeTakeFirstOrThrow();
  return u.id;
}

/**
 * A dictation (progress note) of the record: `draft` (to claim), `claimed` (in transcription by the role's user, or
 * awaiting the physician's signature when the role is physician), `awaiting` (awaiting the walk physician's signature).
 */
export async function makeWalkDictation(
  deps: AppDeps,
  ids: { patientId: string; e1: string },
  state: 'draft' | 'claimed' | 'awaiting',
  role: Role = 'physician',
): Promise<string> {
  const physician = await walkUserOf(deps, 'physician');
  const audio = transcriptionDepsOf(deps, createDocumentsService(documentsDepsOf(deps))).audio;
  const { sha256 } = await audio.put(silentWav());
  const now = deps.clock.now().toISOString();
  const awaiting = state === 'awaiting' || (state === 'claimed' && role === 'physician');
  const claimer = state === 'draft' ? null : awaiting ? await walkUserOf(deps, 'him_clerk') : await walkUserOf(deps, role);
  const id = newId();
  await deps.db
    .insertInto('dictations')
    .values({
      patient_id: ids.patientId,
      id,
      encounter_id: ids.e1,
      work_type: 'PN',
      priority: 'routine',
      status: state === 'draft' ? 'draft' : awaiting ? 'awaiting_signature' : 'in_transcription',
      dictated_by: physician,
      dictated_at: now,
      due_at: now,
      audio_sha256: sha256,
      audio_media_type: 'audio/wav',
      audio_bytes: 16044,
      duration_seconds: 0.5,
      engine: 'walk',
      draft_words: JSON.stringify([{ word: 'stable', start: 0.1, end: 0.4, confidence: 0.9 }]),
      draft_text: 'stable',
      text: 'stable',
      text_version: 1,
      claimed_by: claimer,
      claimed_at: claimer ? now : null,
      recognized_at: now,
      transcribed_at: awaiting ? now : null,
      transcribed_by: awaiting ? claimer : null,
      signed_at: null,
      signed_by: null,
      document_id: null,
      line_count: awaiting ? 1 : null,
      error: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}
