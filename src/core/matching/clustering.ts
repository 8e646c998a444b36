/** A scored link between two records, by position in the population. */
export interface Link {
  a: number;
  b: number;
  weight: number;
}

export interface ClusterOptions {
  /**
   * Two clusters joined by a link merge only when the mean match weight (log2 Bayes factor, without the
   * prior) of all their cross pairs is at least this (default 10, a likelihood ratio of 1,024): a chain
   * A-B-C where A and C disagree does not become one person. A weight, not a probability: the prior depends
   * on the file's size, the evidence between two records does not. Tuned on the synthetic sets and splink's
   * fake_1000 (src/core/matching/README.md): 6 was 0.3-0.6 points of F1 better on sets up to 15,000
   * records but 3.7 points worse at 48,000, where namesakes without a date of birth abound.
   */
  coherence?: number;
  /**
   * Weight at which a pair is a link by itself (the threshold's weight). Two groups also merge when at
   * least half their cross pairs are links, however badly the rest disagree (one record with a wrong SSN).
   */
  linkWeight?: number;
  /** Cross pairs scored per merge test at most; larger merges test a seeded sample (default 2,500). */
  maxCrossPairs?: number;
}

/**
 * Groups records into persons from pairwise links, strongest link first (Christen 2012, ch. 6; "centre"
 * and average-linkage clustering). Connected components alone chain strangers: Mary Smith 1850 links to
 * "Mary Smith, no date of birth", which links to Mary Smith 1790. Here a link merges two clusters only when
 * the clusters agree as wholes: the mean weight of every cross pair (`weigh`, blocked or not) reaches
 * `coherence`, or half the cross pairs are links themselves; and no cross pair is vetoed (`weigh` returns
 * -Infinity: e.g. born decades apart). Returns a cluster number per position.
 */
export function clusterLinks(
  count: number,
  links: readonly Link[],
  weigh: (a: number, b: number) => number,
  options: ClusterOptions = {},
): Int32Array {
  const coherence = options.coherence ?? 10;
  const maxCross = options.maxCrossPairs ?? 2500;
  const linkWeight = options.linkWeight ?? Infinity;
  const parent = Int32Array.from({ length: count }, (_, i) => i);
  const members = new Map<number, number[]>();
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const membersOf = (root: number): number[] => members.get(root) ?? [root];
  const sorted = [...links].sort((x, y) => y.weight - x.weight);
  let seed = 1;
  for (const { a, b } of sorted) {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    const ma = membersOf(ra);
    const mb = membersOf(rb);
    if (ma.length > 1 || mb.length > 1) {
      let total = 0;
      let n = 0;
      let linked = 0;
      let vetoed = false;
      const all = ma.length * mb.length;
      const step = all > maxCross ? all / maxCross : 1;
      // A deterministic stride through the cross product when it is large.
      for (let k = 0; k < all; k += step) {
        const idx = Math.floor(k + ((seed = (seed * 16807) % 2147483647) / 2147483647) * (step - 1));
        const w = weigh(ma[Math.floor(idx / mb.length)]!, mb[idx % mb.length]!);
        if (w === -Infinity) vetoed = true;
        if (w >= linkWeight) linked++;
        total += w;
        n++;
      }
      if (vetoed || (total / n < coherence && linked * 2 < n)) continue;
    }
    const [big, small] = ma.length >= mb.length ? [ra, rb] : [rb, ra];
    parent[small] = big;
    members.set(big, [...membersOf(big), ...membersOf(small)]);
    members.delete(small);
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = find(i);
  return out;
}
