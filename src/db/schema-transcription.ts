/** Tables of dictation and transcription (migration 0024, src/modules/transcription). */
export interface DictationTable {
  patient_id: string;
  id: string;
  encounter_id: string | null;
  work_type: string;
  priority: string;
  status: string;
  dictated_by: string;
  dictated_at: string;
  due_at: string;
  audio_sha256: string;
  audio_media_type: string;
  audio_bytes: number;
  duration_seconds: number | null;
  engine: string | null;
  draft_words: string | null;
  draft_text: string | null;
  text: string | null;
  text_version: number;
  claimed_by: string | null;
  claimed_at: string | null;
  recognized_at: string | null;
  transcribed_at: string | null;
  transcribed_by: string | null;
  signed_at: string | null;
  signed_by: string | null;
  document_id: string | null;
  line_count: number | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface DictationVersionTable {
  patient_id: string;
  dictation_id: string;
  version: number;
  kind: string;
  text: string;
  saved_by: string;
  saved_at: string;
}

export interface TranscriptionOutboxTable {
  id: string;
  dictation_id: string;
  control_id: string;
  message: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  ack_code: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface TranscriptionTables {
  dictations: DictationTable;
  dictation_versions: DictationVersionTable;
  transcription_outbox: TranscriptionOutboxTable;
}
