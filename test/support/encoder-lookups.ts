/**
 * The encoder lookup set (test/data/encoder-lookups.tsv): phrases as coders type them, each with the code the
 * Alphabetic Index, Tabular, Drug or Neoplasm table leads to. Read by the encoder test and `npm run bench:encoder`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { searchCodes, type CodeSets } from '../../src/core/codesets/index.js';

export interface Lookup {
  query: string;
  /** As printed ("I50.33"). */
  code: string;
  system: 'cm' | 'pcs';
  basis: string;
}

export const LOOKUPS_FILE = fileURLToPath(new URL('../data/encoder-lookups.tsv', import.meta.url));
/** The date the expected codes are valid on (FY2026). */
export const LOOKUPS_DATE = '2025-11-01';

export function readLookups(file = LOOKUPS_FILE): Lookup[] {
  const out: Lookup[] = [];
  for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    if (line.trim() === '' || line.startsWith('#') || line.startsWith('query\t')) continue;
    const [query = '', code = '', system = 'cm', basis = ''] = line.split('\t');
    if (query === '' || code === '' || (system !== 'cm' && system !== 'pcs'))
      throw new Error(`${file}:${i + 1}: expected "query<TAB>code<TAB>cm|pcs<TAB>basis"`);
    out.push({ query, code, system, basis });
  }
  return out;
}

export interface LookupResult extends Lookup {
  /** 1-based rank of the expected code in the first five hits, 0 when absent. */
  rank: number;
  top: string[];
}

/** Runs every lookup and reports top-1 and top-5 accuracy. */
export function runLookups(sets: CodeSets, lookups: Lookup[]): { results: LookupResult[]; top1: number; top5: number } {
  const results = lookups.map((l) => {
    const top = searchCodes(sets, l.query, { date: LOOKUPS_DATE, system: l.system, limit: 5 }).hits.map((h) => h.display);
    return { ...l, rank: top.indexOf(l.code) + 1, top };
  });
  const n = results.length || 1;
  return {
    results,
    top1: results.filter((r) => r.rank === 1).length / n,
    top5: results.filter((r) => r.rank >= 1).length / n,
  };
}
