/**
 * `npm run bench:grouper`: the whole `custodian grouper run` process (built CLI, `npm run build`): wall and CPU
 * time of a one-claim run (median of 5, after one run that makes the table snapshot), and 60,000 claims end to
 * end (dev claims three times, file to file) on one core and with `--workers auto`. Then claims per second of
 * the grouper in-process on the dev claims, on one thread (the set repeated until at least 2 s) and on all
 * cores (one worker thread per core), plus peak RSS. Add another engine's numbers with `benchmark(name, fn)`
 * (single thread) and `benchmarkAllCores`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ClaimSchema, type Claim } from '../src/core/claim/claim.js';
import { loadConfig } from '../src/config/config.js';
import { groupClaim, openGrouperSet } from '../src/core/grouper/index.js';
import { editClaim, loadCodeEditor } from '../src/core/mce/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLAIMS_FILE = path.resolve(ROOT, '../shared/grouper-cases/dev/claims.jsonl');
const CLI = path.join(ROOT, 'bin/custodian.js');
/** Preloaded into the measured process: prints its CPU time on exit (stderr, one marked line). */
const REPORT_CPU =
  "data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();" +
  "process.stderr.write('\\n@@cpu '+(u.userCPUTime+u.systemCPUTime)/1000+'\\n')})";
const MIN_SECONDS = 2;

export interface BenchResult {
  name: string;
  items: number;
  seconds: number;
  perSecond: number;
  /** Items per second of CPU time used by the process (meaningful on a busy, shared machine). */
  perCpuSecond?: number;
}

/** Runs `fn` (which processes `itemsPerRun` items) until at least MIN_SECONDS have passed. */
export function benchmark(name: string, itemsPerRun: number, fn: () => void, minSeconds = MIN_SECONDS): BenchResult {
  fn(); // warm-up
  let items = 0;
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let seconds = 0;
  while (seconds < minSeconds) {
    fn();
    items += itemsPerRun;
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const used = process.cpuUsage(cpu);
  return { name, items, seconds, perSecond: items / seconds, perCpuSecond: items / ((used.user + used.system) / 1e6) };
}

function readClaims(): Claim[] {
  return fs
    .readFileSync(CLAIMS_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => ClaimSchema.parse(JSON.parse(l)));
}

/** The grouper benchmark body: groups every dev claim once per run. */
function grouperTask(): { items: number; run: () => void } {
  const set = openGrouperSet(loadConfig().dataDir);
  const claims = readClaims();
  const pairs = claims.map((c) => ({ c, g: set.get(set.versionFor(c)) }));
  return {
    items: pairs.length,
    run: () => {
      for (const { c, g } of pairs) groupClaim(g, c);
    },
  };
}

/** The code-editor benchmark body: edits every dev claim once per run. */
async function mceTask(): Promise<{ items: number; run: () => void }> {
  const editor = await loadCodeEditor(loadConfig().dataDir);
  const claims = readClaims();
  return {
    items: claims.length,
    run: () => {
      for (const c of claims) editClaim(editor, c);
    },
  };
}

type Task = { items: number; run: () => void };
/** Named tasks a worker thread can run. */
const TASKS: Record<string, () => Task | Promise<Task>> = { grouper: grouperTask, mce: mceTask };

/** Starts this script as a worker thread (registering the tsx loader when running from TypeScript). */
function spawnSelf(data: unknown): Worker {
  const self = import.meta.url;
  if (self.endsWith('.js')) return new Worker(new URL(self), { workerData: data });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(self)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}

/** Runs a named task on every core at once (one worker thread each, started together once all have loaded). */
export async function benchmarkAllCores(name: string, task: string, threads = os.availableParallelism()): Promise<BenchResult> {
  const workers = Array.from({ length: threads }, () => spawnSelf({ task }));
  const ready = workers.map(
    (w) =>
      new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
      }),
  );
  await Promise.all(ready);
  const results = await Promise.all(
    workers.map(
      (w) =>
        new Promise<BenchResult>((resolve, reject) => {
          w.once('message', (r: BenchResult) => {
            resolve(r);
            void w.terminate();
          });
          w.once('error', reject);
          w.postMessage('go');
        }),
    ),
  );
  const items = results.reduce((a, r) => a + r.items, 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  return { name: `${name} (${threads} threads)`, items, seconds, perSecond: results.reduce((a, r) => a + r.perSecond, 0) };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(12);

function print(r: BenchResult): void {
  const cpu = r.perCpuSecond === undefined ? '' : `, ${fmt(r.perCpuSecond).trim()} per CPU-second`;
  console.log(`${r.name.padEnd(34)} ${fmt(r.perSecond)} claims/s  (${r.items} in ${r.seconds.toFixed(2)} s${cpu})`);
}

/** Runs the built CLI once; wall time (ms, from spawn to exit) and the child's CPU time (ms). */
function runCli(args: string[]): { wall: number; cpu: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', REPORT_CPU, CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`custodian ${args.join(' ')} failed: ${r.stderr}`);
  const m = /@@cpu ([\d.]+)/.exec(r.stderr);
  return { wall, cpu: m ? Number(m[1]) : NaN };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Whole-process numbers of `custodian grouper run` (needs `npm run build`). */
function benchCli(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist/cli/main.js'))) {
    console.log('custodian grouper run: not built; run `npm run build` first for the whole-process numbers');
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-grouper-'));
  try {
    const lines = fs
      .readFileSync(CLAIMS_FILE, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const one = path.join(tmp, 'one.jsonl');
    fs.writeFileSync(one, `${lines[0] ?? ''}\n`);
    runCli(['grouper', 'run', '--in', one]); // makes the table snapshot under the var dir if needed
    const runs = Array.from({ length: 5 }, () => runCli(['grouper', 'run', '--in', one]));
    console.log(
      `grouper run, one claim (whole process)  ${median(runs.map((r) => r.wall)).toFixed(0)} ms wall, ${median(runs.map((r) => r.cpu)).toFixed(0)} ms CPU (median of 5)`,
    );
    const n = 60_000;
    const big = path.join(tmp, 'claims-60k.jsonl');
    const out = path.join(tmp, 'out.jsonl');
    const text: string[] = [];
    for (let i = 0; text.length < n; i++) text.push(lines[i % lines.length] as string);
    fs.writeFileSync(big, `${text.join('\n')}\n`);
    for (const workers of ['1', 'auto']) {
      const r = runCli(['grouper', 'run', '--workers', workers, '--in', big, '--out', out]);
      const label = `grouper run, ${n} claims, --workers ${workers}`;
      console.log(
        `${label.padEnd(39)} ${fmt((n * 1000) / r.wall).trim()} claims/s end to end (${(r.wall / 1000).toFixed(2)} s wall, ${(r.cpu / 1000).toFixed(2)} s CPU)`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  benchCli();
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const t0 = Date.now();
  const task = grouperTask();
  console.log(`grouper: tables loaded and ${task.items} claims parsed in ${Date.now() - t0} ms`);
  print(benchmark('grouper, single thread', task.items, task.run));
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  print(await benchmarkAllCores('grouper, all cores', 'grouper'));
  const t1 = Date.now();
  const mce = await mceTask();
  console.log(`MCE: tables loaded and ${mce.items} claims parsed in ${Date.now() - t1} ms`);
  print(benchmark('MCE, single thread', mce.items, mce.run));
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  print(await benchmarkAllCores('MCE, all cores', 'mce'));
  clearInterval(sample);
  console.log(`peak RSS (main thread process): ${(Math.max(peakRss, process.memoryUsage().rss) / 1048576).toFixed(0)} MB`);
}

if (isMainThread) {
  await main();
} else {
  const { task } = workerData as { task: string };
  const t = await TASKS[task]?.();
  if (!t) throw new Error(`unknown bench task ${task}`);
  t.run(); // warm up before the timed run starts on all threads
  parentPort?.postMessage('ready');
  parentPort?.once('message', () => parentPort?.postMessage(benchmark(task, t.items, t.run)));
}
