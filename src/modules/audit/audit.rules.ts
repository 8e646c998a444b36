import { createHash, createHmac } from 'node:crypto';

/** The recorded fields of an audit event: what its hash covers, with the hash of the event before it. */
export interface AuditFields {
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
}

/** An audit event as stored: its fields, its place (global `seq`; chain and position in it) and its links. */
export interface AuditRecord extends AuditFields {
  /** The listing key: unique, not hashed (see README, ordering). */
  seq: number;
  chainId: number;
  chainSeq: number;
  prevHash: string;
  hash: string;
}

/** The chain of the events written before migration 0008: unkeyed SHA-256, closed. */
export const LEGACY_CHAIN = 0;
/** The previous hash of the first legacy event. */
export const GENESIS_HASH = '0'.repeat(64);

const TEXT_FIELDS = [
  'id',
  'occurredAt',
  'userId',
  'username',
  'role',
  'action',
  'resourceType',
  'resourceId',
  'patientId',
  'outcome',
  'ip',
  'userAgent',
  'purposeOfUse',
  'detail',
] as const;

// A lone surrogate (high not followed by low, or low not preceded by high) or U+0000.
// eslint-disable-next-line no-control-regex -- U+0000 is one of the characters this pattern exists to find
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g;

/**
 * Text as both engines store and give back exactly: each lone surrogate (not Unicode, so not encodable in UTF-8;
 * better-sqlite3 and pg each substitute it differently) and each U+0000 (PostgreSQL refuses it in text) is replaced
 * with U+FFFD, the Unicode replacement character (Unicode 15, section 3.9, U+FFFD substitution). Everything else,
 * including emoji, other non-BMP characters and combining sequences, is kept as is, unnormalised.
 */
export function storableText(s: string): string {
  UNSTORABLE.lastIndex = 0;
  return UNSTORABLE.test(s) ? s.replace(UNSTORABLE, '\uFFFD') : s;
}

/** The fields with every text made storable (see storableText): what is hashed is exactly what reads back. */
export function storableFields<T extends AuditFields>(f: T): T {
  const out = { ...f };
  for (const k of TEXT_FIELDS) {
    const v = out[k];
    if (typeof v === 'string') (out as Record<string, unknown>)[k] = storableText(v);
  }
  return out;
}

/**
 * The legacy hash (events before migration 0008, chain 0): SHA-256 over the previous hash and the fields in a fixed
 * order, JSON-encoded, with the event's seq. Kept to verify those events, never to write new ones.
 */
export function legacyHashAuditRecord(r: AuditFields & { seq: number; prevHash: string }): string {
  const canonical = JSON.stringify([
    r.prevHash,
    r.seq,
    r.id,
    r.occurredAt,
    r.userId,
    r.username,
    r.role,
    r.action,
    r.resourceType,
    r.resourceId,
    r.patientId,
    r.outcome,
    r.ip,
    r.userAgent,
    r.purposeOfUse,
    r.detail,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * The keyed hash of an event: HMAC-SHA-256 with the audit key (kept outside the database) over a canonical
 * serialisation: a JSON array in a fixed order (a version tag, the previous hash, then every field; strings, or
 * null), UTF-8 encoded. JSON.stringify of well-formed text is one exact byte string, and storableText makes all
 * text well-formed, so the same event gives the same bytes whichever engine stored it. The position (chain, seq in
 * it) is carried by the links, not the MAC: the previous hash names the predecessor and each chain starts from its
 * own genesis.
 */
export function macAuditRecord(key: Buffer, r: AuditFields & { prevHash: string }): string {
  const canonical = JSON.stringify([
    'custodian-audit-event/2',
    r.prevHash,
    r.id,
    r.occurredAt,
    r.userId,
    r.username,
    r.role,
    r.action,
    r.resourceType,
    r.resourceId,
    r.patientId,
    r.outcome,
    r.ip,
    r.userAgent,
    r.purposeOfUse,
    r.detail,
  ]);
  return createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
}

/**
 * The previous hash of the first event of keyed chain `chainId`: bound to the trail id and to the legacy chain's
 * last hash at migration 0008, so that the keyed chains anchor the legacy one and no two chains start alike.
 * (Migration 0008 computes the same value for the head rows it makes.)
 */
export function chainGenesis(trailId: string, legacyHead: string, chainId: number): string {
  return createHash('sha256')
    .update(JSON.stringify(['custodian-audit-genesis/2', trailId, legacyHead, chainId]))
    .digest('hex');
}

/** The hash of an event under the scheme of its chain. */
export function expectedHash(key: Buffer, r: AuditRecord): string {
  return r.chainId === LEGACY_CHAIN ? legacyHashAuditRecord({ ...r, seq: r.chainSeq }) : macAuditRecord(key, r);
}

/** A date (YYYY-MM-DD, the whole day) or a timestamp (ISO 8601 with Z, that instant). */
export const AUDIT_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/;

/**
 * The time range of an audit query or export, normalised to the stored form (ISO 8601 UTC with milliseconds, which
 * sorts as text): `from` inclusive from the start of its day or its instant; `to` inclusive to the end of its day
 * (23:59:59.999) or of its instant. Null for an impossible date (2026-02-30).
 */
export function auditTimeRange(q: { from?: string | undefined; to?: string | undefined }): { from?: string; to?: string } | null {
  const out: { from?: string; to?: string } = {};
  for (const k of ['from', 'to'] as const) {
    const v = q[k];
    if (v === undefined) continue;
    if (!AUDIT_DATE.test(v)) return null;
    const t = Date.parse(v.length === 10 ? `${v}T00:00:00.000Z` : v);
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v.slice(0, 10)) return null;
    out[k] = new Date(k === 'to' && v.length === 10 ? t + 86_400_000 - 1 : t).toISOString();
  }
  return out;
}

/** Quotes a CSV field per RFC 4180. */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
