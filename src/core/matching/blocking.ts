import type { NormalizedRecord } from './types.js';

/**
 * Blocking keys: two records are compared only when they share at least one key. Several independent
 * keys keep recall high when any one field is mistyped (Christen 2012, "Data Matching", ch. 4):
 * phonetic family name + birth year, phonetic given name + birth year and month, both phonetic names in
 * sorted order regardless of date (so transposed names meet), SSN (whole, and each half with an initial), phone, e-mail (whole
 * and local part), postcode + initial, city + phonetic family name, month and day + phonetic name + other initial (year typos), and the full date of birth
 * with day and month in sorted order (so day/month swaps meet) + canonical given initial; and the home address
 * (house number or postcode, each with the street's first four letters).
 */
/**
 * Bumped whenever `blockingKeys` changes. Stores that persist keys (src/modules/patients, mpi_match_key_state)
 * compare it with the version they stored and recompute their keys when it differs. 3: the address keys.
 */
export const BLOCKING_KEY_VERSION = 3;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export function blockingKeys(r: NormalizedRecord): string[] {
  const keys: string[] = [];
  const fam = r.familyCodes[0];
  const giv = r.givenCodes[0];
  const initial = r.givenCanonical[0];
  if (r.year !== '') {
    if (fam !== '') keys.push(`n${fam}|${r.year}`);
    // Given names are far less diverse than family names: add the month to keep the block small.
    if (giv !== '' && r.month !== '') keys.push(`v${giv}|${r.year}${r.month}`);
  }
  if (fam !== '' && giv !== '') keys.push(fam < giv ? `g${fam}|${giv}` : `g${giv}|${fam}`);
  if (r.ssn !== '') {
    keys.push(`s${r.ssn}`);
    // One keying error leaves one half of the SSN intact; an initial keeps these blocks small.
    const half = r.ssn.length >> 1;
    if (r.given !== '') keys.push(`h${r.ssn.slice(0, half)}|${r.given[0]}`);
    if (r.family !== '') keys.push(`k${r.ssn.slice(half)}|${r.family[0]}`);
  }
  if (r.phone !== '') keys.push(`t${r.phone}`);
  if (r.email !== '') {
    keys.push(`e${r.email}`);
    const at = r.email.indexOf('@');
    if (at > 2) keys.push(`l${r.email.slice(0, at)}`);
  }
  if (r.city !== '' && fam !== '') keys.push(`c${r.city}|${fam}`);
  if (r.postcode !== '') {
    if (r.given !== '') keys.push(`p${r.postcode}|${r.given[0]}`);
    if (r.family !== '') keys.push(`q${r.postcode}|${r.family[0]}`);
  }
  // The home address, for a record whose names, date of birth and SSN all changed (a new surname, a
  // keying error in each): house number with the street's first letters, and postcode with them.
  const street = r.streetName.slice(0, 4);
  if (street.length === 4) {
    if (r.streetNumber !== '') keys.push(`a${r.streetNumber}|${street}`);
    if (r.postcode !== '') keys.push(`r${r.postcode}|${street}`);
  }
  // An initial narrows a date key 20-fold; a record without that name joins every initial's block.
  const withInitial = (key: string, letter: string | undefined) => {
    if (letter) keys.push(`${key}|${letter}`);
    else for (const l of LETTERS) keys.push(`${key}|${l}`);
  };
  if (r.month !== '' && r.day !== '') {
    // Birth year mistyped: month and day with either phonetic name and the other name's initial.
    if (fam !== '') withInitial(`m${r.month}${r.day}|${fam}`, initial);
    if (giv !== '' && giv !== fam) withInitial(`m${r.month}${r.day}|${giv}`, r.family[0]);
  }
  if (r.year !== '' && r.month !== '' && r.day !== '') {
    // Full date (day/month sorted) with each name's initial (given canonical: Bill -> w), so a change of
    // either name, or transposed names, still meet.
    const date = r.month < r.day ? `d${r.year}${r.month}${r.day}` : `d${r.year}${r.day}${r.month}`;
    withInitial(date, initial);
    if (r.family[0] !== initial) withInitial(date, r.family[0]);
  }
  return keys;
}

/**
 * Keys of batch linkage (`dedupeRecords`, `linkRecords`): the MPI's keys and two more for records that
 * lack a date of birth and carry a typo in one name (a key with the date, or with both names' sounds,
 * then finds nothing): the canonical given name with the family name's first three letters, and the
 * family name with the canonical given initial. Batch runs only: the MPI's stored keys stay as they are.
 */
export function batchBlockingKeys(r: NormalizedRecord): string[] {
  const keys = blockingKeys(r);
  if (r.givenCanonical !== '' && r.family.length >= 3) keys.push(`x${r.givenCanonical}|${r.family.slice(0, 3)}`);
  if (r.family !== '' && r.givenCanonical !== '') keys.push(`y${r.family}|${r.givenCanonical.slice(0, 2)}`);
  return keys;
}

/** FNV-1a 32-bit hash of a key: blocks are keyed by number (a rare collision only merges two blocks). */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Something that yields each candidate position once per query. */
export interface CandidateSource {
  forEachCandidate(keys: readonly string[], visit: (position: number) => void): void;
  readonly skippedBlocks: number;
}

/** Per-query "seen" marks in one Int32Array instead of a Set per query. */
class Stamps {
  private marks = new Int32Array(1024);
  private query = 0;

  next(): number {
    return ++this.query;
  }

  /** True the first time `position` is seen in query `stamp`. */
  first(position: number, stamp: number): boolean {
    if (position >= this.marks.length) {
      const grown = new Int32Array(Math.max(position + 1, this.marks.length * 2));
      grown.set(this.marks);
      this.marks = grown;
    }
    if (this.marks[position] === stamp) return false;
    this.marks[position] = stamp;
    return true;
  }
}

const SHARDS = 64;

/**
 * Incremental inverted index from blocking key to record positions (for MatchIndex). Keys are hashed and
 * spread over 64 maps: one V8 Map holds at most 2^24 entries, and a million patients have ~15M keys.
 * Blocks larger than `maxBlockSize` are skipped at query time: their key is too common to discriminate.
 */
export class BlockIndex implements CandidateSource {
  private readonly shards = Array.from({ length: SHARDS }, () => new Map<number, number[] | number>());
  private readonly stamps = new Stamps();
  skippedBlocks = 0;

  constructor(readonly maxBlockSize = 1000) {}

  add(position: number, keys: readonly string[]): void {
    for (const key of keys) {
      const h = hashKey(key);
      const shard = this.shards[h & (SHARDS - 1)]!;
      const block = shard.get(h);
      // Most keys (SSN, phone) are unique: store a lone position without allocating an array.
      if (block === undefined) shard.set(h, position);
      else if (typeof block === 'number') shard.set(h, [block, position]);
      else block.push(position);
    }
  }

  forEachCandidate(keys: readonly string[], visit: (position: number) => void): void {
    const stamp = this.stamps.next();
    for (const key of keys) {
      const h = hashKey(key);
      const block = this.shards[h & (SHARDS - 1)]!.get(h);
      if (block === undefined) continue;
      if (typeof block === 'number') {
        if (this.stamps.first(block, stamp)) visit(block);
        continue;
      }
      if (block.length > this.maxBlockSize) {
        this.skippedBlocks++;
        continue;
      }
      for (const p of block) if (this.stamps.first(p, stamp)) visit(p);
    }
  }
}

/**
 * Read-only index for batch linkage, built in one pass: (key hash, position) pairs packed into one
 * Float64Array and sorted, so each block is a contiguous run found by binary search. About 16 bytes per
 * key instead of a Map entry and an array per block. Positions must be below 2^21.
 */
export class StaticBlockIndex implements CandidateSource {
  private readonly hashes: Uint32Array;
  private readonly positions: Int32Array;
  private readonly stamps = new Stamps();
  skippedBlocks = 0;

  constructor(
    keysOf: (position: number) => readonly string[],
    count: number,
    readonly maxBlockSize = 1000,
  ) {
    if (count >= 2 ** 21) throw new RangeError('StaticBlockIndex holds fewer than 2^21 records');
    const packed: number[] = [];
    for (let p = 0; p < count; p++) for (const key of keysOf(p)) packed.push(hashKey(key) * 2 ** 21 + p);
    const sorted = Float64Array.from(packed).sort();
    this.hashes = new Uint32Array(sorted.length);
    this.positions = new Int32Array(sorted.length);
    sorted.forEach((v, i) => {
      const h = Math.floor(v / 2 ** 21);
      this.hashes[i] = h;
      this.positions[i] = v - h * 2 ** 21;
    });
  }

  private lowerBound(h: number): number {
    let lo = 0;
    let hi = this.hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.hashes[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  forEachCandidate(keys: readonly string[], visit: (position: number) => void): void {
    const stamp = this.stamps.next();
    for (const key of keys) {
      const h = hashKey(key);
      const start = this.lowerBound(h);
      let end = start;
      while (end < this.hashes.length && this.hashes[end] === h) end++;
      if (end - start > this.maxBlockSize) {
        this.skippedBlocks++;
        continue;
      }
      for (let i = start; i < end; i++) {
        const p = this.positions[i]!;
        if (this.stamps.first(p, stamp)) visit(p);
      }
    }
  }
}
