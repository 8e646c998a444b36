import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, defaultDataDir, defaultVarDir, repoRoot } from './paths.js';

export { ConfigError, repoRoot };

const absolutePath = z.string().refine((v) => path.isAbsolute(v), 'must be an absolute path');

/** `CODE=value,CODE=value` (codes and values without spaces, `=` or `,`) as a frozen map; '' is an empty map. */
const codeMap = z
  .string()
  .regex(/^\s*([^=,\s]+=[^=,\s]+\s*(,\s*[^=,\s]+=[^=,\s]+\s*)*)?$/, 'must be CODE=value pairs separated by commas')
  .transform((v) =>
    Object.freeze(
      Object.fromEntries(
        v
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p !== '')
          .map((p) => p.split('=') as [string, string]),
      ),
    ),
  );

/** ISA05/ISA07 interchange id qualifier: two characters (ZZ mutually defined, 01 DUNS, 30 federal tax id, ...). */
const x12Qualifier = z.string().regex(/^[0-9A-Z]{2}$/, 'must be a two-character ISA id qualifier such as ZZ');
/** ISA06/ISA08 (padded to 15) and GS02/GS03: letters, digits and spaces, at most 15. */
const x12PartyId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ]{0,14}$/, 'must be 1-15 letters, digits or spaces');

const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  databaseUrl: z
    .string()
    .min(1)
    .refine(
      (v) => /^postgres(ql)?:\/\//.test(v) || v === ':memory:' || /^(sqlite:|file:)?[^:]+$/.test(v),
      'must be a file path, :memory: or postgres://...',
    ),
  dataDir: z.string().min(1),
  varDir: z.string().min(1),
  /** The compiled code-set snapshot: `custodian codes import` writes it, the server and the codes commands read it. */
  codesetsDir: z.string().min(1),
  mllpPort: z.coerce.number().int().min(0).max(65535).optional(),
  /** An MLLP connection that sends nothing for this long is closed (after the ACKs still owed). */
  mllpIdleSeconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 3600),
  /** MLLP connections served at once; one more is closed at once. */
  mllpMaxConnections: z.coerce.number().int().min(1).max(10_000),
  /** Largest HL7 message (MLLP frame) accepted; a larger one is answered AR and stored, cut, as rejected. */
  mllpMaxMessageBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024),
  /** HL7 MDM: TXA-2 document type -> Custodian document type code (or LOINC code), `HP=history_physical,XR=...`. */
  mdmDocumentTypes: codeMap,
  /** HL7 MDM: TXA-18 confidentiality status (R, V) -> confidentiality flags, `R=behavioral_health,V=psychotherapy_notes+hiv`. */
  mdmConfidentiality: codeMap,
  sessionIdleMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  sessionMaxHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24),
  lockoutThreshold: z.coerce.number().int().min(1).max(100),
  lockoutMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /** auto: readable lines on a terminal, JSON otherwise. */
  logFormat: z.enum(['auto', 'json', 'pretty']),
  secureCookies: z.enum(['true', 'false']).transform((v) => v === 'true'),
  bodyLimitBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024),
  /** Key for encrypting SSNs at rest (hex, 32 bytes). A development key is derived when unset. */
  encryptionKey: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters')
    .optional(),
  /** Key of the audit chain's HMAC (hex, 32 bytes), kept outside the database. Derived from the encryption key when unset. */
  auditKey: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters')
    .optional(),
  /** Ed25519 private key (PEM) that signs audit checkpoints; made with mode 0600 on first use, its public key beside it. */
  auditSigningKeyFile: z.string().min(1),
  /** Folder of the signed audit checkpoints that `audit verify` reads. */
  auditCheckpointDir: z.string().min(1),
  /** Minutes between the checkpoints `serve` writes; 0 = none. */
  auditCheckpointMinutes: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60),
  /** OCR programs, by absolute path (never looked up on PATH): Debian tesseract-ocr, poppler-utils, imagemagick. */
  tesseractPath: absolutePath,
  pdftoppmPath: absolutePath,
  pdfinfoPath: absolutePath,
  imagemagickPath: absolutePath,
  /** Pages OCR reads at once (one Tesseract process each). */
  ocrWorkers: z.coerce.number().int().min(1).max(256),
  /** Folder of the encrypted, content-addressed document blobs (src/modules/documents). */
  documentsDir: z.string().min(1),
  /** Largest document file accepted (an upload, an import, a version). */
  documentMaxBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 * 1024 * 1024 * 1024),
  /** The folder scanners write batches into (src/modules/scanning); `serve` watches it. */
  scanInbox: z.string().min(1),
  /** Days to act on a patient's request for access: 30 (45 CFR 164.524(b)(2)), or a state's shorter limit. */
  roiAccessDays: z.coerce.number().int().min(1).max(30),
  /** Days of the one extension of an access request: 30, or fewer (0 = none) where a state allows less. */
  roiAccessExtensionDays: z.coerce.number().int().min(0).max(30),
  /** zbarimg, reads the cover sheets' barcodes (Debian zbar-tools). */
  zbarimgPath: absolutePath,
  /** Outgoing mail (src/modules/mail): `smtp://host:port` or `smtps://user:password@host:465`; mail is off when unset. */
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\/[^\s/]+(:\d+)?\/?$/, 'must be smtp://host:port or smtps://user:password@host:port')
    .optional(),
  /** The From address of outgoing mail. */
  mailFrom: z.email(),
  /** Where HL7 SIU messages of appointment changes go over MLLP (`host:port`); none are logged or sent when unset. */
  siuDestination: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port')
    .transform((v) => {
      const i = v.lastIndexOf(':');
      return Object.freeze({ host: v.slice(0, i), port: Number(v.slice(i + 1)) });
    })
    .optional(),
  /** MSH-4 (sending facility) of outbound SIU messages. */
  siuFacility: z.string().trim().min(1).max(60),
  /** How often `serve` sends due appointment reminders and the SIU outbox (src/modules/scheduling); 0 = never. */
  schedulingSweepSeconds: z.coerce.number().int().min(0).max(86_400),
  /** Reminders go for the appointments that start within this many hours. */
  reminderLeadHours: z.coerce.number().int().min(1).max(168),
  /** Where HL7 MDM^T02 messages of signed transcribed reports go over MLLP (`host:port`); none are logged or sent when unset. */
  mdmDestination: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port')
    .transform((v) => {
      const i = v.lastIndexOf(':');
      return Object.freeze({ host: v.slice(0, i), port: Number(v.slice(i + 1)) });
    })
    .optional(),
  /** The folder of dictation audio (encrypted blobs, src/modules/transcription). */
  dictationsDir: z.string().min(1),
  /** X12 837 interchanges (src/modules/claims): ISA05/ISA06 and GS02 (the sender, also loop 1000A NM109). */
  x12SenderQualifier: x12Qualifier,
  x12SenderId: x12PartyId,
  /** ISA07/ISA08 and GS03 (the receiver, also loop 1000B NM109): the clearinghouse or payer. */
  x12ReceiverQualifier: x12Qualifier,
  x12ReceiverId: x12PartyId,
  /** Loop 1000A submitter and 1000B receiver names, and the 1000A PER contact. */
  x12SubmitterName: z.string().trim().min(1).max(60),
  x12ReceiverName: z.string().trim().min(1).max(60),
  x12ContactName: z.string().trim().min(1).max(60),
  x12ContactPhone: z.string().regex(/^\d{10}$/, 'must be ten digits'),
});
export type Config = Readonly<z.infer<typeof ConfigSchema>>;

/** Environment variable for each setting (documented in the README). */
export const configEnv: Record<keyof z.infer<typeof ConfigSchema>, string> = {
  port: 'CUSTODIAN_PORT',
  host: 'CUSTODIAN_HOST',
  databaseUrl: 'CUSTODIAN_DATABASE_URL',
  dataDir: 'CUSTODIAN_DATA_DIR',
  varDir: 'CUSTODIAN_VAR_DIR',
  codesetsDir: 'CUSTODIAN_CODESETS_DIR',
  mllpPort: 'CUSTODIAN_MLLP_PORT',
  mllpIdleSeconds: 'CUSTODIAN_MLLP_IDLE_SECONDS',
  mllpMaxConnections: 'CUSTODIAN_MLLP_MAX_CONNECTIONS',
  mllpMaxMessageBytes: 'CUSTODIAN_MLLP_MAX_MESSAGE_BYTES',
  mdmDocumentTypes: 'CUSTODIAN_MDM_DOCUMENT_TYPES',
  mdmConfidentiality: 'CUSTODIAN_MDM_CONFIDENTIALITY',
  sessionIdleMinutes: 'CUSTODIAN_SESSION_IDLE_MINUTES',
  sessionMaxHours: 'CUSTODIAN_SESSION_MAX_HOURS',
  lockoutThreshold: 'CUSTODIAN_LOCKOUT_THRESHOLD',
  lockoutMinutes: 'CUSTODIAN_LOCKOUT_MINUTES',
  logLevel: 'CUSTODIAN_LOG_LEVEL',
  logFormat: 'CUSTODIAN_LOG_FORMAT',
  secureCookies: 'CUSTODIAN_SECURE_COOKIES',
  bodyLimitBytes: 'CUSTODIAN_BODY_LIMIT_BYTES',
  encryptionKey: 'CUSTODIAN_ENCRYPTION_KEY',
  auditKey: 'CUSTODIAN_AUDIT_KEY',
  auditSigningKeyFile: 'CUSTODIAN_AUDIT_SIGNING_KEY_FILE',
  auditCheckpointDir: 'CUSTODIAN_AUDIT_CHECKPOINT_DIR',
  auditCheckpointMinutes: 'CUSTODIAN_AUDIT_CHECKPOINT_MINUTES',
  tesseractPath: 'CUSTODIAN_TESSERACT',
  pdftoppmPath: 'CUSTODIAN_PDFTOPPM',
  pdfinfoPath: 'CUSTODIAN_PDFINFO',
  imagemagickPath: 'CUSTODIAN_IMAGEMAGICK',
  ocrWorkers: 'CUSTODIAN_OCR_WORKERS',
  documentsDir: 'CUSTODIAN_DOCUMENTS_DIR',
  documentMaxBytes: 'CUSTODIAN_DOCUMENT_MAX_BYTES',
  scanInbox: 'CUSTODIAN_SCAN_INBOX',
  roiAccessDays: 'CUSTODIAN_ROI_ACCESS_DAYS',
  roiAccessExtensionDays: 'CUSTODIAN_ROI_ACCESS_EXTENSION_DAYS',
  zbarimgPath: 'CUSTODIAN_ZBARIMG',
  smtpUrl: 'CUSTODIAN_SMTP_URL',
  mailFrom: 'CUSTODIAN_MAIL_FROM',
  siuDestination: 'CUSTODIAN_SIU_DESTINATION',
  siuFacility: 'CUSTODIAN_SIU_FACILITY',
  schedulingSweepSeconds: 'CUSTODIAN_SCHEDULING_SWEEP_SECONDS',
  reminderLeadHours: 'CUSTODIAN_REMINDER_LEAD_HOURS',
  mdmDestination: 'CUSTODIAN_MDM_DESTINATION',
  dictationsDir: 'CUSTODIAN_DICTATIONS_DIR',
  x12SenderQualifier: 'CUSTODIAN_X12_SENDER_QUALIFIER',
  x12SenderId: 'CUSTODIAN_X12_SENDER_ID',
  x12ReceiverQualifier: 'CUSTODIAN_X12_RECEIVER_QUALIFIER',
  x12ReceiverId: 'CUSTODIAN_X12_RECEIVER_ID',
  x12SubmitterName: 'CUSTODIAN_X12_SUBMITTER_NAME',
  x12ReceiverName: 'CUSTODIAN_X12_RECEIVER_NAME',
  x12ContactName: 'CUSTODIAN_X12_CONTACT_NAME',
  x12ContactPhone: 'CUSTODIAN_X12_CONTACT_PHONE',
};

/**
 * Builds the configuration from defaults, then environment variables, then CLI flags (highest). `defaults`
 * replaces built-in defaults (the CLI logs warnings only unless CUSTODIAN_LOG_LEVEL says otherwise).
 * A wrong value throws ConfigError naming the setting and its variable. The only reader of the environment.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  flags: Partial<Record<keyof Config, unknown>> = {},
  defaults: Partial<Record<keyof Config, unknown>> = {},
): Config {
  const varDir = defaultVarDir(env);
  const raw: Record<string, unknown> = {
    port: 8080,
    host: '0.0.0.0',
    databaseUrl: path.join(varDir, 'custodian.sqlite'),
    dataDir: defaultDataDir(),
    varDir,
    codesetsDir: path.join(varDir, 'codesets'),
    mllpIdleSeconds: 300,
    mllpMaxConnections: 64,
    mllpMaxMessageBytes: 1024 * 1024,
    mdmDocumentTypes: '',
    mdmConfidentiality: '',
    sessionIdleMinutes: 15,
    sessionMaxHours: 12,
    lockoutThreshold: 5,
    lockoutMinutes: 15,
    logLevel: 'info',
    logFormat: 'auto',
    secureCookies: 'false',
    bodyLimitBytes: 1024 * 1024,
    auditSigningKeyFile: path.join(varDir, 'audit-signing-key.pem'),
    auditCheckpointDir: path.join(varDir, 'audit-checkpoints'),
    auditCheckpointMinutes: 60,
    tesseractPath: '/usr/bin/tesseract',
    pdftoppmPath: '/usr/bin/pdftoppm',
    pdfinfoPath: '/usr/bin/pdfinfo',
    imagemagickPath: '/usr/bin/convert',
    ocrWorkers: os.availableParallelism(),
    documentsDir: path.join(varDir, 'documents'),
    documentMaxBytes: 100 * 1024 * 1024,
    scanInbox: path.join(varDir, 'scan-inbox'),
    roiAccessDays: 30,
    roiAccessExtensionDays: 30,
    zbarimgPath: '/usr/bin/zbarimg',
    mailFrom: 'custodian@localhost.localdomain',
    siuFacility: 'CUSTODIAN',
    schedulingSweepSeconds: 60,
    reminderLeadHours: 24,
    dictationsDir: path.join(varDir, 'dictations'),
    x12SenderQualifier: 'ZZ',
    x12SenderId: 'CUSTODIAN',
    x12ReceiverQualifier: 'ZZ',
    x12ReceiverId: 'RECEIVER',
    x12SubmitterName: 'CUSTODIAN',
    x12ReceiverName: 'CLEARINGHOUSE',
    x12ContactName: 'BILLING OFFICE',
    x12ContactPhone: '0000000000',
  };
  for (const [key, v] of Object.entries(defaults)) if (v !== undefined) raw[key] = v;
  for (const [key, name] of Object.entries(configEnv)) {
    const v = env[name];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  if (env.DATABASE_URL && !env.CUSTODIAN_DATABASE_URL) raw.databaseUrl = env.DATABASE_URL;
  for (const [key, v] of Object.entries(flags)) if (v !== undefined) raw[key] = v;
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]);
    const env = (configEnv as Partial<Record<string, string>>)[key];
    throw new ConfigError(`invalid setting ${key} (${env ?? key}): ${issue.message}`);
  }
  return Object.freeze(parsed.data);
}

/**
 * The OS user running this process, whom CLI work is audited as (`cli:<user>`): from the user database, else
 * $USER or $USERNAME (a container user without a passwd entry), else 'unknown'.
 */
export function osUserName(env: NodeJS.ProcessEnv = process.env): string {
  try {
    return os.userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}
