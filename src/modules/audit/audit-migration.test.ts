import { afterEach, describe, expect, it } from 'vitest';
import { Migrator } from 'kysely';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { migrateToLatest, type Db } from '../../db/database.js';
import { migrationProvider, migrations } from '../../db/migrations/index.js';
import { manualClock } from '../../core/shared/clock.js';
import { systemActor } from '../access/index.js';
import { chainGenesis, GENESIS_HASH, legacyHashAuditRecord, type AuditFields } from './audit.rules.js';
import { createAuditLog, recordAudit, verifyAuditChain } from './index.js';

const legacyFields = (seq: number): AuditFields => ({
  id: `legacy-${seq}`,
  occurredAt: `2025-12-0${seq}T10:00:00.000Z`,
  userId: 'u1',
  username: 'coder',
  role: 'coder',
  action: 'read',
  resourceType: 'patient',
  resourceId: `p${seq}`,
  patientId: `p${seq}`,
  outcome: 'success',
  ip: '10.0.0.1',
  userAgent: 'old',
  purposeOfUse: 'HOPERAT',
  detail: seq % 2 ? null : '{"n":1}',
});

/** Events as the writer before 0008 chained them (unkeyed SHA-256 from the zero hash; its head row was id 1, now 0). */
async function writeLegacyEvents(
  db: Db,
  n: number,
  opts: { from?: number; prevHash?: string; headId?: number; username?: string } = {},
): Promise<string> {
  const { from = 1, prevHash = GENESIS_HASH, headId = 1 } = opts;
  let prev = prevHash;
  for (let seq = from; seq < from + n; seq++) {
    const f = { ...legacyFields(seq), ...(opts.username ? { username: opts.username } : {}) };
    const hash = legacyHashAuditRecord({ ...f, seq, prevHash: prev });
    await db
      .insertInto('audit_events')
      .values({
        seq,
        id: f.id,
        occurred_at: f.occurredAt,
        user_id: f.userId,
        username: f.username,
        role: f.role,
        action: f.action,
        resource_type: f.resourceType,
        resource_id: f.resourceId,
        patient_id: f.patientId,
        outcome: f.outcome,
        ip: f.ip,
        user_agent: f.userAgent,
        purpose_of_use: f.purposeOfUse,
        detail: f.detail,
        prev_hash: prev,
        hash,
        // After 0008 (head row 0) a forger also fills the chain columns.
        ...(headId === 0 ? { chain_id: 0, chain_seq: seq } : {}),
      } as never)
      .execute();
    prev = hash;
  }
  await db
    .updateTable('audit_head')
    .set({ seq: from + n - 1, hash: prev })
    .where('id', '=', headId)
    .execute();
  return prev;
}

describe.each(engines)('migration 0008 (keyed audit chains) on %s', (engine) => {
  let t: TestDatabase | undefined;
  const log = createAuditLog({ clock: manualClock('2026-03-01T08:00:00Z') });
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  /** A database as it was before 0008, holding six legacy events, then migrated. */
  async function legacyDatabase(): Promise<{ db: Db; legacyHead: string }> {
    t = await createTestDatabase(engine, { migrate: false });
    const migrator = new Migrator({ db: t.db, provider: migrationProvider, ...(t.schema ? { migrationTableSchema: t.schema } : {}) });
    expect((await migrator.migrateTo('0007-mpi-match-key-state')).error).toBeUndefined();
    const legacyHead = await writeLegacyEvents(t.db, 6);
    expect((await migrateToLatest(t.db, { engine, ...(t.schema ? { schema: t.schema } : {}) }))[0]).toBe('0008-audit-chains');
    return { db: t.db, legacyHead };
  }
  const write = (db: Db, n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        db.transaction().execute((trx) =>
          recordAudit(trx, log, systemActor('test'), {
            action: 'read',
            resourceType: 'patient',
            resourceId: `n${i}`,
            outcome: 'success',
          }),
        ),
      ),
    );

  it('keeps legacy events as chain 0, verifiable as they were, and starts keyed chains anchored on their head', async () => {
    const { db, legacyHead } = await legacyDatabase();
    expect(await verifyAuditChain(db, log)).toMatchObject({ ok: true, checked: 6, chains: 17 });
    expect(
      (await db.selectFrom('audit_events').select(['seq', 'chain_id', 'chain_seq']).orderBy('seq').execute()).map((r) => [
        r.seq,
        r.chain_id,
        r.chain_seq,
      ]),
    ).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, 0, n]));
    await write(db, 1);
    await write(db, 2);
    const keyed = await db.selectFrom('audit_events').selectAll().where('chain_id', '>', 0).orderBy('seq').execute();
    // The listing key goes on after the legacy events; the first keyed event starts from chain 1's genesis.
    expect(keyed.map((r) => r.seq)).toEqual([7, 8, 9]);
    const { trail_id } = await db.selectFrom('audit_trail').select('trail_id').executeTakeFirstOrThrow();
    expect(keyed.find((r) => r.chain_id === 1 && r.chain_seq === 1)!.prev_hash).toBe(chainGenesis(trail_id, legacyHead, 1));
    expect(await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 0).executeTakeFirstOrThrow()).toEqual({
      seq: 6,
      hash: legacyHead,
    });
    expect(await verifyAuditChain(db, log)).toMatchObject({ ok: true, checked: 9 });
  });

  it('still reports an edit to a legacy event, which is never re-hashed', async () => {
    const { db } = await legacyDatabase();
    await write(db, 2);
    await db.updateTable('audit_events').set({ username: 'mallory' }).where('chain_id', '=', 0).where('chain_seq', '=', 2).execute();
    const r = await verifyAuditChain(db, log);
    expect(r.breaks).toEqual([expect.objectContaining({ kind: 'edited', chain: 0, position: 2, seq: 2 })]);
  });

  it('reports legacy events rewritten and re-hashed without the key: the keyed chains no longer start from their head', async () => {
    const { db } = await legacyDatabase();
    await write(db, 1);
    // The unkeyed legacy chain can be recomputed by anyone: drop events 4-6 and write three others in their place.
    await db.deleteFrom('audit_events').where('chain_id', '=', 0).where('chain_seq', '>=', 4).execute();
    const { hash: h3 } = await db
      .selectFrom('audit_events')
      .select('hash')
      .where('chain_id', '=', 0)
      .where('chain_seq', '=', 3)
      .executeTakeFirstOrThrow();
    await writeLegacyEvents(db, 3, { from: 4, prevHash: h3, headId: 0, username: 'mallory' });
    const r = await verifyAuditChain(db, log);
    // The legacy chain itself is consistent again; the keyed chains, which started from its old head, show it.
    expect(r.breaks.map((b) => [b.kind, b.chain, b.position])).toEqual([
      ['anchor_mismatch', 1, 1],
      ['anchor_mismatch', 2, 0],
    ]);
    expect(r.breaks[1]!.message).toMatch(/^the head of empty chains 2, 3, .*16 does not hold its genesis/);
  });

  it('can be undone while no keyed event exists, and not after', async () => {
    const { db } = await legacyDatabase();
    const m = migrations['0008-audit-chains']!;
    await m.down!(db as never);
    await m.up(db as never);
    expect(await verifyAuditChain(db, log)).toMatchObject({ ok: true, checked: 6 });
    await write(db, 1);
    await expect(m.down!(db as never)).rejects.toThrow(/keyed audit events exist/);
  });
});
