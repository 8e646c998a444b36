import { describe, expect, it } from 'vitest';
import { deliverHl7Outbox, outboxBackoffMs, type OutboxMessage, type OutboxUpdate } from './outbox-delivery.js';

function world(rows: OutboxMessage[], answers: (string | Error)[], now = new Date('2026-03-02T10:00:00Z')) {
  const updates: { id: string; patch: OutboxUpdate }[] = [];
  const sent: string[] = [];
  return {
    updates,
    sent,
    ports: {
      pending: () => Promise.resolve(rows),
      update: (id: string, patch: OutboxUpdate) => {
        updates.push({ id, patch });
        return Promise.resolve();
      },
      send: (message: string) => {
        sent.push(message);
        const a = answers.shift();
        return a instanceof Error || a === undefined ? Promise.reject(a ?? new Error('no answer')) : Promise.resolve(a);
      },
      now: () => now,
      maxAttempts: 3,
    },
  };
}

const row = (id: string, attempts = 0, next = '2026-03-02T09:00:00.000Z'): OutboxMessage => ({
  id,
  message: `MSG ${id}`,
  attempts,
  next_attempt_at: next,
});

describe('deliverHl7Outbox', () => {
  it('marks AA and CA answers sent and goes on to the next message', async () => {
    const w = world([row('a'), row('b')], ['AA', 'CA']);
    const out = await deliverHl7Outbox(w.ports);
    expect(out.map((o) => [o.row.id, o.outcome])).toEqual([
      ['a', 'sent'],
      ['b', 'sent'],
    ]);
    expect(w.updates.map((u) => u.patch.status)).toEqual(['sent', 'sent']);
  });

  it('retries an AE with back-off and holds back the messages after it, so none overtakes', async () => {
    const w = world([row('a'), row('b')], ['AE']);
    const out = await deliverHl7Outbox(w.ports);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ outcome: 'retry', ack: 'AE', error: 'destination answered AE' });
    expect(w.sent).toEqual(['MSG a']);
    expect(w.updates[0]?.patch).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: '2026-03-02T10:01:00.000Z' });
  });

  it('marks a message failed on its last allowed attempt and names the connection error', async () => {
    const w = world([row('a', 2)], [new Error('connect ECONNREFUSED')]);
    const out = await deliverHl7Outbox(w.ports);
    expect(out[0]).toMatchObject({ outcome: 'failed', error: 'connect ECONNREFUSED' });
    expect(w.updates[0]?.patch).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('sends nothing while the oldest message waits for its retry time', async () => {
    const w = world([row('a', 1, '2026-03-02T10:05:00.000Z'), row('b')], ['AA']);
    expect(await deliverHl7Outbox(w.ports)).toEqual([]);
    expect(w.sent).toEqual([]);
  });

  it('backs off 1, 2, 4 ... minutes and never more than an hour', () => {
    expect([1, 2, 3, 7, 8, 20].map((n) => outboxBackoffMs(n) / 60_000)).toEqual([1, 2, 4, 60, 60, 60]);
  });
});
