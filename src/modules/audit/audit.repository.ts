import { PostgresAdapter, sql } from 'kysely';
import { runCached, type Db } from '../../db/database.js';
import type { AuditEventTable } from '../../db/schema.js';
import type { ChainHead } from './audit-chain.rules.js';
import { macAuditRecord, storableFields, type AuditFields, type AuditRecord } from './audit.rules.js';
import type { AuditAction, AuditOutcome } from './audit.actions.js';

export type AuditRow = AuditEventTable;
/** A row not yet written: on PostgreSQL its seq is drawn from the sequence when it is inserted. */
type PendingRow = Omit<AuditRow, 'seq'> & { seq: number | null };

/**
 * What an open transaction holds of a chain: the chain it took, whose head row it keeps locked until commit, and
 * that head (last position and hash), so later appends need not read the row again; on SQLite the next global seq;
 * and, when its events are deferred, the events appended but not yet written.
 */
interface HeldChain {
  chainId: number;
  seq: number;
  hash: string;
  /** SQLite: the next global seq (the one writer holds the write lock); PostgreSQL: null (a sequence). */
  nextSeq: number | null;
  pending: PendingRow[] | null;
}
const held = new WeakMap<object, HeldChain>();

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

/** The state of a transaction's chain at a savepoint, for restoreAuditHead. */
export interface AuditMark {
  state: { chainId: number; seq: number; hash: string; nextSeq: number | null; pendingLength: number; deferred: boolean } | null;
}

/** Marks the chain state at a savepoint. */
export function markAuditHead(trx: Db): AuditMark {
  const h = held.get(trx);
  return {
    state: h
      ? {
          chainId: h.chainId,
          seq: h.seq,
          hash: h.hash,
          nextSeq: h.nextSeq,
          pendingLength: h.pending?.length ?? 0,
          deferred: h.pending !== null,
        }
      : null,
  };
}

/** Puts the chain state back as it was at the mark (call after ROLLBACK TO SAVEPOINT). */
export function restoreAuditHead(trx: Db, mark: AuditMark): void {
  const h = held.get(trx);
  if (!mark.state) {
    held.delete(trx);
    return;
  }
  const { chainId, seq, hash, nextSeq } = mark.state;
  const pending = mark.state.deferred ? (h?.pending ?? []).slice(0, mark.state.pendingLength) : null;
  held.set(trx, { chainId, seq, hash, nextSeq, pending });
}

type HeadRow = { id: number | string; seq: number | string; hash: string; last_seq?: number | string };

/**
 * Takes (locks, until commit) the head of a chain and advances its position by `bump` (0 or 1). PostgreSQL: the
 * lowest-numbered chain no other transaction holds (`for update skip locked`), so concurrent writers append to
 * different chains; when every chain is held, it waits for a random one. SQLite has one writer at a time: chain 1.
 */
async function takeHead(trx: Db, bump: 0 | 1): Promise<Omit<HeldChain, 'pending'>> {
  let h: HeadRow | undefined;
  if (isPostgres(trx)) {
    [h] = await runCached<HeadRow>(
      trx,
      'audit-head-take-free',
      () =>
        sql`update audit_head set seq = seq + ${bump} where id = (select id from audit_head where id > 0 order by id limit 1 for update skip locked) returning id, seq, hash`.compile(
          trx,
        ),
      [bump],
    );
    h ??= (
      await runCached<HeadRow>(
        trx,
        'audit-head-take-any',
        () =>
          sql`update audit_head set seq = seq + ${bump} where id = (select id from audit_head where id > 0 order by random() limit 1) returning id, seq, hash`.compile(
            trx,
          ),
        [bump],
      )
    )[0];
  } else {
    // The update takes SQLite's write lock first, so the max(seq) it returns stays the max until commit.
    [h] = await runCached<HeadRow>(
      trx,
      'audit-head-take-sqlite',
      () =>
        sql`update audit_head set seq = seq + ${bump} where id = 1 returning id, seq, hash, (select coalesce(max(seq), 0) from audit_events) as last_seq`.compile(
          trx,
        ),
      [bump],
    );
  }
  if (!h) throw new Error('no audit chain head: run the migrations (0008-audit-chains)');
  return { chainId: Number(h.id), seq: Number(h.seq), hash: h.hash, nextSeq: h.last_seq === undefined ? null : Number(h.last_seq) + 1 };
}

const COLUMNS = [
  'seq',
  'chain_id',
  'chain_seq',
  'id',
  'occurred_at',
  'user_id',
  'username',
  'role',
  'action',
  'resource_type',
  'resource_id',
  'patient_id',
  'outcome',
  'ip',
  'user_agent',
  'purpose_of_use',
  'detail',
  'prev_hash',
  'hash',
] as const;

/** Inserts events (one statement, SQL compiled once per row count); on PostgreSQL seq comes from audit_event_seq. */
async function insertEvents(trx: Db, rows: PendingRow[]): Promise<number[]> {
  const pg = isPostgres(trx);
  const params: unknown[] = [];
  for (const r of rows) for (const c of COLUMNS) if (!(pg && c === 'seq')) params.push(r[c]);
  const build = () => {
    const values = rows.map((r) => Object.fromEntries(COLUMNS.map((c) => [c, c === 'seq' && pg ? sql`nextval('audit_event_seq')` : r[c]])));
    return trx
      .insertInto('audit_events')
      .values(values as never)
      .returning('seq')
      .compile();
  };
  const out = await runCached<{ seq: number | string }>(trx, `audit-insert:${rows.length}`, build, params);
  return out.map((r) => Number(r.seq));
}

async function setHead(trx: Db, h: HeldChain): Promise<void> {
  await runCached(trx, 'audit-head-set', () => trx.updateTable('audit_head').set({ seq: 0, hash: '' }).where('id', '=', 0).compile(), [
    h.seq,
    h.hash,
    h.chainId,
  ]);
}

/**
 * Defers the writes of this transaction's audit events: from now on they are chained in memory from the head of
 * the chain it holds (taken now if it holds none), and written together by flushAuditEvents, which the caller must
 * run before it commits (withDeferredAudit does). For group commit, where it saves two statements per event.
 */
export async function deferAuditEvents(trx: Db): Promise<void> {
  if (!trx.isTransaction) throw new Error('audit events can only be deferred inside a transaction');
  const h = held.get(trx) ?? { ...(await takeHead(trx, 0)), pending: null };
  held.set(trx, { ...h, pending: h.pending ?? [] });
}

/** Writes the deferred events of this transaction (multi-row inserts, one head update); they stay deferred. */
export async function flushAuditEvents(trx: Db): Promise<void> {
  const h = held.get(trx);
  if (!h?.pending?.length) return;
  const rows = h.pending;
  h.pending = [];
  for (let i = 0; i < rows.length; i += 100) await insertEvents(trx, rows.slice(i, i + 100));
  await setHead(trx, h);
}

/**
 * Runs `fn` with this transaction's audit events deferred, then writes them: also when `fn` throws (a caller that
 * catches and commits keeps them; a failed PostgreSQL transaction cannot be written to, and rolls back anyway).
 * Afterwards events are written one by one again. Inside a deferral already, it only runs `fn`.
 */
export async function withDeferredAudit<T>(trx: Db, fn: () => Promise<T>): Promise<T> {
  if (held.get(trx)?.pending) return fn();
  await deferAuditEvents(trx);
  const stop = async () => {
    await flushAuditEvents(trx);
    const h = held.get(trx);
    if (h) h.pending = null;
  };
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
  await stop();
  return result;
}

/** An event to store: its action and outcome from the closed lists (stored events read back as plain strings). */
export type NewAuditEvent = AuditFields & { action: AuditAction; outcome: AuditOutcome };

/**
 * Appends one event to a chain. Runs inside the caller's transaction so the event commits or rolls back with the
 * change it records (outside one, in a transaction of its own). The first append of a transaction takes a chain's
 * head (three statements); the next ones reuse it (two; none while deferred). Text is made storable first (see
 * storableText), so what is hashed is exactly what reads back.
 */
export async function appendAuditEvent(trx: Db, key: Buffer, e: NewAuditEvent): Promise<AuditRow> {
  if (!trx.isTransaction) return trx.transaction().execute((t) => appendAuditEvent(t, key, e));
  const fields = storableFields(e);
  const h = held.get(trx);
  const head = h ?? (await takeHead(trx, 1));
  const chainSeq = h ? h.seq + 1 : head.seq;
  const hash = macAuditRecord(key, { ...fields, prevHash: head.hash });
  const row = toRow(fields, { chainId: head.chainId, chainSeq, prevHash: head.hash, hash });
  const next: HeldChain = { chainId: head.chainId, seq: chainSeq, hash, nextSeq: head.nextSeq, pending: h?.pending ?? null };
  if (next.nextSeq !== null) row.seq = next.nextSeq++;
  held.set(trx, next);
  if (next.pending) {
    next.pending.push(row);
    return { ...row, seq: row.seq ?? 0 };
  }
  const [seq] = await insertEvents(trx, [row]);
  await setHead(trx, next);
  return { ...row, seq: seq! };
}

function toRow(f: AuditFields, c: { chainId: number; chainSeq: number; prevHash: string; hash: string }): PendingRow {
  return {
    seq: null,
    chain_id: c.chainId,
    chain_seq: c.chainSeq,
    id: f.id,
    occurred_at: f.occurredAt,
    user_id: f.userId,
    username: f.username,
    role: f.role,
    action: f.action,
    resource_type: f.resourceType,
    resource_id: f.resourceId,
    patient_id: f.patientId,
    outcome: f.outcome,
    ip: f.ip,
    user_agent: f.userAgent,
    purpose_of_use: f.purposeOfUse,
    detail: f.detail,
    prev_hash: c.prevHash,
    hash: c.hash,
  };
}

/** A stored row as a record; numbers as numbers whatever the driver gives (pg: int8 as text unless parsed). */
export function rowToRecord(r: AuditRow): AuditRecord {
  return {
    seq: r.seq,
    chainId: r.chain_id,
    chainSeq: r.chain_seq,
    id: r.id,
    occurredAt: r.occurred_at,
    userId: r.user_id,
    username: r.username,
    role: r.role,
    action: r.action,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    patientId: r.patient_id,
    outcome: r.outcome,
    ip: r.ip,
    userAgent: r.user_agent,
    purposeOfUse: r.purpose_of_use,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Filters of audit queries; `from` and `to` are inclusive instants in the stored form (see auditTimeRange). */
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

/** Events matching the filter, keyset-paginated by seq. */
export async function listAuditEvents(db: Db, f: AuditFilter, limit: number): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_events').selectAll();
  if (f.patientId) q = q.where('patient_id', '=', f.patientId);
  if (f.userId) q = q.where('user_id', '=', f.userId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.from) q = q.where('occurred_at', '>=', f.from);
  if (f.to) q = q.where('occurred_at', '<=', f.to);
  if (f.afterSeq !== undefined) q = q.where('seq', '>', f.afterSeq);
  if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
  return q
    .orderBy('seq', f.order ?? 'asc')
    .limit(limit)
    .execute();
}

/**
 * Every event in chain order (chain by chain, by position), in pages. The cursor is the position (the unique index
 * audit_chain_position serves it); should a tampered table hold two events at one position, both are read (the
 * ones already read at the cursor's position are skipped by id).
 */
export async function* scanAuditChains(db: Db, pageSize = 5000): AsyncGenerator<AuditRow[]> {
  let chain = -1;
  let pos = 0;
  let seen = new Set<string>();
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where(sql<boolean>`(chain_id, chain_seq) >= (${chain}, ${pos})`)
      .orderBy('chain_id')
      .orderBy('chain_seq')
      .orderBy('id')
      .limit(pageSize + seen.size)
      .execute();
    const page = rows.filter((r) => !(r.chain_id === chain && r.chain_seq === pos && seen.has(r.id)));
    if (page.length === 0) return;
    yield page;
    const last = page[page.length - 1]!;
    if (last.chain_id !== chain || last.chain_seq !== pos) seen = new Set();
    [chain, pos] = [last.chain_id, last.chain_seq];
    for (const r of page) if (r.chain_id === chain && r.chain_seq === pos) seen.add(r.id);
  }
}

/** The event at a chain position (the first by id, should a tampered table hold two). */
export async function findChainEvent(db: Db, chainId: number, chainSeq: number): Promise<AuditRow | undefined> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('chain_id', '=', chainId)
    .where('chain_seq', '=', chainSeq)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/** Every chain's head row (committed values; no lock taken). */
export async function readAuditHeads(db: Db): Promise<ChainHead[]> {
  const rows = await db.selectFrom('audit_head').select(['id', 'seq', 'hash']).orderBy('id').execute();
  return rows.map((h) => ({ chainId: h.id, seq: h.seq, hash: h.hash }));
}

/** The trail's identity (made by migration 0008): checkpoints name it, the chains' genesis hashes bind it. */
export async function readAuditTrailId(db: Db): Promise<string> {
  const r = await db.selectFrom('audit_trail').select('trail_id').where('id', '=', 1).executeTakeFirst();
  if (!r) throw new Error('audit_trail row is missing: run the migrations (0008-audit-chains)');
  return r.trail_id;
}
