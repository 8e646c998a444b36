/**
 * The `document.ocr` job, for the documents module to register with its job runner: it loads the content it is
 * given, reads it, saves the text, and reports progress page by page. Unreadable content fails the job at once
 * (a PermanentJobError); anything else (a program killed, a full disk) is retried by the queue.
 */
import { PermanentJobError, type JobContext } from '../jobs/index.js';
import type { OcrResult } from './ocr.rules.js';
import { UnreadableContentError } from './ocr.pages.js';
import type { OcrPort } from './ocr.service.js';

/** The job kind the documents module enqueues for a scanned document version. */
export const OCR_JOB_KIND = 'document.ocr';

/** What the OCR job needs from its owner (the documents module): where the content is and where the text goes. */
export interface OcrJobDeps {
  engine: OcrPort;
  /** The content the payload names (ids only), with the type it was filed as. */
  loadContent(payload: Record<string, unknown>, signal: AbortSignal): Promise<{ bytes: Uint8Array; mediaType: string }>;
  /** Keeps the text and confidence of each page for the content the payload names. */
  saveText(payload: Record<string, unknown>, result: OcrResult): Promise<void>;
}

/** The job's result, kept in the job list: counts and a mean, never text. */
export interface OcrJobResult {
  pages: number;
  meanConfidence: number;
}

/** A job handler for `document.ocr` over the owner's load and save. */
export function createOcrJobHandler(deps: OcrJobDeps): (ctx: JobContext) => Promise<OcrJobResult> {
  return async (ctx) => {
    const { payload, signal } = ctx;
    const { bytes, mediaType } = await deps.loadContent(payload, signal);
    let result: OcrResult;
    try {
      result = await deps.engine.recognize(bytes, mediaType, {
        signal,
        onPage: (done, total) => void ctx.progress(done / total, `page ${done} of ${total}`).catch(() => undefined),
      });
    } catch (e) {
      if (e instanceof UnreadableContentError) throw new PermanentJobError(e.message);
      throw e;
    }
    await deps.saveText(payload, result);
    const n = result.pages.length;
    const meanConfidence = n === 0 ? 0 : Math.round((result.pages.reduce((s, p) => s + p.confidence, 0) / n) * 1000) / 1000;
    return { pages: n, meanConfidence };
  };
}
