/**
 * Full-text search benchmark of the legal health record: N document pages of generated clinical text (default
 * 1,000,000; five pages a document, a hundred pages a patient) are bulk-loaded into the documents tables and their
 * index (SQLite FTS5 in a temp dir; PostgreSQL tsvector + GIN in a scratch schema, dropped afterwards, when
 * TEST_DATABASE_URL is set or --pg URL given), then 200 searches of 1-3 words run across the whole record and 200
 * within one patient. Prints load time and p50/p95/p99 ms per engine and mode. Aim: p95 under 100 ms.
 *
 *   npm run bench:documents                       # 1,000,000 pages
 *   npm run bench:documents -- --pages 200000 [--pg postgres://...] [--no-sqlite] [--keep-schema]
 *
 * Text: words drawn from a clinical vocabulary with a Zipf-like distribution (a few words on most pages, most words
 * on few), ~120 words a page. Searches measure the query the service runs (repository searchPages with snippets),
 * not the audit events the service writes around it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/core/shared/clock.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { createAuditLog } from '../src/modules/audit/index.js';
import { createRecordAccess, systemActor } from '../src/modules/access/index.js';
import { patientRecordDirectory } from '../src/modules/patients/index.js';

import { patientToken, searchPages } from '../src/modules/documents/documents.pages.repository.js';

const VOCABULARY = `patient history physical examination assessment plan admitted discharged follow clinic daily twice mg ml
pain fever cough dyspnea chest abdominal nausea vomiting diarrhea constipation headache dizziness fatigue weakness edema
hypertension diabetes mellitus heart failure atrial fibrillation coronary artery disease myocardial infarction stroke
pneumonia bronchitis asthma copd sepsis urinary tract infection cellulitis osteomyelitis appendicitis cholecystitis
pancreatitis hepatitis cirrhosis anemia thrombocytopenia leukocytosis hyponatremia hyperkalemia acidosis renal kidney
injury chronic acute insufficiency metoprolol lisinopril amlodipine furosemide insulin metformin aspirin clopidogrel
warfarin apixaban heparin atorvastatin ceftriaxone vancomycin piperacillin azithromycin levofloxacin prednisone
ondansetron morphine acetaminophen ibuprofen pantoprazole omeprazole potassium magnesium saline bolus infusion
echocardiogram ejection fraction radiograph computed tomography magnetic resonance ultrasound biopsy pathology
culture sensitivity blood urine sputum laboratory creatinine sodium glucose hemoglobin platelet troponin lactate
bilirubin albumin normal abnormal stable improved worsening unchanged mild moderate severe bilateral left right upper
lower lobe consolidation effusion opacity nodule mass fracture dislocation laceration wound dressing sutures incision
drain catheter intubation extubation ventilator oxygen nasal cannula saturation respiratory rate pulse pressure
temperature afebrile tachycardia bradycardia murmur rales wheezing tenderness guarding distension bowel sounds alert
oriented confused sedated ambulating bedrest physical therapy occupational nutrition diet tolerated regular cardiac
diabetic consult cardiology nephrology pulmonology gastroenterology infectious surgery orthopedics neurology oncology
psychiatry social work case management home health skilled nursing facility rehabilitation hospice palliative code
status full dnr allergies penicillin sulfa latex none known family smoking alcohol denies tobacco former pack years
sarcoidosis bronchiectasis pheochromocytoma amyloidosis vasculitis endocarditis myasthenia guillain barre kawasaki`
  .split(/\s+/)
  .filter(Boolean);

/** Zipf-like weights: the k-th word with weight 1/(k+3). */
const cumulative = (() => {
  let sum = 0;
  return VOCABULARY.map((_, k) => (sum += 1 / (k + 3)));
})();

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

function word(r: () => number): string {
  const x = r() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return VOCABULARY[lo]!;
}

function pageText(r: () => number): string {
  const out: string[] = [];
  for (let s = 0; s < 12; s++) {
    const n = 6 + Math.floor(r() * 8);
    const sentence: string[] = [];
    for (let i = 0; i < n; i++) sentence.push(word(r));
    sentence[0] = sentence[0]![0]!.toUpperCase() + sentence[0]!.slice(1);
    out.push(`${sentence.join(' ')}.`);
  }
  return out.join(' ');
}

const PAGES_PER_DOC = 5;
const DOCS_PER_PATIENT = 20;
const BATCH_DOCS = 100;

const id = (prefix: string, n: number) => `${prefix}-${String(n).padStart(10, '0')}`;

async function load(db: Kysely<Database>, isPg: boolean, pages: number): Promise<{ ms: number; patients: number }> {
  const r = rng(42);
  const docs = Math.ceil(pages / PAGES_PER_DOC);
  const patients = Math.ceil(docs / DOCS_PER_PATIENT);
  const at = '2026-01-01T00:00:00.000Z';
  const t0 = performance.now();
  await db.insertInto('facilities').values({ id: 'fac-bench', name: 'Bench', mrn_prefix: '', next_mrn: 1, created_at: at }).execute();
  for (let p = 0; p < patients; p += 500) {
    const rows = [];
    for (let i = p; i < Math.min(patients, p + 500); i++)
      rows.push({
        id: id('pat', i),
        facility_id: 'fac-bench',
        mrn: String(1_000_000 + i),
        family_name: 'Bench',
        given_name: `P${i}`,
        middle_name: null,
        date_of_birth: null,
        sex: 'U',
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
        restricted: i % 50 === 0 ? 1 : 0,
        restriction_reason: null,
        merged_into: null,
        created_at: at,
        updated_at: at,
      });
    await db.insertInto('patients').values(rows).execute();
  }
  let rowid = 0;
  for (let d0 = 0; d0 < docs; d0 += BATCH_DOCS) {
    await db.transaction().execute(async (trx) => {
      const docRows = [];
      const verRows = [];
      const pageRows = [];
      const ftsRows = [];
      for (let d = d0; d < Math.min(docs, d0 + BATCH_DOCS); d++) {
        const patient = id('pat', Math.floor(d / DOCS_PER_PATIENT));
        const doc = id('doc', d);
        const serviceAt = new Date(Date.UTC(2020, 0, 1) + d * 60_000).toISOString();
        docRows.push({
          patient_id: patient,
          id: doc,
          encounter_id: null,
          type_code: ['PN', 'DS', 'RAD', 'CN', 'HP'][d % 5]!,
          title: 'Note',
          author_id: null,
          author_name: `Dr. Author ${d % 40}`,
          service_at: serviceAt,
          status: 'final',
          status_reason: null,
          confidentiality: '[]',
          source: 'import',
          source_system: null,
          external_id: null,
          current_version: 1,
          created_by: 'bench',
          created_at: at,
          updated_at: at,
          destroyed_at: null,
          destruction_certificate_id: null,
        });
        verRows.push({
          patient_id: patient,
          document_id: doc,
          version: 1,
          kind: 'original',
          reason: null,
          blob_sha256: null,
          media_type: 'text/plain',
          byte_size: 0,
          page_count: PAGES_PER_DOC,
          file_name: null,
          text_source: 'native',
          created_by: 'bench',
          created_at: at,
        });
        for (let pg = 1; pg <= PAGES_PER_DOC && d * PAGES_PER_DOC + pg <= pages; pg++) {
          const text = pageText(r);
          rowid++;
          pageRows.push({
            patient_id: patient,
            document_id: doc,
            version: 1,
            page: pg,
            source: 'native',
            text,
            confidence: null,
            words: null,
            fts_rowid: isPg ? null : rowid,
          });
          ftsRows.push(sql`(${rowid}, ${text}, ${patientToken(patient)}, ${doc}, 1, ${pg})`);
        }
      }
      await trx.insertInto('documents').values(docRows).execute();
      await trx.insertInto('document_versions').values(verRows).execute();
      for (let i = 0; i < pageRows.length; i += 100)
        await trx
          .insertInto('document_pages')
          .values(pageRows.slice(i, i + 100))
          .execute();
      if (!isPg)
        for (let i = 0; i < ftsRows.length; i += 100)
          await sql`insert into document_pages_fts (rowid, text, patient, document_id, version, page) values ${sql.join(ftsRows.slice(i, i + 100))}`.execute(
            trx,
          );
    });
    if ((d0 / BATCH_DOCS) % 200 === 0)
      process.stderr.write(`\r  ${Math.min(pages, (d0 + BATCH_DOCS) * PAGES_PER_DOC).toLocaleString('en-US')} pages`);
  }
  if (isPg) await sql`analyze`.execute(db);
  else await sql`insert into document_pages_fts (document_pages_fts) values ('optimize')`.execute(db);
  process.stderr.write('\n');
  return { ms: performance.now() - t0, patients };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function measure(h: DatabaseHandle, label: string, pages: number): Promise<void> {
  const isPg = h.engine === 'postgres';
  const loaded = await load(h.db, isPg, pages);
  console.log(`${label}: ${pages.toLocaleString('en-US')} pages indexed in ${(loaded.ms / 1000).toFixed(1)} s`);
  const audit = createAuditLog({ clock: systemClock });
  const records = createRecordAccess({ db: h.db, clock: systemClock, audit, directory: patientRecordDirectory });
  const list = await records.openList(systemActor('bench'), { permission: 'document:read', resourceType: 'document' });
  const r = rng(7);
  for (const mode of ['whole record', 'one patient'] as const) {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < 200; i++) {
      const n = 1 + Math.floor(r() * 3);
      const terms = [...new Set(Array.from({ length: n }, () => VOCABULARY[Math.floor(r() * VOCABULARY.length)]!))];
      const patientId = mode === 'one patient' ? id('pat', Math.floor(r() * loaded.patients)) : null;
      const t0 = performance.now();
      const rows = await searchPages(h.db, list, {
        terms,
        patientId,
        excludeRestricted: mode === 'whole record',
        excludeSensitive: true,
        limit: 50,
      });
      times.push(performance.now() - t0);
      hits += rows.length;
    }
    console.log(
      `  ${label} ${mode.padEnd(12)} p50 ${pct(times, 50).toFixed(1)} ms  p95 ${pct(times, 95).toFixed(1)} ms  p99 ${pct(times, 99).toFixed(1)} ms  (200 searches, ${(hits / 200).toFixed(1)} hits each)`,
    );
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const pages = Number(arg('--pages') ?? 1_000_000);
  if (!Number.isInteger(pages) || pages < 100) throw new Error('--pages: a whole number of at least 100');
  if (!args.includes('--no-sqlite')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-docs-'));
    const h = openDatabase(path.join(dir, 'bench.sqlite'));
    try {
      await migrateToLatest(h.db);
      await measure(h, 'SQLite', pages);
    } finally {
      await h.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const url = arg('--pg') ?? process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = `bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const h = openDatabase(url, { schema });
    try {
      await migrateToLatest(h.db, { schema, engine: 'postgres' });
      await measure(h, 'PostgreSQL', pages);
    } finally {
      await h.close();
      if (args.includes('--keep-schema')) console.log(`kept PostgreSQL schema ${schema}`);
      else await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
