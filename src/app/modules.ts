import path from 'node:path';
import fs from 'node:fs';
import type { AppDeps } from './deps.js';
import { mdmDocumentsOf } from './mdm-documents.js';
// Not through audit's index.ts, as its routes are not (see routes.ts: it would close an import cycle).
// eslint-disable-next-line no-restricted-imports -- see above
import type { AuditRoutesDeps } from '../modules/audit/audit.routes.js';
import { resolveSession, SESSION_COOKIE, verifyUserPassword, type AuthRoutesDeps, type UsersDeps } from '../modules/auth/index.js';
import type { FhirRoutesDeps } from '../modules/fhir/index.js';
import { emailNoticeDigest, type CompletionDeps } from '../modules/completion/index.js';
import { notify } from '../modules/queries/index.js';
import { completionAfterAppointment, withCompletionAnalysis } from './completion-hooks.js';
import type { AmendmentDeps } from '../modules/amendments/index.js';
import { clockPolicyFor, type RoiDeps } from '../modules/roi/index.js';
import type { ChartDeps } from '../modules/charts/index.js';
import {
  createDocumentsService,
  createLocalBlobStore,
  createTiffPageRenderer,
  type DocumentsDeps,
  type DocumentsService,
  type DocumentsRoutesDeps,
} from '../modules/documents/index.js';
import type { CodesService } from '../modules/codes/index.js';
import type { OutpatientAbstractDeps } from '../modules/outpatient/index.js';
import { encoderOfService, type CodingDeps } from '../modules/coding/index.js';
import type { GroupingService } from '../modules/grouping/index.js';
import { createFacilityDirectory, type InterfaceDeps } from '../modules/interfaces/index.js';
import type { MergeDeps } from '../modules/mpi/index.js';
import type { EncounterDeps, PatientDeps } from '../modules/patients/index.js';
import type { QueryDeps } from '../modules/queries/index.js';
import type { ScanningDeps } from '../modules/scanning/index.js';
import type { RetentionDeps } from '../modules/retention/index.js';
import { createMailer } from '../modules/mail/index.js';
import type { SchedulingDeps } from '../modules/scheduling/index.js';
import type { ClaimsDeps } from '../modules/claims/index.js';
import type { CacDeps } from '../modules/cac/index.js';
import type { ReportsDeps } from '../modules/reports/index.js';
import {
  createSpellChecker,
  dictionaryWords,
  type SpeechRecognizer,
  type SpellChecker,
  type TranscriptionDeps,
} from '../modules/transcription/index.js';
import {
  decodeAudio,
  ensureMedicalModel,
  MEDICAL_MODEL_FORMAT_VERSION,
  readModelDir,
  STOCK_MODEL_DIR,
  transcribeAudio,
} from '../core/speech/index.js';
import { demoProviders } from '../modules/demo/index.js';
import { noCacKnowledge } from './cac-knowledge.js';
import { validateCodes } from '../modules/codes/index.js';
import { loadCodeEditor, type CodeEditor } from '../core/mce/index.js';

/** Each module's deps, as its services declare them; routes.ts registers each module's routes with its own. */
export interface ModuleDeps {
  auth: AuthRoutesDeps;
  users: UsersDeps;
  patients: PatientDeps & EncounterDeps;
  audit: AuditRoutesDeps;
  grouping: { grouping: GroupingService };
  codes: { codes: CodesService };
  outpatient: OutpatientAbstractDeps;
  coding: CodingDeps;
  queries: QueryDeps;
  mpi: MergeDeps;
  interfaces: InterfaceDeps;
  charts: ChartDeps;
  documents: DocumentsRoutesDeps;
  amendments: AmendmentDeps;
  roi: RoiDeps;
  retention: RetentionDeps;
  jobs: { db: AppDeps['db'] };
  scanning: ScanningDeps;
  fhir: FhirRoutesDeps;
  completion: CompletionDeps;
  scheduling: SchedulingDeps;
  claims: ClaimsDeps;
  cac: CacDeps;
  reports: ReportsDeps;
  transcription: TranscriptionDeps;
}

/** The speech engine of src/core/speech behind the transcription module's port. */
export const localSpeechRecognizer: SpeechRecognizer = {
  decode: async (file) => ({ durationSeconds: (await decodeAudio(file)).durationSeconds }),
  recognize: (file, signal) => transcribeAudio(file, { signal }),
};

/**
 * The speech engine with the medical language model (src/core/speech): built on the first recognition (about a
 * minute) from the code sets, the clinical corpus and the physicians' names, and cached under `<var>/speech`; `serve`'s
 * recognition lane uses it. Should the build fail, recognition falls back to Debian's general English model (logged).
 */
export function medicalSpeechRecognizer(
  config: Pick<AppDeps['config'], 'dataDir' | 'codesetsDir' | 'varDir'>,
  onFallback: (e: unknown) => void,
): SpeechRecognizer {
  let modelDir: Promise<string | undefined> | undefined;
  const model = () =>
    (modelDir ??= ensureMedicalModel({
      dataDir: config.dataDir,
      codesetsDir: config.codesetsDir,
      cacheDir: path.join(config.varDir, 'speech'),
      physicianNames: demoProviders,
    }).then(
      (r) => r.modelDir,
      (e: unknown) => {
        onFallback(e);
        return undefined;
      },
    ));
  return {
    decode: (file) => localSpeechRecognizer.decode(file),
    recognize: async (file, signal) => transcribeAudio(file, { signal, modelDir: await model() }),
  };
}

/**
 * The editor's spell checker: cmudict (Debian's pocketsphinx-en-us) and, when the medical speech model has been built
 * under `<var>/speech`, its vocabulary. Loaded on first use and kept; loaded again once the medical model appears.
 */
export function transcriptionSpelling(config: Pick<AppDeps['config'], 'varDir'>): () => Promise<SpellChecker> {
  let cached: { checker: SpellChecker; medical: boolean } | undefined;
  const medicalDir = path.join(config.varDir, 'speech', `medical-v${String(MEDICAL_MODEL_FORMAT_VERSION)}`);
  return async () => {
    const medicalReady = fs.existsSync(medicalDir);
    if (cached && (cached.medical || !medicalReady)) return cached.checker;
    const words = dictionaryWords(await fs.promises.readFile(path.join(STOCK_MODEL_DIR, 'cmudict-en-us.dict'), 'utf8'));
    let medical = false;
    if (medicalReady) {
      try {
        words.push(...dictionaryWords(await fs.promises.readFile((await readModelDir(medicalDir)).dictPath, 'utf8')));
        medical = true;
      } catch {
        // A half-built model folder: general English only until it is complete.
      }
    }
    cached = { checker: createSpellChecker(words), medical };
    return cached.checker;
  };
}

/**
 * The transcription module's deps: its audio blob store under CUSTODIAN_DICTATIONS_DIR, the documents service the
 * signed reports are filed through (with completion analysis), the speech engine and the MDM destination.
 */
export function transcriptionDepsOf(
  app: Pick<AppDeps, 'db' | 'clock' | 'audit' | 'records' | 'config'>,
  documents: DocumentsService,
  speech: SpeechRecognizer = localSpeechRecognizer,
): TranscriptionDeps {
  const { db, clock, audit, records, config } = app;
  return {
    db,
    clock,
    audit,
    records,
    documents,
    audio: createLocalBlobStore({ dir: config.dictationsDir, encryptionKey: config.encryptionKey }),
    speech,
    verifyPassword: (userId, password) => verifyUserPassword(db, userId, password),
    mdm: config.mdmDestination
      ? { ...config.mdmDestination, sendingApplication: 'CUSTODIAN', sendingFacility: config.siuFacility }
      : undefined,
    maxAudioBytes: config.documentMaxBytes,
    spelling: transcriptionSpelling(config),
  };
}

/** The documents module's deps: its blob store under CUSTODIAN_DOCUMENTS_DIR, keyed by the encryption key. */
export function documentsDepsOf(app: Pick<AppDeps, 'db' | 'clock' | 'audit' | 'records' | 'config'>): DocumentsDeps {
  const { db, clock, audit, records, config } = app;
  return {
    db,
    clock,
    audit,
    records,
    blobs: createLocalBlobStore({ dir: config.documentsDir, encryptionKey: config.encryptionKey }),
    maxBytes: config.documentMaxBytes,
    ...(fs.existsSync(config.imagemagickPath) ? { pageImages: createTiffPageRenderer(config.imagemagickPath) } : {}),
  };
}

/**
 * The scanning module's deps: the documents service it files through, its own encrypted page store (QA pages and
 * thumbnails) in the inbox's `.pages` folder, and the programs it runs (CUSTODIAN_PDFTOPPM, _PDFINFO, _IMAGEMAGICK,
 * _ZBARIMG).
 */
export function scanningDepsOf(
  app: Pick<AppDeps, 'db' | 'clock' | 'audit' | 'records' | 'config'>,
  documents: DocumentsService = createDocumentsService(documentsDepsOf(app)),
): ScanningDeps {
  const { db, clock, audit, records, config } = app;
  return {
    db,
    clock,
    audit,
    records,
    documents,
    store: createLocalBlobStore({ dir: path.join(config.scanInbox, '.pages'), encryptionKey: config.encryptionKey }),
    tools: { pdftoppm: config.pdftoppmPath, pdfinfo: config.pdfinfoPath, imagemagick: config.imagemagickPath, zbarimg: config.zbarimgPath },
    inboxDir: config.scanInbox,
  };
}

/**
 * The composition root: cuts each module's deps from the shared parts, giving a module only the settings it reads.
 * A new module adds its entry here and one line in routes.ts.
 */
export function buildModuleDeps(app: AppDeps): ModuleDeps {
  const { db, clock, audit, cipher, records, config } = app;
  const audited = { db, clock, audit };
  const recordData = { ...audited, records };
  // The encryption key also keys the MPI match-key hashes of patients (src/modules/mpi/matching.service.ts).
  const patientData = { ...recordData, cipher, config: { encryptionKey: config.encryptionKey }, matching: app.matching };
  const sessions = {
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionMaxHours: config.sessionMaxHours,
    lockoutThreshold: config.lockoutThreshold,
    lockoutMinutes: config.lockoutMinutes,
  };
  // One documents service (and blob store) for every module that files or reads documents.
  const documentsDeps = documentsDepsOf(app);
  const auth = { ...audited, cipher, config: sessions, secureCookies: config.secureCookies };
  const signed = createDocumentsService(documentsDeps);
  // One mailer (off without CUSTODIAN_SMTP_URL) for every module that sends email.
  const mailer = createMailer({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom });
  // Chart completion signs through the documents service, and is told of every document event (completion-hooks.ts).
  const completion: CompletionDeps = {
    ...recordData,
    signing: signed,
    verifyPassword: (userId, password) => verifyUserPassword(db, userId, password),
    // In-app notices; with SMTP configured, one email digest per physician per run to the user's work email.
    notices: { send: (n) => notify(db, clock, n), ...(mailer ? { digest: emailNoticeDigest({ db, mailer }) } : {}) },
  };
  // The claim scrubber's Medicare Code Editor: loaded on the first inpatient claim, then kept by this application.
  let codeEditor: Promise<CodeEditor> | undefined;
  const documents = withCompletionAnalysis(signed, completion, (e, documentId) =>
    app.logger.warn({ documentId, err: { type: (e as Error).name } }, 'completion analysis after a document event failed'),
  );
  const coding: CodingDeps = { ...recordData, grouping: app.grouping, encoder: encoderOfService(app.codes) };
  return {
    auth,
    users: audited,
    patients: patientData,
    audit: { ...patientData, checkpointMinutes: config.auditCheckpointMinutes, logger: app.logger },
    grouping: { grouping: app.grouping },
    codes: { codes: app.codes },
    outpatient: { ...recordData, codes: app.codes },
    coding,
    queries: { ...recordData, coding: app.coding },
    mpi: patientData,
    // The interface's cache of facility ids belongs to this application (made once here, not module-level).
    interfaces: {
      ...patientData,
      engine: app.engine,
      facilities: createFacilityDirectory(db),
      // MDM messages file documents through the documents service, in the message's transaction (see mdm-documents.ts).
      documents: mdmDocumentsOf(documentsDeps),
      mdm: { documentTypes: config.mdmDocumentTypes, confidentiality: config.mdmConfidentiality },
    },
    charts: recordData,
    documents: { documents, maxBytes: config.documentMaxBytes },
    // Amendments and their letters are filed through the documents service (its own record-access step and audit).
    amendments: { ...recordData, documents },
    // Release of information reads documents through the documents service; pdftoppm burns redactions in.
    roi: {
      ...recordData,
      documents,
      pdftoppmPath: config.pdftoppmPath,
      roiClockPolicy: clockPolicyFor(config.roiAccessDays, config.roiAccessExtensionDays),
      // Released packets, kept for secure download links (encrypted like the documents, by SHA-256).
      packets: createLocalBlobStore({ dir: path.join(config.documentsDir, '.roi-packets'), encryptionKey: config.encryptionKey }),
    },
    // Destruction goes through the documents service (its hold check, tombstone and audit).
    retention: { ...recordData, documents },
    jobs: { db },
    scanning: scanningDepsOf(app, documents),
    // The FHIR API reads through the same services (record-access step, audit) and accepts the web app's sessions too.
    fhir: {
      ...recordData,
      // Patient writes (create, update) run the patients module's writers: the SSN cipher and the MPI's matching.
      cipher,
      matching: app.matching,
      documents,
      sessionCookie: SESSION_COOKIE,
      resolveSession: (token, requester) => resolveSession(auth, token, requester),
    },
    completion,
    // Reminders go through the mail module (off without CUSTODIAN_SMTP_URL); SIU messages to CUSTODIAN_SIU_DESTINATION.
    scheduling: {
      ...recordData,
      mailer,
      siu: config.siuDestination
        ? { ...config.siuDestination, sendingApplication: 'CUSTODIAN', sendingFacility: config.siuFacility }
        : undefined,
      // A procedure appointment checked in, completed or cancelled re-analyses the charts it falls in (completion-hooks.ts).
      afterStatusChange: completionAfterAppointment(completion, (e, appointmentId) =>
        app.logger.warn({ appointmentId, err: { type: (e as Error).name } }, 'completion analysis after an appointment change failed'),
      ),
    },
    // The claim scrubber checks ICD-10 codes on the date of service with the encoder's code sets and runs the MCE.
    claims: {
      ...recordData,
      checkCodes: (date, diagnoses, procedures) =>
        validateCodes(app.codes, { date, diagnoses, procedures }).findings.filter((f) => f.severity === 'error'),
      codeEditor: () => (codeEditor ??= loadCodeEditor(config.dataDir)),
      // 837 envelopes: ISA/GS sender and receiver from CUSTODIAN_X12_* (a release may still name other ids).
      x12: {
        senderQualifier: config.x12SenderQualifier,
        senderId: config.x12SenderId,
        receiverQualifier: config.x12ReceiverQualifier,
        receiverId: config.x12ReceiverId,
        submitterName: config.x12SubmitterName,
        receiverName: config.x12ReceiverName,
        contactName: config.x12ContactName,
        contactPhone: config.x12ContactPhone,
      },
    },
    // Computer-assisted coding reads the encounter's documents through the documents service and saves accepted codes
    // through the coding module; its knowledge loads in the background on first use (cac-knowledge.ts).
    cac: { ...recordData, coding, documents, knowledge: app.cacKnowledge ?? noCacKnowledge },
    reports: { ...recordData, ...(mailer ? { mailer } : {}) },
    // Dictation and transcription: signed reports are filed through the documents service (completion re-analyses).
    transcription: transcriptionDepsOf(app, documents),
  };
}
