import type { Db } from '../../db/database.js';
import type { Hl7MessageTable } from '../../db/schema.js';

/** SQL of the HL7 message store. */
export const MessageStatus = {
  received: 'received', applied: 'applied', error: 'error', rejected: 'rejected', duplicate: 'duplicate', ignored: 'ignored',
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
  await db.insertInto('hl7_messages').values({ ...row, raw: encodeRaw(row.raw) }).execute();
}

export interface MessageOutcome {
  status: MessageStatus;
  ackCode: string;
  errorCode: string | null;
  errorText: string | null;
  patientId: string | null;
  processedAt: string;
}

export async function setOutcome(db: Db, id: string, o: MessageOutcome): Promise<void> {
  await db
    .updateTable('hl7_messages')
    .set((eb) => ({ status: o.status, ack_code: o.ackCode, error_code: o.errorCode, error_text: o.errorText, patient_id: o.patientId, processed_at: o.processedAt, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** The message already applied with this sender and control id, if any (MSH-4 + MSH-10). */
export async function findApplied(db: Db, sendingFacility: string, controlId: string): Promise<{ id: string; patient_id: string | null } | undefined> {
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
    .select(['id', 'received_at', 'channel', 'control_id', 'sending_application', 'sending_facility', 'message_type', 'trigger_event', 'version', 'status', 'ack_code', 'error_code', 'error_text', 'patient_id', 'attempts', 'processed_at']);
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
  const rows = await db.selectFrom('hl7_messages').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
