/**
 * Dictation and transcription rules, pure: work types (each a document type of the documents module) with their
 * turnaround times, the workflow's states and moves, audio formats told from the bytes, line counts (the
 * transcription industry's 65-character line), templates ("normals") per work type, and the input schemas.
 */
import { z } from 'zod';
import { invalid } from '../../core/errors.js';

/** Where a dictation is in its life. */
export const DictationStatus = {
  dictated: 'dictated',
  recognizing: 'recognizing',
  draft: 'draft',
  inTranscription: 'in_transcription',
  awaitingSignature: 'awaiting_signature',
  signed: 'signed',
  /** Recognition failed for good (the audio stays; a transcriptionist may still type it from the audio). */
  failed: 'failed',
} as const;
export type DictationStatus = (typeof DictationStatus)[keyof typeof DictationStatus];
export const dictationStatuses = Object.values(DictationStatus) as [DictationStatus, ...DictationStatus[]];

export const Priority = { routine: 'routine', stat: 'stat' } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export interface WorkType {
  /** The documents module's document type code the signed report is filed as. */
  code: string;
  name: string;
  /** Hours from dictation to a signed-ready transcription: routine, and STAT. */
  turnaroundHours: number;
  statHours: number;
  /** The normal text a transcriptionist may insert (section headings of the report). */
  template: string;
}

/**
 * Work types and their turnaround. The hours follow common transcription service agreements (AHDI/ASTM E2344
 * benchmarks as used in HIM contracts): H&P and operative notes within 24 hours (H&P before surgery, 42 CFR
 * 482.51(b)(1)), discharge summaries and consultations 24–48 hours, STAT within 2 hours.
 */
export const WORK_TYPES: readonly WorkType[] = [
  {
    code: 'HP',
    name: 'History and physical',
    turnaroundHours: 24,
    statHours: 2,
    template:
      'CHIEF COMPLAINT:\n\nHISTORY OF PRESENT ILLNESS:\n\nPAST MEDICAL HISTORY:\n\nMEDICATIONS:\n\nALLERGIES:\n\nPHYSICAL EXAMINATION:\n\nASSESSMENT AND PLAN:\n',
  },
  {
    code: 'DS',
    name: 'Discharge summary',
    turnaroundHours: 48,
    statHours: 2,
    template:
      'ADMISSION DATE:\nDISCHARGE DATE:\n\nFINAL DIAGNOSIS:\n\nHOSPITAL COURSE:\n\nDISCHARGE MEDICATIONS:\n\nDISPOSITION:\n\nFOLLOW-UP:\n',
  },
  {
    code: 'OP',
    name: 'Operative note',
    turnaroundHours: 24,
    statHours: 2,
    template:
      'PREOPERATIVE DIAGNOSIS:\n\nPOSTOPERATIVE DIAGNOSIS:\n\nProcedure:\n\nSurgeon:\n\nANESTHESIA:\n\nFindings:\n\nESTIMATED BLOOD LOSS:\n\nCOMPLICATIONS: None.\n',
  },
  {
    code: 'CN',
    name: 'Consultation',
    turnaroundHours: 24,
    statHours: 2,
    template: 'REASON FOR CONSULTATION:\n\nHISTORY OF PRESENT ILLNESS:\n\nPHYSICAL EXAMINATION:\n\nIMPRESSION:\n\nRECOMMENDATIONS:\n',
  },
  {
    code: 'PN',
    name: 'Progress note',
    turnaroundHours: 24,
    statHours: 2,
    template: 'SUBJECTIVE:\n\nOBJECTIVE:\n\nASSESSMENT:\n\nPLAN:\n',
  },
  {
    code: 'ED',
    name: 'Emergency department record',
    turnaroundHours: 24,
    statHours: 2,
    template: 'CHIEF COMPLAINT:\n\nHISTORY:\n\nEXAMINATION:\n\nED COURSE:\n\nDISPOSITION:\n',
  },
  {
    code: 'RAD',
    name: 'Radiology report',
    turnaroundHours: 24,
    statHours: 1,
    template: 'EXAMINATION:\n\nCLINICAL HISTORY:\n\nFINDINGS:\n\nIMPRESSION:\n',
  },
];
export const workTypeCodes = WORK_TYPES.map((w) => w.code) as [string, ...string[]];

export function workTypeOf(code: string): WorkType | undefined {
  return WORK_TYPES.find((w) => w.code === code);
}

/** When the transcription is due: dictated at + the work type's turnaround (STAT: its shorter one). */
export function dueAtOf(workType: string, priority: Priority, dictatedAt: Date): Date {
  const w = workTypeOf(workType);
  if (!w) throw invalid(`workType: ${workType} is not a dictation work type`);
  const hours = priority === Priority.stat ? w.statHours : w.turnaroundHours;
  return new Date(dictatedAt.getTime() + hours * 3_600_000);
}

/** The moves of the workflow: from which states each action is allowed. */
const allowedFrom: Record<string, readonly DictationStatus[]> = {
  claim: [DictationStatus.draft, DictationStatus.failed, DictationStatus.inTranscription],
  save: [DictationStatus.inTranscription, DictationStatus.awaitingSignature],
  send: [DictationStatus.inTranscription],
  sign: [DictationStatus.awaitingSignature],
  recognize: [DictationStatus.dictated, DictationStatus.recognizing],
};
export type DictationAction = keyof typeof allowedFrom;

/** Why the action cannot be done in this state (null when it can). */
export function transitionProblem(action: DictationAction, status: string): string | null {
  const from = allowedFrom[action] ?? [];
  if ((from as readonly string[]).includes(status)) return null;
  const verb =
    action === 'save' ? 'edited' : action === 'send' ? 'sent for signature' : action.endsWith('e') ? `${action}d` : `${action}ed`;
  return `a dictation that is ${status.replace(/_/g, ' ')} cannot be ${verb}`;
}

/** Audio formats accepted, told from the first bytes (never the name or the declared type). */
export function detectAudioType(bytes: Uint8Array): string | null {
  const ascii = (from: number, len: number) => String.fromCharCode(...bytes.subarray(from, from + len));
  if (bytes.length < 12) return null;
  if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WAVE') return 'audio/wav';
  if (ascii(0, 4) === 'fLaC') return 'audio/flac';
  if (ascii(0, 4) === 'OggS') return 'audio/ogg';
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'audio/webm';
  if (ascii(4, 4) === 'ftyp') return 'audio/mp4';
  if (ascii(0, 3) === 'ID3') return 'audio/mpeg';
  // An MPEG audio frame sync (11 bits set) with layer III/II bits, or ADTS AAC.
  if (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0) return (bytes[1]! & 0x06) === 0 ? 'audio/aac' : 'audio/mpeg';
  return null;
}

export const AUDIO_EXTENSIONS: Record<string, string> = {
  'audio/wav': 'wav',
  'audio/flac': 'flac',
  'audio/ogg': 'ogg',
  'audio/webm': 'webm',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/aac': 'aac',
};

/** Transcribed lines as billed: characters (spaces included) / 65, rounded up (the AHDI "gross line"). */
export function lineCountOf(text: string): number {
  const chars = text.replace(/\r/g, '').length;
  return chars === 0 ? 0 : Math.ceil(chars / 65);
}

/** A recognized word, with its timing (seconds) and confidence (0..1). */
export interface DraftWord {
  word: string;
  start: number;
  end: number;
  confidence: number;
}

/** Words under this confidence are highlighted for the transcriptionist to check against the audio. */
export const LOW_CONFIDENCE = 0.6;

export const NewDictationSchema = z.object({
  patientId: z.string().min(1).max(64),
  encounterId: z.string().min(1).max(64).nullish(),
  workType: z.enum(workTypeCodes),
  priority: z.enum([Priority.routine, Priority.stat]).default(Priority.routine),
});
export type NewDictation = z.input<typeof NewDictationSchema>;

export const SaveTextSchema = z.object({
  text: z.string().max(200_000),
  /** The version the editor started from: a save over someone else's newer save is refused. */
  baseVersion: z.number().int().min(0),
});
export type SaveTextInput = z.infer<typeof SaveTextSchema>;

export const SignSchema = z.object({
  attestation: z.string().trim().min(10).max(1000),
  password: z.string().min(1).max(200),
  /** The physician's last edits, saved before signing (optional). */
  text: z.string().max(200_000).optional(),
  baseVersion: z.number().int().min(0).optional(),
});
export type SignInput = z.infer<typeof SignSchema>;

export const QueueQuerySchema = z.object({
  status: z.enum(dictationStatuses).optional(),
  workType: z.enum(workTypeCodes).optional(),
  priority: z.enum([Priority.routine, Priority.stat]).optional(),
  mine: z.coerce.boolean().optional(),
});
export type QueueQuery = z.infer<typeof QueueQuerySchema>;

/** Parses input at a service edge: a clear error naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw invalid(`${i.path.join('.') || 'input'}: ${i.message}`);
}
