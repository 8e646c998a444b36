/**
 * The labelled sets that measure linkage quality, shared by `febrl-quality.test.ts` (floors) and
 * `npm run bench:mpi` (figures): FEBRL datasets 1-3 and splink's fake_1000 from ../shared/corpora, and
 * seeded synthetic sets of the hard kind (`synthetic-people.test-support.ts`).
 */
import { readFileSync } from 'node:fs';
import { evaluatePairs, febrlCluster, pairsFromClusters, type LinkageQuality } from './evaluate.js';
import { parsePersonCsv } from './febrl.js';
import { dedupeRecords, type LinkageOptions } from './linkage.js';
import { generatePeople } from './synthetic-people.test-support.js';
import type { PersonRecord } from './types.js';

// Corpora live beside the project (../shared/corpora), never copied in; see shared/corpora/README.md.
const CORPORA = new URL('../../../../shared/corpora/record-linkage/', import.meta.url);

export interface QualitySet {
  name: string;
  records: PersonRecord[];
  clusterOf: Map<string, string>;
}

export function febrlSet(n: 1 | 2 | 3): QualitySet {
  const { records } = parsePersonCsv(readFileSync(new URL(`febrl/dataset${n}.csv`, CORPORA), 'utf8'));
  return { name: `FEBRL dataset${n}`, records, clusterOf: new Map(records.map((r) => [r.id, febrlCluster(r.id)])) };
}

/** splink fake_1000: names, date of birth, city and e-mail, many blanks; truth in the `cluster` column. */
export function splinkFake1000(): QualitySet {
  const lines = readFileSync(new URL('splink/fake_1000.csv', CORPORA), 'utf8').trim().split('\n').slice(1);
  const records: PersonRecord[] = [];
  const clusterOf = new Map<string, string>();
  for (const line of lines) {
    const [id = '', first = '', surname = '', dob = '', city = '', email = '', c = ''] = line.split(',');
    records.push({ id, givenName: first, familyName: surname, dateOfBirth: dob, city, email });
    clusterOf.set(id, c);
  }
  return { name: 'splink fake_1000', records, clusterOf };
}

/** Synthetic people, 1-21 records each: historical (names, dob, sex, birth place) or modern (+ e-mail, phone). */
export function syntheticSet(kind: 'historical' | 'modern', people: number, seed: number): QualitySet {
  const { records, clusterOf } = generatePeople({ people, seed, modern: kind === 'modern' });
  return { name: `synthetic ${kind} ${people.toLocaleString('en-US')} people, seed ${seed}`, records, clusterOf };
}

/** Deduplicates a set and scores the pairs against its truth. */
export function measureQuality(set: QualitySet, options: LinkageOptions = {}): LinkageQuality {
  const result = dedupeRecords(set.records, options);
  return evaluatePairs(
    result.pairs.map((p) => [p.id1, p.id2] as const),
    pairsFromClusters(set.clusterOf),
  );
}
