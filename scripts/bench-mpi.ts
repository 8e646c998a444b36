/**
 * MPI benchmark: generates N synthetic person records with realistic registration errors (seeded, so runs
 * are comparable), deduplicates them, and measures single-record lookup latency against the index.
 *
 *   npm run bench:mpi                      # quality figures, then 1,000,000 records
 *   npm run bench:mpi -- --records 100000
 *   npm run bench:mpi -- --quality-only    # precision, recall, F1 per labelled set only
 *
 * First prints precision, recall and F1 per labelled set (FEBRL 1-3, splink fake_1000, seeded synthetic
 * sets with nicknames, typos, shifted dates and up to 21 records per person; `febrl-quality.test.ts`
 * asserts floors on them). Then prints wall time per phase, peak RSS, comparisons, precision/recall against
 * the generator's truth, and p50/p99 lookup latency. Speed goals live here, not in tests (house style).
 */
import { performance } from 'node:perf_hooks';
import {
  MatchIndex,
  createMatcher,
  createPrng,
  dedupeRecords,
  normalizeRecord,
  type NormalizedRecord,
  type PersonRecord,
} from '../src/core/matching/index.js';
import { febrlSet, measureQuality, splinkFake1000, syntheticSet, type QualitySet } from '../src/core/matching/quality-sets.test-support.js';

const GIVEN = (
  'james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan joseph ' +
  'jessica thomas sarah charles karen christopher lisa daniel nancy matthew betty anthony margaret mark sandra ' +
  'donald ashley steven kimberly paul emily andrew donna joshua michelle kenneth carol kevin amanda brian dorothy ' +
  'george melissa timothy deborah ronald stephanie edward rebecca jason sharon jeffrey laura ryan cynthia jacob ' +
  'kathleen gary amy nicholas angela eric shirley jonathan anna stephen brenda larry pamela justin emma scott ' +
  'nicole brandon helen benjamin samantha samuel katherine gregory christine alexander debra frank rachel patrick ' +
  'carolyn raymond janet jack catherine dennis maria jerry heather tyler diane aaron ruth jose julie adam olivia ' +
  'nathan joyce henry virginia douglas victoria zachary kelly peter lauren kyle christina ethan joan walter evelyn ' +
  'noah judith jeremy megan christian andrea keith cheryl roger hannah terry jacqueline gerald martha harold gloria ' +
  'sean teresa austin ann carl sara arthur madison lawrence frances dylan kathryn jesse janice jordan jean bryan ' +
  'abigail billy alice joe judy bruce sophia gabriel grace logan denise albert amber willie doris alan marilyn'
).split(' ');
const NICK: Record<string, string> = {
  william: 'bill',
  robert: 'bob',
  margaret: 'peggy',
  james: 'jim',
  john: 'jack',
  elizabeth: 'liz',
  richard: 'dick',
  thomas: 'tom',
  michael: 'mike',
  katherine: 'kate',
  joseph: 'joe',
  edward: 'ted',
};
const COMMON_SURNAMES = (
  'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson ' +
  'anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis ' +
  'robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera ' +
  'campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart ' +
  'morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim ' +
  'cox ward richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo'
).split(' ');
const SYLLABLES = 'an ber car del el fen gar hol in jor kas lin mar nor ol pel quin ros sten tor ul vin wes yar zel bro chi dun'.split(' ');
const STREETS = 'main oak pine maple cedar elm washington lake hill park view sunset river church spring north'.split(' ');
const SUFFIXES = ['street', 'avenue', 'road', 'drive', 'lane', 'court', 'place', 'boulevard'];
const SUFFIX_ABBR: Record<string, string> = {
  street: 'st',
  avenue: 'ave',
  road: 'rd',
  drive: 'dr',
  lane: 'ln',
  court: 'ct',
  place: 'pl',
  boulevard: 'blvd',
};

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
/** Zipf-like pick: low indexes far more common, as with real name frequencies. */
const pickSkewed = <T>(rand: Rand, xs: readonly T[], power = 1.5): T => xs[Math.floor(Math.pow(rand(), power) * xs.length)]!;
const digits = (rand: Rand, n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
const pad = (n: number) => String(n).padStart(2, '0');

function surname(rand: Rand): string {
  // The 100 commonest US surnames cover about a sixth of people (Census 2010); the rest is a long tail.
  if (rand() < 0.2) return pickSkewed(rand, COMMON_SURNAMES);
  const parts = 2 + Math.floor(rand() * 2);
  return Array.from({ length: parts }, () => pick(rand, SYLLABLES)).join('');
}

interface Truth {
  records: PersonRecord[];
  /** cluster id (index of the original) per record. */
  cluster: Int32Array;
}

function makePerson(rand: Rand, i: number, cities: string[]): PersonRecord {
  const year = 1930 + Math.floor(rand() * 90);
  const city = pickSkewed(rand, cities);
  return {
    id: `p${i}`,
    givenName: pickSkewed(rand, GIVEN),
    familyName: surname(rand),
    dateOfBirth: `${year}-${pad(1 + Math.floor(rand() * 12))}-${pad(1 + Math.floor(rand() * 28))}`,
    sex: rand() < 0.5 ? 'F' : 'M',
    street: `${1 + Math.floor(rand() * 9999)} ${pick(rand, STREETS)} ${pick(rand, SUFFIXES)}`,
    city,
    postcode: String(10000 + Math.floor(rand() * 89999)),
    state: 'ST',
    phone: rand() < 0.8 ? `${digits(rand, 3)}-555-${digits(rand, 4)}` : undefined,
    ssn: rand() < 0.6 ? `${100 + Math.floor(rand() * 800)}${digits(rand, 6)}` : undefined,
  };
}

function typo(rand: Rand, s: string): string {
  if (s.length < 2) return s;
  const i = Math.floor(rand() * (s.length - 1));
  const kind = rand();
  if (kind < 0.3) return s.slice(0, i) + s.charAt(i + 1) + s.charAt(i) + s.slice(i + 2); // transposition
  if (kind < 0.6) return s.slice(0, i) + s.slice(i + 1); // deletion
  const c = String.fromCharCode(97 + Math.floor(rand() * 26));
  return s.slice(0, i) + c + s.slice(i + 1); // substitution
}

/** A duplicate registration of `p`: 1–3 realistic errors (typos, nicknames, swaps, missing or moved data). */
function makeDuplicate(rand: Rand, p: PersonRecord, id: string): PersonRecord {
  const d: PersonRecord = { ...p, id };
  const errors = 1 + Math.floor(rand() * 3);
  for (let e = 0; e < errors; e++) {
    const r = rand();
    if (r < 0.15) d.familyName = typo(rand, d.familyName);
    else if (r < 0.27) d.givenName = NICK[d.givenName] ?? typo(rand, d.givenName);
    else if (r < 0.32) [d.givenName, d.familyName] = [d.familyName, d.givenName];
    else if (r < 0.42) {
      const [y, m, dd] = d.dateOfBirth.split('-');
      d.dateOfBirth = rand() < 0.5 && Number(dd) <= 12 ? `${y}-${dd}-${m}` : `${y}-${m}-${typo(rand, dd ?? '01').padStart(2, '1')}`;
    } else if (r < 0.52) d.street = d.street?.replace(/(\w+)$/, (w) => SUFFIX_ABBR[w] ?? w);
    else if (r < 0.62)
      d.phone = d.phone
        ?.replace(/-/g, '')
        .replace(/^/, '(')
        .replace(/^\((\d{3})/, '($1) ');
    else if (r < 0.7) d.ssn = undefined;
    else if (r < 0.78 && d.ssn) d.ssn = typo(rand, d.ssn);
    else if (r < 0.86) {
      d.street = `${1 + Math.floor(rand() * 9999)} ${STREETS[0]} street`; // moved house
      d.postcode = String(10000 + Math.floor(rand() * 89999));
    } else if (r < 0.93) d.postcode = typo(rand, d.postcode ?? '');
    else d.phone = undefined;
  }
  return d;
}

function generate(n: number, seed: number): Truth {
  const rand = createPrng(seed);
  const cities = Array.from({ length: 2000 }, (_, i) => `${pick(rand, SYLLABLES)}${pick(rand, SYLLABLES)}ton${i}`);
  const records: PersonRecord[] = [];
  const cluster = new Int32Array(n);
  const originals = Math.round(n * 0.9);
  for (let i = 0; i < originals; i++) {
    records.push(makePerson(rand, i, cities));
    cluster[i] = i;
  }
  for (let i = originals; i < n; i++) {
    const of = Math.floor(rand() * originals);
    records.push(makeDuplicate(rand, records[of]!, `p${i}`));
    cluster[i] = of;
  }
  return { records, cluster };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Precision, recall and F1 of `dedupeRecords` (defaults: clustering, term frequencies) per labelled set. */
function printQuality(): void {
  const sets: (() => QualitySet)[] = [
    () => febrlSet(1),
    () => febrlSet(2),
    () => febrlSet(3),
    splinkFake1000,
    () => syntheticSet('historical', 2000, 1),
    () => syntheticSet('modern', 2000, 2),
    () => syntheticSet('historical', 5000, 3),
    () => syntheticSet('historical', 16000, 11),
  ];
  console.log('linkage quality (dedupeRecords, threshold 0.5, clustered pairs):');
  console.log(`  ${'set'.padEnd(44)} ${'records'.padStart(7)} ${'true pairs'.padStart(10)}  precision  recall     F1`);
  for (const make of sets) {
    const set = make();
    const q = measureQuality(set);
    console.log(
      `  ${set.name.padEnd(44)} ${String(set.records.length).padStart(7)} ${String(q.truePairs).padStart(10)}  ${q.precision.toFixed(4).padStart(9)}  ${q.recall.toFixed(4)}  ${q.f1.toFixed(4)}`,
    );
  }
}

function main(): void {
  printQuality();
  if (process.argv.includes('--quality-only')) return;
  const arg = process.argv.indexOf('--records');
  const n = arg > 0 ? Number(process.argv[arg + 1]) : 1_000_000;
  if (!Number.isInteger(n) || n < 1000) throw new Error('--records must be an integer >= 1000');
  let t = performance.now();
  let cpu = process.cpuUsage();
  // CPU time beside wall time: on a shared machine the wall clock also counts other people's work.
  const lap = (label: string) => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    console.log(`${label.padEnd(28)} ${((now - t) / 1000).toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU`);
    t = now;
    cpu = process.cpuUsage();
  };
  console.log(`MPI benchmark: ${n.toLocaleString('en-US')} synthetic records (10% duplicates), seed 7`);
  const truth = generate(n, 7);
  lap('generate');
  const normalized: NormalizedRecord[] = truth.records.map(normalizeRecord);
  lap('normalise');
  const result = dedupeRecords(normalized);
  lap('deduplicate (EM + scoring)');
  const idx = new Map(normalized.map((r, i) => [r.id, i]));
  let tp = 0;
  for (const p of result.pairs) if (truth.cluster[idx.get(p.id1)!] === truth.cluster[idx.get(p.id2)!]) tp++;
  const sizes = new Map<number, number>();
  for (const c of truth.cluster) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  let trueDups = 0;
  for (const k of sizes.values()) trueDups += (k * (k - 1)) / 2;
  console.log(
    `  comparisons ${result.stats.comparisons.toLocaleString('en-US')}, pairs ${result.pairs.length.toLocaleString('en-US')}, skipped blocks ${result.stats.skippedBlocks}`,
  );
  console.log(
    `  precision ${(tp / Math.max(result.pairs.length, 1)).toFixed(4)}, recall ${(tp / trueDups).toFixed(4)} of ${trueDups.toLocaleString('en-US')} true pairs`,
  );

  const index = new MatchIndex(createMatcher({ model: result.model }));
  for (const r of normalized) index.add(r);
  lap('build lookup index');
  const rand = createPrng(99);
  const latencies: number[] = [];
  let hits = 0;
  for (let q = 0; q < 10_000; q++) {
    const of = truth.records[Math.floor(rand() * n)]!;
    const probe = makeDuplicate(rand, of, 'probe');
    const start = performance.now();
    const found = index.findCandidates(probe, { threshold: 0.5, limit: 5 });
    latencies.push(performance.now() - start);
    if (found.some((c) => truth.cluster[idx.get(c.id)!] === truth.cluster[idx.get(of.id)!])) hits++;
  }
  latencies.sort((a, b) => a - b);
  lap('10,000 lookups');
  console.log(
    `  lookup p50 ${quantile(latencies, 0.5).toFixed(2)} ms, p99 ${quantile(latencies, 0.99).toFixed(2)} ms, found ${(hits / 100).toFixed(1)}%`,
  );
  const usage = process.resourceUsage();
  console.log(`peak RSS ${mib(usage.maxRSS * 1024)}, heap used now ${mib(process.memoryUsage().heapUsed)}`);
}

main();
