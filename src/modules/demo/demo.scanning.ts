/**
 * Intake scanning demo data: a sample scanned batch left in the scan inbox (CUSTODIAN_SCAN_INBOX), as a scanner
 * would leave it: a stray page, then a cover sheet for the first unrestricted demo patient's first stay (progress
 * note) with two pages, then a cover sheet for the second patient (consent) with one page. `serve` claims it and
 * files the two parts; the stray page waits in the Scan QA queue. Cover sheets are printed through the scanning
 * service, as a clerk would print them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { AppDeps } from '../../app/deps.js';
import { scanningDepsOf } from '../../app/modules.js';
import { Role, systemActor, type Actor } from '../access/index.js';
import { listEncounters, listUnmergedPatientsAfter } from '../patients/index.js';
import { printCoverSheet } from '../scanning/index.js';

/** The name of the sample batch in the inbox. */
export const DEMO_BATCH_FILE = 'demo-scan-batch-0001.pdf';

async function textPage(out: PDFDocument, lines: string[]): Promise<void> {
  const font = await out.embedFont(StandardFonts.Helvetica);
  const page = out.addPage([612, 792]);
  let y = 740;
  for (const l of lines) {
    page.drawText(l, { x: 50, y, size: 12, font });
    y -= 18;
  }
}

export async function seedScanningDemo(deps: AppDeps): Promise<void> {
  const scan = scanningDepsOf(deps);
  const clerk: Actor = { ...systemActor('demo-seed'), role: Role.himClerk };
  const patients = (await listUnmergedPatientsAfter(deps.db, '', 20)).filter((p) => p.restricted !== 1);
  const [a, b] = patients;
  if (!a || !b) return;
  const stay = (await listEncounters(deps, clerk, a.id))[0];
  const sheets = [
    (await printCoverSheet(scan, clerk, { patientId: a.id, encounterId: stay?.id ?? null, typeCode: 'PN' })).pdf,
    (await printCoverSheet(scan, clerk, { patientId: b.id, typeCode: 'CONSENT' })).pdf,
  ];
  const out = await PDFDocument.create();
  await textPage(out, ['Fax cover: records request follow-up', 'This page came in without a cover sheet.']);
  for (const p of await out.copyPages(await PDFDocument.load(sheets[0]!), [0])) out.addPage(p);
  await textPage(out, ['PROGRESS NOTE', 'Hospital day 2. Afebrile overnight, ambulating in the hallway.']);
  await textPage(out, ['PROGRESS NOTE (continued)', 'Plan: continue current therapy; discharge planning started.']);
  for (const p of await out.copyPages(await PDFDocument.load(sheets[1]!), [0])) out.addPage(p);
  await textPage(out, ['CONSENT FOR TREATMENT', 'I consent to the treatment described to me. Signed on paper.']);
  await fs.mkdir(scan.inboxDir, { recursive: true });
  await fs.writeFile(path.join(scan.inboxDir, DEMO_BATCH_FILE), await out.save());
}
