import { sql } from 'kysely';
import { insertRows, runCached, type Db } from '../../db/database.js';
import type { AuditEventTable } from '../../db/schema.js';
import { hashAuditRecord, type AuditRecord } from './audit.rules.js';

export type AuditRow = AuditEventTable;

/**
 * What an open transaction holds of the chain: the head (last seq and hash) once it has taken the head row, whose
 * lock it keeps until commit, so later appends need not read the row again; and, when its events are deferred,
 * the events appended but not yet written.
 */
interface HeldChain {
  seq: number;
  hash: string;
  pending: AuditRow[] | null;
}
const held = new WeakMap<object, HeldChain>();

/** The state of a transaction's chain at a savepoint, for restoreAuditHead. */
export interface AuditMark {
  state: { seq: number; hash: string; pendingLength: number; deferred: boolean } | null;
}

/** Marks the chain state at a savepoint. */
export function markAuditHead(trx: Db): AuditMark {
  const h = held.get(trx);
  return { state: h ? { seq: h.seq, hash: h.hash, pendingLength: h.pending?.length ?? 0, deferred: h.pending !== null } : null };
}

/** Puts the chain state back as it was at the mark (call after ROLLBACK TO SAVEPOINT). */
export function restoreAuditHead(trx: Db, mark: AuditMark): void {
  const h = held.get(trx);
  if (!mark.state) {
    held.delete(trx);
    return;
  }
  const pending = mark.state.deferred ? (h?.pending ?? []).slice(0, mark.state.pendingLength) : null;
  held.set(trx, { seq: mark.state.seq, hash: mark.state.hash, pending });
}

async function takeHead(trx: Db, bump: boolean): Promise<{ seq: number; hash: string }> {
  // Run for every audited change: the SQL is compiled once (runCached).
  const [h] = bump
    ? await runCached<{ seq: number | string; hash: string }>(trx, 'audit-head-bump', () => sql`update audit_head set seq = seq + 1 where id = 1 returning seq, hash`.compile(trx), [])
    : await runCached<{ seq: number | string; hash: string }>(trx, 'audit-head-take', () => sql`update audit_head set seq = seq where id = 1 returning seq, hash`.compile(trx), []);
  if (!h) throw new Error('audit_head row is missing: run the migrations');
  return { seq: Number(h.seq), hash: h.hash };
}

/**
 * Defers the writes of this transaction's audit events: from now on they are chained in memory from the head,
 * which is taken (locked) now, and written together by flushAuditEvents, which the caller must run before it
 * commits. For group commit (many changes in one transaction), where it saves two statements per event.
 */
export async function deferAuditEvents(trx: Db): Promise<void> {
  if (!trx.isTransaction) throw new Error('audit events can only be deferred inside a transaction');
  const h = held.get(trx) ?? { ...(await takeHead(trx, false)), pending: null };
  held.set(trx, { seq: h.seq, hash: h.hash, pending: h.pending ?? [] });
}

/** Writes the deferred events of this transaction (multi-row inserts, one head update). */
export async function flushAuditEvents(trx: Db): Promise<void> {
  const h = held.get(trx);
  if (!h?.pending?.length) return;
  const rows = h.pending;
  h.pending = [];
  for (let i = 0; i < rows.length; i += 100) await insertRows(trx, 'audit_events', rows.slice(i, i + 100));
  await runCached(trx, 'audit-head-set', () => trx.updateTable('audit_head').set({ seq: 0, hash: '' }).where('id', '=', 1).compile(), [h.seq, h.hash, 1]);
}

/**
 * Appends one event to the chain. Must run inside the caller's transaction so the event commits or rolls back
 * with the change it records. The first append of a transaction takes the head row with an update (the lock
 * that orders concurrent appends); the next ones reuse the head it holds: two statements instead of three,
 * none when the transaction's events are deferred.
 */
export async function appendAuditEvent(trx: Db, e: Omit<AuditRecord, 'seq' | 'prevHash'>): Promise<AuditRow> {
  const h = trx.isTransaction ? held.get(trx) : undefined;
  const head = h ? { seq: h.seq + 1, hash: h.hash } : await takeHead(trx, true);
  const record: AuditRecord = { ...e, seq: head.seq, prevHash: head.hash };
  const hash = hashAuditRecord(record);
  const row: AuditRow = toRow(record, hash);
  if (h?.pending) {
    h.pending.push(row);
    h.seq = record.seq;
    h.hash = hash;
    return row;
  }
  held.delete(trx);
  await insertRows(trx, 'audit_events', [row]);
  await trx.updateTable('audit_head').set(h ? { seq: record.seq, hash } : { hash }).where('id', '=', 1).execute();
  if (trx.isTransaction) held.set(trx, { seq: record.seq, hash, pending: null });
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
