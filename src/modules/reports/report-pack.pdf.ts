/**
 * The director's report pack as a PDF (pdf-lib, the standard Helvetica fonts): a cover with the period, filters and
 * the weights used, then each report table on landscape letter pages, columns of equal width, a header row repeated on
 * each new page. Aggregates only (no patient), like the CSV and XLSX.
 */
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { ReportTable } from '../../core/shared/report-export.js';

/** Text the standard fonts can draw (WinAnsi): other characters become '?'. */
export const winAnsi = (s: string) => s.replace(/[^\x20-\x7E\u00A0-\u00FF\u2013\u2014\u2018\u2019\u201C\u201D\u2022\u2026]/g, '?');

/** The text cut to fit `width` points, with an ellipsis when cut. */
function fit(text: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let s = text;
  while (s.length > 0 && font.widthOfTextAtSize(`${s}…`, size) > width) s = s.slice(0, -1);
  return `${s}…`;
}

const W = 792;
const H = 612;
const M = 40;

/** The pack: `cover` lines under the title, then the tables. */
export async function reportPackPdf(title: string, cover: readonly string[], tables: readonly ReportTable[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(winAnsi(title));
  pdf.setCreator('Custodian');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = pdf.addPage([W, H]);
  let y = H - M;
  const line = (text: string, f: PDFFont, size: number, x = M, width = W - 2 * M) => {
    page.drawText(fit(winAnsi(text), f, size, width), { x, y, size, font: f });
  };
  line(title, bold, 18);
  y -= 28;
  for (const c of cover) {
    line(c, font, 10);
    y -= 15;
  }
  for (const t of tables) {
    const cols = Math.max(1, t.header.length);
    const colW = (W - 2 * M) / cols;
    const row = (cells: readonly (string | number | null)[], f: PDFFont) => {
      cells.forEach((c, i) => line(c === null ? '' : String(c), f, 9, M + i * colW, colW - 6));
      y -= 13;
    };
    if (y < M + 60) {
      page = pdf.addPage([W, H]);
      y = H - M;
    } else y -= 14;
    line(t.name, bold, 12);
    y -= 18;
    row(t.header, bold);
    for (const r of t.rows) {
      if (y < M) {
        page = pdf.addPage([W, H]);
        y = H - M;
        line(`${t.name} (continued)`, bold, 12);
        y -= 18;
        row(t.header, bold);
      }
      row(r, font);
    }
  }
  return pdf.save();
}
