export { recordAudit, createAuditLog, queryAuditEvents, verifyAuditChain, exportAuditCsv, toAuditView, AuditAction, auditCsvColumns } from './audit.service.js';
export type { AuditLog, AuditDeps, AuditInput, AuditOutcome, AuditEventView, VerifyResult, AnonymousRequester } from './audit.service.js';
export type { AuditFilter } from './audit.repository.js';
export { hashAuditRecord, GENESIS_HASH } from './audit.rules.js';
export type { ChainBreak } from './audit.rules.js';
export { deferAuditEvents, flushAuditEvents, markAuditHead, restoreAuditHead, type AuditMark } from './audit.repository.js';
