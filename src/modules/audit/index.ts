export {
  recordAudit,
  createAuditLog,
  queryAuditEvents,
  exportAuditCsv,
  exportAuditTrail,
  auditFilterOf,
  toAuditView,
  AuditAction,
  auditCsvColumns,
} from './audit.service.js';
export type { AuditLog, AuditDeps, AuditInput, AuditOutcome, AuditEventView, AuditQuery, AnonymousRequester } from './audit.service.js';
export { verifyAuditChain, verifyAuditTrail, writeAuditCheckpoint, startAuditCheckpoints } from './audit-chain.service.js';
export type { VerifyResult, CheckpointSummary, CheckpointWritten } from './audit-chain.service.js';
export { publicKeyFileOf, type CheckpointSettings, type Timers } from './audit.checkpoint.js';
export type { AuditFilter } from './audit.repository.js';
export { storableText, auditTimeRange, AUDIT_DATE, GENESIS_HASH, LEGACY_CHAIN } from './audit.rules.js';
export { BreakKind, MAX_LISTED_BREAKS, type ChainBreak } from './audit-chain.rules.js';
export {
  deferAuditEvents,
  flushAuditEvents,
  withDeferredAudit,
  markAuditHead,
  restoreAuditHead,
  type AuditMark,
} from './audit.repository.js';
