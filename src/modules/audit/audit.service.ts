import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { newId } from '../../core/shared/ids.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { invalid } from '../../core/errors.js';
import type { Actor } from '../access/index.js';
import type { CheckpointSettings } from './audit.checkpoint.js';
import { appendAuditEvent, listAuditEvents, rowToRecord, type AuditFilter, type AuditRow } from './audit.repository.js';
import { auditTimeRange, csvField, type AuditRecord } from './audit.rules.js';
import { AuditAction, type AuditOutcome } from './audit.actions.js';

export { AuditAction, type AuditOutcome };

/**
 * The audit trail's writer, made once at start-up (src/app/bootstrap.ts) and passed to every service in its deps:
 * the clock that stamps events, the key that chains them and where checkpoints go, all kept outside the database.
 */
export interface AuditLog {
  readonly clock: Clock;
  /** The chain key (HMAC-SHA-256); from CUSTODIAN_AUDIT_KEY, else derived from the encryption key. */
  readonly key: Buffer;
  /** Where signed checkpoints are written and read, and their signing key; null: none (tests, tools). */
  readonly checkpoints: Readonly<CheckpointSettings> | null;
}

/** What a service needs to write audit events: the clock and the audit log. */
export interface AuditDeps {
  clock: Clock;
  audit: AuditLog;
}

/** Builds the audit log of a deployment. Without a key, a development key (never for production). */
export function createAuditLog(opts: { clock: Clock; key?: Buffer | undefined; checkpoints?: CheckpointSettings | null }): AuditLog {
  const checkpoints = opts.checkpoints ? Object.freeze({ ...opts.checkpoints }) : null;
  return Object.freeze({ clock: opts.clock, key: opts.key ?? DEVELOPMENT_AUDIT_KEY, checkpoints });
}

export const DEVELOPMENT_AUDIT_KEY = Buffer.from('custodian development audit key, not for production use', 'utf8');

/** Who did it, when nobody is signed in yet (failed logins): only what the request tells. */
export interface AnonymousRequester {
  username?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditInput {
  action: AuditAction;
  resourceType: string;
  resourceId?: string | null;
  patientId?: string | null;
  outcome: AuditOutcome;
  /** Ids, counts and reasons only: never names, codes or other PHI. */
  detail?: Record<string, unknown>;
}

/**
 * Writes one audit event (HIPAA 164.312(b)) in the given transaction. Call it with the same `trx` as the change it
 * records, so that both commit or neither does. Text that cannot be stored as given (a lone surrogate, U+0000) is
 * stored with U+FFFD in its place (see storableText).
 */
export async function recordAudit(trx: Db, log: AuditLog, who: Actor | AnonymousRequester, e: AuditInput): Promise<AuditRow> {
  const actor = 'userId' in who ? who : null;
  return appendAuditEvent(trx, log.key, {
    id: newId(),
    occurredAt: isoNow(log.clock),
    userId: actor?.userId ?? null,
    username: actor?.username ?? who.username ?? null,
    role: actor?.role ?? null,
    action: e.action,
    resourceType: e.resourceType,
    resourceId: e.resourceId ?? null,
    patientId: e.patientId ?? null,
    outcome: e.outcome,
    ip: who.ip ?? null,
    userAgent: who.userAgent ?? null,
    purposeOfUse: actor ? (actor.purposeOfUse ?? 'HOPERAT') : null,
    detail: e.detail ? JSON.stringify(e.detail) : null,
  });
}

/** An audit event as queries return it: the recorded fields, the detail parsed, the chain fields left out. */
export type AuditEventView = Omit<AuditRecord, 'prevHash' | 'hash' | 'chainId' | 'chainSeq' | 'detail'> & {
  detail: Record<string, unknown> | null;
};

/** A stored row as queries answer it (see AuditEventView). */
export function toAuditView(r: AuditRow): AuditEventView {
  const { prevHash: _p, hash: _h, chainId: _c, chainSeq: _s, detail, ...rest } = rowToRecord(r);
  return { ...rest, detail: detail ? (JSON.parse(detail) as Record<string, unknown>) : null };
}

/** Events matching the filter (see auditFilterOf for dates from people), keyset-paginated by seq. */
export async function queryAuditEvents(db: Db, f: AuditFilter, limit = 200): Promise<AuditEventView[]> {
  return (await listAuditEvents(db, f, limit)).map(toAuditView);
}

/** What people ask the audit log for (HTTP query string, CLI flags): dates as YYYY-MM-DD or ISO timestamps. */
export interface AuditQuery {
  patientId?: string | undefined;
  userId?: string | undefined;
  action?: string | undefined;
  /** From the start of this day (YYYY-MM-DD), or this instant. */
  from?: string | undefined;
  /** To the end of this day (YYYY-MM-DD, inclusive), or this instant (inclusive). */
  to?: string | undefined;
}

/** The repository filter of a query: one meaning of `from` and `to` for every caller. Throws `invalid` on a bad date. */
export function auditFilterOf(q: AuditQuery): AuditFilter {
  const range = auditTimeRange(q);
  if (!range) throw invalid('from and to: a date as YYYY-MM-DD or a timestamp as YYYY-MM-DDTHH:MM:SSZ');
  return {
    ...(q.patientId ? { patientId: q.patientId } : {}),
    ...(q.userId ? { userId: q.userId } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...range,
  };
}

export const auditCsvColumns = [
  'seq',
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
  'hash',
  'chain_id',
  'chain_seq',
  'prev_hash',
] as const;

/** CSV lines (header first) of the events matching the filter, oldest first, streamed page by page. */
export async function* exportAuditCsv(db: Db, f: AuditFilter): AsyncGenerator<string> {
  yield auditCsvColumns.join(',') + '\r\n';
  let afterSeq = -1;
  for (;;) {
    const page = await listAuditEvents(db, { ...f, order: 'asc', afterSeq }, 5000);
    if (page.length === 0) return;
    yield page.map((r) => auditCsvColumns.map((c) => csvField(r[c])).join(',') + '\r\n').join('');
    afterSeq = page[page.length - 1]!.seq;
  }
}

/**
 * The audit export of the CLI and of HTTP: the query's dates read one way (see AuditQuery), the export itself
 * audited (an `export` event of `actor`, committed before the first line), then the CSV. The caller has checked
 * that `actor` may read the audit log.
 */
export async function exportAuditTrail(
  deps: { db: Kysely<Database>; audit: AuditLog },
  actor: Actor,
  q: AuditQuery,
): Promise<AsyncGenerator<string>> {
  const filter = auditFilterOf(q);
  const detail = {
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
    ...(filter.userId ? { userId: filter.userId } : {}),
    ...(filter.action ? { action: filter.action } : {}),
  };
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.export,
      resourceType: 'audit_log',
      patientId: filter.patientId ?? null,
      outcome: 'success',
      detail,
    }),
  );
  return exportAuditCsv(deps.db, filter);
}
