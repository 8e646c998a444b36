/** Precision, recall and F1 of predicted pairs against true pairs (unordered ids). */
export interface LinkageQuality {
  truePairs: number;
  predictedPairs: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/** All unordered pairs of ids that share a cluster label. */
export function pairsFromClusters(clusterOf: ReadonlyMap<string, string>): Set<string> {
  const byCluster = new Map<string, string[]>();
  for (const [id, c] of clusterOf) byCluster.set(c, [...(byCluster.get(c) ?? []), id]);
  const pairs = new Set<string>();
  for (const ids of byCluster.values())
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) pairs.add(pairKey(ids[i]!, ids[j]!));
  return pairs;
}

/** FEBRL truth: `rec-<n>-org` and `rec-<n>-dup-<k>` are the same person; cluster label is n. */
export function febrlCluster(recId: string): string {
  return /^rec-(\d+)-/.exec(recId)?.[1] ?? recId;
}

export function evaluatePairs(predicted: Iterable<readonly [string, string]>, truth: ReadonlySet<string>): LinkageQuality {
  const seen = new Set<string>();
  for (const [a, b] of predicted) seen.add(pairKey(a, b));
  let tp = 0;
  for (const k of seen) if (truth.has(k)) tp++;
  const precision = seen.size === 0 ? 1 : tp / seen.size;
  const recall = truth.size === 0 ? 1 : tp / truth.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePairs: truth.size, predictedPairs: seen.size, truePositives: tp, precision, recall, f1 };
}
