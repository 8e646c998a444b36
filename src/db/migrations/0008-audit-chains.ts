import { createHash, randomUUID } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** How many keyed chains a database gets; a writer takes one no other transaction holds (PostgreSQL). */
export const AUDIT_CHAIN_COUNT = 16;

/**
 * Keyed audit chains (src/modules/audit/README.md). The events written so far stay as they are, as chain 0 (the
 * legacy chain: unkeyed SHA-256, position = their seq), verifiable as before and never re-hashed. Chains
 * 1..AUDIT_CHAIN_COUNT are new and keyed (HMAC); each starts from a genesis hash bound to a new trail id and to the
 * legacy chain's head, so that the keyed chains anchor the legacy one. audit_head gets one row per chain (the old
 * row becomes chain 0); audit_trail holds the trail id that checkpoints name. On PostgreSQL the listing key `seq`
 * comes from a sequence from now on, so that writers of different chains do not wait on one counter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .alterTable('audit_events')
    .addColumn('chain_id', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('audit_events')
    .addColumn('chain_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update audit_events set chain_seq = seq`.execute(db);
  await db.schema.createIndex('audit_chain_position').on('audit_events').columns(['chain_id', 'chain_seq']).unique().execute();
  if (pg) {
    await sql`create sequence audit_event_seq owned by audit_events.seq`.execute(db);
    await sql`select setval('audit_event_seq', coalesce((select max(seq) from audit_events), 0) + 1, false)`.execute(db);
  }

  const legacy = (await sql<{ hash: string }>`select hash from audit_head where id = 1`.execute(db)).rows[0];
  if (!legacy) throw new Error('audit_head row 1 is missing');
  await sql`update audit_head set id = 0 where id = 1`.execute(db);
  await db.schema
    .createTable('audit_trail')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('trail_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  const trailId = randomUUID();
  await sql`insert into audit_trail (id, trail_id, created_at) values (1, ${trailId}, ${new Date().toISOString()})`.execute(db);
  // Each head starts at its genesis: the same value as chainGenesis in src/modules/audit/audit.rules.ts, computed
  // here so that this migration never changes.
  const heads = Array.from({ length: AUDIT_CHAIN_COUNT }, (_, i) => {
    const genesis = createHash('sha256')
      .update(JSON.stringify(['custodian-audit-genesis/2', trailId, legacy.hash, i + 1]))
      .digest('hex');
    return sql`(${i + 1}, 0, ${genesis})`;
  });
  await sql`insert into audit_head (id, seq, hash) values ${sql.join(heads)}`.execute(db);
}

/** Back to one unkeyed chain; refused once keyed events exist (they cannot be re-hashed without laundering them). */
export async function down(db: Kysely<unknown>): Promise<void> {
  const keyed = (await sql<{ n: number | string }>`select count(*) as n from audit_events where chain_id <> 0`.execute(db)).rows[0];
  if (Number(keyed?.n ?? 0) > 0) throw new Error('keyed audit events exist: 0008-audit-chains cannot be undone');
  await sql`delete from audit_head where id <> 0`.execute(db);
  await sql`update audit_head set id = 1 where id = 0`.execute(db);
  await db.schema.dropTable('audit_trail').execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`drop sequence audit_event_seq`.execute(db);
  await db.schema.dropIndex('audit_chain_position').execute();
  await db.schema.alterTable('audit_events').dropColumn('chain_seq').execute();
  await db.schema.alterTable('audit_events').dropColumn('chain_id').execute();
}
