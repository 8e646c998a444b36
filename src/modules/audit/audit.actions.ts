// The audit log's vocabulary: pure constants, shared by the service (what callers write) and the repository (the one
// place an event is stored), so that an event written is always one of these actions and outcomes.

/**
 * Every action the code base audits (a closed list: an event's action is one of these). Module-specific names are
 * listed here too (coding, MPI, queries, users, HL7), so that the audit log's vocabulary is in one place.
 */
export const AuditAction = {
  read: 'read',
  search: 'search',
  create: 'create',
  update: 'update',
  delete: 'delete',
  export: 'export',
  login: 'login',
  loginFailed: 'login_failed',
  logout: 'logout',
  sessionExpired: 'session_expired',
  accessDenied: 'access_denied',
  breakGlass: 'break_glass',
  verify: 'verify',
  checkpoint: 'checkpoint',
  /** A statement run in the analysts' SQL console (src/modules/reports): its hash and row count, never the result. */
  sqlQuery: 'sql_query',
  // users and sign-in (auth)
  accountLocked: 'account_locked',
  accountUnlocked: 'account_unlocked',
  userDisabled: 'user_disabled',
  userEnabled: 'user_enabled',
  mfaEnrolled: 'mfa_enrolled',
  mfaReset: 'mfa_reset',
  passwordChanged: 'password_changed',
  // master patient index
  merge: 'merge',
  unmerge: 'unmerge',
  scan: 'scan',
  fit: 'fit',
  activate: 'activate',
  reset: 'reset',
  // coding, coding audits, physician queries
  assign: 'assign',
  saveDraft: 'save_draft',
  finalCode: 'final_code',
  reopen: 'reopen',
  submit: 'submit',
  escalate: 'escalate',
  answer: 'answer',
  cancel: 'cancel',
  // HL7 interface
  reprocess: 'reprocess',
  // the legal health record (documents)
  sign: 'sign',
  move: 'move',
  placeHold: 'place_hold',
  releaseHold: 'release_hold',
  destroy: 'destroy',
  statusChange: 'status_change',
  // amendment requests (45 CFR 164.526) and retention
  extend: 'extend',
  accept: 'accept',
  deny: 'deny',
  notify: 'notify',
  approve: 'approve',
  // chart completion (deficiency analysis)
  analyse: 'analyse',
  waive: 'waive',
  dispute: 'dispute',
  reassign: 'reassign',
  // release of information (45 CFR 164.508, 164.524, 164.528)
  checkAuthorization: 'check_authorization',
  select: 'select',
  redact: 'redact',
  release: 'release',
  revoke: 'revoke',
  invoice: 'invoice',
  payment: 'payment',
  /** A released packet sent: a secure link made, a mailing or a pick-up logged. */
  deliver: 'deliver',
  /** The recipient's download through a secure link (a wrong passcode is audited as a failure). */
  download: 'download',
  // FHIR API clients (src/modules/fhir)
  tokenIssued: 'token_issued',
  tokenRefused: 'token_refused',
  // scheduling (appointments, reminders, the waitlist)
  book: 'book',
  reschedule: 'reschedule',
  checkIn: 'check_in',
  noShow: 'no_show',
  remind: 'remind',
  offer: 'offer',
  // remittance posting and claim acknowledgements (claims)
  post: 'post',
  reverse: 'reverse',
  acknowledge: 'acknowledge',
  // a biller's work on a denied claim (note, appeal, corrected claim, close) and a write-off of its balance
  workDenial: 'work_denial',
  writeOff: 'write_off',
  // computer-assisted coding (src/modules/cac): suggestions read, a suggested code accepted (`accept`) or rejected
  suggest: 'suggest',
  reject: 'reject',
  // reports (src/modules/reports): CMS Table 5 relative weights imported for a fiscal year
  importWeights: 'import_weights',
  // dictation and transcription (src/modules/transcription): a dictation claimed by a transcriptionist, its draft recognized
  claim: 'claim',
  recognize: 'recognize',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export type AuditOutcome = 'success' | 'failure' | 'denied';
