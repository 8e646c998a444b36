import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { manualClock } from '../../core/shared/clock.js';
import { Role, type Actor } from '../access/index.js';
import { createAuditLog, exportAuditCsv, queryAuditEvents, recordAudit, verifyAuditChain } from './index.js';

const coder: Actor = { userId: 'u-coder', username: 'coder', role: Role.coder, ip: '10.0.0.5', userAgent: 'test', purposeOfUse: 'HOPERAT' };
const clerk: Actor = { userId: 'u-clerk', username: 'clerk', role: Role.himClerk, ip: '10.0.0.6', userAgent: 'test' };

describe.each(engines)('audit trail on %s', (engine) => {
  let t: TestDatabase;
  let clock = manualClock('2026-03-01T08:00:00Z');
  beforeEach(async () => {
    clock = manualClock('2026-03-01T08:00:00Z');
    t = await createTestDatabase(engine);
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      await t.db.transaction().execute((trx) =>
        recordAudit(trx, createAuditLog({ clock }), i % 2 ? clerk : coder, { action: 'read', resourceType: 'patient', resourceId: `p${i % 3}`, patientId: `p${i % 3}`, outcome: 'success' }),
      );
    }
  });
  afterEach(() => t.dispose());

  it('verifies an untouched chain', async () => {
    expect(await verifyAuditChain(t.db)).toEqual({ ok: true, checked: 5 });
  });

  it('names an edited event', async () => {
    await t.db.updateTable('audit_events').set({ user_id: 'someone-else' }).where('seq', '=', 3).execute();
    const r = await verifyAuditChain(t.db);
    expect(r.ok).toBe(false);
    expect(r.firstBreak).toMatchObject({ kind: 'edited', seq: 3 });
  });

  it('names a deleted event', async () => {
    await t.db.deleteFrom('audit_events').where('seq', '=', 2).execute();
    const r = await verifyAuditChain(t.db);
    expect(r.firstBreak).toMatchObject({ kind: 'missing', seq: 2 });
  });

  it('names events deleted from the end of the chain', async () => {
    await t.db.deleteFrom('audit_events').where('seq', '=', 5).execute();
    const r = await verifyAuditChain(t.db);
    expect(r.firstBreak).toMatchObject({ kind: 'head_mismatch', seq: 5 });
  });

  it('names reordered events', async () => {
    // Swap the contents of events 2 and 3 while keeping their seq numbers: the links no longer follow.
    const rows = await t.db.selectFrom('audit_events').selectAll().where('seq', 'in', [2, 3]).orderBy('seq').execute();
    const [a, b] = [rows[0]!, rows[1]!];
    await t.db.deleteFrom('audit_events').where('seq', 'in', [2, 3]).execute();
    await t.db.insertInto('audit_events').values([{ ...b, seq: 2 }, { ...a, seq: 3 }]).execute();
    const r = await verifyAuditChain(t.db);
    expect(r.ok).toBe(false);
    expect(r.firstBreak).toMatchObject({ kind: 'out_of_order', seq: 2 });
  });

  it('rolls back the event with the change it records', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await recordAudit(trx, createAuditLog({ clock }), coder, { action: 'update', resourceType: 'patient', resourceId: 'p9', patientId: 'p9', outcome: 'success' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await queryAuditEvents(t.db, { patientId: 'p9' })).toEqual([]);
    expect(await verifyAuditChain(t.db)).toEqual({ ok: true, checked: 5 });
  });

  it('answers "who looked at my record" and "what did this user do" with who, when, from where and why', async () => {
    const forP0 = await queryAuditEvents(t.db, { patientId: 'p0' });
    expect(forP0.map((e) => e.seq)).toEqual([1, 4]);
    expect(forP0[0]).toMatchObject({ username: 'coder', role: 'coder', ip: '10.0.0.5', action: 'read', purposeOfUse: 'HOPERAT', outcome: 'success' });
    expect((await queryAuditEvents(t.db, { userId: 'u-clerk' })).map((e) => e.seq)).toEqual([2, 4].map((s) => s));
  });

  it('pages newest first with a beforeSeq cursor', async () => {
    expect((await queryAuditEvents(t.db, { order: 'desc' }, 2)).map((e) => e.seq)).toEqual([5, 4]);
    expect((await queryAuditEvents(t.db, { order: 'desc', beforeSeq: 4 }, 2)).map((e) => e.seq)).toEqual([3, 2]);
  });

  it('filters by date range and exports CSV with a header and one line per event', async () => {
    const inRange = await queryAuditEvents(t.db, { from: '2026-03-01T08:02:00.000Z', to: '2026-03-01T08:04:00.000Z' });
    expect(inRange.map((e) => e.seq)).toEqual([2, 3]);
    let csv = '';
    for await (const c of exportAuditCsv(t.db, {})) csv += c;
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^seq,occurred_at,user_id/);
    expect(lines).toHaveLength(6);
  });

  it('keeps a single chain under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.db.transaction().execute((trx) => recordAudit(trx, createAuditLog({ clock }), coder, { action: 'read', resourceType: 'patient', resourceId: `c${i}`, outcome: 'success' }))),
    );
    expect(await verifyAuditChain(t.db)).toEqual({ ok: true, checked: 25 });
    const n = await sql<{ n: number }>`select count(distinct prev_hash) as n from audit_events`.execute(t.db);
    expect(Number(n.rows[0]!.n)).toBe(25);
  });
});
