/**
 * Pure rules of OCR: what kind of file a scan is (from its bytes, never its name), how many pages it has, how
 * Tesseract's TSV output becomes a page's text and confidence, and the character error rate that measures it.
 * No processes, files, clock or environment.
 */

/** The content types the OCR engine reads. */
export const OcrMediaType = {
  pdf: 'application/pdf',
  tiff: 'image/tiff',
  png: 'image/png',
  jpeg: 'image/jpeg',
} as const;
export type OcrMediaType = (typeof OcrMediaType)[keyof typeof OcrMediaType];

/** One recognised page: numbered from 1 in the file's order; confidence is the mean word confidence, 0..1. */
export interface OcrPage {
  page: number;
  text: string;
  confidence: number;
  /** Each word with its box relative to the page (0..1), for hit highlighting on the page image. */
  words?: WordBox[];
}

/** A recognised word and its box: left, top, width and height as fractions of the page's width and height. */
export interface WordBox {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** What the engine answers for one file. */
export interface OcrResult {
  pages: OcrPage[];
}

function startsWith(bytes: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false;
  return sig.every((b, i) => bytes[at + i] === b);
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

/**
 * The type of a file from its first bytes (its signature), or undefined when it is none of those OCR reads. A PDF's
 * header may follow up to 1024 bytes of other data, as Acrobat accepts (PDF Reference 1.7, implementation note to
 * section 3.4.1, "File Header").
 */
export function detectMediaType(bytes: Uint8Array): OcrMediaType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return OcrMediaType.png;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return OcrMediaType.jpeg;
  // Classic TIFF (42) and BigTIFF (43), little- and big-endian (TIFF 6.0 section 2; BigTIFF design).
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return OcrMediaType.tiff;
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) return OcrMediaType.tiff;
  const head = Math.min(bytes.length - PDF_MAGIC.length, 1024);
  for (let i = 0; i <= head; i++) if (bytes[i] === 0x25 && startsWith(bytes, PDF_MAGIC, i)) return OcrMediaType.pdf;
  return undefined;
}

/** The largest number of pages read from one file (a scanned batch is a few hundred). */
export const MAX_PAGES = 5000;

/**
 * The number of pages (image file directories) of a TIFF, walking the IFD chain (TIFF 6.0 section 2, "Image File
 * Directory"; BigTIFF: 8-byte offsets and counts). Throws on a broken or looping chain.
 */
export function countTiffPages(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) throw new Error('truncated TIFF header');
  const little = bytes[0] === 0x49;
  const big = view.getUint16(2, little) === 43;
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  const u64 = (at: number) => Number(view.getBigUint64(at, little));
  let offset = big ? (bytes.length >= 16 ? u64(8) : -1) : u32(4);
  const seen = new Set<number>();
  let pages = 0;
  while (offset !== 0) {
    if (offset < 8 || seen.has(offset) || pages >= MAX_PAGES) throw new Error('broken TIFF directory chain');
    seen.add(offset);
    const countSize = big ? 8 : 2;
    const entrySize = big ? 20 : 12;
    if (offset + countSize > bytes.length) throw new Error('truncated TIFF directory');
    const entries = big ? u64(offset) : u16(offset);
    const next = offset + countSize + entries * entrySize;
    if (next + (big ? 8 : 4) > bytes.length) throw new Error('truncated TIFF directory');
    pages++;
    offset = big ? u64(next) : u32(next);
  }
  if (pages === 0) throw new Error('TIFF without pages');
  return pages;
}

/** A PDF page's size in points (1/72 inch), as pdfinfo reports it. */
export interface PdfPageSize {
  page: number;
  widthPt: number;
  heightPt: number;
}

/**
 * Page count and page sizes from `pdfinfo -f 1 -l N` output ("Pages: 3", "Page    1 size: 612 x 792 pts (letter)").
 * Throws when the page count is missing.
 */
export function parsePdfInfo(output: string): { pages: number; sizes: PdfPageSize[] } {
  const pages = /^Pages:\s+(\d+)\s*$/m.exec(output);
  if (!pages) throw new Error('pdfinfo reported no page count');
  const sizes: PdfPageSize[] = [];
  for (const m of output.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/gm)) {
    sizes.push({ page: Number(m[1]), widthPt: Number(m[2]), heightPt: Number(m[3]) });
  }
  return { pages: Number(pages[1]), sizes };
}

/** Pixels a rendered page may have; a larger page is rendered at a lower resolution instead. */
export const MAX_PAGE_PIXELS = 120_000_000;

/**
 * The resolution to render a PDF page at: the wanted one (300 dpi), lowered for a page so large that it would exceed
 * `maxPixels` (a poster or a hostile page size), never below 72.
 */
export function renderDpi(size: { widthPt: number; heightPt: number } | undefined, wanted: number, maxPixels = MAX_PAGE_PIXELS): number {
  if (!size || size.widthPt <= 0 || size.heightPt <= 0) return wanted;
  const pixelsAt = (dpi: number) => ((size.widthPt * dpi) / 72) * ((size.heightPt * dpi) / 72);
  if (pixelsAt(wanted) <= maxPixels) return wanted;
  return Math.max(72, Math.floor(Math.sqrt(maxPixels / ((size.widthPt / 72) * (size.heightPt / 72)))));
}

/** Tesseract's TSV levels (TessBaseAPI::GetTSVText): 1 page, 2 block, 3 paragraph, 4 line, 5 word. */
const TSV_WORD_LEVEL = 5;

/**
 * A page's text and confidence from Tesseract's TSV output. Words keep Tesseract's reading order; words of one
 * line are joined by a space, lines by a newline, and paragraphs and blocks are separated by an empty line (as
 * Tesseract's own text output does). Confidence is the mean of the word confidences (0..100 in TSV) as 0..1,
 * rounded to 3 places; 0 for a page with no words.
 */
export function pageFromTsv(tsv: string): { text: string; confidence: number } {
  const paragraphs: string[][] = [];
  let lastPar = '';
  let lastLine = '';
  let confSum = 0;
  let words = 0;
  for (const row of tsv.split('\n')) {
    const cols = row.split('\t');
    if (cols.length < 12 || Number(cols[0]) !== TSV_WORD_LEVEL) continue;
    const word = cols.slice(11).join('\t').trim();
    const conf = Number(cols[10]);
    if (word === '' || !Number.isFinite(conf) || conf < 0) continue;
    const par = `${cols[1]}.${cols[2]}.${cols[3]}`;
    const line = `${par}.${cols[4]}`;
    if (par !== lastPar) paragraphs.push([]);
    const lines = paragraphs[paragraphs.length - 1]!;
    if (line !== lastLine || lines.length === 0) lines.push(word);
    else lines[lines.length - 1] = `${lines[lines.length - 1]!} ${word}`;
    lastPar = par;
    lastLine = line;
    confSum += conf;
    words++;
  }
  const text = paragraphs.map((lines) => lines.join('\n')).join('\n\n');
  const confidence = words === 0 ? 0 : Math.round((confSum / words / 100) * 1000) / 1000;
  return { text, confidence: Math.min(1, Math.max(0, confidence)) };
}

/**
 * The words of Tesseract's TSV output with their boxes relative to the page (the level-1 row gives the page's size
 * in pixels), rounded to 4 places; empty words and rows without a confidence are skipped, as in pageFromTsv.
 */
export function wordBoxesFromTsv(tsv: string): WordBox[] {
  let pageW = 0;
  let pageH = 0;
  const words: WordBox[] = [];
  const r4 = (v: number) => Math.round(v * 10000) / 10000;
  for (const row of tsv.split('\n')) {
    const cols = row.split('\t');
    if (cols.length < 12) continue;
    const [left, top, width, height] = [cols[6], cols[7], cols[8], cols[9]].map(Number) as [number, number, number, number];
    if (Number(cols[0]) === 1) {
      pageW = width;
      pageH = height;
      continue;
    }
    if (Number(cols[0]) !== TSV_WORD_LEVEL || pageW <= 0 || pageH <= 0) continue;
    const text = cols.slice(11).join('\t').trim();
    const conf = Number(cols[10]);
    if (text === '' || !Number.isFinite(conf) || conf < 0) continue;
    words.push({ text, x: r4(left / pageW), y: r4(top / pageH), w: r4(width / pageW), h: r4(height / pageH) });
  }
  return words;
}

/** Text with every run of white space (spaces, tabs, line breaks) made one space, and no space at either end. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** The Levenshtein distance between two strings, counted in Unicode code points (insert, delete, substitute: 1 each). */
export function levenshtein(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prev = new Uint32Array(t.length + 1);
  let cur = new Uint32Array(t.length + 1);
  for (let j = 0; j <= t.length; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    const si = s[i - 1];
    for (let j = 1; j <= t.length; j++) {
      const sub = prev[j - 1]! + (si === t[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length]!;
}

/**
 * The character error rate of recognised text against the truth: edit distance over characters divided by the
 * truth's length, after white space is normalised on both sides (line breaks are layout, not characters read).
 * 0 is perfect; an empty truth scores 0 against empty text and 1 against anything else.
 */
export function characterErrorRate(truth: string, recognised: string): number {
  const ref = normalizeWhitespace(truth);
  const hyp = normalizeWhitespace(recognised);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  return levenshtein(ref, hyp) / Array.from(ref).length;
}
