/**
 * The certificate of destruction as a printable PDF (pdf-lib, standard Helvetica): what was destroyed (each
 * document's id, type, service date and patient), under which rule, when, by which method, who authorised it and who
 * performed it (AHIMA retention and destruction practice: the certificate is kept permanently). A restricted record
 * the user has not opened shows its MRN and name only, as on the screen.
 */
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { conflict } from '../../core/errors.js';
import type { Actor } from '../access/index.js';
import { BatchStatus } from './retention.rules.js';
import { getBatch } from './retention.service.js';
import type { BatchView, ItemView, RetentionDeps } from './retention.views.js';

/** Text the standard fonts can draw (WinAnsi): anything else becomes '?'. */
const winAnsi = (s: string) => s.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of winAnsi(text).split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      out.push(line);
      line = word;
    } else line = next;
  }
  if (line) out.push(line);
  return out;
}

const when = (by: string | null, at: string | null) => (at ? `${by ?? 'unknown'}, ${at.replace('T', ' ').slice(0, 19)} UTC` : '-');

function itemLines(i: ItemView): [string, string] {
  const outcome = i.outcome === 'skipped' ? `SKIPPED: ${i.outcomeReason ?? ''}` : i.outcome.toUpperCase();
  const what = i.details ? `${i.typeCode}, service ${i.serviceOn}` : '(restricted record: details withheld)';
  return [`${i.mrn}  ${i.patientName}  -  document ${i.documentId}  -  ${what}  -  ${outcome}`, i.details ? `Eligible: ${i.why}` : ''];
}

/** The certificate of a completed batch, as PDF bytes (an audited read of the batch). */
export async function destructionCertificatePdf(deps: RetentionDeps, actor: Actor, id: string): Promise<Uint8Array> {
  const b = await getBatch(deps, actor, id);
  if (b.status !== BatchStatus.completed) throw conflict('a certificate is issued once the batch has been performed');
  return renderCertificate(b);
}

/** Renders a batch view as the certificate (pure: no I/O). */
export async function renderCertificate(b: BatchView & { items: ItemView[] }): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Certificate of destruction ${b.id}`);
  pdf.setCreator('Custodian');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const margin = 50;
  const width = 612 - 2 * margin;
  let page: PDFPage = pdf.addPage([612, 792]);
  let y = 742;
  const write = (text: string, opts: { size?: number; f?: PDFFont; gap?: number } = {}) => {
    const size = opts.size ?? 10;
    const f = opts.f ?? font;
    for (const l of wrap(text, f, size, width)) {
      if (y < margin) {
        page = pdf.addPage([612, 792]);
        y = 742;
      }
      page.drawText(l, { x: margin, y, size, font: f });
      y -= size + 3;
    }
    y -= opts.gap ?? 0;
  };
  write('Certificate of Destruction of Health Records', { size: 16, f: bold, gap: 8 });
  write(`Certificate number: ${b.id}`, { f: bold });
  write(`Retention rule set: ${b.ruleSetName}`);
  write(`Method: ${b.method ?? '-'}`);
  write(`Selected by: ${when(b.createdByName ?? b.createdBy, b.createdAt)}`);
  write(`Authorised by: ${when(b.approvedByName ?? b.approvedBy, b.approvedAt)}`);
  write(`Performed by: ${when(b.performedByName ?? b.performedBy, b.performedAt)}`);
  write(`Documents destroyed: ${b.destroyedCount}; skipped: ${b.skippedCount}`, { gap: 4 });
  if (b.note) write(`Note: ${b.note}`, { gap: 4 });
  write(
    'The documents below were destroyed in the ordinary course of business under the retention schedule named above; no ' +
      'destroyed document was subject to a legal hold, litigation, audit or investigation when it was destroyed. Each remains ' +
      'in the record as a tombstone (metadata and history) naming this certificate.',
    { size: 9, gap: 8 },
  );
  write('Records', { size: 12, f: bold, gap: 2 });
  for (const i of b.items) {
    const [first, second] = itemLines(i);
    write(first, { size: 9 });
    if (second) write(second, { size: 8 });
    y -= 4;
  }
  y -= 16;
  write('Signature of the person who authorised: ______________________________   Date: ____________');
  y -= 8;
  write('Signature of the person who performed:  ______________________________   Date: ____________');
  return pdf.save();
}
