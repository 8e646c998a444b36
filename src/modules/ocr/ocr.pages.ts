/**
 * The steps of reading one page: plan a file's pages (how many, how each is rasterised), rasterise one to an 8-bit
 * grey PGM, straighten it, read it with Tesseract. Every program runs in the file's private folder with its signal.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { abortError } from './ocr.pool.js';
import {
  MAX_PAGES,
  OcrMediaType,
  countTiffPages,
  pageFromTsv,
  wordBoxesFromTsv,
  parsePdfInfo,
  renderDpi,
  type OcrPage,
  type PdfPageSize,
} from './ocr.rules.js';
import type { DeskewThreads } from './ocr.threads.js';
import { ToolRunError, runTool, type OcrToolPaths } from './ocr.tools.js';

/** How pages are straightened before they are read: see README for the character error rates of each. */
export const DeskewMethod = {
  /** Projection profiles in a worker thread (ocr.deskew.ts): the default. */
  projection: 'projection',
  /** ImageMagick's -deskew. */
  imagemagick: 'imagemagick',
  none: 'none',
} as const;
export type DeskewMethod = (typeof DeskewMethod)[keyof typeof DeskewMethod];

/**
 * Content the engine cannot read (not an image or PDF, damaged, encrypted, no pages): retrying will not help.
 * The message names the problem, never the content or the file.
 */
export class UnreadableContentError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.invalid, message);
    this.name = 'UnreadableContentError';
  }
}

/** What the page steps take from the engine. */
export interface PageSteps {
  paths: OcrToolPaths;
  /** Resolution PDF pages are rendered at. */
  dpi: number;
  language: string;
  timeoutMs: number;
  deskew: DeskewMethod;
  threads: DeskewThreads;
}

/** One file's work: its private folder, its bytes there, and its signal. */
export interface FileWork {
  dir: string;
  input: string;
  signal: AbortSignal;
}

/** One page to read: how to rasterise it into a PGM file. */
export interface PagePlan {
  page: number;
  rasterise(out: string): Promise<void>;
  /** The resolution a PDF page was rendered at (told to Tesseract); images carry their own or none. */
  dpi?: number;
}

/** Skew looked for either way: a page fed askew is off by a few degrees; more is a page put in sideways. */
const MAX_SKEW_DEGREES = 5;

const IMAGE_CODER: Partial<Record<OcrMediaType, string>> = {
  [OcrMediaType.tiff]: 'tiff',
  [OcrMediaType.png]: 'png',
  [OcrMediaType.jpeg]: 'jpeg',
};

/** A PDF's pages: counted and sized by pdfinfo, each rendered alone by pdftoppm (so pages render in parallel). */
export async function planPdfPages(steps: PageSteps, work: FileWork): Promise<PagePlan[]> {
  const { dir, input, signal } = work;
  const run = { dir, timeoutMs: steps.timeoutMs, signal };
  let info: { pages: number; sizes: PdfPageSize[] };
  try {
    info = parsePdfInfo(
      (await runTool('pdfinfo', steps.paths.pdfinfo, ['-f', '1', '-l', String(MAX_PAGES + 1), input], run)).toString('latin1'),
    );
  } catch (e) {
    if (e instanceof ToolRunError && e.reason !== 'exit') throw e;
    throw new UnreadableContentError('the PDF cannot be read (damaged or encrypted)');
  }
  if (info.pages === 0) throw new UnreadableContentError('the PDF has no pages');
  if (info.pages > MAX_PAGES) throw new UnreadableContentError(`the PDF has more than ${MAX_PAGES} pages`);
  return Array.from({ length: info.pages }, (_, i): PagePlan => {
    const page = i + 1;
    const dpi = renderDpi(
      info.sizes.find((s) => s.page === page),
      steps.dpi,
    );
    const rasterise = async (out: string) => {
      const args = ['-f', String(page), '-l', String(page), '-r', String(dpi), '-gray', '-singlefile', input, out.replace(/\.pgm$/, '')];
      await runTool('pdftoppm', steps.paths.pdftoppm, args, run);
    };
    return { page, dpi, rasterise };
  });
}

/**
 * An image's pages: a TIFF's directories, one page for PNG and JPEG. ImageMagick is told the decoder, so it decodes
 * only the type found in the bytes; transparent parts become paper white and a camera's orientation tag is applied.
 */
export function planImagePages(steps: PageSteps, work: FileWork, type: OcrMediaType, bytes: Uint8Array): PagePlan[] {
  let pages = 1;
  if (type === OcrMediaType.tiff) {
    try {
      pages = countTiffPages(bytes);
    } catch {
      throw new UnreadableContentError('the TIFF cannot be read (damaged)');
    }
  }
  const coder = IMAGE_CODER[type]!;
  const run = { dir: work.dir, timeoutMs: steps.timeoutMs, signal: work.signal };
  return Array.from({ length: pages }, (_, i): PagePlan => {
    const rasterise = async (out: string) => {
      const args = [`${coder}:${work.input}[${i}]`, '-auto-orient', '-background', 'white', '-alpha', 'remove', '-alpha', 'off'];
      args.push('-colorspace', 'Gray', '-depth', '8', `pgm:${out}`);
      await runTool('imagemagick', steps.paths.imagemagick, args, run);
    };
    return { page: i + 1, rasterise };
  });
}

/** The page straightened: the PGM to read (the raw one when it was level enough or deskew is off). */
async function straighten(steps: PageSteps, work: FileWork, raw: string, page: number): Promise<string> {
  if (steps.deskew === DeskewMethod.none) return raw;
  const out = path.join(work.dir, `page-${page}-straight.pgm`);
  if (steps.deskew === DeskewMethod.projection) {
    if (!(await steps.threads.deskew(raw, out, MAX_SKEW_DEGREES)).written) return raw;
  } else {
    const args = [`pgm:${raw}`, '-deskew', '40%', '+repage', `pgm:${out}`];
    await runTool('imagemagick', steps.paths.imagemagick, args, { dir: work.dir, timeoutMs: steps.timeoutMs, signal: work.signal });
  }
  await fs.rm(raw, { force: true });
  return out;
}

/**
 * Reads one page: rasterise, straighten, then `tesseract ... tsv` (one process, one thread), whose words with their
 * block, paragraph and line give the text and whose confidences give the page's. A page the decoder refuses is
 * unreadable content; a program killed or timed out is not (the job queue retries it).
 */
export async function readPage(steps: PageSteps, work: FileWork, plan: PagePlan): Promise<OcrPage> {
  const raw = path.join(work.dir, `page-${plan.page}.pgm`);
  try {
    await plan.rasterise(raw);
  } catch (e) {
    if (e instanceof ToolRunError && e.reason === 'exit') throw new UnreadableContentError(`page ${plan.page} cannot be read`);
    throw e;
  }
  if (work.signal.aborted) throw abortError(work.signal);
  const page = await straighten(steps, work, raw, plan.page);
  const args = [page, 'stdout', '-l', steps.language, '--psm', '3'];
  if (plan.dpi !== undefined) args.push('--dpi', String(plan.dpi));
  args.push('tsv');
  const tsv = await runTool('tesseract', steps.paths.tesseract, args, { dir: work.dir, timeoutMs: steps.timeoutMs, signal: work.signal });
  await fs.rm(page, { force: true });
  const out = tsv.toString('utf8');
  return { page: plan.page, ...pageFromTsv(out), words: wordBoxesFromTsv(out) };
}
