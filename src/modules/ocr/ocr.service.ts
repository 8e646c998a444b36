/**
 * The OCR engine: PDF, TIFF (multi-page), PNG and JPEG in, each page's text and confidence out. Every page is
 * rasterised to grey at 300 dpi, straightened and read by Tesseract (ocr.pages.ts), one process per page, as many at
 * once as the engine has slots (all cores by default), pages of several files sharing them first come, first served.
 * Each file is worked on in a private temporary folder that is removed whatever happens.
 */
import { setMaxListeners } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DeskewMethod,
  UnreadableContentError,
  planImagePages,
  planPdfPages,
  readPage,
  type FileWork,
  type PagePlan,
  type PageSteps,
} from './ocr.pages.js';
import { abortError, createTaskPool, type TaskPool } from './ocr.pool.js';
import { OcrMediaType, detectMediaType, type OcrPage, type OcrResult } from './ocr.rules.js';
import { createDeskewThreads } from './ocr.threads.js';
import { OcrSetupError, describeMissingTool, findMissingOcrTools, runTool, type OcrToolPaths } from './ocr.tools.js';

export interface OcrEngineOptions {
  paths: OcrToolPaths;
  /** Pages read at once (default: os.availableParallelism()). */
  workers?: number;
  /** How pages are straightened (default projection profiles; see README). */
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

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'no such file',
  ELOOP: 'too many symbolic links',
};

/**
 * Reads a file's planned pages through the pool, in parallel, answering them in page order. The first page to fail
 * stops the file's other pages (waiting ones are dropped, running programs killed) and is the error answered.
 */
async function readPages(
  steps: PageSteps,
  pool: TaskPool,
  work: FileWork,
  plans: PagePlan[],
  stop: AbortController,
  onPage?: (done: number, total: number) => void,
): Promise<OcrPage[]> {
  let done = 0;
  let firstError: Error | undefined;
  const settled = await Promise.allSettled(
    plans.map((plan) =>
      pool
        .run(() => readPage(steps, work, plan), work.signal)
        .then(
          (page) => {
            onPage?.(++done, plans.length);
            return page;
          },
          (e: unknown) => {
            if (!stop.signal.aborted) {
              firstError = e instanceof Error ? e : new Error(String(e));
              stop.abort(e);
            }
            throw e;
          },
        ),
    ),
  );
  if (firstError !== undefined) throw firstError;
  return settled.map((s) => (s as PromiseFulfilledResult<OcrPage>).value);
}

/** Builds an OCR engine. Throws OcrSetupError when a program is missing (see ocr.tools.ts for the packages). */
export function createOcrEngine(opts: OcrEngineOptions): OcrEngine {
  const missing = findMissingOcrTools(opts.paths);
  if (missing.length > 0) throw new OcrSetupError(missing.map((m) => describeMissingTool(m)).join('; '));
  const workers = opts.workers ?? os.availableParallelism();
  const pool = createTaskPool(workers);
  const tempRoot = opts.tempDir ?? os.tmpdir();
  const steps: PageSteps = {
    paths: opts.paths,
    dpi: opts.dpi ?? 300,
    language: opts.language ?? 'eng',
    timeoutMs: opts.pageTimeoutMs ?? 120_000,
    deskew: opts.deskew ?? DeskewMethod.projection,
    threads: createDeskewThreads(workers),
  };
  let checked: Promise<void> | undefined;

  const check = (): Promise<void> => {
    checked ??= (async () => {
      const out = await runTool('tesseract', steps.paths.tesseract, ['--list-langs'], { dir: tempRoot, timeoutMs: steps.timeoutMs });
      const languages = out
        .toString('utf8')
        .split('\n')
        .map((l) => l.trim());
      if (!languages.includes(steps.language)) {
        throw new OcrSetupError(
          steps.language === 'eng'
            ? 'Tesseract has no English data: install the Debian package tesseract-ocr-eng (apt-get install -y tesseract-ocr-eng)'
            : `Tesseract has no data for the language ${steps.language}`,
        );
      }
    })();
    checked.catch(() => (checked = undefined));
    return checked;
  };

  const recognize = async (bytes: Uint8Array, _mediaType?: string, ropts: RecognizeOptions = {}): Promise<OcrResult> => {
    await check();
    const type = detectMediaType(bytes);
    if (!type) throw new UnreadableContentError('not a PDF, TIFF, PNG or JPEG file');
    const outer = ropts.signal;
    if (outer?.aborted) throw abortError(outer);
    const stop = new AbortController();
    setMaxListeners(0, stop.signal); // one listener a waiting page and a running program: a 200-page scan has 200
    const onOuterAbort = () => stop.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const dir = await fs.mkdtemp(path.join(tempRoot, 'custodian-ocr-'));
    try {
      const work: FileWork = { dir, input: path.join(dir, 'input'), signal: stop.signal };
      await fs.writeFile(work.input, bytes, { mode: 0o600 });
      const plans = type === OcrMediaType.pdf ? await planPdfPages(steps, work) : planImagePages(steps, work, type, bytes);
      const pages = await readPages(steps, pool, work, plans, stop, ropts.onPage).catch((e: unknown) => {
        throw outer?.aborted ? abortError(outer) : e;
      });
      if (outer?.aborted) throw abortError(outer);
      return { pages };
    } finally {
      outer?.removeEventListener('abort', onOuterAbort);
      stop.abort();
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
    close: () => steps.threads.close(),
  };
}
