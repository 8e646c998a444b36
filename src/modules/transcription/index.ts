/** Dictation and transcription (issue 23): dictations, recognition on the job queue, the editor's workflow, signing, MDM out. */
export * from './transcription.rules.js';
export type { TranscriptionDeps, SpeechRecognizer, MdmDestination, DictationView, DictationDetail } from './transcription.views.js';
export {
  createDictation,
  getDictation,
  readDictationAudio,
  listDictationVersions,
  listDictationQueue,
  claimDictation,
  saveDictationText,
  sendForSignature,
  signDictation,
  RECOGNIZE_JOB_KIND,
} from './transcription.service.js';
export { createRecognitionHandler, type RecognitionDeps } from './transcription.recognition.js';
export { enqueueMdm, deliverMdmOutbox, MDM_MAX_ATTEMPTS, type MdmDeliveryResult } from './transcription.outbound.js';
export { buildMdmT02, type MdmReport } from './transcription.mdm.js';
export {
  transcriptionReport,
  reportCsv,
  reportXlsx,
  TranscriptionReportQuerySchema,
  type TranscriptionReport,
} from './transcription.reports.js';
/** MPI merges (src/modules/mpi): a patient's dictations and their text versions go to the survivor. */
export { transcriptionMergeParticipant } from './transcription-merge.js';
export { TRANSCRIPTION_PATIENT_TABLES } from './transcription.repository.js';
export { transcriptionRoutes } from './transcription.routes.js';
export { createSpellChecker, dictionaryWords, editDistance, type Misspelling, type SpellChecker } from './transcription.spelling.js';
