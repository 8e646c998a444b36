import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';

describe.each(engines)('migrations on %s', (engine) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('applies every migration to an empty database and creates the foundation tables', async () => {
    t = await createTestDatabase(engine, { migrate: false });
    const applied = await migrateToLatest(t.db, { engine, ...(t.schema ? { schema: t.schema } : {}) });
    expect(applied).toEqual(Object.keys(migrations));
    const tables = (await t.db.introspection.getTables()).map((x) => x.name);
    for (const name of ['users', 'sessions', 'patients', 'encounters', 'audit_events', 'audit_head', 'break_glass'])
      expect(tables).toContain(name);
  });

  it('0006 keeps the newest of several active MPI model fits, then refuses a second active one', async () => {
    t = await createTestDatabase(engine);
    const m = migrations['0006-mpi-model-one-active']!;
    await m.down!(t.db);
    const fit = {
      fitted_by: 'admin',
      patient_count: 100,
      candidate_pairs: 50,
      random_pairs: 1000,
      estimated_matches: 10,
      iterations: 5,
      model: '{}',
      active: 1,
    };
    await t.db
      .insertInto('mpi_models')
      .values([
        { ...fit, id: 'm1', fitted_at: '2026-01-01T00:00:00.000Z' },
        { ...fit, id: 'm2', fitted_at: '2026-02-01T00:00:00.000Z' },
        { ...fit, id: 'm0', fitted_at: '2025-12-01T00:00:00.000Z', active: 0 },
      ])
      .execute();
    await m.up(t.db);
    expect(await t.db.selectFrom('mpi_models').select(['id', 'active']).orderBy('id').execute()).toEqual([
      { id: 'm0', active: 0 },
      { id: 'm1', active: 0 },
      { id: 'm2', active: 1 },
    ]);
    await expect(t.db.updateTable('mpi_models').set({ active: 1 }).where('id', '=', 'm1').execute()).rejects.toThrow();
    await t.db.updateTable('mpi_models').set({ active: 0 }).where('id', '=', 'm1').execute();
  });

  it('is idempotent: a second run applies nothing', async () => {
    t = await createTestDatabase(engine);
    expect(await migrateToLatest(t.db, { engine, ...(t.schema ? { schema: t.schema } : {}) })).toEqual([]);
  });

  it('leads patient-owned primary keys with patient_id (the distribution key)', async () => {
    t = await createTestDatabase(engine);
    const now = new Date().toISOString();
    await t.db.insertInto('facilities').values({ id: 'f1', name: 'F', mrn_prefix: '', next_mrn: 1, created_at: now }).execute();
    const patient = {
      facility_id: 'f1',
      family_name: 'A',
      given_name: 'B',
      sex: 'F',
      deceased: 0,
      restricted: 0,
      created_at: now,
      updated_at: now,
    };
    await t.db
      .insertInto('patients')
      .values([
        { ...patient, id: 'p1', mrn: '1' },
        { ...patient, id: 'p2', mrn: '2' },
      ] as never)
      .execute();
    const enc = { facility_id: 'f1', type: 'inpatient', status: 'active', admit_at: now, created_at: now, updated_at: now };
    // The same encounter id under two patients is allowed by the (patient_id, id) key; account numbers stay unique per facility.
    await t.db
      .insertInto('encounters')
      .values({ ...enc, patient_id: 'p1', id: 'e1', account_number: 'A1' })
      .execute();
    await t.db
      .insertInto('encounters')
      .values({ ...enc, patient_id: 'p2', id: 'e1', account_number: 'A2' })
      .execute();
    await expect(
      t.db
        .insertInto('encounters')
        .values({ ...enc, patient_id: 'p2', id: 'e2', account_number: 'A1' } as never)
        .execute(),
    ).rejects.toThrow();
    const n = await sql<{ n: number }>`select count(*) as n from encounters`.execute(t.db);
    expect(n.rows[0]!.n).toBe(2);
  });
});
