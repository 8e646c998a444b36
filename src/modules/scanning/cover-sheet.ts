/**
 * Barcoded cover sheets: one printed sheet goes in front of the pages of one document, so the scan inbox files them
 * to the right patient, encounter and document type. The sheet carries a QR code with the token
 * `CUST1|<patient id>|<encounter id>|<type code>|<sheet id>` and a Code 128 with the sheet id, plus the patient's
 * name, MRN, encounter and type in print for the clerk (PHI on paper, as on a chart label; never in logs). The sheet
 * is recorded, so a decoded sheet is checked against what was printed. AHIMA: identify every page of the record.
 */
import bwipjs from 'bwip-js';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { Permission, scopeDetail, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { findEncounter, readPatientRecord } from '../patients/index.js';
import * as repo from './scanning.repository.js';
import { CoverSheetSchema, encodeCoverToken, SHEET_CODE_PREFIX } from './scanning.rules.js';
import type { ScanningDeps } from './scanning.views.js';

/** What a cover sheet shows in print. */
export interface CoverSheetFacts {
  sheetId: string;
  token: string;
  patientName: string;
  mrn: string;
  dateOfBirth: string | null;
  encounter: string | null;
  typeName: string;
  typeCode: string;
  printedAt: string;
}

/** Text the standard PDF fonts can draw (WinAnsi): accents dropped, other characters shown as '?'. */
export function printable(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?');
}

/** A barcode as PNG bytes (bwip-js's promise form). */
const barcodePng = (o: bwipjs.RenderOptions): Promise<Buffer> => bwipjs.toBuffer(o);

/** The cover sheet as a one-page Letter PDF. */
export async function coverSheetPdf(f: CoverSheetFacts): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Scan cover sheet');
  doc.setCreator('Custodian');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([612, 792]);
  const text = (s: string, x: number, y: number, size: number, f2 = font) => page.drawText(printable(s), { x, y, size, font: f2 });
  page.drawRectangle({ x: 36, y: 36, width: 540, height: 720, borderColor: rgb(0, 0, 0), borderWidth: 2 });
  text('SCAN COVER SHEET', 60, 716, 26, bold);
  text('Place this sheet in front of the pages of one document. Do not scan it alone.', 60, 694, 11);
  let y = 650;
  const row = (label: string, value: string) => {
    text(label, 60, y, 12, bold);
    text(value, 200, y, 14);
    y -= 26;
  };
  row('Patient', f.patientName);
  row('MRN', f.mrn);
  if (f.dateOfBirth) row('Date of birth', f.dateOfBirth);
  row('Encounter', f.encounter ?? '(none: filed to the patient record)');
  row('Document type', `${f.typeName} (${f.typeCode})`);
  row('Sheet', f.sheetId);
  const qr = await barcodePng({ bcid: 'qrcode', text: f.token, scale: 4 });
  page.drawImage(await doc.embedPng(qr), { x: 60, y: 200, width: 220, height: 220 });
  const code = await barcodePng({ bcid: 'code128', text: `${SHEET_CODE_PREFIX}${f.sheetId}`, scale: 3, height: 14 });
  page.drawImage(await doc.embedPng(code), { x: 60, y: 100, width: 480, height: 70 });
  text(`${SHEET_CODE_PREFIX}${f.sheetId}`, 60, 84, 10);
  text(`Printed ${f.printedAt.slice(0, 16).replace('T', ' ')} UTC`, 320, 300, 10);
  return doc.save();
}

/**
 * Prints a cover sheet for a patient (or one encounter of it) and a document type: opens the record for writing
 * (document:write; a restricted record needs break-the-glass), records the sheet and audits the print.
 */
export async function printCoverSheet(deps: ScanningDeps, actor: Actor, input: unknown): Promise<{ sheetId: string; pdf: Uint8Array }> {
  const parsed = CoverSheetSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(`${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const m = parsed.data;
  const types = await deps.documents.listTypes(actor);
  const type = types.find((t) => t.code === m.typeCode && t.active);
  if (!type) throw invalid('typeCode: not a document type in use');
  const use = { permission: Permission.documentWrite, mode: 'write' as const, resourceType: 'scan_cover_sheet' };
  const scope = m.encounterId
    ? await deps.records.open(actor, { encounterId: m.encounterId }, use)
    : await deps.records.open(actor, { patientId: m.patientId }, use);
  if (scope.patientId !== m.patientId) throw notFound('encounter');
  if (scope.mergedInto) throw conflict('this record was merged into another: print the sheet for the surviving record');
  const sheetId = newId();
  const now = isoNow(deps.clock);
  const token = encodeCoverToken({ patientId: scope.patientId, encounterId: m.encounterId ?? null, typeCode: type.code, sheetId });
  const facts = await deps.db.transaction().execute(async (trx) => {
    const p = await readPatientRecord(trx, scope);
    if (!p) throw notFound('patient');
    const e = m.encounterId ? await findEncounter(trx, scope, m.encounterId) : undefined;
    await repo.insertCoverSheet(trx, scope, {
      id: sheetId,
      encounter_id: m.encounterId ?? null,
      type_code: type.code,
      token,
      created_by: actor.userId,
      created_at: now,
    });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.create,
      resourceType: 'scan_cover_sheet',
      resourceId: sheetId,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope, { typeCode: type.code, encounterId: m.encounterId ?? null }),
    });
    return {
      sheetId,
      token,
      patientName: `${p.family_name}, ${p.given_name}`,
      mrn: p.mrn,
      dateOfBirth: p.date_of_birth,
      encounter: e ? `${e.account_number} (${e.type}, admitted ${e.admit_at.slice(0, 10)})` : null,
      typeName: type.name,
      typeCode: type.code,
      printedAt: now,
    } satisfies CoverSheetFacts;
  });
  return { sheetId, pdf: await coverSheetPdf(facts) };
}
