import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../src/db/database.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

describe('SQLite prepared-statement cache', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
    await t.db
      .insertInto('facilities')
      .values([1, 2, 3].map((i) => ({ id: `f${i}`, name: `F${i}`, mrn_prefix: '', next_mrn: i, created_at: '2026-01-01' })))
      .execute();
  });
  afterEach(() => t.dispose());

  const facilities = () => t.db.selectFrom('facilities').select(['id', 'next_mrn']).orderBy('id');

  it('reuses a prepared statement, but never one that is still being iterated', () => {
    const raw = withStatementCache(new BetterSqlite3(':memory:'));
    raw.exec('create table t (x integer); insert into t values (1), (2), (3)');
    const sql = 'select x from t order by x';
    expect(raw.prepare(sql)).toBe(raw.prepare(sql));
    const seen: number[] = [];
    const outer = raw.prepare(sql);
    for (const row of outer.iterate() as Iterable<{ x: number }>) {
      const inner = raw.prepare(sql);
      expect(inner).not.toBe(outer);
      expect(inner.all()).toHaveLength(3);
      seen.push(row.x);
    }
    expect(seen).toEqual([1, 2, 3]);
    raw.close();
  });

  it('sees changes made since a statement was cached', async () => {
    expect((await facilities().execute()).map((r) => r.next_mrn)).toEqual([1, 2, 3]);
    await t.db.updateTable('facilities').set({ next_mrn: 9 }).where('id', '=', 'f2').execute();
    expect((await facilities().execute()).map((r) => r.next_mrn)).toEqual([1, 9, 3]);
  });
});
