/**
 * Delivery of an outbound HL7 message log (an "outbox"), shared by every module that sends HL7: each due message is
 * sent in order and waits for its ACK. AA/CA marks it sent; anything else (AE/AR, no answer, no connection) is
 * retried with back-off (1, 2, 4 ... minutes, at most an hour) and marked failed after `maxAttempts`. Messages of
 * one destination go in order, so one waiting for its retry holds back those after it.
 * The caller owns the table: it passes the due rows, how to store an outcome, and how to send.
 */

/** One logged message as the outbox loop needs it. */
export interface OutboxMessage {
  id: string;
  message: string;
  attempts: number;
  /** ISO instant before which the message is not sent again. */
  next_attempt_at: string;
}

/** What the loop writes back to the caller's row. */
export type OutboxUpdate =
  | { status: 'sent'; attempts: number; ack_code: string | null; sent_at: string; last_error: null }
  | { status: 'pending' | 'failed'; attempts: number; ack_code: string | null; last_error: string; next_attempt_at: string };

export interface OutboxDeliveryPorts<Row extends OutboxMessage> {
  /** The rows not yet sent, oldest first. */
  pending(): Promise<Row[]>;
  update(id: string, patch: OutboxUpdate): Promise<void>;
  /** Sends one message and answers the ACK's MSA-1 code; throws when nothing usable came back. */
  send(message: string): Promise<string>;
  now(): Date;
  maxAttempts: number;
}

export interface OutboxOutcome<Row> {
  row: Row;
  outcome: 'sent' | 'retry' | 'failed';
  ack: string | null;
  error: string | null;
}

/** Back-off before the next try: 1, 2, 4 ... minutes after the nth failed attempt, at most an hour. */
export function outboxBackoffMs(attempts: number): number {
  return Math.min(60, 2 ** (attempts - 1)) * 60_000;
}

/** Sends every due message, oldest first; each reports its own outcome (a failure holds back those after it). */
export async function deliverHl7Outbox<Row extends OutboxMessage>(ports: OutboxDeliveryPorts<Row>): Promise<OutboxOutcome<Row>[]> {
  const results: OutboxOutcome<Row>[] = [];
  for (const row of await ports.pending()) {
    if (row.next_attempt_at > ports.now().toISOString()) break;
    const attempts = row.attempts + 1;
    let ack: string | null = null;
    let error: string | null = null;
    try {
      ack = await ports.send(row.message);
      if (ack !== 'AA' && ack !== 'CA') error = `destination answered ${ack || 'no MSA-1'}`;
    } catch (e) {
      error = e instanceof Error ? e.message : 'send failed';
    }
    const now = ports.now();
    if (error === null) {
      await ports.update(row.id, { status: 'sent', attempts, ack_code: ack, sent_at: now.toISOString(), last_error: null });
      results.push({ row, outcome: 'sent', ack, error: null });
      continue;
    }
    const failed = attempts >= ports.maxAttempts;
    await ports.update(row.id, {
      status: failed ? 'failed' : 'pending',
      attempts,
      ack_code: ack,
      last_error: error,
      next_attempt_at: new Date(now.getTime() + outboxBackoffMs(attempts)).toISOString(),
    });
    results.push({ row, outcome: failed ? 'failed' : 'retry', ack, error });
    break;
  }
  return results;
}
