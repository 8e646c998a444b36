/**
 * Legal health record demo data: for each demo patient a progress note (text) and, per stay, a discharge summary
 * (a generated PDF with a text layer, signed); for the first few patients a scanned consent (a PNG page made with
 * ImageMagick when it is installed, OCR'd by the job runner of `serve`). Through the documents module's service, so
 * a newcomer opens a chart that has documents, versions, signatures and searchable text.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { AppDeps } from '../../app/deps.js';
import { documentsDepsOf } from '../../app/modules.js';
import { Role, systemActor, type Actor } from '../access/index.js';
import { findFirstUserOfRole } from '../auth/index.js';
import { createDocumentsService } from '../documents/index.js';
import { listEncounters, listUnmergedPatientsAfter } from '../patients/index.js';

const run = promisify(execFile);

/** Patients that get a scanned consent (each one an OCR job when `serve` runs). */
const SCANNED = 6;

async function dischargeSummaryPdf(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([612, 792]);
  page.drawText('Custodian General Hospital - Discharge Summary', { x: 50, y: 740, size: 14, font: bold });
  let y = 710;
  for (const l of lines) {
    page.drawText(l, { x: 50, y, size: 11, font });
    y -= 18;
  }
  return doc.save();
}

const consentText =
  'CONSENT FOR TREATMENT\n\nI consent to examination and treatment by the physicians and staff of Custodian General Hospital. ' +
  'I understand the risks and benefits have been explained to me.\n\nSignature of patient ______________________';
const consentArgs = (out: string) => [
  '-density',
  '150',
  '-size',
  '1100x',
  '-pointsize',
  '11',
  '-background',
  'white',
  `caption:${consentText}`,
  '-bordercolor',
  'white',
  '-border',
  '75',
  '-colorspace',
  'Gray',
  `png:${out}`,
];

/**
 * A scanned consent page (PNG, 150 dpi), or null when ImageMagick is not installed. Drawing it takes ImageMagick
 * about a second, so the page is kept in the temporary folder under a name made from the program and its arguments
 * and drawn again only when either changes (every demo seed and test server draws the same page).
 */
async function consentScan(imagemagick: string): Promise<Uint8Array | null> {
  if (!fs.existsSync(imagemagick)) return null;
  const key = createHash('sha256')
    .update(JSON.stringify([imagemagick, fs.statSync(imagemagick).mtimeMs, consentArgs('')]))
    .digest('hex')
    .slice(0, 16);
  const kept = path.join(os.tmpdir(), `custodian-demo-consent-${key}.png`);
  if (fs.existsSync(kept)) return new Uint8Array(fs.readFileSync(kept));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-demo-scan-'));
  try {
    const out = path.join(dir, 'consent.png');
    await run(imagemagick, consentArgs(out));
    const bytes = fs.readFileSync(out);
    fs.renameSync(out, kept); // whole or not at all: a concurrent seed reads either no file or this one
    return new Uint8Array(bytes);
  } catch {
    return null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const complaints = [
  'community-acquired pneumonia',
  'heart failure exacerbation',
  'cellulitis of the left leg',
  'acute kidney injury',
  'COPD exacerbation',
  'syncope',
];

export async function seedDocumentsDemo(deps: AppDeps, opts: { limit?: number } = {}): Promise<number> {
  const docs = createDocumentsService(documentsDepsOf(deps));
  const seeder: Actor = { ...systemActor('demo-seed'), role: Role.himClerk };
  const physician = await findFirstUserOfRole(deps.db, Role.physician);
  const patients = await listUnmergedPatientsAfter(deps.db, '', opts.limit ?? 10_000);
  const scan = await consentScan(deps.config.imagemagickPath);
  let filed = 0;
  for (const [i, p] of patients.entries()) {
    const encounters = await listEncounters(deps, seeder, p.id);
    const complaint = complaints[i % complaints.length]!;
    for (const e of encounters) {
      const d = await docs.fileDocument(seeder, {
        patientId: p.id,
        encounterId: e.id,
        typeCode: 'DS',
        title: 'Discharge summary',
        authorId: physician?.id ?? null,
        authorName: 'Alice Morgan, MD',
        serviceAt: e.dischargeAt ?? e.admitAt,
        source: 'system',
        content: {
          bytes: await dischargeSummaryPdf([
            `Admitted ${e.admitAt.slice(0, 10)} with ${complaint}.`,
            'Hospital course: treated per protocol; improved steadily.',
            'Condition at discharge: stable. Diet as tolerated.',
            'Follow-up: primary care in 7 days.',
          ]),
          mediaType: 'application/pdf',
          fileName: 'discharge-summary.pdf',
        },
      });
      filed++;
      if (physician)
        await docs.sign({ ...seeder, userId: physician.id, role: Role.physician }, d.id, {
          attestation: 'Electronically signed by the attending physician',
          role: 'author',
        });
    }
    await docs.fileDocument(seeder, {
      patientId: p.id,
      encounterId: encounters[0]?.id ?? null,
      typeCode: 'PN',
      title: 'Progress note',
      authorName: 'Alice Morgan, MD',
      serviceAt: encounters[0]?.admitAt ?? null,
      source: 'system',
      content: {
        bytes: new TextEncoder().encode(
          `Progress note. Patient seen for ${complaint}. Afebrile, vital signs stable. Plan: continue current therapy.`,
        ),
        mediaType: 'text/plain',
        fileName: 'progress-note.txt',
      },
    });
    filed++;
    if (scan && i < SCANNED) {
      await docs.fileDocument(seeder, {
        patientId: p.id,
        typeCode: 'CONSENT',
        title: 'Consent for treatment',
        source: 'scan',
        content: { bytes: scan, mediaType: 'image/png', fileName: 'consent-scan.png' },
      });
      filed++;
    }
  }
  return filed;
}
