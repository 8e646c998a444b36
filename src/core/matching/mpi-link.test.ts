// Tests the `mpi link` command (src/cli/mpi.command.ts) end to end on files; kept here because the
// command is a thin shell over this folder.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMpiLink } from '../../cli/mpi.command.js';

const HEADER = 'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id';
const rows = [
  'rec-1-org, william, thompson, 12, harbour street, , springfield, 2704, nsw, 19610423, 1234567',
  'rec-1-dup-0, bill, tompson, 12, harbour street, , springfield, 2704, nsw, 19612304, 1234567',
  'rec-2-org, margaret, okafor, 4, oak avenue, , dubbo, 2830, nsw, 19750930, 7654321',
];

describe('mpi link', () => {
  it('writes duplicate pairs of one file and reports bad rows by line number, going on with the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpi-'));
    writeFileSync(join(dir, 'a.csv'), [HEADER, rows[0], 'rec-9-org, too, few', rows[1], rows[2]].join('\n'));
    const warnings: string[] = [];
    const out = runMpiLink({ input: [join(dir, 'a.csv')], output: join(dir, 'pairs.csv') }, (l) => warnings.push(l));
    expect(out).toMatchObject({ pairs: 1, records: [3], badRows: 1 });
    expect(warnings[0]).toMatch(/a\.csv:3: skipped: expected 11 columns/);
    const csv = readFileSync(join(dir, 'pairs.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('rec_id_1,rec_id_2,score');
    expect(csv[1]).toMatch(/^rec-1-org,rec-1-dup-0,(0\.9\d*|1\.0+)$/);
  });

  it('links two files and rejects a threshold outside 0-1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpi-'));
    writeFileSync(join(dir, 'a.csv'), [HEADER, rows[0], rows[2]].join('\n'));
    writeFileSync(join(dir, 'b.csv'), [HEADER, rows[1]].join('\n'));
    const out = runMpiLink({ input: [join(dir, 'a.csv'), join(dir, 'b.csv')], output: join(dir, 'p.csv') }, () => {});
    expect(out.pairs).toBe(1);
    expect(readFileSync(join(dir, 'p.csv'), 'utf8')).toContain('rec-1-org,rec-1-dup-0,');
    expect(() => runMpiLink({ input: [join(dir, 'a.csv')], output: join(dir, 'p.csv'), threshold: '2' })).toThrow();
  });

  it('refuses a repeated record id with a one-line error for that row, instead of pairing the record with itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpi-'));
    writeFileSync(join(dir, 'a.csv'), [HEADER, rows[0], rows[1], rows[0], rows[2]].join('\n'));
    const warnings: string[] = [];
    const out = runMpiLink({ input: [join(dir, 'a.csv')], output: join(dir, 'p.csv') }, (l) => warnings.push(l));
    expect(out).toMatchObject({ pairs: 1, records: [3], badRows: 1 });
    expect(warnings[0]).toBe(`${join(dir, 'a.csv')}:4: skipped: the id repeats line 2's; ids must be unique`);
    const csv = readFileSync(join(dir, 'p.csv'), 'utf8').trim().split('\n').slice(1);
    expect(csv.every((l) => l.split(',')[0] !== l.split(',')[1])).toBe(true);
  });

  it('reads other layouts (unique_id, first_name, dob, gender, city, email) and reports every pair of a person found through others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpi-'));
    const people = [
      'unique_id,first_name,surname,dob,gender,city,email,cluster',
      'a,Robert,Alan,1971-06-24,M,,robert255@smith.net,0',
      'b,Robert,Allen,1971-06-24,M,London,robert255@smith.net,0',
      'c,Rob,Allen,,M,London,,0',
      'd,Grace,Kelly,1997-04-26,F,Hull,grace.kelly52@jones.com,1',
    ];
    writeFileSync(join(dir, 'people.csv'), people.join('\n'));
    const pairsOf = (file: string) =>
      readFileSync(join(dir, file), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',').slice(0, 2).sort().join('-'))
        .sort();
    runMpiLink({ input: [join(dir, 'people.csv')], output: join(dir, 'all.csv') }, () => {});
    expect(pairsOf('all.csv')).toEqual(['a-b', 'a-c', 'b-c']);
    runMpiLink({ input: [join(dir, 'people.csv')], output: join(dir, 'direct.csv'), cluster: false }, () => {});
    expect(pairsOf('direct.csv')).not.toContain('a-c');
  });
});
