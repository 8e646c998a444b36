/**
 * Test data for the documents tests (not a test file itself): a world with users of each role, patients (one
 * restricted) with an encounter each, a blob store in a temporary folder, and content of every accepted type.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Db } from '../../db/database.js';
import type { TestDatabase } from '../../../test/support/databases.js';
import { insertUserFor, makeActor, makeDeps, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { Role, type Actor } from '../access/index.js';
import { createEncounter, createPatient } from '../patients/index.js';
import { createLocalBlobStore } from './blob-store.js';
import { createDocumentsService, type DocumentsService } from './documents.service.js';
import type { DocumentsDeps } from './documents.views.js';

const run = promisify(execFile);

export interface DocsWorld {
  deps: ReturnType<typeof makeDeps> & DocumentsDeps;
  docs: DocumentsService;
  blobDir: string;
  clerk: Actor;
  director: Actor;
  physician: Actor;
  physician2: Actor;
  coder: Actor;
  admin: Actor;
  patient(over?: { restricted?: boolean; familyName?: string }): Promise<{ id: string; mrn: string; encounterId: string }>;
  dispose(): void;
}

let accounts = 0;

export async function makeDocsWorld(t: TestDatabase): Promise<DocsWorld> {
  const base = makeDeps(t, '2026-03-10T08:00:00Z');
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-blobs-'));
  const deps = { ...base, blobs: createLocalBlobStore({ dir: blobDir }), maxBytes: 5 * 1024 * 1024 };
  await makeFacility(t);
  const clerk = makeActor(Role.himClerk);
  const director = makeActor(Role.himDirector);
  const physician = makeActor(Role.physician);
  const physician2 = makeActor(Role.physician);
  const coder = makeActor(Role.coder);
  const admin = makeActor(Role.administrator);
  for (const a of [clerk, director, physician, physician2, coder, admin]) await insertUserFor(t, a);
  return {
    deps,
    docs: createDocumentsService(deps),
    blobDir,
    clerk,
    director,
    physician,
    physician2,
    coder,
    admin,
    async patient(over = {}) {
      const p = await createPatient(
        deps,
        clerk,
        makePatientInput({
          familyName: over.familyName ?? 'Whitaker',
          ...(over.restricted ? { restricted: true, restrictionReason: 'VIP' } : {}),
        }),
      );
      accounts++;
      const e = await createEncounter(deps, { ...clerk, system: true }, p.id, {
        accountNumber: `DOC-${accounts}-${Date.now() % 100000}`,
        type: 'inpatient',
        admitAt: '2026-02-11T09:00:00Z',
        dischargeAt: '2026-02-14T15:00:00Z',
        dischargeStatus: '01',
      });
      return { id: p.id, mrn: p.mrn, encounterId: e.id };
    },
    dispose: () => fs.rmSync(blobDir, { recursive: true, force: true }),
  };
}

// ---- content of each type

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A PDF with a text layer: one page per string. */
export async function makeTextPdf(pages: readonly string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const p of pages) {
    const page = doc.addPage([612, 792]);
    let y = 740;
    for (const line of p.split('\n')) {
      page.drawText(line, { x: 50, y, size: 11, font });
      y -= 16;
    }
  }
  return doc.save();
}

/** A PDF of pages without text (scanned-looking: a grey box each). */
export async function makeImagePdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([612, 792]).drawRectangle({ x: 50, y: 50, width: 200, height: 100 });
  return doc.save();
}

/** A small image of the given ImageMagick format (png, jpeg, tiff); tiff with `pages` frames. */
export async function makeImage(format: 'png' | 'jpeg' | 'tiff', pages = 1): Promise<Uint8Array> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-img-'));
  try {
    const out = path.join(dir, `out.${format}`);
    const frames = Array.from({ length: pages }, (_, i) => `xc:gray${(i * 17) % 100}`);
    await run('/usr/bin/convert', ['-size', '32x24', ...frames, `${format}:${out}`]);
    return new Uint8Array(fs.readFileSync(out));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const MDM_MESSAGE = [
  'MSH|^~\\&|TRANSCRIBE|GENHOSP|CUSTODIAN|GENHOSP|20260310101500||MDM^T02^MDM_T02|MSG0001|P|2.5.1',
  'EVN|T02|20260310101500',
  'PID|1||1000001^^^GENHOSP^MR||Whitaker^Robert||19610409|M',
  'PV1|1|I|4W^401^A',
  'TXA|1|DS|TX|20260310100000|||||||||DOC-77||||||AU',
  'OBX|1|TX|18842-5^Discharge summary^LN||Patient admitted with pneumonia.~Treated with ceftriaxone\\T\\azithromycin.||||||F',
].join('\r');

export const CCDA_XML = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <title>Summary of care</title>
  <component><structuredBody>
    <component><section><title>Problems</title>
      <text><list><item>Community acquired pneumonia</item><item>Hypertension</item></list></text>
    </section></component>
    <component><section><title>Medications</title>
      <text><table><tr><th>Drug</th><th>Dose</th></tr><tr><td>Amoxicillin</td><td>500 mg</td></tr></table></text>
    </section></component>
  </structuredBody></component>
</ClinicalDocument>`;

/**
 * One row in each documents table for a patient, for the MPI merge round trip (src/modules/mpi/mpi.test.ts): a
 * document of the encounter with a version, a signature and a page, a hold on the encounter and a misfile log entry.
 */
export async function addDocumentRows(db: Db, patientId: string, encounterId: string, userId: string): Promise<void> {
  const at = '2026-02-20T10:00:00.000Z';
  const id = `doc-${encounterId}`;
  await db
    .insertInto('documents')
    .values({
      patient_id: patientId,
      id,
      encounter_id: encounterId,
      type_code: 'PN',
      title: 'Progress note',
      author_id: userId,
      author_name: null,
      service_at: at,
      status: 'final',
      status_reason: null,
      confidentiality: '[]',
      source: 'upload',
      source_system: null,
      external_id: null,
      current_version: 1,
      created_by: userId,
      created_at: at,
      updated_at: at,
      destroyed_at: null,
      destruction_certificate_id: null,
    })
    .execute();
  await db
    .insertInto('document_versions')
    .values({
      patient_id: patientId,
      document_id: id,
      version: 1,
      kind: 'original',
      reason: null,
      blob_sha256: 'a'.repeat(64),
      media_type: 'text/plain',
      byte_size: 10,
      page_count: 1,
      file_name: null,
      text_source: 'native',
      created_by: userId,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('document_signatures')
    .values({
      patient_id: patientId,
      id: `sig-${id}`,
      document_id: id,
      version: 1,
      role: 'author',
      signer_id: userId,
      signer_name: 'Dr',
      attestation: 'Electronically signed',
      signed_at: at,
    })
    .execute();
  await db
    .insertInto('document_pages')
    .values({
      patient_id: patientId,
      document_id: id,
      version: 1,
      page: 1,
      source: 'native',
      text: 'note',
      confidence: null,
      words: null,
      fts_rowid: null,
    })
    .execute();
  await db
    .insertInto('legal_holds')
    .values({
      patient_id: patientId,
      id: `hold-${id}`,
      scope: 'encounter',
      encounter_id: encounterId,
      document_id: null,
      matter: 'M-1',
      reason: 'litigation',
      placed_by: userId,
      placed_at: at,
      released_by: null,
      released_at: null,
      release_reason: null,
    })
    .execute();
  await db
    .insertInto('document_moves')
    .values({
      patient_id: patientId,
      id: `move-${id}`,
      document_id: id,
      from_patient_id: 'someone-else',
      from_encounter_id: null,
      to_patient_id: patientId,
      to_encounter_id: encounterId,
      reason: 'misfiled at scanning',
      moved_by: userId,
      moved_at: at,
    })
    .execute();
}
