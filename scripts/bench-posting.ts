/**
 * Remittance posting benchmark (issue 20): claims per second posted from one large 835 file into SQLite (in memory)
 * by `postRemittance` as the system: parse, balance, match by patient control number, open each claim's record,
 * and write the postings, queue rows and audit events in one transaction. Speed goals live here, not in tests.
 *
 *   npm run bench:posting                  # 2,000 claims
 *   npm run bench:posting -- --claims 10000
 */
import { performance } from 'node:perf_hooks';
import { build835, largeRemitBody } from '../src/core/x12/remit-fixtures.test-support.js';
import { migrateToLatest, openDatabase } from '../src/db/database.js';
import { systemActor } from '../src/modules/access/index.js';
import { postRemittance } from '../src/modules/claims/index.js';
import { makeDeps } from '../test/support/factories.js';

const argv = process.argv.slice(2);
const i = argv.indexOf('--claims');
const CLAIMS = i >= 0 ? Number(argv[i + 1]) : 2_000;

const h = openDatabase(':memory:');
await migrateToLatest(h.db);
const deps = { ...makeDeps({ ...h, dispose: () => h.close() }), checkCodes: null, codeEditor: () => Promise.resolve(null) };
const at = '2026-01-02T10:00:00.000Z';
// Released claims PCN0..PCN<n-1> as largeRemitBody names them (charges as its CLP03s; the reversals find no payment).
const rows = Array.from({ length: CLAIMS }, (_, n) => ({
  patient_id: `p${String(n)}`,
  id: `c${String(n)}`,
  encounter_id: `e${String(n)}`,
  kind: '837I',
  coverage_id: 'cov',
  status: 'released',
  patient_control_number: `PCN${String(n)}`,
  total_cents: [30_000, 15_000, 12_000, 12_000][n % 4] ?? 0,
  statement_from: '2025-12-01',
  statement_to: '2025-12-01',
  drg: null,
  data: '{}',
  findings: '[]',
  interchange_control_number: '000000001',
  transaction_control_number: String(n + 1).padStart(4, '0'),
  released_at: at,
  created_by: 'bench',
  created_at: at,
  updated_at: at,
}));
for (let k = 0; k < rows.length; k += 500)
  await h.db
    .insertInto('claims')
    .values(rows.slice(k, k + 500))
    .execute();

const text = build835({ body: largeRemitBody(CLAIMS) });
const t0 = performance.now();
const c0 = process.cpuUsage();
const r = await postRemittance(deps, systemActor('bench'), text);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
const postings = r.payments.flatMap((p) => p.postings).length;
console.log(
  JSON.stringify({
    claims: CLAIMS,
    bytes: text.length,
    status: r.status,
    postings,
    unmatched: r.payments.flatMap((p) => p.unmatched).length,
    seconds: Number(seconds.toFixed(3)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
    claimsPerSecond: Math.round(CLAIMS / seconds),
  }),
);
await h.close();
