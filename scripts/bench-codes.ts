/**
 * Encoder benchmark: full import time, snapshot load time, and in-process search latency (p50/p95/p99) over
 * typical coder queries and their as-you-type prefixes. `npm run bench:codes [-- --data-dir DIR]`.
 * Targets (issue 3): import < 60 s, load < 3 s, search p95 < 5 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config.js';
import {
  getCodeDetails,
  importCodeSets,
  loadCodeSets,
  pcsTableBuilder,
  searchCodes,
  validateEncounterCodes,
} from '../src/core/codesets/index.js';

const args = process.argv.slice(2);
const dataDir = (args.includes('--data-dir') ? args[args.indexOf('--data-dir') + 1] : undefined) ?? loadConfig().dataDir;
const DATE = '2025-11-01';

export const CM_QUERIES = [
  'CHF',
  'I50',
  'I50.23',
  'heart failure',
  'acute on chronic systolic heart failure',
  'AKI',
  'COPD exacerbation',
  'NSTEMI',
  'STEMI anterior wall',
  'UTI',
  'DVT',
  'PE',
  'MRSA sepsis',
  'afib',
  'HTN',
  'DM',
  'type 2 diabetes with ckd',
  'ESRD',
  'CKD stage 3',
  'GERD',
  'pneumonia',
  'sepsis',
  'fracture neck of femur',
  'S72.001',
  'hip fracture right',
  'abdominal pain',
  'chest pain',
  'syncope',
  'acetaminophen poisoning intentional',
  'opioid overdose',
  'warfarin adverse effect',
  'insulin underdosing',
  'breast cancer',
  'lung cancer metastatic',
  'neoplasm colon malignant primary',
  'obesity',
  'morbid obesity bmi 40',
  'depression',
  'anxiety',
  'alcohol dependence',
  'cellulitis leg',
  'hypokalemia',
  'hyponatremia',
  'anemia',
  'dehydration',
  'pressure ulcer sacrum stage 3',
  'fall from ladder',
  'motor vehicle accident',
  'asthma',
  'migraine',
  'z79.4',
  'long term insulin',
  'history of breast cancer',
  'pregnancy 32 weeks',
  'newborn jaundice',
  'covid',
  'respiratory failure with hypoxia',
  'encephalopathy',
  'delirium',
  'dementia',
];
export const PCS_QUERIES = [
  'laparoscopic cholecystectomy',
  'total knee replacement',
  'total hip replacement',
  'appendectomy',
  'cabg',
  'colonoscopy',
  'cesarean',
  '0FT44ZZ',
  '0SR',
  'hysterectomy',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

if (process.argv[1]?.endsWith('bench-codes.ts')) {
  const out = mkdtempSync(path.join(tmpdir(), 'bench-codes-'));
  try {
    const [imported, importMs] = time(() => importCodeSets({ dataDir, outDir: out, force: true }));
    console.log(`import: ${(importMs / 1000).toFixed(2)} s (${imported.files.length} snapshot files)`);
    const [sets, loadMs] = time(() => loadCodeSets({ dataDir, snapshotDir: out }));
    console.log(`load snapshot: ${(loadMs / 1000).toFixed(2)} s`);

    // Every query, and every prefix of it (search as you type), a few rounds.
    const work: { q: string; system: 'cm' | 'pcs' }[] = [];
    for (const [list, system] of [
      [CM_QUERIES, 'cm'],
      [PCS_QUERIES, 'pcs'],
    ] as const) {
      for (const q of list) for (let n = 2; n <= q.length; n++) work.push({ q: q.slice(0, n), system });
    }
    for (const w of work.slice(0, 200)) searchCodes(sets, w.q, { date: DATE, system: w.system }); // warm-up
    // Wall time, and CPU time of this process (on a shared machine wall time includes waiting for a core).
    const lat: number[] = [];
    const cpu: number[] = [];
    const full: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const w of work) {
        const c0 = process.cpuUsage();
        lat.push(time(() => searchCodes(sets, w.q, { date: DATE, system: w.system, limit: 20 }))[1]);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
      }
      for (const q of CM_QUERIES) full.push(time(() => searchCodes(sets, q, { date: DATE, limit: 20 }))[1]);
    }
    const line = (name: string, xs: number[]): string => {
      xs.sort((a, b) => a - b);
      return `${name} (${xs.length}): p50 ${percentile(xs, 50).toFixed(2)} ms, p95 ${percentile(xs, 95).toFixed(2)} ms, p99 ${percentile(xs, 99).toFixed(2)} ms, max ${(xs[xs.length - 1] ?? 0).toFixed(1)} ms`;
    };
    console.log(line('search as you type, wall', lat));
    console.log(line('search as you type, CPU ', cpu));
    console.log(line('search full queries, wall', full));

    const [, detailsMs] = time(() => {
      for (const c of ['I5023', 'S72001', 'E119', 'T391X2A', '0FT44ZZ']) getCodeDetails(sets, c, { date: DATE });
    });
    const [, validateMs] = time(() =>
      validateEncounterCodes(sets, { date: DATE, diagnoses: ['I50.9', 'P29.0', 'E11.9', 'S72.001', 'N17.9'], procedures: ['0FT44ZZ'] }),
    );
    const [, builderMs] = time(() => pcsTableBuilder(sets, { date: DATE, prefix: '0SRC0' }));
    console.log(
      `details x5: ${detailsMs.toFixed(1)} ms; validate (5 dx, 1 px): ${validateMs.toFixed(1)} ms; PCS builder step: ${builderMs.toFixed(1)} ms`,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
