import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dedupeRecords, evaluatePairs, febrlCluster, pairsFromClusters, parseFebrlCsv, type PersonRecord } from './index.js';

// Corpora live beside the project (../shared/corpora), never copied in; see shared/corpora/README.md.
const CORPORA = new URL('../../../../shared/corpora/record-linkage/', import.meta.url);

/** F1 floor for FEBRL deduplication (measured 0.999-1.000; see README.md). */
const FEBRL_F1_FLOOR = 0.98;
/** Floor for the much sparser splink fake_1000 set (measured 0.899; see README.md). */
const SPLINK_F1_FLOOR = 0.88;

describe('linkage quality on FEBRL', () => {
  it.each([1, 2, 3])('deduplicates febrl dataset%i with F1 above the floor', (n) => {
    const { records, errors } = parseFebrlCsv(readFileSync(new URL(`febrl/dataset${n}.csv`, CORPORA), 'utf8'));
    expect(errors).toEqual([]);
    const result = dedupeRecords(records);
    const truth = pairsFromClusters(new Map(records.map((r) => [r.id, febrlCluster(r.id)])));
    const q = evaluatePairs(
      result.pairs.map((p) => [p.id1, p.id2] as const),
      truth,
    );
    expect(q.f1).toBeGreaterThan(FEBRL_F1_FLOOR);
  });

  it('deduplicates splink fake_1000 (names, dob, city, e-mail only) with F1 above the floor', () => {
    const lines = readFileSync(new URL('splink/fake_1000.csv', CORPORA), 'utf8').trim().split('\n').slice(1);
    const records: PersonRecord[] = [];
    const cluster = new Map<string, string>();
    for (const line of lines) {
      const [id = '', first = '', surname = '', dob = '', city = '', email = '', c = ''] = line.split(',');
      records.push({ id, givenName: first, familyName: surname, dateOfBirth: dob, city, email });
      cluster.set(id, c);
    }
    const q = evaluatePairs(
      dedupeRecords(records).pairs.map((p) => [p.id1, p.id2] as const),
      pairsFromClusters(cluster),
    );
    expect(q.f1).toBeGreaterThan(SPLINK_F1_FLOOR);
  });
});
