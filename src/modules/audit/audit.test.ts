import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { manualClock } from '../../core/shared/clock.js';
import { Role, type Actor } from '../access/index.js';
import {
  auditFilterOf,
  createAuditLog,
  deferAuditEvents,
  exportAuditTrail,
  flushAuditEvents,
  markAuditHead,
  queryAuditEvents,
  recordAudit,
  restoreAuditHead,
  storableText,
  verifyAuditChain,
  withDeferredAudit,
  type AuditInput,
  type AuditLog,
} from './index.js';

const coder: Actor = { userId: 'u-coder', username: 'coder', role: Role.coder, ip: '10.0.0.5', userAgent: 'test', purposeOfUse: 'HOPERAT' };
const clerk: Actor = { userId: 'u-clerk', username: 'clerk', role: Role.himClerk, ip: '10.0.0.6', userAgent: 'test' };
const read = (id: string): AuditInput => ({ action: 'read', resourceType: 'patient', resourceId: id, patientId: id, outcome: 'success' });

/** Text that a naive writer stores differently from what it hashed, or that PostgreSQL refuses. */
const HOSTILE = [
  'caf\u0065\u0301 \u{1F469}\u200D\u2695\uFE0F \u{1D518}\u{1D52B}', // combining accent, ZWJ emoji sequence, non-BMP letters
  'nul\u0000inside',
  '\ud800', // a lone high surrogate
  'x\udc00y', // a lone low surrogate
  '\udc00\ud800', // a pair in the wrong order
  '\ud83d\ude00 kept', // a real pair (U+1F600)
  'long '.repeat(20_000),
];

describe.each(engines)('audit trail on %s', (engine) => {
  let t: TestDatabase;
  let clock = manualClock('2026-03-01T08:00:00Z');
  let log: AuditLog;
  const write = (who: Actor | { username?: string; userAgent?: string; ip?: string }, e: AuditInput) =>
    t.db.transaction().execute((trx) => recordAudit(trx, log, who, e));
  beforeEach(async () => {
    clock = manualClock('2026-03-01T08:00:00Z');
    log = createAuditLog({ clock });
    t = await createTestDatabase(engine);
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      await write(i % 2 ? clerk : coder, read(`p${i % 3}`));
    }
  });
  afterEach(() => t.dispose());

  it('verifies an untouched trail: every event checked, no break, no checkpoint configured', async () => {
    expect(await verifyAuditChain(t.db, log)).toMatchObject({
      ok: true,
      checked: 5,
      breaks: [],
      breakCount: 0,
      checkpoints: { dir: null, found: 0 },
    });
  });

  it('chains with HMAC-SHA-256 under the audit key: the same events under another key do not verify', async () => {
    const other = createAuditLog({ clock, key: Buffer.alloc(32, 7) });
    const r = await verifyAuditChain(t.db, other);
    expect(r.breakCount).toBe(5);
    expect(new Set(r.breaks.map((b) => b.kind))).toEqual(new Set(['edited']));
  });

  it('stores hostile text in every text field so that it reads back as hashed (lone surrogates and NUL become U+FFFD)', async () => {
    for (const v of HOSTILE) {
      await write(
        { username: v, userAgent: v, ip: '10.0.0.9' },
        { action: 'login_failed', resourceType: 'session', resourceId: v, outcome: 'failure', detail: { note: v } },
      );
    }
    const rows = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'login_failed').orderBy('seq').execute();
    expect(rows).toHaveLength(HOSTILE.length);
    rows.forEach((r, i) => {
      const v = HOSTILE[i]!;
      expect([r.username, r.user_agent, r.resource_id]).toEqual([storableText(v), storableText(v), storableText(v)]);
      // The detail is JSON, which escapes what UTF-8 cannot carry: the exact original comes back.
      expect((JSON.parse(r.detail!) as { note: string }).note).toBe(v);
    });
    expect(storableText('\ud800')).toBe('\ufffd');
    expect(storableText('nul\u0000inside')).toBe('nul\ufffdinside');
    expect(storableText('\ud83d\ude00 kept')).toBe('\ud83d\ude00 kept');
    expect(storableText(HOSTILE[0]!)).toBe(HOSTILE[0]);
    expect(await verifyAuditChain(t.db, log)).toMatchObject({ ok: true, checked: 5 + HOSTILE.length });
  });

  it('reads numbers and timestamps back as they were written', async () => {
    const rows = await t.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    for (const r of rows) for (const v of [r.seq, r.chain_id, r.chain_seq]) expect(typeof v).toBe('number');
    expect(rows.map((r) => [r.seq, r.chain_id, r.chain_seq])).toEqual([1, 2, 3, 4, 5].map((n) => [n, 1, n]));
    expect(rows.map((r) => r.occurred_at)).toEqual([1, 2, 3, 4, 5].map((m) => `2026-03-01T08:0${m}:00.000Z`));
  });

  it('rolls back the event with the change it records', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await recordAudit(trx, log, coder, read('p9'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await queryAuditEvents(t.db, { patientId: 'p9' })).toEqual([]);
    expect(await verifyAuditChain(t.db, log)).toMatchObject({ ok: true, checked: 5 });
  });

  it('writes an event outside a transaction in a transaction of its own', async () => {
    await recordAudit(t.db, log, coder, read('p8'));
    expect(await verifyAuditChain(t.db, log)).toMatchObject({ ok: true, checked: 6 });
  });

  it('answers "who looked at my record" and "what did this user do" with who, when, from where and why', async () => {
    const forP0 = await queryAuditEvents(t.db, { patientId: 'p0' });
    expect(forP0.map((e) => e.seq)).toEqual([1, 4]);
    expect(forP0[0]).toMatchObject({
      username: 'coder',
      role: 'coder',
      ip: '10.0.0.5',
      action: 'read',
      purposeOfUse: 'HOPERAT',
      outcome: 'success',
    });
    expect(forP0[0]).not.toHaveProperty('chainId');
    expect((await queryAuditEvents(t.db, { userId: 'u-clerk' })).map((e) => e.seq)).toEqual([2, 4]);
  });

  it('pages newest first with a beforeSeq cursor', async () => {
    expect((await queryAuditEvents(t.db, { order: 'desc' }, 2)).map((e) => e.seq)).toEqual([5, 4]);
    expect((await queryAuditEvents(t.db, { order: 'desc', beforeSeq: 4 }, 2)).map((e) => e.seq)).toEqual([3, 2]);
  });

  it('reads `to` as the whole day for a date and as that instant for a timestamp, for queries and exports alike', async () => {
    clock.set('2026-03-01T23:59:59.999Z');
    await write(coder, read('edge'));
    clock.set('2026-03-02T00:00:00.000Z');
    await write(coder, read('edge'));
    const seqs = async (q: Parameters<typeof auditFilterOf>[0]) => (await queryAuditEvents(t.db, auditFilterOf(q))).map((e) => e.seq);
    expect(await seqs({ to: '2026-03-01' })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await seqs({ from: '2026-03-02' })).toEqual([7]);
    expect(await seqs({ from: '2026-03-01', to: '2026-03-01' })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await seqs({ from: '2026-03-01T08:02:00Z', to: '2026-03-01T08:04:00Z' })).toEqual([2, 3, 4]);
    expect(await seqs({ to: '2026-03-01T23:59:59.998Z' })).toEqual([1, 2, 3, 4, 5]);
    expect(() => auditFilterOf({ to: '2026-02-30' })).toThrow(/YYYY-MM-DD/);
    let csv = '';
    for await (const c of await exportAuditTrail({ db: t.db, audit: log }, coder, { patientId: 'edge', to: '2026-03-01' })) csv += c;
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    expect(csv.split('\r\n')[0]).toMatch(/^seq,occurred_at,user_id,.*,hash,chain_id,chain_seq,prev_hash$/);
    // The export itself is audited, with the range it used.
    const [ev] = await queryAuditEvents(t.db, { action: 'export' });
    expect(ev).toMatchObject({
      username: 'coder',
      resourceType: 'audit_log',
      patientId: 'edge',
      detail: { to: '2026-03-01T23:59:59.999Z' },
    });
  });

  it('writes deferred events at the flush, and a rollback to a savepoint drops the events after its mark', async () => {
    await t.db.transaction().execute(async (trx) => {
      await deferAuditEvents(trx);
      await recordAudit(trx, log, coder, read('g1'));
      await sql`savepoint s1`.execute(trx);
      const mark = markAuditHead(trx);
      await recordAudit(trx, log, coder, read('g2'));
      await sql`rollback to savepoint s1`.execute(trx);
      restoreAuditHead(trx, mark);
      await recordAudit(trx, log, coder, read('g3'));
      expect(await trx.selectFrom('audit_events').select('id').where('patient_id', 'like', 'g%').execute()).toEqual([]);
      await flushAuditEvents(trx);
    });
    expect(
      (await t.db.selectFrom('audit_events').select('patient_id').where('patient_id', 'like', 'g%').orderBy('seq').execute()).map(
        (r) => r.patient_id,
      ),
    ).toEqual(['g1', 'g3']);
    expect(await verifyAuditChain(t.db, log)).toMatchObject({ ok: true, checked: 7 });
  });

  it('withDeferredAudit always flushes: after the function, and when it throws and the caller commits anyway', async () => {
    await t.db.transaction().execute(async (trx) => {
      await withDeferredAudit(trx, async () => {
        await recordAudit(trx, log, coder, read('w1'));
        await recordAudit(trx, log, coder, read('w2'));
      });
      await expect(
        withDeferredAudit(trx, async () => {
          await recordAudit(trx, log, coder, read('w3'));
          throw new Error('one message failed');
        }),
      ).rejects.toThrow('one message failed');
      // Deferral ended with the wrapper: this one is written at once.
      await recordAudit(trx, log, clerk, read('w4'));
      expect(
        (await trx.selectFrom('audit_events').select('patient_id').where('patient_id', 'like', 'w%').orderBy('seq').execute()).map(
          (r) => r.patient_id,
        ),
      ).toEqual(['w1', 'w2', 'w3', 'w4']);
    });
    expect(await verifyAuditChain(t.db, log)).toMatchObject({ ok: true, checked: 9 });
  });

  it('keeps every chain whole under concurrent writers', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => write(coder, read(`c${i}`))));
    expect(await verifyAuditChain(t.db, log)).toMatchObject({ ok: true, checked: 25 });
    const n = await sql<{ n: number }>`select count(distinct prev_hash) as n from audit_events`.execute(t.db);
    expect(n.rows[0]!.n).toBe(25);
  });

  it('with a single chain, concurrent writers wait for it and it stays whole', async () => {
    await t.db.deleteFrom('audit_head').where('id', '>', 1).execute();
    await Promise.all(Array.from({ length: 12 }, (_, i) => write(coder, read(`s${i}`))));
    expect(await verifyAuditChain(t.db, log)).toMatchObject({ ok: true, checked: 17 });
    expect(await t.db.selectFrom('audit_events').select('chain_id').distinct().execute()).toEqual([{ chain_id: 1 }]);
  });

  it.runIf(engine === 'postgres')('gives a writer a chain no other open transaction holds, so it does not wait', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let first = 0;
    const t1 = t.db.transaction().execute(async (trx) => {
      first = (await recordAudit(trx, log, coder, read('h1'))).chain_id;
      await held;
    });
    // t1 holds its chain until `release`; this writer would wait for it forever if it took the same one.
    while (first === 0) await new Promise((r) => setImmediate(r));
    const second = (await write(clerk, read('h2'))).chain_id;
    release();
    await t1;
    expect(first).not.toBe(second);
    expect(await verifyAuditChain(t.db, log)).toMatchObject({ ok: true, checked: 7 });
  });
});
