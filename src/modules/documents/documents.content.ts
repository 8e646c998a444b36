/**
 * What a document's content holds: its page count and, for born-digital content, its text page by page (the PDF
 * text layer through pdfjs-dist; plain text; the text of an HL7 v2 message's OBX segments; a C-CDA document's
 * sections rendered readably). Images and PDFs without a text layer answer no text: their text comes from OCR.
 */
import { PDFDocument } from 'pdf-lib';
import { SaxesParser } from 'saxes';
import { invalid } from '../../core/errors.js';
import { countTiffPages } from '../ocr/index.js';
import { MediaType } from './documents.rules.js';

export interface ContentFacts {
  pageCount: number;
  /** Native text per page (numbered from 1), or null when the text must come from OCR. */
  pages: { page: number; text: string }[] | null;
}

/** A PDF whose text layer has fewer characters than this on average per page is treated as scanned (OCR'd). */
const MIN_TEXT_PER_PAGE = 16;

/** Page count and native text of content of a (verified) media type; `invalid` when the file cannot be read as that type. */
export async function analyzeContent(bytes: Uint8Array, mediaType: MediaType): Promise<ContentFacts> {
  switch (mediaType) {
    case MediaType.pdf:
      return analyzePdf(bytes);
    case MediaType.tiff:
      try {
        return { pageCount: countTiffPages(bytes), pages: null };
      } catch {
        throw invalid('content: the TIFF file is damaged (its page directory cannot be read)');
      }
    case MediaType.png:
    case MediaType.jpeg:
      return { pageCount: 1, pages: null };
    case MediaType.text:
      return { pageCount: 1, pages: [{ page: 1, text: decode(bytes) }] };
    case MediaType.hl7v2:
      return { pageCount: 1, pages: [{ page: 1, text: hl7MessageText(decode(bytes)) }] };
    case MediaType.cda:
      return { pageCount: 1, pages: [{ page: 1, text: renderCdaText(decode(bytes)) }] };
  }
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

async function analyzePdf(bytes: Uint8Array): Promise<ContentFacts> {
  let pageCount: number;
  try {
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    pageCount = doc.getPageCount();
  } catch {
    throw invalid('content: the PDF file is damaged or not a PDF');
  }
  if (pageCount === 0) throw invalid('content: the PDF has no pages');
  const pages = await pdfTextPages(bytes).catch(() => null);
  if (!pages) return { pageCount, pages: null };
  const chars = pages.reduce((n, p) => n + p.text.replace(/\s/g, '').length, 0);
  return { pageCount, pages: chars >= MIN_TEXT_PER_PAGE * pageCount ? pages : null };
}

/** The text layer of each page of a PDF (pdfjs-dist getTextContent), lines kept where the items say a line ends. */
export async function pdfTextPages(bytes: Uint8Array): Promise<{ page: number; text: string }[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const out: { page: number; text: string }[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      out.push({ page: i, text: text.replace(/[ \t]+\n/g, '\n').trim() });
      page.cleanup();
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

/** HL7 v2 escape sequences in text (HL7 v2.5.1 section 2.7): field, component, repetition, escape, sub-component, line break. */
function unescapeHl7(s: string, enc: { comp: string; rep: string; esc: string; sub: string }): string {
  const e = enc.esc;
  if (!e) return s;
  return s
    .replace(new RegExp(`\\${e}\\.br\\${e}`, 'g'), '\n')
    .replace(new RegExp(`\\${e}F\\${e}`, 'g'), '|')
    .replace(new RegExp(`\\${e}S\\${e}`, 'g'), enc.comp)
    .replace(new RegExp(`\\${e}R\\${e}`, 'g'), enc.rep)
    .replace(new RegExp(`\\${e}T\\${e}`, 'g'), enc.sub)
    .replace(new RegExp(`\\${e}E\\${e}`, 'g'), e)
    .replace(new RegExp(`\\${e}\\.(?:sp|in|ti|ce|fi|nf)[^\\${e}]*\\${e}`, 'g'), '\n')
    .replace(new RegExp(`\\${e}H\\${e}|\\${e}N\\${e}`, 'g'), '');
}

/**
 * The readable text of an HL7 v2 message (MDM): the values of its OBX segments of text types (TX, FT, ST, CE/CWE
 * display text), one line per repetition, escape sequences undone. A message without text OBX gives its TXA title.
 */
export function hl7MessageText(message: string): string {
  const segments = message.split(/\r\n|\r|\n/).filter((s) => s.length > 0);
  const msh = segments[0] ?? '';
  const fieldSep = msh[3] ?? '|';
  const encChars = msh.slice(4, 8);
  const enc = { comp: encChars[0] ?? '^', rep: encChars[1] ?? '~', esc: encChars[2] ?? '\\', sub: encChars[3] ?? '&' };
  const lines: string[] = [];
  for (const seg of segments) {
    const f = seg.split(fieldSep);
    if (f[0] !== 'OBX') continue;
    const type = f[2] ?? '';
    if (!['TX', 'FT', 'ST'].includes(type)) continue;
    for (const rep of (f[5] ?? '').split(enc.rep)) lines.push(unescapeHl7(rep, enc));
  }
  return lines.join('\n').trim();
}

/** Elements of the CDA narrative block (CDA R2 section 4.3.5) after which a line ends. */
const blockElements = new Set([
  'paragraph',
  'br',
  'tr',
  'item',
  'caption',
  'title',
  'content_block',
  'list',
  'table',
  'section',
  'thead',
  'tbody',
]);

/**
 * A CDA R2 / C-CDA document rendered as readable text: the document title, then each section's title and its
 * narrative text (section/text), table cells separated by " | ", list items and paragraphs on their own lines.
 * Entries (the coded data) are not rendered: the narrative is the attested content (CDA R2 section 1.2.3).
 * Throws `invalid` for XML that is not well formed.
 */
export function renderCdaText(xml: string): string {
  const parser = new SaxesParser({ xmlns: false });
  const out: string[] = [];
  let line = '';
  const stack: string[] = [];
  let inText = 0;
  let inTitle = 0;
  let depthSection = 0;
  const flush = () => {
    const l = line.replace(/\s+/g, ' ').trim();
    if (l) out.push(l);
    line = '';
  };
  parser.on('opentag', (tag) => {
    const name = tag.name.replace(/^.*:/, '');
    stack.push(name);
    if (name === 'section') {
      depthSection++;
      flush();
      out.push('');
    }
    if (name === 'text' && depthSection > 0) inText++;
    if (name === 'title' && (depthSection > 0 || stack.length === 2)) {
      inTitle++;
      flush();
    }
    if (inText && (name === 'td' || name === 'th') && line.trim()) line += ' | ';
    if (inText && name === 'br') flush();
  });
  parser.on('closetag', (tag) => {
    const name = tag.name.replace(/^.*:/, '');
    stack.pop();
    if (name === 'title' && inTitle) {
      inTitle--;
      flush();
    }
    if (name === 'text' && inText) {
      inText--;
      flush();
    }
    if (name === 'section') depthSection--;
    if (inText && blockElements.has(name)) flush();
  });
  parser.on('text', (t) => {
    if (inText || inTitle) line += t;
  });
  try {
    parser.write(xml).close();
  } catch {
    throw invalid('content: the C-CDA document is not well-formed XML');
  }
  flush();
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
