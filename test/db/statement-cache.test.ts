import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

describe('SQLite prepared-statement cache', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
    await t.db.insertInto('facilities').values([1, 2, 3].map((i) => ({ id: `f${i}`, name: `F${i}`, mrn_prefix: '', next_mrn: i, created_at: '2026-01-01' }))).execute();
  });
  afterEach(() => t.dispose());

  const facilities = () => t.db.selectFrom('facilities').select(['id', 'next_mrn']).orderBy('id');

  it('runs the same query again while a stream of it is still open', async () => {
    const seen: string[] = [];
    for await (const row of facilities().stream()) {
      seen.push(row.id);
      expect(await facilities().execute()).toHaveLength(3);
    }
    expect(seen).toEqual(['f1', 'f2', 'f3']);
  });

  it('sees changes made since a statement was cached', async () => {
    expect((await facilities().execute()).map((r) => r.next_mrn)).toEqual([1, 2, 3]);
    await t.db.updateTable('facilities').set({ next_mrn: 9 }).where('id', '=', 'f2').execute();
    expect((await facilities().execute()).map((r) => r.next_mrn)).toEqual([1, 9, 3]);
  });
});
