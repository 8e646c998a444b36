import type { NormalizedRecord } from './types.js';

/**
 * Blocking keys: two records are compared only when they share at least one key. Several independent
 * keys keep recall high when any one field is mistyped (Christen 2012, "Data Matching", ch. 4):
 * phonetic family name + birth year, phonetic given name + birth year and month, both phonetic names in
 * sorted order regardless of date (so transposed names meet), SSN (whole, and each half with an initial), phone, e-mail (whole
 * and local part), postcode + initial, city + phonetic family name, month and day + phonetic name (year typos),
 * and the full date of birth with day and month in sorted order (so day/month swaps meet).
 */
export function blockingKeys(r: NormalizedRecord): string[] {
  const keys: string[] = [];
  const fam = r.familyCodes[0];
  const giv = r.givenCodes[0];
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
  if (r.month !== '' && r.day !== '') {
    // Birth year mistyped: month and day with either phonetic name.
    if (fam !== '') keys.push(`m${r.month}${r.day}|${fam}`);
    if (giv !== '' && giv !== fam) keys.push(`m${r.month}${r.day}|${giv}`);
  }
  if (r.postcode !== '') {
    if (r.given !== '') keys.push(`p${r.postcode}|${r.given[0]}`);
    if (r.family !== '') keys.push(`q${r.postcode}|${r.family[0]}`);
  }
  if (r.year !== '' && r.month !== '' && r.day !== '') {
    keys.push(r.month < r.day ? `d${r.year}${r.month}${r.day}` : `d${r.year}${r.day}${r.month}`);
  }
  return keys;
}

/**
 * Inverted index from blocking key to record positions. `forEachCandidate` visits each candidate once
 * (stamp array instead of a Set per query) and skips blocks larger than `maxBlockSize`, whose keys are
 * too common to discriminate (the other keys of the record still apply).
 */
export class BlockIndex {
  private readonly blocks = new Map<string, number[]>();
  private stamps = new Int32Array(1024);
  private query = 0;
  skippedBlocks = 0;

  constructor(readonly maxBlockSize = 1000) {}

  add(position: number, keys: readonly string[]): void {
    for (const key of keys) {
      const block = this.blocks.get(key);
      if (block) block.push(position);
      else this.blocks.set(key, [position]);
    }
    if (position >= this.stamps.length) {
      const grown = new Int32Array(Math.max(position + 1, this.stamps.length * 2));
      grown.set(this.stamps);
      this.stamps = grown;
    }
  }

  forEachCandidate(keys: readonly string[], visit: (position: number) => void): void {
    const stamp = ++this.query;
    for (const key of keys) {
      const block = this.blocks.get(key);
      if (!block) continue;
      if (block.length > this.maxBlockSize) {
        this.skippedBlocks++;
        continue;
      }
      for (const p of block) {
        if (this.stamps[p] === stamp) continue;
        this.stamps[p] = stamp;
        visit(p);
      }
    }
  }

  get keyCount(): number {
    return this.blocks.size;
  }
}
