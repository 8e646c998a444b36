/** The SQL console's guard, table-driven: what is accepted (and the statement run), what is refused and why. */
import { describe, expect, it } from 'vitest';
import { checkConsoleSql, deniedResultColumn } from './sql-console.rules.js';

describe('checkConsoleSql', () => {
  it.each([
    ['select 1 as one;', 'select 1 as one'],
    ['  WITH x AS (SELECT 1 AS n) SELECT n FROM x ;; -- done', 'WITH x AS (SELECT 1 AS n) SELECT n FROM x'],
    ["select 'a; delete from patients' as s", "select 'a; delete from patients' as s"],
    ['select updated_at, deleted from documents', 'select updated_at, deleted from documents'],
    ['select 1 /* ; drop table x */ as one', 'select 1 /* ; drop table x */ as one'],
    ['select $$;$$ as s', 'select $$;$$ as s'],
  ])('accepts %s', (input, sql) => {
    expect(checkConsoleSql(input)).toEqual({ ok: true, sql });
  });

  it.each([
    ['', /empty/],
    ['-- nothing', /empty/],
    ['insert into patients values (1)', /not INSERT/],
    ['select 1; select 2', /only one statement/],
    ['select 1 -- x\n; delete from patients', /only one statement/],
    ['select 1 /* open', /comment is not closed/],
    ["select 'open", /not closed/],
    ['(select 1)', /not "\("/],
    ['with d as (update patients set x = 1 returning id) select * from d', /UPDATE is not allowed/],
    ['select * from patients for update', /UPDATE is not allowed/],
    ['select 1 from "Sessions"', /table sessions/],
    ['select 1 from break_glass_grants', /table break_glass_grants/],
    ['select token_hash from fhir_x', /column token_hash/],
    ['select totp_secret from x', /column totp_secret/],
    ["select pg_read_file('/etc/passwd')", /function pg_read_file/],
    ["select load_extension('x')", /function load_extension/],
    ['pragma table_info(patients)', /not PRAGMA/],
    ["attach database 'x' as y", /not ATTACH/],
  ])('refuses %s', (input, why) => {
    const v = checkConsoleSql(input);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toMatch(why);
  });
});

describe('deniedResultColumn', () => {
  it('names a result column that holds a hash, secret, encrypted value or token', () => {
    expect(deniedResultColumn(['id', 'prev_hash', 'hash'])).toBe('prev_hash');
    expect(deniedResultColumn(['id', 'name'])).toBeUndefined();
  });
});
