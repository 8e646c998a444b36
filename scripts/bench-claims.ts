/**
 * 837I generation benchmark: claims per second written into one interchange (build every transaction set, the
 * envelope, the final text) on one core, for a mix of inpatient, outpatient, secondary-payer and newborn claims.
 * Goal (issue 20): 10,000 claims/s. Speed goals live here, not in tests (house style).
 *
 *   npm run bench:claims                      # 50,000 claims in batches of 5,000
 *   npm run bench:claims -- --claims 200000 --batch 10000
 */
import { performance } from 'node:perf_hooks';
import { buildInterchange837 } from '../src/core/x12/envelope.js';
import type { InstitutionalClaim } from '../src/core/x12/build-837-types.js';
import {
  envelopeOptions,
  makeInpatientClaim,
  makeNewbornClaim,
  makeOutpatientClaim,
  makeSecondaryClaim,
} from '../src/core/x12/build-837-fixtures.test-support.js';

const argv = process.argv.slice(2);
const arg = (name: string, d: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const CLAIMS = arg('claims', 50_000);
const BATCH = arg('batch', 5_000);

const makers = [makeInpatientClaim, makeOutpatientClaim, makeSecondaryClaim, makeNewbornClaim];
const claims: InstitutionalClaim[] = Array.from({ length: BATCH }, (_, i) => {
  const c = makers[i % makers.length]!();
  return { ...c, patientControlNumber: `${c.patientControlNumber}X${String(i)}` };
});

function run(total: number): { seconds: number; cpuSeconds: number; bytes: number; failed: number } {
  let bytes = 0;
  let failed = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let done = 0, n = 1; done < total; done += BATCH, n++) {
    const r = buildInterchange837('837I', claims, envelopeOptions(n));
    bytes += r.text?.length ?? 0;
    failed += r.results.filter((x) => !x.ok).length;
  }
  const cpu = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytes, failed };
}

run(Math.min(CLAIMS, BATCH * 2)); // warm-up
const r = run(CLAIMS);
const rate = CLAIMS / r.seconds;
console.log(
  `837I generation: ${String(CLAIMS)} claims in ${r.seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en-US')} claims/s (goal 10,000)`,
);
// CPU time of this process: what one core does, whatever else shares the machine (GC threads count too).
console.log(`  per CPU-second of this process: ${Math.round(CLAIMS / r.cpuSeconds).toLocaleString('en-US')} claims`);
console.log(
  `  interchanges of ${String(BATCH)} claims, ${(r.bytes / CLAIMS).toFixed(0)} bytes per claim, ${String(r.failed)} claims refused`,
);
