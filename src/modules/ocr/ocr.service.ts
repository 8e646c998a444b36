/**
 * The OCR engine: PDF, TIFF (multi-page), PNG and JPEG in, each page's text and confidence out. Every page is
 * rasterised to grey at 300 dpi, straightened and read by Tesseract, one process per page, as many at once as
 * the engine has slots (all cores by default), pages of several files sharing them first come, first served.
 * Each file is worked on in a private temporary folder that is removed whatever happens.
 */
import { setMaxListeners } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { createDeskewThreads } from './ocr.threads.js';
import { abortError, createTaskPool } from './ocr.pool.js';
import {
  MAX_PAGES,
  OcrMediaType,
  countTiffPages,
  detectMediaType,
  pageFromTsv,
  parsePdfInfo,
  renderDpi,
  type OcrPage,
  type OcrResult,
  type PdfPageSize,
} from './ocr.rules.js';
import { OcrSetupError, ToolRunError, describeMissingTool, findMissingOcrTools, runTool, type OcrToolPaths } from './ocr.tools.js';

/** How pages are straightened before they are read: see README for the character error rates of each. */
export const DeskewMethod = {
  /** Projection profiles in a worker thread (ocr.deskew.ts): the default. */
  projection: 'projection',
  /** ImageMagick's -deskew. */
  imagemagick: 'imagemagick',
  none: 'none',
} as const;
export type DeskewMethod = (typeof DeskewMethod)[keyof typeof DeskewMethod];

export interface OcrEngineOptions {
  paths: OcrToolPaths;
  /** Pages read at once (default: os.availableParallelism()). */
  workers?: number;
  deskew?: DeskewMethod;
  /** Resolution PDF pages are rendered at (default 300 dpi). */
  dpi?: number;
  /** Tesseract language (default eng, Debian tesseract-ocr-eng). */
  language?: string;
  /** Longest any one program may run on one page (default 120 s). */
  pageTimeoutMs?: number;
  /** Where the private temporary folders are made (default os.tmpdir()). */
  tempDir?: string;
}

export interface RecognizeOptions {
  /** Stops the work: pages not started are not, programs running are killed, and the call rejects. */
  signal?: AbortSignal;
  /** Told after each page is read, in the order they finish. */
  onPage?: (done: number, total: number) => void;
}

/**
 * The port the documents module's `document.ocr` job calls (the consumer's narrow view of the engine).
 * `mediaType` is what the document was filed as; the engine reads the type from the bytes themselves.
 */
export interface OcrPort {
  recognize(bytes: Uint8Array, mediaType: string, opts?: RecognizeOptions): Promise<OcrResult>;
}

export interface OcrEngine extends OcrPort {
  /** Reads a file (its type from its content, never its name). */
  recognizeFile(file: string, opts?: RecognizeOptions): Promise<OcrResult>;
  /** Checks that Tesseract has the language's data; rejects with OcrSetupError naming the package otherwise. */
  check(): Promise<void>;
  /** Stops the engine's worker threads. */
  close(): Promise<void>;
  readonly workers: number;
}

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

/** One page to read: how to rasterise it into a PGM file. */
interface PagePlan {
  page: number;
  rasterise(out: string, signal: AbortSignal): Promise<void>;
  dpi?: number;
}

/** Skew looked for either way: a page fed askew is off by a few degrees; more is a page put in sideways. */
const MAX_SKEW_DEGREES = 5;

const IMAGE_CODER: Partial<Record<OcrMediaType, string>> = {
  [OcrMediaType.tiff]: 'tiff',
  [OcrMediaType.png]: 'png',
  [OcrMediaType.jpeg]: 'jpeg',
};

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'no such file',
  ELOOP: 'too many symbolic links',
};

/** Builds an OCR engine. Throws OcrSetupError when a program is missing (see ocr.tools.ts for the packages). */
export function createOcrEngine(opts: OcrEngineOptions): OcrEngine {
  const missing = findMissingOcrTools(opts.paths);
  if (missing.length > 0) throw new OcrSetupError(missing.map((m) => describeMissingTool(m)).join('; '));
  const workers = opts.workers ?? os.availableParallelism();
  const pool = createTaskPool(workers);
  const threads = createDeskewThreads(workers);
  const deskew = opts.deskew ?? DeskewMethod.projection;
  const dpi = opts.dpi ?? 300;
  const language = opts.language ?? 'eng';
  const timeoutMs = opts.pageTimeoutMs ?? 120_000;
  const tempRoot = opts.tempDir ?? os.tmpdir();
  const { paths } = opts;
  let checked: Promise<void> | undefined;

  const check = (): Promise<void> => {
    checked ??= (async () => {
      const out = (await runTool('tesseract', paths.tesseract, ['--list-langs'], { dir: tempRoot, timeoutMs })).toString('utf8');
      if (!out.split('\n').some((l) => l.trim() === language)) {
        throw new OcrSetupError(
          language === 'eng'
            ? 'Tesseract has no English data: install the Debian package tesseract-ocr-eng (apt-get install -y tesseract-ocr-eng)'
            : `Tesseract has no data for the language ${language}`,
        );
      }
    })();
    checked.catch(() => (checked = undefined));
    return checked;
  };

  const planPdf = async (input: string, dir: string, signal: AbortSignal): Promise<PagePlan[]> => {
    let info: { pages: number; sizes: PdfPageSize[] };
    try {
      const out = await runTool('pdfinfo', paths.pdfinfo, ['-f', '1', '-l', String(MAX_PAGES + 1), input], { dir, timeoutMs, signal });
      info = parsePdfInfo(out.toString('latin1'));
    } catch (e) {
      if (e instanceof ToolRunError && e.reason !== 'exit') throw e;
      throw new UnreadableContentError('the PDF cannot be read (damaged or encrypted)');
    }
    if (info.pages === 0) throw new UnreadableContentError('the PDF has no pages');
    if (info.pages > MAX_PAGES) throw new UnreadableContentError(`the PDF has more than ${MAX_PAGES} pages`);
    return Array.from({ length: info.pages }, (_, i): PagePlan => {
      const page = i + 1;
      const pageDpi = renderDpi(
        info.sizes.find((s) => s.page === page),
        dpi,
      );
      return {
        page,
        dpi: pageDpi,
        rasterise: async (out, sig) => {
          const prefix = out.replace(/\.pgm$/, '');
          const args = ['-f', String(page), '-l', String(page), '-r', String(pageDpi), '-gray', '-singlefile', input, prefix];
          await runTool('pdftoppm', paths.pdftoppm, args, { dir, timeoutMs, signal: sig });
        },
      };
    });
  };

  const planImage = (type: OcrMediaType, bytes: Uint8Array, input: string, dir: string): PagePlan[] => {
    let pages = 1;
    if (type === OcrMediaType.tiff) {
      try {
        pages = countTiffPages(bytes);
      } catch {
        throw new UnreadableContentError('the TIFF cannot be read (damaged)');
      }
    }
    const coder = IMAGE_CODER[type]!;
    return Array.from({ length: pages }, (_, i): PagePlan => ({
      page: i + 1,
      // The coder is named, so ImageMagick decodes only the type found in the bytes. Transparent parts become paper
      // white; a camera's orientation tag is applied.
      rasterise: async (out, sig) => {
        const args = [`${coder}:${input}[${i}]`, '-auto-orient', '-background', 'white', '-alpha', 'remove', '-alpha', 'off'];
        args.push('-colorspace', 'Gray', '-depth', '8', `pgm:${out}`);
        await runTool('imagemagick', paths.imagemagick, args, { dir, timeoutMs, signal: sig });
      },
    }));
  };

  const straighten = async (raw: string, dir: string, page: number, signal: AbortSignal): Promise<string> => {
    if (deskew === DeskewMethod.none) return raw;
    const out = path.join(dir, `page-${page}-straight.pgm`);
    if (deskew === DeskewMethod.projection) {
      if (!(await threads.deskew(raw, out, MAX_SKEW_DEGREES)).written) return raw;
    } else
      await runTool('imagemagick', paths.imagemagick, [`pgm:${raw}`, '-deskew', '40%', '+repage', `pgm:${out}`], {
        dir,
        timeoutMs,
        signal,
      });
    await fs.rm(raw, { force: true });
    return out;
  };

  const readPage = async (plan: PagePlan, dir: string, signal: AbortSignal): Promise<OcrPage> => {
    const raw = path.join(dir, `page-${plan.page}.pgm`);
    try {
      await plan.rasterise(raw, signal);
    } catch (e) {
      if (e instanceof ToolRunError && e.reason === 'exit') throw new UnreadableContentError(`page ${plan.page} cannot be read`);
      throw e;
    }
    if (signal.aborted) throw abortError(signal);
    const straight = await straighten(raw, dir, plan.page, signal);
    const args = [straight, 'stdout', '-l', language, '--psm', '3'];
    if (plan.dpi !== undefined) args.push('--dpi', String(plan.dpi));
    args.push('tsv');
    const tsv = await runTool('tesseract', paths.tesseract, args, { dir, timeoutMs, signal });
    await fs.rm(straight, { force: true });
    return { page: plan.page, ...pageFromTsv(tsv.toString('utf8')) };
  };

  const recognize = async (bytes: Uint8Array, _mediaType?: string, ropts: RecognizeOptions = {}): Promise<OcrResult> => {
    await check();
    const type = detectMediaType(bytes);
    if (!type) throw new UnreadableContentError('not a PDF, TIFF, PNG or JPEG file');
    const ac = new AbortController();
    setMaxListeners(0, ac.signal); // one listener a waiting page and a running program: a 200-page scan has 200
    const outer = ropts.signal;
    const onOuterAbort = () => ac.abort(outer?.reason);
    if (outer?.aborted) throw abortError(outer);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const dir = await fs.mkdtemp(path.join(tempRoot, 'custodian-ocr-'));
    try {
      const input = path.join(dir, 'input');
      await fs.writeFile(input, bytes, { mode: 0o600 });
      const plans = type === OcrMediaType.pdf ? await planPdf(input, dir, ac.signal) : planImage(type, bytes, input, dir);
      let done = 0;
      let firstError: Error | undefined;
      const settled = await Promise.allSettled(
        plans.map((plan) =>
          pool
            .run(() => readPage(plan, dir, ac.signal), ac.signal)
            .then(
              (page) => {
                ropts.onPage?.(++done, plans.length);
                return page;
              },
              (e: unknown) => {
                // The first failure stops the file's other pages; their aborts are not the cause.
                if (!ac.signal.aborted) {
                  firstError = e instanceof Error ? e : new Error(String(e));
                  ac.abort(e);
                }
                throw e;
              },
            ),
        ),
      );
      if (outer?.aborted) throw abortError(outer);
      if (firstError !== undefined) throw firstError;
      return { pages: settled.map((s) => (s as PromiseFulfilledResult<OcrPage>).value) };
    } finally {
      outer?.removeEventListener('abort', onOuterAbort);
      ac.abort();
      await fs.rm(dir, { recursive: true, force: true });
    }
  };

  return {
    workers,
    check,
    recognize,
    async recognizeFile(file, ropts) {
      let bytes: Uint8Array;
      try {
        bytes = await fs.readFile(file);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? '';
        throw new UnreadableContentError(FILE_ERRORS[code] ?? 'the file cannot be read');
      }
      return recognize(bytes, undefined, ropts);
    },
    close: () => threads.close(),
  };
}
