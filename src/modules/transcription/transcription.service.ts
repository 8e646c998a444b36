/**
 * Dictation and transcription: a physician dictates (uploads or records audio), recognition makes a draft on the job
 * queue, a transcriptionist claims and edits it against the audio (autosaved versions) and sends it for signature, and
 * the physician reviews, may edit, and signs with the password re-entered; the signed report is filed and signed
 * through the documents service (so chart completion re-analyses the encounter) and an MDM^T02 is queued.
 *
 * Every use opens the record through the record-access step (`transcription_dictation`), so a restricted record's
 * dictations need break-the-glass like the record; each change is audited in its transaction. Audio is PHI: it is
 * kept encrypted in the blob store and read only through `readDictationAudio`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { conflict, forbidden, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import type { Db } from '../../db/database.js';
import { anyOf, Permission, roleHas, scopeDetail, type Actor, type PermissionRule, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { enqueueJob } from '../jobs/index.js';
import { enqueueMdm } from './transcription.outbound.js';
import * as repo from './transcription.repository.js';
import {
  AUDIO_EXTENSIONS,
  detectAudioType,
  DictationStatus,
  dueAtOf,
  lineCountOf,
  NewDictationSchema,
  parseInput,
  Priority,
  QueueQuerySchema,
  SaveTextSchema,
  SignSchema,
  transitionProblem,
  workTypeOf,
  type DictationAction,
  type NewDictation,
} from './transcription.rules.js';
import {
  dictationDetail,
  dictationView,
  withheldView,
  type DictationDetail,
  type DictationView,
  type TranscriptionDeps,
} from './transcription.views.js';

/** The job kind of recognition (payload: the dictation id only). */
export const RECOGNIZE_JOB_KIND = 'transcription.recognize';
const RESOURCE = 'transcription_dictation';
const P = Permission;
/** Who may see a dictation: the dictating physicians and the transcriptionists. */
const anyTranscription = anyOf(P.transcriptionDictate, P.transcriptionEdit);

async function openDictation(
  deps: TranscriptionDeps,
  actor: Actor,
  id: string,
  permission: PermissionRule,
  mode: 'read' | 'write',
): Promise<RecordScope> {
  const loc = await repo.locateDictation(deps.db, id);
  if (!loc) throw notFound('dictation');
  return deps.records.open(actor, { patientId: loc.patient_id }, { permission, mode, resourceType: RESOURCE, resourceId: id });
}

async function audit(
  deps: TranscriptionDeps,
  trx: Db,
  scope: RecordScope,
  action: AuditAction,
  id: string,
  detail?: Record<string, unknown>,
): Promise<void> {
  await recordAudit(trx, deps.audit, scope.actor, {
    action,
    resourceType: RESOURCE,
    resourceId: id,
    patientId: scope.patientId,
    outcome: 'success',
    detail: scopeDetail(scope, detail),
  });
}

async function detailOf(deps: TranscriptionDeps, scope: RecordScope, id: string): Promise<DictationDetail> {
  const row = await repo.findDictation(deps.db, scope, id);
  if (!row) throw notFound('dictation');
  return dictationDetail(row, deps.clock.now());
}

/** Runs fn with the bytes written to a temporary file (the speech engine reads files), removed after. */
async function withTempFile<T>(bytes: Uint8Array, ext: string, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'custodian-dictation-'));
  try {
    const file = path.join(dir, `audio.${ext}`);
    await fs.writeFile(file, bytes, { mode: 0o600 });
    return await fn(file);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * A new dictation by the physician (the actor): its audio checked by decoding (WAV, FLAC, MP3, M4A/AAC, OGG, WebM),
 * stored encrypted, and recognition queued in the same transaction (STAT first).
 */
export async function createDictation(
  deps: TranscriptionDeps,
  actor: Actor,
  input: NewDictation,
  audio: { bytes: Uint8Array },
): Promise<DictationView> {
  const m = parseInput(NewDictationSchema, input);
  const scope = await deps.records.open(
    actor,
    { patientId: m.patientId },
    { permission: P.transcriptionDictate, mode: 'write', resourceType: RESOURCE },
  );
  if (scope.mergedInto) throw conflict('this record was merged into another: dictate under the surviving record');
  if (m.encounterId) {
    const enc = await deps.db.selectFrom('encounters').select('patient_id').where('id', '=', m.encounterId).executeTakeFirst();
    if (enc?.patient_id !== scope.patientId) throw invalid("encounterId: must be an encounter of the patient's record");
  }
  if (audio.bytes.length === 0) throw invalid('audio: the file is empty');
  if (audio.bytes.length > deps.maxAudioBytes) throw invalid(`audio: larger than the ${deps.maxAudioBytes} bytes allowed`);
  const mediaType = detectAudioType(audio.bytes);
  if (!mediaType) throw invalid('audio: not WAV, FLAC, MP3, M4A/AAC, OGG or WebM audio');
  let durationSeconds: number;
  try {
    ({ durationSeconds } = await withTempFile(audio.bytes, AUDIO_EXTENSIONS[mediaType] ?? 'bin', (f) => deps.speech.decode(f)));
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/audio\.\w+/g, 'the file') : 'unknown error';
    throw invalid(`audio: cannot be decoded (${why})`);
  }
  const { sha256 } = await deps.audio.put(audio.bytes);
  const id = newId();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertDictation(trx, scope, {
      patient_id: scope.patientId,
      id,
      encounter_id: m.encounterId ?? null,
      work_type: m.workType,
      priority: m.priority,
      status: DictationStatus.dictated,
      dictated_by: actor.userId,
      dictated_at: now.toISOString(),
      due_at: dueAtOf(m.workType, m.priority, now).toISOString(),
      audio_sha256: sha256,
      audio_media_type: mediaType,
      audio_bytes: audio.bytes.length,
      duration_seconds: durationSeconds,
      engine: null,
      draft_words: null,
      draft_text: null,
      text: null,
      text_version: 0,
      claimed_by: null,
      claimed_at: null,
      recognized_at: null,
      transcribed_at: null,
      transcribed_by: null,
      signed_at: null,
      signed_by: null,
      document_id: null,
      line_count: null,
      error: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    await enqueueJob(trx, deps.clock, {
      kind: RECOGNIZE_JOB_KIND,
      payload: { dictationId: id },
      patientId: scope.patientId,
      dedupeKey: `${RECOGNIZE_JOB_KIND}:${id}`,
      priority: m.priority === Priority.stat ? 10 : 0,
      maxAttempts: 3,
    });
    await audit(deps, trx, scope, AuditAction.create, id, { workType: m.workType, priority: m.priority, bytes: audio.bytes.length });
  });
  return dictationView((await repo.findDictation(deps.db, scope, id))!, deps.clock.now());
}

/** One dictation with its current text and recognized words (an audited read of the record). */
export async function getDictation(deps: TranscriptionDeps, actor: Actor, id: string): Promise<DictationDetail> {
  const scope = await openDictation(deps, actor, id, anyTranscription, 'read');
  return detailOf(deps, scope, id);
}

/** The dictation's audio (an audited read of the record). */
export async function readDictationAudio(
  deps: TranscriptionDeps,
  actor: Actor,
  id: string,
): Promise<{ bytes: Uint8Array; mediaType: string }> {
  const loc = await repo.locateDictation(deps.db, id);
  if (!loc) throw notFound('dictation');
  const scope = await deps.records.open(
    actor,
    { patientId: loc.patient_id },
    { permission: anyTranscription, mode: 'read', resourceType: RESOURCE, resourceId: id, detail: { part: 'audio' } },
  );
  const row = await repo.findDictation(deps.db, scope, id);
  if (!row) throw notFound('dictation');
  return { bytes: await deps.audio.get(row.audio_sha256), mediaType: row.audio_media_type };
}

/** The saved versions of a dictation's text (draft, autosaves, send, signature). */
export async function listDictationVersions(deps: TranscriptionDeps, actor: Actor, id: string) {
  const scope = await openDictation(deps, actor, id, anyTranscription, 'read');
  return (await repo.listVersions(deps.db, scope, id)).map((v) => ({
    version: v.version,
    kind: v.kind,
    text: v.text,
    savedBy: v.saved_by,
    savedAt: v.saved_at,
  }));
}

/**
 * The queue: dictations by status, work type and priority, STAT first then by due time. A transcriptionist sees all;
 * a physician (without `transcription:edit`) sees their own. A restricted record the user has not opened shows its
 * existence, status and clock only.
 */
export async function listDictationQueue(deps: TranscriptionDeps, actor: Actor, query: unknown = {}): Promise<DictationView[]> {
  const q = parseInput(QueueQuerySchema, query);
  const list = await deps.records.openList(actor, { permission: anyTranscription, resourceType: RESOURCE });
  const own = q.mine === true || !roleHas(actor.role, P.transcriptionEdit);
  const statuses = q.status
    ? [q.status]
    : [
        DictationStatus.dictated,
        DictationStatus.recognizing,
        DictationStatus.draft,
        DictationStatus.failed,
        DictationStatus.inTranscription,
        DictationStatus.awaitingSignature,
      ];
  const rows = await repo.listDictations(deps.db, list, {
    statuses,
    ...(q.workType ? { workType: q.workType } : {}),
    ...(q.priority ? { priority: q.priority } : {}),
    ...(own ? { dictatedBy: actor.userId } : {}),
    limit: 1000,
  });
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: RESOURCE,
      outcome: 'success',
      detail: { resultCount: rows.length },
    }),
  );
  const now = deps.clock.now();
  const views = rows.map((r) => {
    const v = {
      ...dictationView(r, now),
      mrn: r.mrn,
      patientName: `${r.family_name}, ${r.given_name}`,
      dictatedByName: r.dictated_by_name,
    };
    return list.showsDetails({ patientId: r.patient_id, restricted: r.restricted }) ? v : withheldView(v);
  });
  // STAT first (the due time already orders within each); withheld rows last so order tells nothing hidden.
  const rank = (v: DictationView) => (v.details ? 0 : 2) + (v.priority === Priority.stat ? 0 : 1);
  return views.sort((a, b) => rank(a) - rank(b) || a.dueAt.localeCompare(b.dueAt));
}

function checkMove(action: DictationAction, status: string): void {
  const problem = transitionProblem(action, status);
  if (problem) throw conflict(problem);
}

/** A transcriptionist claims a dictation (draft, or a failed recognition to type from the audio). */
export async function claimDictation(deps: TranscriptionDeps, actor: Actor, id: string): Promise<DictationDetail> {
  const scope = await openDictation(deps, actor, id, P.transcriptionEdit, 'write');
  await deps.db.transaction().execute(async (trx) => {
    const d = await repo.findDictation(trx, scope, id);
    if (!d) throw notFound('dictation');
    checkMove('claim', d.status);
    if (d.status === DictationStatus.inTranscription && d.claimed_by !== actor.userId)
      throw conflict('another transcriptionist has claimed this dictation');
    const now = isoNow(deps.clock);
    const ok = await repo.updateDictation(
      trx,
      scope,
      id,
      { status: [d.status] },
      {
        status: DictationStatus.inTranscription,
        claimed_by: actor.userId,
        claimed_at: d.claimed_by === actor.userId ? d.claimed_at : now,
        text: d.text ?? '',
        updated_at: now,
      },
    );
    if (!ok) throw conflict('the dictation changed meanwhile: reload it');
    await audit(deps, trx, scope, AuditAction.claim, id);
  });
  return detailOf(deps, scope, id);
}

/** Who may edit now: the claiming transcriptionist while in transcription, the dictating physician awaiting signature. */
function checkEditor(actor: Actor, d: { status: string; claimed_by: string | null; dictated_by: string }): void {
  if (d.status === DictationStatus.inTranscription && d.claimed_by !== actor.userId)
    throw forbidden('only the transcriptionist who claimed this dictation may edit it');
  if (d.status === DictationStatus.awaitingSignature && d.dictated_by !== actor.userId)
    throw forbidden('only the dictating physician may edit a report awaiting their signature');
}

/** Saves the text as a new version (autosave); refused when someone saved a newer version since `baseVersion`. */
async function saveTextIn(
  deps: TranscriptionDeps,
  trx: Db,
  scope: RecordScope,
  id: string,
  input: { text: string; baseVersion: number },
  kind: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const d = await repo.findDictation(trx, scope, id);
  if (!d) throw notFound('dictation');
  checkMove('save', d.status);
  checkEditor(scope.actor, d);
  if (d.text_version !== input.baseVersion)
    throw conflict(`the text was saved since version ${input.baseVersion} (now ${d.text_version}): reload it`);
  const version = d.text_version + 1;
  const now = isoNow(deps.clock);
  const ok = await repo.updateDictation(
    trx,
    scope,
    id,
    { status: [d.status], textVersion: d.text_version },
    {
      text: input.text,
      text_version: version,
      updated_at: now,
      ...extra,
    },
  );
  if (!ok) throw conflict('the text was saved meanwhile: reload it');
  await repo.insertVersion(trx, scope, {
    patient_id: scope.patientId,
    dictation_id: id,
    version,
    kind,
    text: input.text,
    saved_by: scope.actor.userId,
    saved_at: now,
  });
}

/** The editor's autosave (and explicit save): a new version of the text. */
export async function saveDictationText(deps: TranscriptionDeps, actor: Actor, id: string, input: unknown): Promise<DictationDetail> {
  const s = parseInput(SaveTextSchema, input);
  const scope = await openDictation(deps, actor, id, anyTranscription, 'write');
  await deps.db.transaction().execute(async (trx) => {
    await saveTextIn(deps, trx, scope, id, s, 'autosave');
    await audit(deps, trx, scope, AuditAction.update, id, { version: s.baseVersion + 1 });
  });
  return detailOf(deps, scope, id);
}

/** The transcriptionist sends the transcription for the physician's signature (with the last edits). */
export async function sendForSignature(deps: TranscriptionDeps, actor: Actor, id: string, input: unknown): Promise<DictationDetail> {
  const s = parseInput(SaveTextSchema, input);
  if (s.text.trim() === '') throw invalid('text: an empty transcription cannot be sent for signature');
  const scope = await openDictation(deps, actor, id, P.transcriptionEdit, 'write');
  await deps.db.transaction().execute(async (trx) => {
    const d = await repo.findDictation(trx, scope, id);
    if (!d) throw notFound('dictation');
    checkMove('send', d.status);
    await saveTextIn(deps, trx, scope, id, s, 'send', {
      status: DictationStatus.awaitingSignature,
      transcribed_at: isoNow(deps.clock),
      transcribed_by: actor.userId,
      line_count: lineCountOf(s.text),
    });
    await audit(deps, trx, scope, AuditAction.submit, id, { lines: lineCountOf(s.text) });
  });
  return detailOf(deps, scope, id);
}

/**
 * The dictating physician signs (attestation and the password re-entered, 42 CFR 482.24(c)(1)): the report is filed as
 * a document of the work type through the documents service and signed there as its author (the documents service
 * and the completion decorator then re-analyse the chart), the dictation becomes signed and its MDM^T02 is queued.
 */
export async function signDictation(deps: TranscriptionDeps, actor: Actor, id: string, input: unknown): Promise<DictationDetail> {
  const s = parseInput(SignSchema, input);
  const scope = await openDictation(deps, actor, id, P.transcriptionDictate, 'write');
  let d = await repo.findDictation(deps.db, scope, id);
  if (!d) throw notFound('dictation');
  checkMove('sign', d.status);
  if (d.dictated_by !== actor.userId) throw forbidden('only the dictating physician may sign this report');
  if (!(await deps.verifyPassword(actor.userId, s.password))) {
    await deps.db.transaction().execute((trx) =>
      recordAudit(trx, deps.audit, actor, {
        action: AuditAction.sign,
        resourceType: RESOURCE,
        resourceId: id,
        patientId: scope.patientId,
        outcome: 'failure',
        detail: { reason: 'password' },
      }),
    );
    throw invalid('password: the password does not match; re-enter your own password to sign');
  }
  if (s.text !== undefined && s.text !== d.text) {
    const edit = { text: s.text, baseVersion: s.baseVersion ?? d.text_version };
    await deps.db.transaction().execute(async (trx) => {
      await saveTextIn(deps, trx, scope, id, edit, 'autosave');
      await audit(deps, trx, scope, AuditAction.update, id, { version: edit.baseVersion + 1 });
    });
    d = (await repo.findDictation(deps.db, scope, id))!;
  }
  const text = d.text ?? '';
  if (text.trim() === '') throw invalid('text: an empty report cannot be signed');
  let documentId = d.document_id;
  if (!documentId) {
    const doc = await deps.documents.fileDocument(actor, {
      patientId: scope.patientId,
      encounterId: d.encounter_id,
      typeCode: d.work_type,
      title: `${workTypeOf(d.work_type)?.name ?? d.work_type} (dictated)`,
      authorId: actor.userId,
      serviceAt: d.dictated_at,
      status: 'preliminary',
      source: 'upload',
      sourceSystem: 'custodian-transcription',
      externalId: id,
      content: { bytes: new TextEncoder().encode(text), mediaType: 'text/plain', fileName: `${d.work_type}-${id}.txt` },
    });
    documentId = doc.id;
    // Kept at once: a signature that fails after filing is retried on the same document, never filed twice.
    await repo.updateDictation(deps.db, scope, id, { status: [DictationStatus.awaitingSignature] }, { document_id: documentId });
  }
  const filed = await deps.documents.getDocument(actor, documentId);
  if (!filed.signatures.some((x) => x.role === 'author' && x.version === filed.currentVersion))
    await deps.documents.sign(actor, documentId, { attestation: s.attestation, role: 'author' });
  await deps.db.transaction().execute(async (trx) => {
    const now = isoNow(deps.clock);
    const ok = await repo.updateDictation(
      trx,
      scope,
      id,
      { status: [DictationStatus.awaitingSignature], textVersion: d.text_version },
      {
        status: DictationStatus.signed,
        signed_at: now,
        signed_by: actor.userId,
        document_id: documentId,
        updated_at: now,
      },
    );
    if (!ok) throw conflict('the dictation changed meanwhile: reload it');
    await repo.insertVersion(trx, scope, {
      patient_id: scope.patientId,
      dictation_id: id,
      version: d.text_version + 1,
      kind: 'sign',
      text,
      saved_by: actor.userId,
      saved_at: now,
    });
    await trx
      .updateTable('dictations')
      .set({ text_version: d.text_version + 1 })
      .where('patient_id', '=', scope.patientId)
      .where('id', '=', id)
      .execute();
    await enqueueMdm(trx, deps, { id, patientId: scope.patientId, encounterId: d.encounter_id, documentId, text });
    await audit(deps, trx, scope, AuditAction.sign, id, { documentId });
  });
  return detailOf(deps, scope, id);
}
