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
  private readonly records: (NormalizedRecord | undefined)[] = [];
  private readonly positionsById = new Map<string, number[]>();
  private readonly blocks: BlockIndex;
  private live = 0;

  constructor(
    private readonly matcher: Matcher,
    options: { maxBlockSize?: number } = {},
  ) {
    this.blocks = new BlockIndex(options.maxBlockSize ?? 1000);
  }

  /** Records currently in the index. */
  get size(): number {
    return this.live;
  }

  /** Adds a record. Adding an id again keeps both versions until `remove(id)`; use `replace` to update. */
  add(record: PersonRecord | NormalizedRecord): void {
    const n = 'givenCodes' in record ? record : this.matcher.normalize(record);
    const position = this.records.length;
    this.blocks.add(position, blockingKeys(n));
    this.records.push(n);
    this.positionsById.set(n.id, [...(this.positionsById.get(n.id) ?? []), position]);
    this.live++;
  }

  /** Removes every version of a record (e.g. the non-survivor of a merge); false when absent. */
  remove(id: string): boolean {
    const positions = this.positionsById.get(id);
    if (!positions) return false;
    // Tombstones: block entries stay and are skipped at query time, so removal is O(versions).
    for (const p of positions) this.records[p] = undefined;
    this.live -= positions.length;
    this.positionsById.delete(id);
    return true;
  }

  /** Replaces a record after its demographics were edited. */
  replace(record: PersonRecord | NormalizedRecord): void {
    this.remove(record.id);
    this.add(record);
  }

  /** Existing records likely to be the same person, best first, each with a per-field explanation. */
  findCandidates(record: PersonRecord | NormalizedRecord, options: FindOptions = {}): MatchCandidate[] {
    const threshold = options.threshold ?? 0.5;
    const limit = options.limit ?? 10;
    const query = 'givenCodes' in record ? record : this.matcher.normalize(record);
    const hits: { position: number; score: number; weight: number }[] = [];
    this.blocks.forEachCandidate(blockingKeys(query), (position) => {
      const other = this.records[position];
      if (!other || other.id === query.id) return;
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
