/**
 * The release packet: one PDF (pdf-lib) of a cover letter, the released documents with Bates numbers and a
 * "confidential" footer on every page, and the 42 CFR 2.32 redisclosure notice where Part 2 records go out.
 *
 * Redaction is burned in, never covered: a page with an area to redact is rendered to pixels (poppler's pdftoppm),
 * the areas are painted black in the pixels, and the page is rebuilt as that image alone, so the text, fonts and
 * anything else of the original page are gone from the bytes. Text documents are rendered by us, with identifiers
 * found by pattern (SSNs) replaced before they are drawn.
 */
import { spawn } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { redactIdentifierText, type IdentifierRules } from './roi.identifiers.js';
import { PART2_REDISCLOSURE_NOTICE } from './roi.requests.rules.js';

/**
 * An area to black out, as fractions of the page from its top-left corner (so it does not depend on resolution); on
 * an image (PNG, JPEG, a TIFF page), fractions of the image itself.
 */
export interface RedactionArea {
  /** 1-based page of the document. */
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PacketDocument {
  title: string;
  mediaType: string;
  bytes: Uint8Array;
  redactions: readonly RedactionArea[];
}

export interface PacketInput {
  /** The identifiers replaced in text documents (SSNs when not given). */
  identifiers?: IdentifierRules;
  coverLetter: string;
  documents: readonly PacketDocument[];
  part2Notice: boolean;
  /** Bates prefix, e.g. "ROI-<request short id>-". */
  batesPrefix: string;
  footer: string;
  pdftoppmPath: string;
  /** Rendering resolution of redacted pages. */
  dpi?: number;
}

const PAGE: [number, number] = [612, 792];
const MARGIN = 54;

/** Identifiers found by pattern in text content and replaced before rendering (SSNs, 164.514(b)(2)(i)(G), by default). */
export const redactIdentifiers = (s: string, rules: IdentifierRules = { kinds: ['ssn'] }): string => redactIdentifierText(s, rules);

/** Helvetica draws WinAnsi only: anything else becomes "?" rather than failing the packet. */
const winAnsi = (s: string): string => s.replace(/[^\x20-\x7E\xA0-\xFF\n\t]/g, '?').replace(/\t/g, '    ');

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  for (const para of winAnsi(text).split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      const next = line === '' ? word : `${line} ${word}`;
      if (font.widthOfTextAtSize(next, size) <= width) line = next;
      else {
        if (line !== '') out.push(line);
        line = word;
      }
    }
    out.push(line);
  }
  return out;
}

/** Draws text on as many new pages as it needs. */
function addTextPages(pdf: PDFDocument, font: PDFFont, bold: PDFFont, title: string, text: string): void {
  const size = 10;
  const lead = 13;
  const lines = wrap(text, font, size, PAGE[0] - 2 * MARGIN);
  let y = 0;
  const newPage = (): PDFPage => {
    const p = pdf.addPage(PAGE);
    p.drawText(winAnsi(title), { x: MARGIN, y: PAGE[1] - MARGIN, size: 12, font: bold });
    y = PAGE[1] - MARGIN - 24;
    return p;
  };
  let page = newPage();
  for (const l of lines) {
    if (y < MARGIN + 30) page = newPage();
    page.drawText(l, { x: MARGIN, y, size, font });
    y -= lead;
  }
}

/** Renders one page (1-based) of a PDF to RGB pixels with pdftoppm (the PDF on stdin, a PPM on stdout). */
export async function rasterizePdfPage(
  bin: string,
  bytes: Uint8Array,
  page: number,
  dpi: number,
): Promise<{ width: number; height: number; rgb: Buffer }> {
  const ppm = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn(bin, ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', '-'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`pdftoppm could not render page ${page} (exit ${code})`)),
    );
    child.stdin.on('error', () => undefined); // the process may exit before reading everything; its exit code says why
    child.stdin.end(Buffer.from(bytes));
  });
  // P6 header: "P6\n<w> <h>\n<max>\n" (pdftoppm writes no comments).
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not answer a PPM image');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, rgb: ppm.subarray(header[0].length, header[0].length + width * height * 3) };
}

/** Paints the areas black in the pixels themselves. */
export function burnIn(img: { width: number; height: number; rgb: Buffer }, areas: readonly RedactionArea[]): void {
  for (const a of areas) {
    const x0 = Math.max(0, Math.floor(a.x * img.width));
    const y0 = Math.max(0, Math.floor(a.y * img.height));
    const x1 = Math.min(img.width, Math.ceil((a.x + a.width) * img.width));
    const y1 = Math.min(img.height, Math.ceil((a.y + a.height) * img.height));
    for (let y = y0; y < y1; y++) img.rgb.fill(0, (y * img.width + x0) * 3, (y * img.width + x1) * 3);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A minimal PNG (8-bit RGB, no filtering) of the pixels, for pdf-lib to embed. */
export function encodePng(img: { width: number; height: number; rgb: Buffer }): Buffer {
  const row = img.width * 3;
  const raw = Buffer.alloc((row + 1) * img.height);
  for (let y = 0; y < img.height; y++) img.rgb.copy(raw, y * (row + 1) + 1, y * row, (y + 1) * row);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.width, 0);
  ihdr.writeUInt32BE(img.height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function addPdfDocument(pdf: PDFDocument, doc: PacketDocument, bin: string, dpi: number): Promise<void> {
  const src = await PDFDocument.load(doc.bytes);
  const redacted = new Set(doc.redactions.map((r) => r.page));
  // Only pages without areas are copied: a copied page's objects are saved even when the page is not added.
  const keep = src.getPageIndices().filter((i) => !redacted.has(i + 1));
  const copied = new Map((await pdf.copyPages(src, keep)).map((p, k) => [keep[k]!, p]));
  for (const i of src.getPageIndices()) {
    const page = copied.get(i);
    if (page) {
      pdf.addPage(page);
      continue;
    }
    const { width, height } = src.getPage(i).getSize();
    const img = await rasterizePdfPage(bin, doc.bytes, i + 1, dpi);
    burnIn(
      img,
      doc.redactions.filter((r) => r.page === i + 1),
    );
    const png = await pdf.embedPng(encodePng(img));
    const p = pdf.addPage([width, height]);
    p.drawImage(png, { x: 0, y: 0, width, height });
  }
}

async function addImageDocument(pdf: PDFDocument, doc: PacketDocument, bin: string, dpi: number): Promise<void> {
  // An image is placed on a page of its own first; with areas to redact, that page goes through the PDF path.
  const one = await PDFDocument.create();
  const img = doc.mediaType === 'image/png' ? await one.embedPng(doc.bytes) : await one.embedJpg(doc.bytes);
  const scale = Math.min((PAGE[0] - 2 * MARGIN) / img.width, (PAGE[1] - 2 * MARGIN) / img.height, 1);
  const p = one.addPage(PAGE);
  const [w, h] = [img.width * scale, img.height * scale];
  p.drawImage(img, { x: MARGIN, y: PAGE[1] - MARGIN - h, width: w, height: h });
  // The areas are fractions of the image: moved onto the page where the image sits.
  const redactions = doc.redactions.map((a) => ({
    page: a.page,
    x: (MARGIN + a.x * w) / PAGE[0],
    y: (MARGIN + a.y * h) / PAGE[1],
    width: (a.width * w) / PAGE[0],
    height: (a.height * h) / PAGE[1],
  }));
  await addPdfDocument(pdf, { ...doc, redactions, bytes: await one.save() }, bin, dpi);
}

/** Builds the packet; answers its bytes and page count. */
export async function buildReleasePacket(input: PacketInput): Promise<{ bytes: Uint8Array; pages: number }> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Release of information');
  pdf.setProducer('Custodian');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const dpi = input.dpi ?? 150;
  addTextPages(pdf, font, bold, 'Release of information', input.coverLetter);
  if (input.part2Notice) addTextPages(pdf, font, bold, 'Notice to recipient (42 CFR 2.32)', PART2_REDISCLOSURE_NOTICE);
  for (const doc of input.documents) {
    if (doc.mediaType === 'application/pdf') await addPdfDocument(pdf, doc, input.pdftoppmPath, dpi);
    else if (doc.mediaType === 'image/png' || doc.mediaType === 'image/jpeg') await addImageDocument(pdf, doc, input.pdftoppmPath, dpi);
    else {
      const text = redactIdentifiers(new TextDecoder().decode(doc.bytes), input.identifiers);
      if (doc.redactions.length === 0) addTextPages(pdf, font, bold, doc.title, text);
      else {
        // Areas on a text document: render it, then burn the areas in like any PDF.
        const one = await PDFDocument.create();
        addTextPages(one, await one.embedFont(StandardFonts.Helvetica), await one.embedFont(StandardFonts.HelveticaBold), doc.title, text);
        await addPdfDocument(pdf, { ...doc, bytes: await one.save() }, input.pdftoppmPath, dpi);
      }
    }
  }
  const pages = pdf.getPages();
  for (const [i, page] of pages.entries()) {
    const { width } = page.getSize();
    const bates = `${input.batesPrefix}${String(i + 1).padStart(6, '0')}`;
    page.drawText(winAnsi(input.footer), { x: 24, y: 10, size: 7, font });
    page.drawText(bates, { x: width - 24 - bold.widthOfTextAtSize(bates, 9), y: 10, size: 9, font: bold });
  }
  return { bytes: await pdf.save(), pages: pages.length };
}

/** The accounting of disclosures as a PDF letter (164.528(b)): each disclosure's date, recipient, description, purpose. */
export async function buildAccountingLetter(a: {
  requestedOn: string;
  from: string;
  free: boolean;
  entries: readonly { disclosedOn: string; recipient: string; recipientAddress: string | null; description: string; purpose: string }[];
}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Accounting of disclosures');
  const body = [
    `Your request of ${a.requestedOn} for an accounting of disclosures of your health information (45 CFR 164.528).`,
    `It covers disclosures from ${a.from} to ${a.requestedOn}. Disclosures for treatment, payment and health care ` +
      'operations, to you, and under your authorization are not listed (45 CFR 164.528(a)(1)).',
    a.free
      ? 'This accounting is free: it is your first in 12 months.'
      : 'A reasonable, cost-based fee applies: this is not your first accounting in 12 months (45 CFR 164.528(c)(2)).',
    '',
    a.entries.length === 0 ? 'No disclosures to list.' : `${a.entries.length} disclosure(s):`,
    ...a.entries.map(
      (e, i) =>
        `${i + 1}. ${e.disclosedOn} - to ${e.recipient}${e.recipientAddress ? `, ${e.recipientAddress}` : ''}. ${e.description}. Purpose: ${e.purpose}.`,
    ),
  ].join('\n');
  addTextPages(
    pdf,
    await pdf.embedFont(StandardFonts.Helvetica),
    await pdf.embedFont(StandardFonts.HelveticaBold),
    'Accounting of disclosures',
    body,
  );
  return pdf.save();
}
