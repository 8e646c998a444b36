/** What the transcription module answers, made from stored rows, and the deps (ports) its services need. */
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/shared/clock.js';
import type { Database } from '../../db/schema.js';
import type { DictationTable } from '../../db/schema-transcription.js';
import type { RecordAccess } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';
import type { SpellChecker } from './transcription.spelling.js';
import type { BlobStore, DocumentsService } from '../documents/index.js';
import { LOW_CONFIDENCE, workTypeOf, type DraftWord } from './transcription.rules.js';

/**
 * The speech engine as this module uses it (owned here, wired in src/app/modules.ts to src/core/speech): decode
 * checks that a file is audio it can read, recognize makes the draft.
 */
export interface SpeechRecognizer {
  /** Decodes the file (any accepted format); throws with a clear message when it is not decodable audio. */
  decode(filePath: string): Promise<{ durationSeconds: number }>;
  recognize(filePath: string, signal?: AbortSignal): Promise<{ text: string; words: DraftWord[]; durationSeconds: number; engine: string }>;
}

/** Where MDM^T02 messages of signed reports go over MLLP (CUSTODIAN_MDM_DESTINATION). */
export interface MdmDestination {
  host: string;
  port: number;
  sendingApplication: string;
  sendingFacility: string;
}

export interface TranscriptionDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  /** The signed report is filed and signed through the documents service (its access step, holds and audit). */
  documents: DocumentsService;
  /** Dictation audio, encrypted (the documents module's blob store, in its own folder). */
  audio: BlobStore;
  speech: SpeechRecognizer;
  verifyPassword: (userId: string, password: string) => Promise<boolean>;
  mdm?: MdmDestination | undefined;
  maxAudioBytes: number;
  /** The spell checker of the editor (general English, plus the medical vocabulary once the speech model is built). */
  spelling?: () => Promise<SpellChecker>;
}

export interface DictationView {
  id: string;
  patientId: string;
  encounterId: string | null;
  mrn?: string;
  patientName?: string;
  /** False for a restricted record the user has not opened: its existence, status and clock only. */
  details: boolean;
  workType: string;
  workTypeName: string;
  priority: string;
  status: string;
  dictatedBy: string;
  dictatedByName?: string | null;
  dictatedAt: string;
  dueAt: string;
  overdue: boolean;
  audioMediaType: string;
  audioBytes: number;
  durationSeconds: number | null;
  engine: string | null;
  textVersion: number;
  claimedBy: string | null;
  claimedAt: string | null;
  recognizedAt: string | null;
  transcribedAt: string | null;
  signedAt: string | null;
  documentId: string | null;
  lineCount: number | null;
  error: string | null;
}

/** One dictation opened for editing or signing: its current text and the recognized words. */
export interface DictationDetail extends DictationView {
  text: string;
  draftText: string | null;
  words: (DraftWord & { low: boolean })[];
  template: string;
}

export function dictationView(r: DictationTable, now: Date): DictationView {
  return {
    id: r.id,
    patientId: r.patient_id,
    encounterId: r.encounter_id,
    details: true,
    workType: r.work_type,
    workTypeName: workTypeOf(r.work_type)?.name ?? r.work_type,
    priority: r.priority,
    status: r.status,
    dictatedBy: r.dictated_by,
    dictatedAt: r.dictated_at,
    dueAt: r.due_at,
    overdue: r.signed_at === null && r.transcribed_at === null && r.due_at < now.toISOString(),
    audioMediaType: r.audio_media_type,
    audioBytes: r.audio_bytes,
    durationSeconds: r.duration_seconds,
    engine: r.engine,
    textVersion: r.text_version,
    claimedBy: r.claimed_by,
    claimedAt: r.claimed_at,
    recognizedAt: r.recognized_at,
    transcribedAt: r.transcribed_at,
    signedAt: r.signed_at,
    documentId: r.document_id,
    lineCount: r.line_count,
    error: r.error,
  };
}

export function dictationDetail(r: DictationTable, now: Date): DictationDetail {
  const words = r.draft_words ? (JSON.parse(r.draft_words) as DraftWord[]) : [];
  return {
    ...dictationView(r, now),
    text: r.text ?? '',
    draftText: r.draft_text,
    words: words.map((w) => ({ ...w, low: w.confidence < LOW_CONFIDENCE })),
    template: workTypeOf(r.work_type)?.template ?? '',
  };
}

/** A restricted record's row as its existence only: who, the work type, status and clock; nothing dictated. */
export function withheldView(v: DictationView): DictationView {
  return { ...v, details: false, durationSeconds: null, engine: null, lineCount: null, error: null, encounterId: null };
}
