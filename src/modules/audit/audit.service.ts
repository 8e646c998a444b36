import type { Db } from '../../db/database.js';
import { newId } from '../../core/shared/ids.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import type { Actor } from '../access/access.rules.js';
import { appendAuditEvent, listAuditEvents, readAuditHead, rowToRecord, scanAuditEvents, type AuditFilter, type AuditRow } from './audit.repository.js';
import { checkLink, csvField, GENESIS_HASH, type AuditRecord, type ChainBreak } from './audit.rules.js';

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
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * The audit trail's writer, made once at start-up (src/app/bootstrap.ts) and passed to every service in its deps:
 * the clock that stamps events and the key that chains them, which is kept outside the database.
 */
export interface AuditLog {
  readonly clock: Clock;
  /** The chain key (HMAC); from CUSTODIAN_AUDIT_KEY, else derived from the encryption key. */
  readonly key: Buffer;
}

/** What a service needs to write audit events: the clock and the audit log. */
export interface AuditDeps {
  clock: Clock;
  audit: AuditLog;
}

/** Builds the audit log of a deployment. Without a key, a development key (never for production). */
export function createAuditLog(opts: { clock: Clock; key?: Buffer | undefined }): AuditLog {
  return Object.freeze({ clock: opts.clock, key: opts.key ?? DEVELOPMENT_AUDIT_KEY });
}

const DEVELOPMENT_AUDIT_KEY = Buffer.from('custodian development audit key, not for production use', 'utf8');

/** Who did it, when nobody is signed in yet (failed logins): only what the request tells. */
export interface AnonymousRequester {
  username?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditInput {
  action: AuditAction | string;
  resourceType: string;
  resourceId?: string | null;
  patientId?: string | null;
  outcome: AuditOutcome;
  /** Ids, counts and reasons only: never names, codes or other PHI. */
  detail?: Record<string, unknown>;
}

/**
 * Writes one audit event (HIPAA 164.312(b)) in the given transaction. Call it with the same `trx` as the change it
 * records, so that both commit or neither does.
 */
export async function recordAudit(trx: Db, log: AuditLog, who: Actor | AnonymousRequester, e: AuditInput): Promise<AuditRow> {
  const actor = 'userId' in who ? who : null;
  return appendAuditEvent(trx, {
    id: newId(),
    occurredAt: isoNow(log.clock),
    userId: actor?.userId ?? null,
    username: actor?.username ?? (who as AnonymousRequester).username ?? null,
    role: actor?.role ?? null,
    action: e.action,
    resourceType: e.resourceType,
    resourceId: e.resourceId ?? null,
    patientId: e.patientId ?? null,
    outcome: e.outcome,
    ip: who.ip ?? null,
    userAgent: who.userAgent ?? null,
    purposeOfUse: actor ? actor.purposeOfUse ?? 'HOPERAT' : null,
    detail: e.detail ? JSON.stringify(e.detail) : null,
  });
}

/** An audit event as queries return it: the recorded fields, the detail parsed, the chain fields left out. */
export type AuditEventView = Omit<AuditRecord, 'prevHash' | 'detail'> & { detail: Record<string, unknown> | null };

export function toAuditView(r: AuditRow): AuditEventView {
  const { prevHash: _p, hash: _h, detail, ...rest } = rowToRecord(r);
  return { ...rest, detail: detail ? (JSON.parse(detail) as Record<string, unknown>) : null };
}

export async function queryAuditEvents(db: Db, f: AuditFilter, limit = 200): Promise<AuditEventView[]> {
  return (await listAuditEvents(db, f, limit)).map(toAuditView);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBreak?: ChainBreak;
}

/** Walks the whole chain and names the first broken link (edited, missing, reordered or truncated). */
export async function verifyAuditChain(db: Db, onProgress?: (checked: number, total: number) => void): Promise<VerifyResult> {
  const head = await readAuditHead(db);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for await (const page of scanAuditEvents(db)) {
    for (const row of page) {
      const r = rowToRecord(row);
      const b = checkLink(r, expectedSeq, prevHash);
      if (b) return { ok: false, checked, firstBreak: b };
      expectedSeq = r.seq + 1;
      prevHash = r.hash;
      checked++;
    }
    onProgress?.(checked, head.seq);
  }
  if (checked !== head.seq || prevHash !== head.hash) {
    return {
      ok: false,
      checked,
      firstBreak: { kind: 'head_mismatch', seq: checked + 1, message: `the chain ends at event ${checked} but ${head.seq} events were written (events removed from the end)` },
    };
  }
  return { ok: true, checked };
}

export const auditCsvColumns = ['seq', 'occurred_at', 'user_id', 'username', 'role', 'action', 'resource_type', 'resource_id', 'patient_id', 'outcome', 'ip', 'user_agent', 'purpose_of_use', 'detail', 'hash'] as const;

/** CSV lines (header first) of the events matching the filter, streamed page by page. */
export async function* exportAuditCsv(db: Db, f: AuditFilter): AsyncGenerator<string> {
  yield auditCsvColumns.join(',') + '\r\n';
  let afterSeq = -1;
  for (;;) {
    const page = await listAuditEvents(db, { ...f, afterSeq }, 5000);
    if (page.length === 0) return;
    yield page.map((r) => auditCsvColumns.map((c) => csvField(r[c])).join(',') + '\r\n').join('');
    afterSeq = Number(page[page.length - 1]!.seq);
  }
}
