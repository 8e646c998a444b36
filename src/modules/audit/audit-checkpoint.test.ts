import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { manualClock } from '../../core/shared/clock.js';
import { systemActor } from '../access/index.js';
import { macAuditRecord } from './audit.rules.js';
import { rowToRecord } from './audit.repository.js';
import {
  createAuditLog,
  publicKeyFileOf,
  recordAudit,
  startAuditCheckpoints,
  verifyAuditChain,
  writeAuditCheckpoint,
  type AuditLog,
  type Timers,
} from './index.js';

const actor = systemActor('test');

describe.each(engines)('signed audit checkpoints on %s', (engine) => {
  let t: TestDatabase;
  let dir: string;
  let log: AuditLog;
  let clock = manualClock('2026-03-01T08:00:00Z');
  const deps = () => ({ db: t.db, audit: log });
  const write = async (n: number) => {
    for (let i = 0; i < n; i++)
      await t.db
        .transaction()
        .execute((trx) =>
          recordAudit(trx, log, actor, { action: 'read', resourceType: 'patient', resourceId: `p${i}`, outcome: 'success' }),
        );
  };
  const kinds = async () => (await verifyAuditChain(t.db, log)).breaks.map((b) => b.kind);
  const files = () => fs.readdirSync(path.join(dir, 'checkpoints')).filter((n) => n.endsWith('.json'));

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-checkpoints-'));
    clock = manualClock('2026-03-01T08:00:00Z');
    const signingKeyFile = path.join(dir, 'keys', 'audit-signing-key.pem');
    log = createAuditLog({
      clock,
      checkpoints: { dir: path.join(dir, 'checkpoints'), signingKeyFile, publicKeyFile: publicKeyFileOf(signingKeyFile) },
    });
    t = await createTestDatabase(engine);
    await write(4);
  });
  afterEach(async () => {
    await t.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('verifies without checkpoints and says none were found', async () => {
    expect((await verifyAuditChain(t.db, log)).checkpoints).toEqual({
      dir: path.join(dir, 'checkpoints'),
      found: 0,
      valid: 0,
      otherTrails: 0,
      latest: null,
      keyId: null,
    });
  });

  it('writes a signed checkpoint of every chain head, making the key (0600) and its public key on first use, and audits it', async () => {
    const w = await writeAuditCheckpoint(deps(), actor);
    expect(w.chains).toHaveLength(17);
    expect(w.chains.find((c) => c.chainId === 1)).toMatchObject({ seq: 4 });
    expect(fs.statSync(path.join(dir, 'keys', 'audit-signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, 'keys', 'audit-signing-key.pub.pem'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(JSON.parse(fs.readFileSync(w.file, 'utf8'))).toMatchObject({
      format: 'custodian-audit-checkpoint/1',
      createdAt: '2026-03-01T08:00:00.000Z',
      chains: expect.arrayContaining([{ chain: 1, seq: 4, hash: w.chains[1]!.hash }]),
    });
    const r = await verifyAuditChain(t.db, log);
    expect(r).toMatchObject({
      ok: true,
      checked: 5,
      checkpoints: { found: 1, valid: 1, latest: '2026-03-01T08:00:00.000Z', keyId: w.keyId },
    });
    expect(await t.db.selectFrom('audit_events').select(['action', 'username']).where('action', '=', 'checkpoint').execute()).toEqual([
      { action: 'checkpoint', username: 'test' },
    ]);
  });

  it('reports a rewrite made with the audit key: the events no longer match what the checkpoint signed', async () => {
    await writeAuditCheckpoint(deps(), actor);
    // Someone with database access and the HMAC key edits event 2 and re-chains everything after it.
    const rows = (await t.db.selectFrom('audit_events').selectAll().where('chain_id', '=', 1).orderBy('chain_seq').execute()).map(
      rowToRecord,
    );
    let prev = rows[1]!.prevHash;
    for (const r of rows.slice(1)) {
      const username = r.chainSeq === 2 ? 'mallory' : r.username;
      const hash = macAuditRecord(log.key, { ...r, username, prevHash: prev });
      await t.db.updateTable('audit_events').set({ username, prev_hash: prev, hash }).where('id', '=', r.id).execute();
      prev = hash;
    }
    await t.db.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
    const r = await verifyAuditChain(t.db, log);
    expect(r.breaks).toEqual([expect.objectContaining({ kind: 'checkpoint_mismatch', chain: 1, position: 4, seq: 4 })]);
  });

  it('reports a chain cut shorter than a checkpoint, even with its head moved back', async () => {
    await writeAuditCheckpoint(deps(), actor);
    const { hash } = await t.db
      .selectFrom('audit_events')
      .select('hash')
      .where('chain_id', '=', 1)
      .where('chain_seq', '=', 2)
      .executeTakeFirstOrThrow();
    await t.db.deleteFrom('audit_events').where('chain_id', '=', 1).where('chain_seq', '>', 2).execute();
    await t.db.updateTable('audit_head').set({ seq: 2, hash }).where('id', '=', 1).execute();
    const r = await verifyAuditChain(t.db, log);
    expect(r.breaks).toEqual([
      expect.objectContaining({ kind: 'truncated', chain: 1, position: 3, message: expect.stringMatching(/saw position 4/) }),
    ]);
  });

  it('reports a checkpoint with a bad signature (altered, or signed by another key) and does not trust it', async () => {
    const w = await writeAuditCheckpoint(deps(), actor);
    const body = JSON.parse(fs.readFileSync(w.file, 'utf8')) as { chains: { chain: number; seq: number }[] };
    body.chains.find((c) => c.chain === 1)!.seq = 3;
    fs.writeFileSync(w.file, JSON.stringify(body));
    fs.writeFileSync(path.join(dir, 'checkpoints', 'audit-checkpoint-junk.json'), '{"format":');
    const r = await verifyAuditChain(t.db, log);
    expect(r.breaks.map((b) => [b.kind, b.checkpoint])).toEqual([
      ['checkpoint_signature', path.basename(w.file)],
      ['checkpoint_signature', 'audit-checkpoint-junk.json'],
    ]);
    expect(r.checkpoints).toMatchObject({ found: 2, valid: 0 });
  });

  it('ignores well-signed checkpoints of another trail (another database) and counts them', async () => {
    await writeAuditCheckpoint(deps(), actor);
    await t.db.updateTable('audit_trail').set({ trail_id: 'another-database' }).execute();
    await t.db.deleteFrom('audit_events').execute();
    await t.db.updateTable('audit_head').set({ seq: 0 }).execute();
    const r = await verifyAuditChain(t.db, log);
    expect(r.checkpoints).toMatchObject({ found: 1, valid: 0, otherTrails: 1 });
    // ...but the heads no longer hold the genesis of this trail id.
    expect(r.breaks.map((b) => b.kind)).toEqual(['anchor_mismatch']);
  });

  it('refuses to sign a head that does not match its last event, and a signing key others may read', async () => {
    await t.db.updateTable('audit_events').set({ username: 'mallory' }).where('chain_id', '=', 1).where('chain_seq', '=', 4).execute();
    await expect(writeAuditCheckpoint(deps(), actor)).rejects.toThrow(/does not match its last event/);
    await t.db.updateTable('audit_events').set({ username: 'test' }).where('chain_id', '=', 1).where('chain_seq', '=', 4).execute();
    fs.chmodSync(path.join(dir, 'keys', 'audit-signing-key.pem'), 0o644);
    await expect(writeAuditCheckpoint(deps(), actor)).rejects.toThrow(/may be read by others: chmod 600/);
    expect(await kinds()).toEqual([]);
  });

  it('writes checkpoints on a schedule while the server runs, and stops', async () => {
    let tick: (() => Promise<void> | undefined) | null = null;
    const timers: Timers = { setInterval: (fn, ms) => ((tick = fn), ms), clearInterval: () => (tick = null) };
    const errors: unknown[] = [];
    const stop = startAuditCheckpoints(deps(), actor, { everyMinutes: 60, onError: (e) => errors.push(e), timers });
    expect(tick).not.toBeNull();
    for (let i = 0; i < 2; i++) {
      clock.advance(3_600_000);
      await tick!();
    }
    stop();
    expect(tick).toBeNull();
    expect(errors).toEqual([]);
    expect(files()).toHaveLength(2);
    expect(startAuditCheckpoints(deps(), actor, { everyMinutes: 0, onError: () => {}, timers })).toBeTypeOf('function');
    expect(tick).toBeNull();
  });
});
