/**
 * 835 remittance benchmark (issue 20 goal: 10,000 claims per second on one core): reads a large generated 835
 * (a mix of paid claims with two service lines, denials and reversals, with a PLB) and builds its posting plan
 * against a lookup of the claims on file; prints claims/second for reading and for reading + planning.
 *
 *   npm run bench:remit                       # 50,000 claims
 *   npm run bench:remit -- --claims 200000 --rounds 5
 *
 * Pure work on one thread; speed goals live here, not in tests (house style).
 */
import { performance } from 'node:perf_hooks';
import { parse835 } from '../src/core/x12/parse-835.js';
import { build835, largeRemitBody } from '../src/core/x12/remit-fixtures.test-support.js';
import { planRemittancePosting, type PostableClaim } from '../src/core/x12/remit-posting.js';

const argv = process.argv.slice(2);
const arg = (name: string, d: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const CLAIMS = arg('claims', 50_000);
const ROUNDS = arg('rounds', 3);

const text = build835({ body: largeRemitBody(CLAIMS), newline: true });
// Every claim but one in ten is on file (the rest go to the unmatched queue).
const onFile = new Map<string, PostableClaim>();
for (let i = 0; i < CLAIMS; i++) {
  if (i % 10 === 9) continue;
  const charge = [300, 150, 120, 120][i % 4] ?? 0;
  onFile.set(`PCN${i}`, { claimId: `c${i}`, patientControlNumber: `PCN${i}`, charge });
}

const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} claims/s`;
console.log(`835 of ${CLAIMS.toLocaleString('en-US')} claims, ${(text.length / 1e6).toFixed(1)} MB, ${ROUNDS} rounds (best shown)`);

let bestParse = Infinity;
let bestAll = Infinity;
for (let round = 0; round < ROUNDS; round++) {
  const t0 = performance.now();
  const { remittances, errors } = parse835(text);
  const t1 = performance.now();
  const r = remittances[0];
  if (!r || errors.length > 0 || !r.balanced)
    throw new Error(`generated 835 did not read clean: ${errors[0]?.message ?? r?.imbalances[0] ?? 'no remittance'}`);
  const plan = planRemittancePosting(r, (pcn) => onFile.get(pcn));
  const t2 = performance.now();
  if (plan.postings.length + plan.unmatched.length !== CLAIMS) throw new Error('posting plan lost claims');
  bestParse = Math.min(bestParse, t1 - t0);
  bestAll = Math.min(bestAll, t2 - t0);
  if (round === ROUNDS - 1) {
    console.log(
      `  posted ${plan.postings.length.toLocaleString('en-US')}, unmatched ${plan.unmatched.length.toLocaleString('en-US')}, payments ${plan.totals.payments.toFixed(2)}, reversals ${plan.totals.reversals.toFixed(2)}`,
    );
  }
}
console.log(`  read 835:                ${bestParse.toFixed(0)} ms  ${rate(CLAIMS, bestParse)}`);
console.log(`  read 835 + posting plan: ${bestAll.toFixed(0)} ms  ${rate(CLAIMS, bestAll)}  (goal 10,000 claims/s)`);
