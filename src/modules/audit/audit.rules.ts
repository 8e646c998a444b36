import { createHash } from 'node:crypto';

/** The fields of an audit event that its hash covers (everything but the hash itself). */
export interface AuditRecord {
  seq: number;
  id: string;
  occurredAt: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  patientId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  purposeOfUse: string | null;
  detail: string | null;
  prevHash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 over the previous hash and a canonical serialisation of the event (fixed field order, JSON
 * encoding of each value), so that editing any field, deleting an event or reordering events breaks the chain.
 */
export function hashAuditRecord(r: AuditRecord): string {
  const canonical = JSON.stringify([
    r.prevHash, r.seq, r.id, r.occurredAt, r.userId, r.username, r.role, r.action, r.resourceType,
    r.resourceId, r.patientId, r.outcome, r.ip, r.userAgent, r.purposeOfUse, r.detail,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export type ChainBreak =
  | { kind: 'edited'; seq: number; message: string }
  | { kind: 'missing'; seq: number; message: string }
  | { kind: 'out_of_order'; seq: number; message: string }
  | { kind: 'head_mismatch'; seq: number; message: string };

/**
 * Checks one event against the one before it. Returns the break, if any, naming the event.
 * `expectedSeq` is the previous event's seq + 1 and `prevHash` its hash.
 */
export function checkLink(r: AuditRecord & { hash: string }, expectedSeq: number, prevHash: string): ChainBreak | null {
  if (r.seq !== expectedSeq) {
    if (r.seq > expectedSeq) return { kind: 'missing', seq: expectedSeq, message: `event ${expectedSeq} is missing (next present is ${r.seq})` };
    return { kind: 'out_of_order', seq: r.seq, message: `event ${r.seq} appears after event ${expectedSeq - 1}` };
  }
  if (r.prevHash !== prevHash) return { kind: 'out_of_order', seq: r.seq, message: `event ${r.seq} does not follow event ${r.seq - 1} (previous-hash mismatch)` };
  if (hashAuditRecord(r) !== r.hash) return { kind: 'edited', seq: r.seq, message: `event ${r.seq} was altered (hash mismatch)` };
  return null;
}

/** Quotes a CSV field per RFC 4180. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
