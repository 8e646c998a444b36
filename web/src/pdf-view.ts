/**
 * PDF pages drawn with pdfjs-dist in the browser: the page on a canvas and its text layer (selectable text) above
 * it, the search terms marked in the text layer. The worker is bundled by Vite (no network beyond this server), eval
 * is off (the app's CSP has no 'unsafe-eval'), and the bytes come from the audited content read.
 */
import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { markParts } from './documents.js';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

export type PdfDocument = pdfjs.PDFDocumentProxy;

/** Opens a PDF from its bytes (copied: pdf.js transfers the buffer to its worker). */
export function openPdf(bytes: ArrayBuffer): Promise<PdfDocument> {
  return pdfjs.getDocument({ data: new Uint8Array(bytes.slice(0)), isEvalSupported: false, useSystemFonts: true, verbosity: 0 }).promise;
}

export interface DrawnPage {
  width: number;
  height: number;
  cancel(): void;
  done: Promise<void>;
}

/**
 * Draws page `pageNo` at `scale` turned `rotation` degrees onto `canvas`; with `textLayer`, fills it with the page's
 * text and marks the words matching `terms` (<mark class="hit">).
 */
export function drawPage(
  doc: PdfDocument,
  pageNo: number,
  opts: { canvas: HTMLCanvasElement; textLayer?: HTMLDivElement | null; scale: number; rotation: number; terms?: readonly string[] },
): { done: Promise<{ width: number; height: number }>; cancel(): void } {
  const state = { cancelled: false };
  const isCancelled = () => state.cancelled;
  let task: pdfjs.RenderTask | null = null;
  let text: pdfjs.TextLayer | null = null;
  const done = (async () => {
    const page = await doc.getPage(pageNo);
    if (isCancelled()) throw new DOMException('cancelled', 'AbortError');
    const viewport = page.getViewport({ scale: opts.scale, rotation: (page.rotate + opts.rotation) % 360 });
    const ratio = window.devicePixelRatio || 1;
    const { canvas } = opts;
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = `${Math.floor(viewport.width)}px`;
    canvas.style.height = `${Math.floor(viewport.height)}px`;
    task = page.render({ canvas, viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined });
    await task.promise;
    const layer = opts.textLayer;
    if (layer && !isCancelled()) {
      layer.replaceChildren();
      layer.style.setProperty('--total-scale-factor', String(viewport.scale));
      layer.style.setProperty('--scale-round-x', '1px');
      layer.style.setProperty('--scale-round-y', '1px');
      text = new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: layer, viewport });
      await text.render();
      if (opts.terms?.length) markTextLayer(text.textDivs, opts.terms);
    }
    return { width: viewport.width, height: viewport.height };
  })();
  return {
    done,
    cancel() {
      state.cancelled = true;
      task?.cancel();
      text?.cancel();
    },
  };
}

/** Wraps the words of the text layer that match the terms in <mark class="hit"> (text nodes only: no HTML parsed). */
function markTextLayer(divs: HTMLElement[], terms: readonly string[]): void {
  for (const div of divs) {
    const t = div.textContent;
    const parts = markParts(t, terms);
    if (!parts.some((p) => p.hit)) continue;
    div.replaceChildren(
      ...parts.map((p) => {
        if (!p.hit) return document.createTextNode(p.text);
        const m = document.createElement('mark');
        m.className = 'hit';
        m.textContent = p.text;
        return m;
      }),
    );
  }
}
