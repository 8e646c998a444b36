import { inflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { pdfTextPages } from '../documents/index.js';
import { buildAccountingLetter, buildReleasePacket, encodePng, rasterizePdfPage, redactIdentifiers } from './roi.packet.js';

const PDFTOPPM = '/usr/bin/pdftoppm';
const SECRET = 'XYZZY-SECRET-DIAGNOSIS';

/** A one-page letter-size PDF: a line to keep near the top, the secret lower down. */
async function sourcePdf(): Promise<Uint8Array> {
  const d = await PDFDocument.create();
  const f = await d.embedFont(StandardFonts.Helvetica);
  const p = d.addPage([612, 792]);
  p.drawText('Discharge summary: keep this line', { x: 72, y: 700, size: 14, font: f });
  p.drawText(SECRET, { x: 72, y: 400, size: 14, font: f });
  return d.save();
}

/** Everything a reader of the file could find: the raw bytes and every stream inflated, as text and as hex. */
function everythingIn(pdf: Uint8Array): string {
  const raw = Buffer.from(pdf);
  const parts = [raw.toString('latin1')];
  const text = raw.toString('latin1');
  for (let at = text.indexOf('stream'); at !== -1; at = text.indexOf('stream', at + 6)) {
    const start = text[at + 6] === '\r' ? at + 8 : at + 7;
    const end = text.indexOf('endstream', start);
    if (end === -1) break;
    try {
      parts.push(inflateSync(raw.subarray(start, end)).toString('latin1'));
    } catch {
      // not a Flate stream
    }
  }
  return parts.join('\n').toUpperCase();
}
const hexOf = (s: string) => Buffer.from(s, 'latin1').toString('hex').toUpperCase();

const packetOf = async (bytes: Uint8Array, redactions: { page: number; x: number; y: number; width: number; height: number }[]) =>
  buildReleasePacket({
    coverLetter: 'To: Smith & Jones LLP\nRe: records of the patient',
    documents: [{ title: 'Discharge summary', mediaType: 'application/pdf', bytes, redactions }],
    part2Notice: true,
    batesPrefix: 'ROI-T-',
    footer: 'CONFIDENTIAL: protected health information',
    pdftoppmPath: PDFTOPPM,
    dpi: 100,
  });

describe('release packet', () => {
  it('without redaction: the secret is in the packet, findable as text and in the inflated streams (the control)', async () => {
    const packet = await packetOf(await sourcePdf(), []);
    const texts = (await pdfTextPages(packet.bytes)).map((p) => p.text).join('\n');
    expect(texts).toContain(SECRET);
    expect(everythingIn(packet.bytes)).toContain(hexOf(SECRET));
  });

  it('burns a redaction in: the redacted text is gone from the PDF bytes, the area is black pixels, the rest stays', async () => {
    // The secret's line: y = 400 pt from the bottom of 792, so from the top (792 - 400 - 14) / 792 ≈ 0.477.
    const packet = await packetOf(await sourcePdf(), [{ page: 1, x: 0.05, y: 0.45, width: 0.9, height: 0.06 }]);
    const all = everythingIn(packet.bytes);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(hexOf(SECRET));
    const texts = await pdfTextPages(packet.bytes);
    expect(texts.map((p) => p.text).join('\n')).not.toContain(SECRET);
    // The document page is the third (cover letter, Part 2 notice): rendered, the redacted band is black.
    const page = await rasterizePdfPage(PDFTOPPM, packet.bytes, 3, 50);
    const at = (fx: number, fy: number) => {
      const i = (Math.floor(fy * page.height) * page.width + Math.floor(fx * page.width)) * 3;
      return [page.rgb[i], page.rgb[i + 1], page.rgb[i + 2]];
    };
    expect(at(0.5, 0.48)).toEqual([0, 0, 0]);
    expect(at(0.5, 0.95)).not.toEqual([0, 0, 0]);
  });

  it('burns an area of an image in where it is on the image (fractions of the image, not of the page it sits on)', async () => {
    // A white 200x100 PNG: the area is its right half, the left half stays white.
    const white = encodePng({ width: 200, height: 100, rgb: Buffer.alloc(200 * 100 * 3, 255) });
    const packet = await buildReleasePacket({
      coverLetter: 'Cover',
      documents: [{ title: 'Scan', mediaType: 'image/png', bytes: white, redactions: [{ page: 1, x: 0.5, y: 0, width: 0.5, height: 1 }] }],
      part2Notice: false,
      batesPrefix: 'ROI-T-',
      footer: 'CONFIDENTIAL',
      pdftoppmPath: PDFTOPPM,
      dpi: 72,
    });
    const page = await rasterizePdfPage(PDFTOPPM, packet.bytes, 2, 72);
    // The image sits at the top-left margin (54 pt) of the 612x792 page, 200x100 pt (72 dpi: 1 pt = 1 pixel).
    const at = (x: number, y: number) => [...page.rgb.subarray((y * page.width + x) * 3, (y * page.width + x) * 3 + 3)];
    expect(at(54 + 150, 54 + 50)).toEqual([0, 0, 0]);
    expect(at(54 + 195, 54 + 95)).toEqual([0, 0, 0]);
    expect(at(54 + 50, 54 + 50)).toEqual([255, 255, 255]);
    expect(at(54 + 260, 54 + 50)).toEqual([255, 255, 255]); // past the image: the page, not redacted
  });

  it('numbers every page (Bates), carries the confidential footer and the 42 CFR 2.32 notice', async () => {
    const packet = await packetOf(await sourcePdf(), []);
    expect(packet.pages).toBe(3);
    const texts = await pdfTextPages(packet.bytes);
    expect(texts.map((p) => /ROI-T-\d{6}/.exec(p.text)?.[0])).toEqual(['ROI-T-000001', 'ROI-T-000002', 'ROI-T-000003']);
    expect(texts.every((p) => p.text.includes('CONFIDENTIAL'))).toBe(true);
    expect(texts[1]!.text).toContain('42 CFR part 2');
  });

  it('replaces SSNs found in text documents (search-and-redact)', () => {
    expect(redactIdentifiers('SSN 123-45-6789, MRN 12345')).toBe('SSN XXX-XX-XXXX, MRN 12345');
  });
});

describe('accounting letter (45 CFR 164.528(b))', () => {
  it('lists each disclosure with date, recipient, description and purpose, and says whether it is free', async () => {
    const bytes = await buildAccountingLetter({
      requestedOn: '2026-03-10',
      from: '2020-03-10',
      free: true,
      entries: [
        {
          disclosedOn: '2026-03-01',
          recipient: 'State health department',
          recipientAddress: null,
          description: '1 document(s), 2 pages',
          purpose: 'Disease reporting',
        },
      ],
    });
    const t = (await pdfTextPages(bytes)).map((p) => p.text).join('\n');
    expect(t).toContain('2026-03-01 - to State health department');
    expect(t).toContain('Purpose: Disease reporting');
    expect(t).toContain('This accounting is free');
  });
});
