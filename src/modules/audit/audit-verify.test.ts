import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { manualClock } from '../../core/shared/clock.js';
import { Role, type Actor } from '../access/index.js';
import { macAuditRecord } from './audit.rules.js';
import { rowToRecord, scanAuditChains } from './audit.repository.js';
import { createAuditLog, recordAudit, verifyAuditChain, type AuditLog } from './index.js';

const coder: Actor = { userId: 'u-coder', username: 'coder', role: Role.coder, ip: '10.0.0.5', userAgent: 'test' };

describe.each(engines)('audit verification on %s', (engine) => {
  let t: TestDatabase;
  let log: AuditLog;
  const at = (chainSeq: number) => t.db.updateTable('audit_events').where('chain_id', '=', 1).where('chain_seq', '=', chainSeq);
  const kinds = async () => (await verifyAuditChain(t.db, log)).breaks.map((b) => [b.kind, b.seq ?? `#${b.position}`]);
  beforeEach(async () => {
    const clock = manualClock('2026-03-01T08:00:00Z');
    log = createAuditLog({ clock });
    t = await createTestDatabase(engine);
    for (let i = 1; i <= 8; i++) {
      clock.advance(60_000);
      await t.db.transaction().execute((trx) =>
        recordAudit(trx, log, coder, {
          action: 'read',
          resourceType: 'patient',
          resourceId: `p${i}`,
          patientId: `p${i}`,
          outcome: 'success',
        }),
      );
    }
  });
  afterEach(() => t.dispose());

  it('names an edited event', async () => {
    await at(3).set({ user_id: 'someone-else' }).execute();
    const r = await verifyAuditChain(t.db, log);
    expect(r).toMatchObject({ ok: false, checked: 8, breakCount: 1, firstBreak: { kind: 'edited', chain: 1, position: 3, seq: 3 } });
    expect(r.firstBreak!.message).toMatch(/^event 3 was altered/);
  });

  it('goes on after a break: two separate edits are both reported', async () => {
    await at(2).set({ username: 'mallory' }).execute();
    await at(6).set({ occurred_at: '2026-01-01T00:00:00.000Z' }).execute();
    expect(await kinds()).toEqual([
      ['edited', 2],
      ['edited', 6],
    ]);
  });

  it('reports an edit, a deleted event and a cut tail together', async () => {
    await at(2).set({ outcome: 'failure' }).execute();
    await t.db.deleteFrom('audit_events').where('chain_seq', '=', 5).execute();
    await t.db.deleteFrom('audit_events').where('chain_seq', '>=', 7).execute();
    expect(await kinds()).toEqual([
      ['edited', 2],
      ['missing', '#5'],
      ['truncated', '#7'],
    ]);
  });

  it('names a deleted event', async () => {
    await t.db.deleteFrom('audit_events').where('chain_seq', 'in', [4, 5]).execute();
    const r = await verifyAuditChain(t.db, log);
    expect(r.breaks).toEqual([
      expect.objectContaining({
        kind: 'missing',
        chain: 1,
        position: 4,
        seq: null,
        message: expect.stringMatching(/^events 4–5 of chain 1 are missing/),
      }),
    ]);
  });

  it('names events cut from the end of a chain (its head row still counts them)', async () => {
    await t.db.deleteFrom('audit_events').where('chain_seq', '=', 8).execute();
    expect(await kinds()).toEqual([['truncated', '#8']]);
  });

  it('names reordered events: each authentic, none following the one before it', async () => {
    // Swap everything but the place (seq, chain, position) of events 3 and 4.
    const [a, b] = await t.db.selectFrom('audit_events').selectAll().where('chain_seq', 'in', [3, 4]).orderBy('chain_seq').execute();
    const content = ({ seq: _s, chain_id: _c, chain_seq: _p, id: _i, ...rest }: typeof a & object) => rest;
    await t.db.deleteFrom('audit_events').where('chain_seq', 'in', [3, 4]).execute();
    await t.db
      .insertInto('audit_events')
      .values([
        { ...a!, ...content(b!), id: b!.id },
        { ...b!, ...content(a!), id: a!.id },
      ])
      .execute();
    expect(await kinds()).toEqual([
      ['out_of_order', 3],
      ['out_of_order', 4],
      ['out_of_order', 5],
    ]);
  });

  it('without the key, an edit cannot be hidden by recomputing the hashes: the recomputed ones are not the keyed ones', async () => {
    // A forger with database access but not the key recomputes "hashes" with a key of their own, head included.
    const forged = Buffer.from('not the audit key');
    const rows = (await t.db.selectFrom('audit_events').selectAll().where('chain_id', '=', 1).orderBy('chain_seq').execute()).map(
      rowToRecord,
    );
    let prev = rows[4]!.prevHash;
    for (const r of rows.slice(4)) {
      const hash = macAuditRecord(forged, { ...r, username: r.chainSeq === 5 ? 'mallory' : r.username, prevHash: prev });
      await at(r.chainSeq)
        .set({ username: r.chainSeq === 5 ? 'mallory' : r.username, prev_hash: prev, hash })
        .execute();
      prev = hash;
    }
    await t.db.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
    expect(await kinds()).toEqual([
      ['edited', 5],
      ['edited', 6],
      ['edited', 7],
      ['edited', 8],
    ]);
  });

  it('names a head row that does not match its event, and events of a chain without a head', async () => {
    await t.db
      .updateTable('audit_head')
      .set({ hash: 'f'.repeat(64) })
      .where('id', '=', 1)
      .execute();
    const last = await t.db.selectFrom('audit_events').selectAll().where('chain_seq', '=', 8).executeTakeFirstOrThrow();
    await t.db
      .insertInto('audit_events')
      .values({ ...last, seq: 100, id: 'copied', chain_id: 99, chain_seq: 1 })
      .execute();
    const r = await verifyAuditChain(t.db, log);
    expect(r.breaks.map((b) => [b.kind, b.chain])).toEqual([
      ['head_mismatch', 1],
      ['edited', 99],
      ['head_mismatch', 99],
    ]);
  });

  it('reads two events at one position across a page boundary, and names the second', async () => {
    await t.db.schema.dropIndex('audit_chain_position').execute();
    const third = await t.db.selectFrom('audit_events').selectAll().where('chain_seq', '=', 3).executeTakeFirstOrThrow();
    await t.db
      .insertInto('audit_events')
      .values({ ...third, seq: 100, id: `${third.id}-copy` })
      .execute();
    const ids: string[] = [];
    for await (const page of scanAuditChains(t.db, 2)) ids.push(...page.map((r) => r.id));
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
    expect(await kinds()).toEqual([['edited', 100]]);
  });

  it('caps the listed breaks and counts them all', async () => {
    await t.db.updateTable('audit_events').set({ ip: '192.0.2.1' }).execute();
    const { createChainWalk } = await import('./audit-chain.rules.js');
    const walk = createChainWalk({ key: log.key, trailId: 'x', heads: [], claims: [], maxBreaks: 3 });
    for (const row of await t.db.selectFrom('audit_events').selectAll().orderBy('chain_seq').execute()) walk.push(rowToRecord(row));
    const r = walk.finish();
    expect([r.breaks.length, r.breakCount]).toEqual([3, 8 + 1]);
    expect((await verifyAuditChain(t.db, log)).breakCount).toBe(8);
  });
});
