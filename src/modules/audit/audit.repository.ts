import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AuditEventTable } from '../../db/schema.js';
import { hashAuditRecord, type AuditRecord } from './audit.rules.js';

export type AuditRow = AuditEventTable;

/**
 * Appends one event to the chain. Must run inside the caller's transaction so the event commits or rolls back
 * with the change it records. The head row update takes the lock that orders concurrent appends.
 */
export async function appendAuditEvent(trx: Db, e: Omit<AuditRecord, 'seq' | 'prevHash'>): Promise<AuditRow> {
  const head = await sql<{ seq: number | string; hash: string }>`update audit_head set seq = seq + 1 where id = 1 returning seq, hash`.execute(trx);
  const h = head.rows[0];
  if (!h) throw new Error('audit_head row is missing: run the migrations');
  const record: AuditRecord = { ...e, seq: Number(h.seq), prevHash: h.hash };
  const hash = hashAuditRecord(record);
  const row: AuditRow = toRow(record, hash);
  await trx.insertInto('audit_events').values(row).execute();
  await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
  return row;
}

function toRow(r: AuditRecord, hash: string): AuditRow {
  return {
    seq: r.seq, id: r.id, occurred_at: r.occurredAt, user_id: r.userId, username: r.username, role: r.role,
    action: r.action, resource_type: r.resourceType, resource_id: r.resourceId, patient_id: r.patientId,
    outcome: r.outcome, ip: r.ip, user_agent: r.userAgent, purpose_of_use: r.purposeOfUse, detail: r.detail,
    prev_hash: r.prevHash, hash,
  };
}

export function rowToRecord(r: AuditRow): AuditRecord & { hash: string } {
  return {
    seq: Number(r.seq), id: r.id, occurredAt: r.occurred_at, userId: r.user_id, username: r.username, role: r.role,
    action: r.action, resourceType: r.resource_type, resourceId: r.resource_id, patientId: r.patient_id,
    outcome: r.outcome, ip: r.ip, userAgent: r.user_agent, purposeOfUse: r.purpose_of_use, detail: r.detail,
    prevHash: r.prev_hash, hash: r.hash,
  };
}

export interface AuditFilter {
  patientId?: string;
  userId?: string;
  action?: string;
  from?: string;
  to?: string;
  afterSeq?: number;
  beforeSeq?: number;
  /** 'asc' (oldest first, the default) or 'desc' (newest first, for review screens). */
  order?: 'asc' | 'desc';
}

/** Events matching the filter, oldest first, keyset-paginated by seq. */
export async function listAuditEvents(db: Db, f: AuditFilter, limit: number): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_events').selectAll();
  if (f.patientId) q = q.where('patient_id', '=', f.patientId);
  if (f.userId) q = q.where('user_id', '=', f.userId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.from) q = q.where('occurred_at', '>=', f.from);
  if (f.to) q = q.where('occurred_at', '<', f.to);
  if (f.afterSeq !== undefined) q = q.where('seq', '>', f.afterSeq);
  if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
  return q.orderBy('seq', f.order ?? 'asc').limit(limit).execute();
}

/** Reads the chain in pages of `pageSize` in stored order (by seq), for verification and export. */
export async function* scanAuditEvents(db: Db, pageSize = 5000): AsyncGenerator<AuditRow[]> {
  let after = -1;
  for (;;) {
    const page = await db.selectFrom('audit_events').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    if (page.length === 0) return;
    yield page;
    after = Number(page[page.length - 1]!.seq);
  }
}

export async function readAuditHead(db: Db): Promise<{ seq: number; hash: string }> {
  const h = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: Number(h.seq), hash: h.hash };
}
