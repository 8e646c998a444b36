/**
 * Interface health for the HIM director's dashboard (src/modules/reports): inbound HL7 messages over a range by
 * outcome and by message type, aggregates only (no raw text, no patient).
 */
import type { Db } from '../../db/database.js';
import { MessageStatus } from './hl7-messages.repository.js';

export interface InterfaceHealth {
  received: number;
  applied: number;
  /** Stored but not applied (AE): waiting for data or reprocessing. */
  errors: number;
  /** Refused (AR): unreadable or unsupported. */
  rejected: number;
  duplicates: number;
  /** Errors and rejections over messages received; null when none arrived. */
  errorRate: number | null;
  /** The newest message received at any time (not only in the range): a silent interface shows here. */
  lastReceivedAt: string | null;
  byType: { type: string; received: number; errors: number }[];
}

/** Inbound HL7 messages received from `from` up to `to` (ISO instants). */
export async function interfaceHealth(db: Db, range: { from: string; to: string }): Promise<InterfaceHealth> {
  const rows = await db
    .selectFrom('hl7_messages')
    .select((eb) => ['message_type', 'trigger_event', 'status', eb.fn.countAll<string | number>().as('n')])
    .where('received_at', '>=', range.from)
    .where('received_at', '<=', range.to)
    .groupBy(['message_type', 'trigger_event', 'status'])
    .execute();
  const last = await db
    .selectFrom('hl7_messages')
    .select((eb) => eb.fn.max('received_at').as('at'))
    .executeTakeFirst();
  const count = (pred: (r: (typeof rows)[number]) => boolean) => rows.filter(pred).reduce((s, r) => s + Number(r.n), 0);
  const failed = (s: string) => s === MessageStatus.error || s === MessageStatus.rejected;
  const types = new Map<string, { type: string; received: number; errors: number }>();
  for (const r of rows) {
    const type = r.message_type ? `${r.message_type}${r.trigger_event ? `^${r.trigger_event}` : ''}` : 'unreadable';
    const t = types.get(type) ?? { type, received: 0, errors: 0 };
    t.received += Number(r.n);
    if (failed(r.status)) t.errors += Number(r.n);
    types.set(type, t);
  }
  const received = count(() => true);
  const errors = count((r) => r.status === MessageStatus.error);
  const rejected = count((r) => r.status === MessageStatus.rejected);
  return {
    received,
    applied: count((r) => r.status === MessageStatus.applied),
    errors,
    rejected,
    duplicates: count((r) => r.status === MessageStatus.duplicate),
    errorRate: received === 0 ? null : Math.round(((errors + rejected) / received) * 10_000) / 10_000,
    lastReceivedAt: (last?.at as string | null | undefined) ?? null,
    byType: [...types.values()].sort((a, b) => b.received - a.received || (a.type < b.type ? -1 : 1)),
  };
}
