import { insertRows, runCached, type Db } from '../../db/database.js';
import type { Hl7MessageTable } from '../../db/schema.js';

/** SQL of the HL7 message store. */
export const MessageStatus = {
  received: 'received',
  applied: 'applied',
  error: 'error',
  rejected: 'rejected',
  duplicate: 'duplicate',
  ignored: 'ignored',
} as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

// PostgreSQL text cannot hold NUL characters, which binary garbage on a socket may carry: such raw text is
// kept base64-encoded behind a marker, so that it is stored whole on both engines and read back unchanged.
const RAW_MARK = '\u0001b64:';
export function encodeRaw(raw: string): string {
  return raw.includes('\u0000') || raw.startsWith(RAW_MARK) ? RAW_MARK + Buffer.from(raw, 'utf8').toString('base64') : raw;
}
export function decodeRaw(stored: string): string {
  return stored.startsWith(RAW_MARK) ? Buffer.from(stored.slice(RAW_MARK.length), 'base64').toString('utf8') : stored;
}

export async function insertMessage(db: Db, row: Hl7MessageTable): Promise<void> {
  await db
    .insertInto('hl7_messages')
    .values({ ...row, raw: encodeRaw(row.raw) })
    .execute();
}

/** Inserts messages in arrival order, in multi-row statements. */
export async function insertMessages(db: Db, rows: Hl7MessageTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) {
    await insertRows(
      db,
      'hl7_messages',
      rows.slice(i, i + 100).map((row) => ({ ...row, raw: encodeRaw(row.raw) })),
    );
  }
}

export interface MessageOutcome {
  status: MessageStatus;
  ackCode: string;
  errorCode: string | null;
  errorText: string | null;
  patientId: string | null;
  processedAt: string;
}

/** The columns of an outcome. */
export function outcomeRow(
  o: MessageOutcome,
): Pick<Hl7MessageTable, 'status' | 'ack_code' | 'error_code' | 'error_text' | 'patient_id' | 'processed_at'> {
  return {
    status: o.status,
    ack_code: o.ackCode,
    error_code: o.errorCode,
    error_text: o.errorText,
    patient_id: o.patientId,
    processed_at: o.processedAt,
  };
}

export async function setOutcome(db: Db, id: string, o: MessageOutcome): Promise<void> {
  await db
    .updateTable('hl7_messages')
    .set((eb) => ({ ...outcomeRow(o), attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** The key of a sender's control id in the map of findAppliedMany. */
export const appliedKey = (sendingFacility: string, controlId: string) => `${sendingFacility}\u0000${controlId}`;

/** Of these sender/control-id pairs, those already applied, with the patient each concerned (keys: appliedKey). */
export async function findAppliedMany(
  db: Db,
  pairs: { sendingFacility: string; controlId: string }[],
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const bySender = new Map<string, Set<string>>();
  for (const p of pairs) bySender.set(p.sendingFacility, (bySender.get(p.sendingFacility) ?? new Set()).add(p.controlId));
  for (const [sender, set] of bySender) {
    const ids = [...set];
    if (ids.length === 1) {
      // A group of one (a sender that waits for each ACK): SQL compiled once.
      const rows = await runCached<{ control_id: string | null; patient_id: string | null }>(
        db,
        'hl7-applied-one',
        () =>
          db
            .selectFrom('hl7_messages')
            .select(['control_id', 'patient_id'])
            .where('sending_facility', '=', '')
            .where('control_id', '=', '')
            .where('status', '=', MessageStatus.applied)
            .compile(),
        [sender, ids[0], MessageStatus.applied],
      );
      for (const r of rows) out.set(appliedKey(sender, r.control_id ?? ''), r.patient_id);
      continue;
    }
    for (let i = 0; i < ids.length; i += 500) {
      // Served by the partial unique index hl7_messages_applied_once (sending_facility, control_id where applied).
      const rows = await db
        .selectFrom('hl7_messages')
        .select(['control_id', 'patient_id'])
        .where('sending_facility', '=', sender)
        .where('control_id', 'in', ids.slice(i, i + 500))
        .where('status', '=', 'applied')
        .execute();
      for (const r of rows) out.set(appliedKey(sender, r.control_id ?? ''), r.patient_id);
    }
  }
  return out;
}

/** The message already applied with this sender and control id, if any (MSH-4 + MSH-10). */
export async function findApplied(
  db: Db,
  sendingFacility: string,
  controlId: string,
): Promise<{ id: string; patient_id: string | null } | undefined> {
  return db
    .selectFrom('hl7_messages')
    .select(['id', 'patient_id'])
    .where('sending_facility', '=', sendingFacility)
    .where('control_id', '=', controlId)
    .where('status', '=', 'applied')
    .executeTakeFirst();
}

export async function findMessage(db: Db, id: string): Promise<Hl7MessageTable | undefined> {
  const row = await db.selectFrom('hl7_messages').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { ...row, raw: decodeRaw(row.raw) };
}

export interface MessageFilter {
  status?: string;
  messageType?: string;
  triggerEvent?: string;
  controlId?: string;
  sendingFacility?: string;
  patientId?: string;
  from?: string;
  to?: string;
  /** Keyset pagination: messages received before this id (ids are time-ordered). */
  before?: string;
}

/** Messages matching the filter, newest first, without the raw text. */
export async function listMessages(db: Db, f: MessageFilter, limit: number): Promise<Omit<Hl7MessageTable, 'raw'>[]> {
  let q = db
    .selectFrom('hl7_messages')
    .select([
      'id',
      'received_at',
      'channel',
      'control_id',
      'sending_application',
      'sending_facility',
      'message_type',
      'trigger_event',
      'version',
      'status',
      'ack_code',
      'error_code',
      'error_text',
      'patient_id',
      'attempts',
      'processed_at',
    ]);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.messageType) q = q.where('message_type', '=', f.messageType);
  if (f.triggerEvent) q = q.where('trigger_event', '=', f.triggerEvent);
  if (f.controlId) q = q.where('control_id', '=', f.controlId);
  if (f.sendingFacility) q = q.where('sending_facility', '=', f.sendingFacility);
  if (f.patientId) q = q.where('patient_id', '=', f.patientId);
  if (f.from) q = q.where('received_at', '>=', f.from);
  if (f.to) q = q.where('received_at', '<', f.to);
  if (f.before) q = q.where('id', '<', f.before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

export async function countByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('hl7_messages')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
