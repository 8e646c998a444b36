/**
 * Chart completion benchmark: deficiency analysis of a batch of discharged encounters (default 100,000), then the
 * re-analysis of one encounter (as after a document event) repeated, on SQLite (a file, as the app opens it) or on
 * PostgreSQL (--url, in a scratch schema dropped afterwards). Each encounter has an H&P (signed) and a discharge
 * summary (every other one unsigned), one patient per ten encounters; every tenth encounter has a completed procedure
 * appointment (a surgical type, with a surgeon and a room) during its stay, so the analysis reads scheduling too.
 *
 *   npm run bench:completion
 *   npm run bench:completion -- --encounters 10000 --repeats 200 --url postgres://postgres@127.0.0.1:5432/test
 *
 * Speed goals live here, not in tests (house style): one re-analysis under 20 ms; the batch printed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { systemClock } from '../src/core/shared/clock.js';
import { newId } from '../src/core/shared/ids.js';
import { insertRows, migrateToLatest, openDatabase } from '../src/db/database.js';
import { createRecordAccess, Permission, systemActor } from '../src/modules/access/index.js';
import { createAuditLog } from '../src/modules/audit/index.js';
import { analyseEncounters, type CompletionDeps } from '../src/modules/completion/index.js';
import { patientRecordDirectory } from '../src/modules/patients/index.js';
import { listDeficienciesOf, loadFacts, recordsOf } from '../src/modules/completion/completion.repository.js';
import type { EncounterTable, PatientTable } from '../src/db/schema.js';
import type { DocumentSignatureTable, DocumentTable, DocumentVersionTable } from '../src/db/schema-documents.js';
import type { SchedAppointmentResourceTable, SchedAppointmentTable } from '../src/db/schema-scheduling.js';

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const N = Number(arg('encounters') ?? 100_000);
const REPEATS = Number(arg('repeats') ?? 200);
const URL = arg('url');

const at = '2026-03-01T00:00:00.000Z';

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-completion-'));
  const schema = `bench_completion_${randomBytes(4).toString('hex')}`;
  const h = URL ? openDatabase(URL, { schema }) : openDatabase(path.join(dir, 'bench.sqlite'));
  try {
    await migrateToLatest(h.db, URL ? { schema } : {});
    const db = h.db;
    await db.insertInto('facilities').values({ id: 'fac', name: 'Bench', mrn_prefix: '', next_mrn: 1, created_at: at }).execute();
    await db
      .insertInto('providers')
      .values({ id: 'prov', npi: null, family_name: 'Bench', given_name: 'A', credentials: 'MD', specialty: null, created_at: at })
      .execute();
    // A surgical appointment type, a surgeon (no user: the attending answers) and a room.
    await db
      .insertInto('sched_appointment_types')
      .values({
        id: 'proc',
        code: 'PROC',
        name: 'Procedure',
        duration_minutes: 60,
        resource_kinds: '["provider","room"]',
        instructions: '',
        color: '#8a3ab9',
        active: 1,
        surgical: 1,
      })
      .execute();
    for (const [id, kind] of [
      ['surgeon', 'provider'],
      ['room', 'room'],
    ] as const)
      await db
        .insertInto('sched_resources')
        .values({
          id,
          kind,
          code: id,
          name: id,
          time_zone: 'UTC',
          max_overbook: 0,
          user_id: null,
          feed_token_hash: null,
          active: 1,
          created_at: at,
        })
        .execute();
    const t0 = performance.now();
    const ids: string[] = [];
    for (let start = 0; start < N; start += 300) {
      const patients: PatientTable[] = [];
      const encounters: EncounterTable[] = [];
      const documents: DocumentTable[] = [];
      const versions: DocumentVersionTable[] = [];
      const sigs: DocumentSignatureTable[] = [];
      const appts: SchedAppointmentTable[] = [];
      const apptResources: SchedAppointmentResourceTable[] = [];
      for (let i = start; i < Math.min(N, start + 300); i++) {
        if (i % 10 === 0)
          patients.push({
            id: `p${i / 10}`,
            facility_id: 'fac',
            mrn: `M${i / 10}`,
            family_name: 'Bench',
            given_name: 'Pat',
            middle_name: null,
            date_of_birth: '1970-01-01',
            sex: 'F',
            race: null,
            ethnicity: null,
            address_line1: null,
            address_line2: null,
            city: null,
            state: null,
            postal_code: null,
            phone: null,
            email: null,
            ssn_encrypted: null,
            ssn_last4: null,
            deceased: 0,
            deceased_at: null,
            restricted: 0,
            restriction_reason: null,
            merged_into: null,
            created_at: at,
            updated_at: at,
          });
        const pid = `p${Math.floor(i / 10)}`;
        const eid = newId();
        ids.push(eid);
        // A patient's ten stays a week apart (so an appointment falls in one stay only).
        const day = (d: number, time: string) => new Date(Date.UTC(2026, 0, 1 + 7 * (i % 10) + d)).toISOString().slice(0, 10) + time;
        encounters.push({
          patient_id: pid,
          id: eid,
          facility_id: 'fac',
          account_number: `A${i}`,
          type: 'inpatient',
          status: 'discharged',
          admit_at: day(0, 'T08:00:00.000Z'),
          discharge_at: day(4, 'T12:00:00.000Z'),
          attending_provider_id: 'prov',
          admission_source: null,
          admission_type: null,
          discharge_status: '01',
          payer_name: null,
          reason_for_visit: null,
          created_at: at,
          updated_at: at,
          location: null,
        });
        if (i % 10 === 0) {
          const aid = newId();
          const start = day(1, 'T09:00:00.000Z');
          appts.push({
            patient_id: pid,
            id: aid,
            type_id: 'proc',
            start_at: start,
            end_at: day(1, 'T10:00:00.000Z'),
            status: 'completed',
            location: null,
            overbooked: 0,
            cancel_reason: null,
            external_id: null,
            reminder_sent_at: null,
            chart_request_id: null,
            version: 1,
            created_by: 'bench',
            created_at: at,
            updated_at: at,
          });
          for (const r of ['surgeon', 'room']) apptResources.push({ appointment_id: aid, resource_id: r, start_at: start });
        }
        for (const type of ['HP', 'DS']) {
          const did = newId();
          documents.push({
            patient_id: pid,
            id: did,
            encounter_id: eid,
            type_code: type,
            title: type,
            author_id: null,
            author_name: null,
            service_at: day(0, 'T10:00:00.000Z'),
            status: 'final',
            status_reason: null,
            confidentiality: '[]',
            source: 'upload',
            source_system: null,
            external_id: null,
            current_version: 1,
            created_by: 'bench',
            created_at: at,
            updated_at: at,
            destroyed_at: null,
            destruction_certificate_id: null,
          });
          versions.push({
            patient_id: pid,
            document_id: did,
            version: 1,
            kind: 'original',
            reason: null,
            blob_sha256: null,
            media_type: 'text/plain',
            byte_size: 10,
            page_count: 1,
            file_name: null,
            text_source: 'native',
            created_by: 'bench',
            created_at: at,
          });
          if (type === 'HP' || i % 2 === 0)
            sigs.push({
              patient_id: pid,
              id: newId(),
              document_id: did,
              version: 1,
              role: 'author',
              signer_id: 'bench',
              signer_name: 'Bench',
              attestation: 'signed',
              signed_at: at,
            });
        }
      }
      await db.transaction().execute(async (trx) => {
        if (patients.length) await insertRows(trx, 'patients', patients);
        await insertRows(trx, 'encounters', encounters);
        await insertRows(trx, 'documents', documents);
        await insertRows(trx, 'document_versions', versions);
        await insertRows(trx, 'document_signatures', sigs);
        if (appts.length) await insertRows(trx, 'sched_appointments', appts);
        if (apptResources.length) await insertRows(trx, 'sched_appointment_resources', apptResources);
      });
    }
    const loadS = (performance.now() - t0) / 1000;
    const audit = createAuditLog({ clock: systemClock, key: randomBytes(32) });
    const records = createRecordAccess({ db, clock: systemClock, audit, directory: patientRecordDirectory });
    const deps: CompletionDeps = { db, clock: systemClock, audit, records };
    const actor = systemActor('bench');
    const list = await records.openList(actor, { permission: Permission.completionAnalyse, resourceType: 'completion_record' });

    const t1 = performance.now();
    const results = await analyseEncounters(deps, actor, list, ids);
    const batchS = (performance.now() - t1) / 1000;
    const failed = results.filter((r) => r.outcome !== 'analysed').length;

    // Wall time, this process's CPU time, and the time spent in garbage collection during each re-analysis: a slow
    // run with little CPU waited (for the disk's fsync at commit, or for a core on a loaded machine), not computed.
    const times: number[] = [];
    const cpu: number[] = [];
    const gcs: number[] = [];
    let gcMs = 0;
    const gcObserver = new PerformanceObserver((l) => {
      for (const e of l.getEntries()) gcMs += e.duration;
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const reads: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const id = ids[(i * 7919) % ids.length]!;
      // The reads of a re-analysis alone (no transaction), for the split below.
      const r0 = performance.now();
      await loadFacts(db, list, [id]);
      await listDeficienciesOf(db, list, [id]);
      await recordsOf(db, list, [id]);
      reads.push(performance.now() - r0);
      await new Promise((r) => setImmediate(r));
      const g0 = gcMs;
      const c0 = process.cpuUsage();
      const s = performance.now();
      await analyseEncounters(deps, actor, list, [id]);
      times.push(performance.now() - s);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      await new Promise((r) => setImmediate(r));
      gcs.push(gcMs - g0);
    }
    gcObserver.disconnect();
    // A re-analysis that writes: the record row, and its audit event, in one transaction (what an analysis that
    // finds a change pays, and an analyst's own analysis always). Given the record's scope, as analyseChart does.
    const writing: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const k = (i * 7919) % ids.length;
      const scope = records.forSystem(actor, { patientId: `p${Math.floor(k / 10)}`, encounterId: ids[k]! });
      const s = performance.now();
      await analyseEncounters(deps, actor, scope, [ids[k]!], { scope });
      writing.push(performance.now() - s);
    }
    const at_ = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
    const pct = (p: number) => at_(times, p).toFixed(2);
    const slowest = times
      .map((t, i) => ({ t, cpu: cpu[i]!, gc: gcs[i]! }))
      .sort((a, b) => b.t - a.t)
      .slice(0, Math.max(1, Math.ceil(REPEATS / 100)));
    const engine = URL ? 'PostgreSQL' : 'SQLite';
    console.log(
      `chart completion on ${engine}: ${N.toLocaleString('en-US')} discharged encounters (${(2 * N).toLocaleString('en-US')} documents), loaded in ${loadS.toFixed(1)} s`,
    );
    console.log(
      `batch analysis: ${batchS.toFixed(1)} s, ${Math.round(N / batchS).toLocaleString('en-US')} encounters/s, ${failed} not analysed`,
    );
    console.log(`re-analysis of one encounter (${REPEATS}x): p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms (goal: under 20 ms)`);
    console.log(
      `  its reads alone: p50 ${at_(reads, 50).toFixed(2)} ms, p95 ${at_(reads, 95).toFixed(2)} ms, p99 ${at_(reads, 99).toFixed(2)} ms; ` +
        `CPU time of a re-analysis: p50 ${at_(cpu, 50).toFixed(2)} ms, p99 ${at_(cpu, 99).toFixed(2)} ms`,
    );
    console.log(
      `  slowest 1%: wall ${slowest.map((x) => x.t.toFixed(1)).join(', ')} ms; CPU ${slowest.map((x) => x.cpu.toFixed(1)).join(', ')} ms; ` +
        `GC ${slowest.map((x) => x.gc.toFixed(1)).join(', ')} ms`,
    );
    console.log(
      `re-analysis that writes (record and audit event, one commit): p50 ${at_(writing, 50).toFixed(2)} ms, p95 ${at_(writing, 95).toFixed(2)} ms, p99 ${at_(writing, 99).toFixed(2)} ms`,
    );
  } finally {
    await h.close();
    if (URL) {
      const o = openDatabase(URL);
      await o.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await o.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
