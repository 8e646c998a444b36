/**
 * `npm run bench:cac`: computer-assisted coding on CodiEsp dev (issue 25). Builds the knowledge from the code sets
 * and CodiEsp TRAIN only (never dev), then suggests codes for every dev document and prints, for diagnoses (CM)
 * and procedures (PCS) separately: MAP over each document's ranked codes (the CodiEsp task's metric: average
 * precision per document with gold codes, averaged), micro precision/recall/F1 of the suggestions scoring >= 0.5
 * and of the top 5, and milliseconds per document on one core. Options: `--split train|dev` (default dev),
 * `--no-learn` (classification rules only).
 */
import path from 'node:path';

import { loadConfig } from '../src/config/config.js';
import { loadCodeSets, readSnapshot } from '../src/core/codesets/index.js';
import { buildCacKnowledge, readCodiEspSplit, suggestCodes, type CacSystem, type Suggestion } from '../src/core/cac/index.js';

const args = process.argv.slice(2);
const split = args.includes('--split') ? (args[args.indexOf('--split') + 1] ?? 'dev') : 'dev';
const learn = !args.includes('--no-learn');
const config = loadConfig();
const corpus = path.resolve(config.dataDir, '..', '..', 'corpora', 'notes-icd10', 'codiesp');

let t0 = performance.now();
if (readSnapshot(config.codesetsDir) === undefined)
  console.log(`(no code-set snapshot in ${config.codesetsDir}: building from the official files)`);
const sets = loadCodeSets({ dataDir: config.dataDir, snapshotDir: config.codesetsDir });
console.log(`code sets loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
t0 = performance.now();
const knowledge = buildCacKnowledge(sets, learn ? path.join(corpus, 'train') : undefined);
console.log(
  `knowledge built in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${knowledge.phrases.size} phrase keys; ${knowledge.builtFrom.corpus}`,
);

const docs = readCodiEspSplit(path.join(corpus, split));
const results: { gold: Map<CacSystem, Set<string>>; ranked: Suggestion[] }[] = [];
const times: number[] = [];
for (const d of docs) {
  const t = performance.now();
  const ranked = suggestCodes(knowledge, d.text, { setting: 'inpatient' });
  times.push(performance.now() - t);
  const gold = new Map<CacSystem, Set<string>>([
    ['cm', new Set(d.codes.filter((c) => c.system === 'cm').map((c) => c.code))],
    ['pcs', new Set(d.codes.filter((c) => c.system === 'pcs').map((c) => c.code))],
  ]);
  results.push({ gold, ranked });
}

function measure(system: CacSystem): string {
  let apSum = 0;
  let queries = 0;
  const counts = { t: { tp: 0, fp: 0 }, k: { tp: 0, fp: 0 } };
  let goldTotal = 0;
  for (const { gold, ranked } of results) {
    const g = gold.get(system) ?? new Set();
    const list = ranked.filter((s) => s.system === system);
    goldTotal += g.size;
    if (g.size > 0) {
      queries++;
      let hits = 0;
      let ap = 0;
      list.forEach((s, i) => {
        if (g.has(s.code)) ap += ++hits / (i + 1);
      });
      apSum += ap / g.size;
    }
    for (const s of list.filter((x) => x.score >= 0.5)) counts.t[g.has(s.code) ? 'tp' : 'fp']++;
    for (const s of list.slice(0, 5)) counts.k[g.has(s.code) ? 'tp' : 'fp']++;
  }
  const prf = ({ tp, fp }: { tp: number; fp: number }): string => {
    const p = tp / Math.max(1, tp + fp);
    const r = tp / Math.max(1, goldTotal);
    return `P ${p.toFixed(3)} R ${r.toFixed(3)} F1 ${((2 * p * r) / Math.max(1e-9, p + r)).toFixed(3)}`;
  };
  return `${system === 'cm' ? 'diagnoses (ICD-10-CM)  ' : 'procedures (ICD-10-PCS)'}  MAP ${(apSum / Math.max(1, queries)).toFixed(3)} (${queries} docs)  score>=0.5: ${prf(counts.t)}  top-5: ${prf(counts.k)}`;
}

times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
console.log(`CodiEsp ${split}: ${docs.length} documents (knowledge from train${learn ? '' : ': classification rules only'})`);
console.log(measure('cm'));
console.log(measure('pcs'));
console.log(`speed: mean ${mean.toFixed(1)} ms/document, p95 ${(times[Math.floor(times.length * 0.95)] ?? 0).toFixed(1)} ms (one core)`);
