import { BlockIndex, blockingKeys } from './blocking.js';
import type { Matcher } from './matcher.js';
import type { NormalizedRecord, PairScore, PersonRecord } from './types.js';

export interface FindOptions {
  /** Minimum posterior probability to report (default 0.5). */
  threshold?: number;
  /** Most candidates to return, best first (default 10). */
  limit?: number;
}

export interface MatchCandidate {
  id: string;
  score: number;
  explanation: PairScore;
}

/**
 * In-memory blocking index over normalised records for registration-time lookups ("is this person already
 * in the MPI?"). Records are compared only with those sharing a blocking key, so a lookup touches a few
 * hundred records, not the whole index. Not persistent: colleagues rebuild it from the patient table.
 */
export class MatchIndex {
  private readonly records: NormalizedRecord[] = [];
  private readonly blocks: BlockIndex;

  constructor(
    private readonly matcher: Matcher,
    options: { maxBlockSize?: number } = {},
  ) {
    this.blocks = new BlockIndex(options.maxBlockSize ?? 1000);
  }

  get size(): number {
    return this.records.length;
  }

  /** Adds a record; an id already present is added again (the caller owns uniqueness). */
  add(record: PersonRecord | NormalizedRecord): void {
    const n = 'givenCodes' in record ? record : this.matcher.normalize(record);
    this.blocks.add(this.records.length, blockingKeys(n));
    this.records.push(n);
  }

  /** Existing records likely to be the same person, best first, each with a per-field explanation. */
  findCandidates(record: PersonRecord | NormalizedRecord, options: FindOptions = {}): MatchCandidate[] {
    const threshold = options.threshold ?? 0.5;
    const limit = options.limit ?? 10;
    const query = 'givenCodes' in record ? record : this.matcher.normalize(record);
    const hits: { position: number; score: number; weight: number }[] = [];
    this.blocks.forEachCandidate(blockingKeys(query), (position) => {
      const other = this.records[position]!;
      if (other.id === query.id) return;
      const hit = this.matcher.scoreIfAtLeast(query, other, threshold);
      if (hit) hits.push({ position, score: hit.score, weight: hit.weight });
    });
    hits.sort((x, y) => y.weight - x.weight);
    return hits.slice(0, limit).map(({ position, score }) => {
      const other = this.records[position]!;
      return { id: other.id, score, explanation: this.matcher.scorePair(query, other) };
    });
  }
}
