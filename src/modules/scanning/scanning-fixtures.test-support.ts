/**
 * Test data for the scanning tests (not a test file itself): the documents world with a scan inbox and page store
 * in temporary folders, cover sheets printed through the service, and batches made of sheets and text pages.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import type { TestDatabase } from '../../../test/support/databases.js';
// eslint-disable-next-line no-restricted-imports -- the documents module's test data (patients, PDFs), not its surface
import { makeDocsWorld, makeTextPdf, type DocsWorld } from '../documents/documents-fixtures.test-support.js';
import { createLocalBlobStore } from '../documents/index.js';
import { printCoverSheet } from './cover-sheet.js';
import { encodeCoverToken } from './scanning.rules.js';
import { joinPdfs } from './scanning.tools.js';
import type { ScanningDeps } from './scanning.views.js';

const run = promisify(execFile);

export interface ScanWorld extends DocsWorld {
  scan: ScanningDeps;
  inbox: string;
  /** A cover sheet PDF for the patient (and encounter) and type. */
  sheet(patientId: string, typeCode: string, encounterId?: string): Promise<Uint8Array>;
  disposeScan(): void;
}

/** The scanning programs at the configured (default) paths. */
export function scanToolsOf() {
  const c = loadConfig({}, {}, {});
  return { pdftoppm: c.pdftoppmPath, pdfinfo: c.pdfinfoPath, imagemagick: c.imagemagickPath, zbarimg: c.zbarimgPath };
}

export async function makeScanWorld(t: TestDatabase): Promise<ScanWorld> {
  const w = await makeDocsWorld(t);
  const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-scan-inbox-'));
  const scan: ScanningDeps = {
    db: w.deps.db,
    clock: w.deps.clock,
    audit: w.deps.audit,
    records: w.deps.records,
    documents: w.docs,
    store: createLocalBlobStore({ dir: path.join(inbox, '.pages') }),
    tools: scanToolsOf(),
    inboxDir: inbox,
  };
  return Object.assign(w, {
    scan,
    inbox,
    sheet: async (patientId: string, typeCode: string, encounterId?: string) =>
      (await printCoverSheet(scan, w.clerk, { patientId, typeCode, encounterId })).pdf,
    disposeScan: () => {
      w.dispose();
      fs.rmSync(inbox, { recursive: true, force: true });
    },
  });
}

/** A batch PDF: each item is a cover sheet (PDF bytes) or the text of a page. */
export async function makeBatchPdf(items: readonly (Uint8Array | string)[]): Promise<Uint8Array> {
  const parts = await Promise.all(items.map((i) => (typeof i === 'string' ? makeTextPdf([i]) : Promise.resolve(i))));
  return joinPdfs(parts);
}

/** The same batch as a multi-page TIFF (pages rendered by pdftoppm, joined by ImageMagick). */
export async function pdfToTiff(pdf: Uint8Array): Promise<Uint8Array> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-tiff-'));
  try {
    fs.writeFileSync(path.join(dir, 'in.pdf'), pdf);
    await run('/usr/bin/pdftoppm', ['-r', '150', '-gray', '-tiff', path.join(dir, 'in.pdf'), path.join(dir, 'p')]);
    const pages = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith('p-'))
      .sort()
      .map((f) => path.join(dir, f));
    await run('/usr/bin/convert', [...pages, '-adjoin', path.join(dir, 'out.tif')]);
    return new Uint8Array(fs.readFileSync(path.join(dir, 'out.tif')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a file into the inbox (as a scanner would, under a name of its own) and answers its path. */
export function dropIntoInbox(w: ScanWorld, name: string, bytes: Uint8Array): string {
  const file = path.join(w.inbox, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** A cover sheet row of a patient, for the MPI merge round trip (src/modules/mpi/mpi.test.ts): it stays in a merge. */
export async function addCoverSheetRow(db: Db, patientId: string, encounterId: string, userId: string): Promise<void> {
  const id = `sheet-${encounterId}`;
  await db
    .insertInto('scan_cover_sheets')
    .values({
      patient_id: patientId,
      id,
      encounter_id: encounterId,
      type_code: 'PN',
      token: encodeCoverToken({ patientId, encounterId, typeCode: 'PN', sheetId: id }),
      created_by: userId,
      created_at: '2026-02-20T10:00:00.000Z',
    })
    .execute();
}
