/**
 * The UB-04 (CMS-1450) paper claim drawn with pdf-lib on the red form background of ../shared/corpora/forms (or, in
 * data-only mode, the data alone, to print on pre-printed red forms). Field locators follow the NUBC UB-04 Data
 * Specifications Manual: FL 1 billing provider, 3a/3b patient control and medical record numbers, 4 type of bill,
 * 5 federal tax number, 6 statement period, 8-11 patient, 12-17 admission and discharge status, 42-47 revenue lines
 * (22 a page; line 23 the totals), 50-62 payer and insured, 66-67 diagnoses with POA, 69 admitting diagnosis,
 * 71 PPS code (MS-DRG), 74 procedures, 56 and 76 NPIs. Positions are measured on the 1870 x 2420 form image (220 dpi).
 * The CMS-1500 (08/05, the form in the corpus) follows the NUCC 1500 Reference Instruction Manual: items 1-7 and 11
 * patient and insured, 21 four ICD diagnoses, 24 six service lines, 25-28 tax id, account, assignment and total,
 * 31-33 provider and billing provider with 33a NPI.
 */
import { readFile } from 'node:fs/promises';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { decodeGif, encodePng } from '../../core/forms/gif-png.js';
import type { InstitutionalClaim, ProfessionalClaim } from '../../core/x12/build-837-types.js';

/** Points per pixel of the half-size grid the positions below were read on (935 x 1210 for 612 x 792 pt). */
const K = 612 / 935;
const LINES_PER_PAGE = 22;

const mdy = (d: string | null | undefined) => (d ? `${d.slice(5, 7)}${d.slice(8, 10)}${d.slice(2, 4)}` : '');
const name = (n: { lastOrOrgName: string; firstName?: string | null; middleName?: string | null }) =>
  [n.lastOrOrgName, n.firstName, n.middleName?.slice(0, 1)].filter(Boolean).join(', ');
const dollars = (cents: number) => String(Math.trunc(cents / 100));
const centsOf = (cents: number) => String(Math.abs(cents) % 100).padStart(2, '0');

interface Pen {
  text(s: string | null | undefined, x: number, y: number, opts?: { right?: boolean; max?: number }): void;
}

function penFor(page: PDFPage, font: PDFFont, kx = K, ky = K, size = 8): Pen {
  return {
    text(s, x, y, opts = {}) {
      if (!s) return;
      const t = opts.max ? s.slice(0, opts.max) : s;
      const w = opts.right ? font.widthOfTextAtSize(t, size) : 0;
      page.drawText(t, { x: x * kx - w, y: 792 - y * ky, size, font, color: rgb(0, 0, 0) });
    },
  };
}

export interface FormOptions {
  /** The form image (GIF) to draw on; omitted for data only (pre-printed forms). */
  backgroundPath?: string;
  /** FL 45 line 23: the creation date (YYYY-MM-DD). */
  createdOn: string;
}

/** The UB-04 of an institutional claim, one page per 22 revenue lines, as PDF bytes. */
export async function renderUb04(claim: InstitutionalClaim, opts: FormOptions): Promise<Uint8Array> {
  return renderUb04Batch([claim], opts);
}

/** The UB-04s of several claims in one PDF (the form image embedded once), each claim on its own pages. */
export async function renderUb04Batch(claims: InstitutionalClaim[], opts: FormOptions): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('UB-04');
  pdf.setProducer('Custodian');
  const font = await pdf.embedFont(StandardFonts.Courier);
  const background = opts.backgroundPath ? await pdf.embedPng(encodePng(decodeGif(await readFile(opts.backgroundPath)))) : null;
  for (const claim of claims) drawUb04(pdf, font, background, claim, opts.createdOn);
  return pdf.save();
}

function drawUb04(pdf: PDFDocument, font: PDFFont, background: PDFImage | null, claim: InstitutionalClaim, createdOn: string): void {
  const pages = Math.max(1, Math.ceil(claim.lines.length / LINES_PER_PAGE));
  for (let n = 0; n < pages; n++) {
    const page = pdf.addPage([612, 792]);
    if (background) page.drawImage(background, { x: 0, y: 0, width: 612, height: 792 });
    drawHeader(penFor(page, font), claim);
    drawLines(penFor(page, font), claim, n, pages, createdOn);
  }
}

function drawHeader(p: Pen, c: InstitutionalClaim): void {
  const b = c.billingProvider;
  p.text(b.name, 22, 33, { max: 25 });
  p.text(b.address.line1, 22, 50, { max: 25 });
  p.text(`${b.address.city} ${b.address.state} ${b.address.zip}`, 22, 67, { max: 25 });
  p.text(c.patientControlNumber, 600, 31, { max: 24 });
  p.text(c.medicalRecordNumber, 600, 48, { max: 24 });
  p.text(`0${c.facilityTypeCode}${c.frequencyCode}`, 868, 50);
  p.text(b.taxId, 572, 85);
  p.text(mdy(c.statementFrom), 690, 85);
  p.text(mdy(c.statementTo), 770, 85);
  const pt = c.destination.relationship === '18' ? c.destination.subscriber : c.patient;
  if (pt) {
    p.text(name(pt), 22, 124, { max: 29 });
    const a = pt.address;
    if (a) {
      p.text(a.line1, 475, 104, { max: 40 });
      p.text(a.city, 362, 124, { max: 30 });
      p.text(a.state, 735, 124);
      p.text(a.zip, 768, 124);
    }
    // FL 10 is MMDDCCYY (eight digits), unlike the six-digit dates elsewhere on the form.
    const dob = pt.dateOfBirth;
    p.text(dob ? `${dob.slice(5, 7)}${dob.slice(8, 10)}${dob.slice(0, 4)}` : null, 22, 162);
    p.text(pt.sex, 120, 162);
  }
  if (c.admission) {
    p.text(mdy(c.admission.date), 150, 162);
    p.text(c.admission.hour?.slice(0, 2), 218, 162);
    p.text(c.admission.typeCode, 252, 162);
    p.text(c.admission.sourceCode, 285, 162);
  }
  p.text(c.dischargeHour?.slice(0, 2), 318, 162);
  p.text(c.dischargeStatus, 350, 162);
  const d = c.destination;
  p.text(d.payer.name, 22, 782, { max: 30 });
  p.text(d.payer.payerId, 272, 782, { max: 20 });
  p.text('Y', 438, 782);
  p.text('Y', 470, 782);
  p.text(b.npi, 748, 764);
  p.text(name(d.subscriber), 22, 857, { max: 33 });
  p.text(d.relationship, 308, 857);
  p.text(d.subscriber.memberId, 340, 857, { max: 25 });
  p.text(d.subscriber.groupName, 558, 857, { max: 20 });
  p.text(d.subscriber.groupNumber, 722, 857, { max: 20 });
  p.text('0', 8, 992);
  const dx = [c.principalDx, ...c.otherDx].slice(0, 18);
  dx.forEach((x, i) => {
    const col = i % 9;
    const row = Math.floor(i / 9);
    const xPos = 28 + col * 88;
    p.text(x.code, xPos, 990 + row * 17);
    p.text(x.poa === '1' ? '' : x.poa, xPos + 76, 990 + row * 17);
  });
  p.text(c.admittingDx, 22, 1029);
  p.text(c.drg, 425, 1029);
  if (c.principalProcedure) {
    p.text(c.principalProcedure.code, 22, 1063);
    p.text(mdy(c.principalProcedure.date), 110, 1063);
  }
  (c.otherProcedures ?? []).slice(0, 2).forEach((x, i) => {
    p.text(x.code, 188 + i * 165, 1063);
    p.text(mdy(x.date), 276 + i * 165, 1063);
  });
  if (c.attending) {
    p.text(c.attending.npi, 665, 1040);
    p.text(c.attending.lastOrOrgName, 598, 1058, { max: 20 });
    p.text(c.attending.firstName, 800, 1058, { max: 14 });
  }
  if (c.operating) {
    p.text(c.operating.npi, 665, 1076);
    p.text(c.operating.lastOrOrgName, 598, 1094, { max: 20 });
    p.text(c.operating.firstName, 800, 1094, { max: 14 });
  }
}

function drawLines(p: Pen, c: InstitutionalClaim, n: number, pages: number, createdOn: string): void {
  const lines = c.lines.slice(n * LINES_PER_PAGE, (n + 1) * LINES_PER_PAGE);
  lines.forEach((l, i) => {
    const y = 347 + i * 18.25;
    p.text(l.revenueCode, 22, y);
    p.text([l.hcpcs, ...(l.modifiers ?? [])].filter(Boolean).join(' '), 348, y);
    p.text(mdy(l.serviceDate), 512, y);
    p.text(String(l.units), 662, y, { right: true });
    p.text(dollars(l.chargeCents), 752, y, { right: true });
    p.text(centsOf(l.chargeCents), 760, y);
  });
  const y23 = 746;
  p.text(String(n + 1), 122, y23);
  p.text(String(pages), 188, y23);
  p.text(mdy(createdOn), 510, y23);
  if (n === pages - 1) {
    p.text(dollars(c.totalChargeCents), 752, y23, { right: true });
    p.text(centsOf(c.totalChargeCents), 760, y23);
  }
}

/** The CMS-1500 (08/05) grid: the 1807 x 2291 form image read at half size and stretched to the letter page. */
const KX = 612 / 903.5;
const KY = 792 / 1145.5;
const LINES_1500 = 6;

/** Item 1: the program box by the claim filing indicator (X12 SBR09). */
function programBox(indicator: string): number {
  if (indicator === 'MA' || indicator === 'MB') return 22;
  if (indicator === 'MC') return 97;
  if (indicator === 'CH') return 173;
  if (indicator === 'FI') return 432;
  return 348;
}
const relationshipBox: Record<string, number> = { '18': 376, '01': 430, '19': 483 };
const dx = (code: string) => (code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code);
const md = (d: string | null | undefined) => (d ? `${d.slice(5, 7)} ${d.slice(8, 10)} ${d.slice(0, 4)}` : '');
const mdShort = (d: string) => `${d.slice(5, 7)} ${d.slice(8, 10)} ${d.slice(2, 4)}`;

/** The CMS-1500 of a professional claim, one page per six service lines, as PDF bytes. */
export async function renderCms1500(claim: ProfessionalClaim, opts: FormOptions): Promise<Uint8Array> {
  return renderCms1500Batch([claim], opts);
}

/** The CMS-1500s of several claims in one PDF (the form image embedded once). */
export async function renderCms1500Batch(claims: ProfessionalClaim[], opts: FormOptions): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('CMS-1500');
  pdf.setProducer('Custodian');
  const font = await pdf.embedFont(StandardFonts.Courier);
  const background = opts.backgroundPath ? await pdf.embedPng(encodePng(decodeGif(await readFile(opts.backgroundPath)))) : null;
  for (const claim of claims) draw1500(pdf, font, background, claim);
  return pdf.save();
}

function draw1500(pdf: PDFDocument, font: PDFFont, background: PDFImage | null, claim: ProfessionalClaim): void {
  const pages = Math.max(1, Math.ceil(claim.lines.length / LINES_1500));
  for (let n = 0; n < pages; n++) {
    const page = pdf.addPage([612, 792]);
    if (background) page.drawImage(background, { x: 0, y: 0, width: 612, height: 792 });
    const p = penFor(page, font, KX, KY, 9);
    draw1500Header(p, claim);
    claim.lines.slice(n * LINES_1500, (n + 1) * LINES_1500).forEach((l, i) => {
      const y = 806 + i * 36.6;
      p.text(mdShort(l.serviceDate), 24, y);
      p.text(mdShort(l.serviceDate), 110, y);
      p.text(l.placeOfService ?? claim.placeOfService, 197, y);
      p.text(l.procedureCode, 290, y);
      p.text((l.modifiers ?? []).join(' '), 362, y);
      p.text(l.diagnosisPointers.join(''), 480, y);
      p.text(dollars(l.chargeCents), 630, y, { right: true });
      p.text(centsOf(l.chargeCents), 634, y);
      p.text(String(l.units), 664, y);
      p.text(claim.rendering?.npi, 760, y);
    });
    if (n === pages - 1) {
      p.text(dollars(claim.totalChargeCents), 640, 1025, { right: true });
      p.text(centsOf(claim.totalChargeCents), 644, 1025);
    }
  }
}

function draw1500Header(p: Pen, c: ProfessionalClaim): void {
  const d = c.destination;
  const s = d.subscriber;
  const pt = d.relationship === '18' ? s : c.patient;
  p.text('X', programBox(d.payer.claimFilingIndicator) + 2, 148);
  p.text(s.memberId, 560, 146, { max: 29 });
  if (pt) {
    p.text(name(pt), 22, 183, { max: 28 });
    p.text(md(pt.dateOfBirth), 348, 183);
    if (pt.sex === 'M') p.text('X', 468, 183);
    if (pt.sex === 'F') p.text('X', 525, 183);
    if (pt.address) {
      p.text(pt.address.line1, 22, 219, { max: 28 });
      p.text(pt.address.city, 22, 254, { max: 24 });
      p.text(pt.address.state, 300, 254);
      p.text(pt.address.zip, 22, 290);
    }
  }
  p.text('X', relationshipBox[d.relationship] ?? 525, 219);
  p.text(name(s), 560, 183, { max: 29 });
  if (s.address) {
    p.text(s.address.line1, 560, 219, { max: 29 });
    p.text(s.address.city, 560, 254, { max: 24 });
    p.text(s.address.state, 820, 254);
    p.text(s.address.zip, 560, 290);
  }
  p.text(s.groupNumber ?? 'NONE', 560, 326, { max: 29 });
  p.text(s.groupName ?? d.payer.name, 560, 435, { max: 29 });
  p.text('X', 636, 475);
  p.text('SIGNATURE ON FILE', 80, 550);
  p.text('SIGNATURE ON FILE', 610, 550);
  const codes = [c.principalDx, ...c.otherDx].slice(0, 4);
  // Item 21: 1 and 2 in the left column, 3 and 4 in the right.
  codes.forEach((x, i) => p.text(dx(x.code), i < 2 ? 48 : 348, 702 + (i % 2) * 36));
  const b = c.billingProvider;
  p.text(b.taxId, 22, 1025);
  p.text('X', 220, 1026);
  p.text(c.patientControlNumber, 262, 1025, { max: 14 });
  p.text('X', 428, 1026);
  if (c.rendering) p.text(name(c.rendering), 22, 1105, { max: 22 });
  p.text(b.name, 560, 1062, { max: 29 });
  p.text(b.address.line1, 560, 1078, { max: 29 });
  p.text(`${b.address.city} ${b.address.state} ${b.address.zip}`, 560, 1094, { max: 29 });
  p.text(b.npi, 575, 1122);
}
