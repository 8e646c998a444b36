/**
 * `npm run bench:encoder`: search latency percentiles of the encoder in-process and over HTTP (a real server on
 * 127.0.0.1, signed in as a coder), over every typical coder query and each of its as-you-type prefixes.
 * Targets (issue 3): p95 under 5 ms in-process and under 20 ms over HTTP. Import and load times: `npm run bench:codes`.
 * First, ranking quality on the lookup set test/data/encoder-lookups.tsv (issue 15): top-1 and top-5 accuracy.
 */
import pino from 'pino';
import { loadConfig } from '../src/config/config.js';
import { searchCodes } from '../src/core/codesets/index.js';
import { systemClock } from '../src/core/shared/clock.js';
import { createFieldCipher } from '../src/core/shared/crypto.js';
import { migrateToLatest, openDatabase } from '../src/db/database.js';
import { buildApp } from '../src/app/server.js';
import { createRecordAccess, systemActor } from '../src/modules/access/index.js';
import { patientRecordDirectory } from '../src/modules/patients/index.js';
import { createPatientMatching } from '../src/modules/mpi/index.js';
import { codingForQueries } from '../src/modules/coding/index.js';
import { createAuditLog } from '../src/modules/audit/index.js';
import { createUser } from '../src/modules/auth/index.js';
import { createCodesService } from '../src/modules/codes/index.js';
import { createGroupingService } from '../src/modules/grouping/index.js';
import { CM_QUERIES, PCS_QUERIES } from './bench-codes.js';
import { readLookups, runLookups } from '../test/support/encoder-lookups.js';

const DATE = '2025-11-01';
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const line = (name: string, xs: number[]) => {
  xs.sort((a, b) => a - b);
  return `${name.padEnd(28)} n=${xs.length}  p50 ${pct(xs, 50).toFixed(2)} ms  p95 ${pct(xs, 95).toFixed(2)} ms  p99 ${pct(xs, 99).toFixed(2)} ms`;
};

const config = loadConfig();
const h = openDatabase(':memory:');
await migrateToLatest(h.db);
const codes = createCodesService({ dataDir: config.dataDir, codesetsDir: config.codesetsDir });
const t0 = performance.now();
const sets = codes.sets();
console.log(
  `code sets loaded in ${((performance.now() - t0) / 1000).toFixed(2)} s (${codes.ready() ? 'ready' : '?'}; snapshot from \`custodian codes import\` when present)`,
);

const lookups = readLookups();
const quality = runLookups(sets, lookups);
console.log(
  `lookup set (${lookups.length} phrases, test/data/encoder-lookups.tsv): top-1 ${(100 * quality.top1).toFixed(1)}%  top-5 ${(100 * quality.top5).toFixed(1)}%`,
);
for (const r of quality.results.filter((x) => x.rank !== 1))
  console.log(`  ${r.rank === 0 ? 'miss' : `#${r.rank}`.padEnd(4)}  ${r.query} -> ${r.code} (got ${r.top.join(' ')})`);

const work: { q: string; system: 'cm' | 'pcs' }[] = [];
for (const [list, system] of [
  [CM_QUERIES, 'cm'],
  [PCS_QUERIES, 'pcs'],
] as const)
  for (const q of list) for (let n = 2; n <= q.length; n++) work.push({ q: q.slice(0, n), system });

for (const w of work.slice(0, 300)) searchCodes(sets, w.q, { date: DATE, system: w.system, limit: 20 });
const inProcess: number[] = [];
for (const w of work) {
  const s = performance.now();
  searchCodes(sets, w.q, { date: DATE, system: w.system, limit: 20 });
  inProcess.push(performance.now() - s);
}
console.log(line('in-process search', inProcess));

const audit = createAuditLog({ clock: systemClock });
const cipher = createFieldCipher(undefined);
const deps = {
  config,
  db: h.db,
  engine: h.engine,
  clock: systemClock,
  audit,
  records: createRecordAccess({ db: h.db, clock: systemClock, audit, directory: patientRecordDirectory }),
  cipher,
  logger: pino({ level: 'silent' }),
  grouping: createGroupingService({ dataDir: config.dataDir }),
  codes,
  matching: createPatientMatching({ cipher, config }),
  coding: codingForQueries,
};
const app = await buildApp(deps);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
await createUser(deps, systemActor('bench'), {
  username: 'bench-coder',
  displayName: 'Bench Coder',
  role: 'coder',
  password: 'bench-password-123',
});
const login = await fetch(`${base}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'bench-coder', password: 'bench-password-123' }),
});
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
const overHttp: number[] = [];
for (const [i, w] of work.entries()) {
  const s = performance.now();
  const res = await fetch(`${base}/api/codes/search?q=${encodeURIComponent(w.q)}&system=${w.system}&date=${DATE}&limit=20`, {
    headers: { cookie },
  });
  await res.arrayBuffer();
  if (i >= 100) overHttp.push(performance.now() - s); // the first hundred warm the connection and the JIT
  if (res.status !== 200) throw new Error(`HTTP ${res.status} for a search`);
}
console.log(line('over HTTP (keep-alive)', overHttp));
await app.close();
await h.close();
